"""Ownership kinds with the type they name, read from what a function writes.

A site of allocations.py or releases.py has a kind (`box`, `vec`, `cstring`,
`box:Self`, see ownership.py); the facts keep it with the type the memory has
where it leaves or comes back: the pointee of the returned pointer, of an
out-parameter or of the released parameter, through the file's `type` aliases,
none for a type parameter, `Self` read as the `impl`'s type, and the handle C
sees when that pointee is not the boxed type (`box:session_handle`).

summary.py asks it for each function's facts (`handed_out_kind`, `release_of`)
once it has found the sites; reading written types is a question of its own,
apart from finding what a function runs. pointer_contracts.py reads the
file's aliases through `expand_alias` too.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import RustBodies
from interop_lint.analyzer.rust.facts import Release
from interop_lint.analyzer.rust.ownership import (
    ELEMENT,
    OwnershipSite,
    named_type,
    pointee_name,
    type_name,
)


def expand_alias(kind: Node | None, aliases: dict[str, Node]) -> Node | None:
    """The type a name of the file's `type` aliases stands for (the node itself else)."""
    if not aliases:
        return kind
    seen = set()
    while kind is not None and kind.type == "type_identifier":
        name = text(kind)
        if name not in aliases or name in seen:
            break
        seen.add(name)
        kind = aliases[name]
    return kind


def handed_out_kind(
    kind: str,
    via: str,
    returns: Node | None,
    parameters: dict[str, tuple[int, Node]],
    aliases: dict[str, Node],
    generics: set[str],
    owner: str | None,
    held_by: str | None = None,
) -> tuple[str, str | None]:
    """The kind of an allocation handed to the caller through `via` (`"return"`, or
    the name of an out-parameter `out: *mut *mut T`) with the type it points to there,
    and its handle. Memory kept in a field of a struct on the way (`held_by`: a
    forgotten `Vec<Item>` in `List { items, count }`, the list boxed and returned)
    does not have the type the returned pointer points to."""
    if held_by is not None:
        return _type_named_in(kind, owner), None
    if via == "return":
        written = _pointee(returns, aliases)
    else:  # `out: *mut *mut T`
        written = _pointee(parameters[via][1], aliases, depth=2)
    written = _type_named(written, generics, owner)
    typed = _with_type(_type_named_in(kind, owner), written)
    return typed, _handle_of(typed, written)


def out_parameter_pointee(
    via: str,
    parameters: dict[str, tuple[int, Node]],
    aliases: dict[str, Node],
    generics: set[str],
    owner: str | None,
) -> str | None:
    """The type an out-parameter `out: *mut *mut T` points to at the second level (`T`),
    when it names one; None for a type parameter."""
    return _type_named(_pointee(parameters[via][1], aliases, depth=2), generics, owner)


def typed_kind(kind: str, written: str | None) -> str:
    """`box:Session` for the `box` of a generic helper written to a `*mut *mut Session`."""
    return _with_type(kind, written)


def _pointee(pointer: Node | None, aliases: dict[str, Node], depth: int = 1) -> str | None:
    """`pointee_name` through the file's aliases at every level: `Avk` of
    `*mut AvkPtr` where `type AvkPtr = *mut Avk`."""
    current = expand_alias(pointer, aliases)
    for _ in range(depth - 1):
        if current is None or current.type != "pointer_type":
            return None
        current = expand_alias(current.child_by_field_name("type"), aliases)
    return pointee_name(current)


def _type_named(written: str | None, generics: set[str], owner: str | None) -> str | None:
    """The type a pointer's pointee names: none for a type parameter; in an impl
    block, `Self` is the impl's type (`fn new() -> *mut Self`)."""
    if written == "Self":
        return owner
    return None if written in generics else written


def _type_named_in(kind: str, owner: str | None) -> str:
    """`box:Options` for the `box:Self` of `Box::new(Self { .. })` in `impl Options`."""
    return f"{kind[: -len('Self')]}{owner}" if kind.endswith(":Self") and owner else kind


def _points_to_void(pointer: Node) -> bool:
    pointee = pointer.child_by_field_name("type") if pointer.type == "pointer_type" else None
    return pointee is not None and type_name(pointee) == "c_void"


def _with_type(kind: str, written: str | None) -> str:
    """`box` + `Engine` -> `box:Engine`; a kind that already names its type keeps it."""
    return f"{kind}:{written}" if kind in ("box", "vec") and written else kind


def _handle_of(kind: str, written: str | None) -> str | None:
    """`box:session_handle` for a `box:Session` that C sees as `*mut session_handle`."""
    family, _, inner = kind.partition(":")
    return (
        f"{family}:{written}" if family in ("box", "vec") and written and inner != written else None
    )


def release_of(
    bodies: RustBodies,
    site: OwnershipSite,
    parameters: dict[str, tuple[int, Node]],
    aliases: dict[str, Node],
    generics: set[str],
    owner: str | None,
) -> Release:
    """`free<T>(p: *mut T)` releases a `box` of any type: `T` is its type parameter.
    A method that releases `self` (`Box::from_raw(self as *mut Self)`) releases its
    own type, and `self` is its first parameter; one that releases a field of
    `self` (`Vec::from_raw_parts(self.ptr, self.len, self.cap)` in a buffer's
    `fn to_vec(self)`) releases what that field of its type points to."""
    parameter = parameters.get(site.pointer) if site.pointer is not None else None
    kind, handle = site.kind, None
    if site.pointer == "self" and owner is not None:
        if site.field is None:
            return Release(
                _with_type(kind, owner), bodies.location(site.call), 0, "self", site.what
            )
        return Release(
            kind=_with_type(kind, f"{owner}.{site.field}"),
            location=bodies.location(site.call),
            param_index=0,
            param_name="self",
            what=site.what,
            field=site.field,
        )
    element = site.field == ELEMENT  # one of the pointers an array parameter holds
    generic = False
    if parameter is not None and (site.field is None or element):
        pointer = expand_alias(parameter[1], aliases)
        pointee = _pointee(pointer, aliases, 2 if element else 1)
        generic = not element and pointee in generics  # typed by each caller
        written = _type_named(pointee, generics, owner)
        kind = _with_type(kind, written)
        handle = _handle_of(kind, written)
        if kind == "box" and _points_to_void(pointer):
            # `Box::from_raw(p)` of a `p: *mut c_void` frees a `Box<c_void>`: the wrong
            # layout and no destructor, whatever was boxed. It gives back no typed box.
            kind = "box:c_void"
    elif parameter is not None:  # `buffer.data`: the index reads the field's type
        holder = named_type(expand_alias(parameter[1], aliases))
        kind = _with_type(kind, f"{holder}.{site.field}" if holder else None)
    return Release(
        kind=kind,
        location=bodies.location(site.call),
        param_index=parameter[0] if parameter is not None else None,
        param_name=site.pointer if parameter is not None else None,
        what=site.what,
        field=site.field if parameter is not None and not element else None,
        handle=handle,
        generic=generic,
        from_local_field=parameter is None and site.field is not None and site.field != ELEMENT,
    )


def parameter_releases(releases: tuple[Release, ...]) -> dict[str, tuple[object, ...]]:
    """`RustFunction`'s fields for what a function gives back of memory its parameters
    point to: only memory that comes from the caller is given back for the caller (a
    string read from a field of a value it has is, melody's `CString::from_raw(o.text)`
    for each `o` of an array rebuilt from its handle), and a release of a type
    parameter's pointer is left to what each caller passes."""
    return {
        "release_kinds": tuple(
            dict.fromkeys(
                r.kind
                for r in releases
                if (r.param_index is not None and not r.generic)
                or (r.from_local_field and r.kind == "cstring")
            )
        ),
        "release_handles": tuple(dict.fromkeys(r.handle for r in releases if r.handle)),
        "generic_releases": tuple(
            dict.fromkeys((r.param_index, r.kind) for r in releases if r.generic)
        ),
    }


def may_be_pointer(kind: Node, aliases: dict[str, Node]) -> bool:
    """A raw pointer, or a name that may alias one in another file."""
    expanded = expand_alias(kind, aliases)
    return expanded is not None and expanded.type in ("pointer_type", "type_identifier")


# Generic standard types that hold no raw pointer a caller frees (NonNull is one).
_POINTERLESS_GENERICS = frozenset(
    {"Vec", "VecDeque", "Box", "Arc", "Rc", "HashMap", "BTreeMap", "HashSet", "BTreeSet"}
    | {"Cow", "Cell", "RefCell", "Mutex", "RwLock", "PhantomData"}
)


def may_return_pointer(returns: Node, aliases: dict[str, Node]) -> bool:
    """`may_be_pointer`, a `Result`/`Option` that may hold one (`Result<(), CResult>`),
    or a generic struct that may (go-vrl's `#[repr(C)] CResult<T>`, pointer fields)."""
    expanded = expand_alias(returns, aliases)
    if expanded is not None and expanded.type == "generic_type":
        base = text(expanded.child_by_field_name("type")).rsplit("::", 1)[-1]
        if base not in ("Result", "Option"):
            return base not in _POINTERLESS_GENERICS
        arguments = expanded.child_by_field_name("type_arguments")
        return arguments is not None and any(
            may_be_pointer(a, aliases) for a in arguments.named_children
        )
    return may_be_pointer(returns, aliases)
