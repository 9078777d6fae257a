"""Memory a function hands to C, and memory it takes back (RS105, XL105, XL106).

Kinds (the strings stored in the facts, see facts.py):

- `"cstring"`: `CString::into_raw` / `.into_raw()`; back with `CString::from_raw`.
- `"box:T"`: `Box::into_raw` / `Box::leak` of a `Box<T>`; back with
  `Box::from_raw` of a `*mut T`. `"box"` when `T` cannot be told.
- `"vec:T"`: a `Vec<T>` (or `String`, `T` = `u8`) whose pointer is handed out
  after `mem::forget` / `ManuallyDrop::new`, `Vec::leak`, or a boxed slice
  (`Box::into_raw(v.into_boxed_slice())`); back with `Vec::from_raw_parts`,
  `String::from_raw_parts` or `Box::from_raw(slice::from_raw_parts_mut(..))`.
  `"vec"` when `T` cannot be told.

`T` is the type as written (last path segment, no generics): an alias such as
`Handle` is resolved by the index (`RustIndex.canonical_kind`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import binds_before
from interop_lint.analyzer.rust.body import Located, RustBodies
from interop_lint.analyzer.rust.expressions import arguments, callee, strip
from interop_lint.analyzer.rust.pointers import pointer_of, reference_source
from interop_lint.analyzer.rust.types import base_name, type_arguments

_NOT_TYPES = frozenset({"Some", "Ok", "Err", "Box", "Self", "None"})
_FORGETS = frozenset({"mem::forget", "forget"})
_SLICE_VIEWS = frozenset({"from_raw_parts_mut", "slice_from_raw_parts_mut", "from_raw_parts"})
_CSTRING_MAKERS = frozenset({"CString", "CStr"})


def describe_kind(kind: str) -> str:
    """A kind in words, for messages: "a `CString`", "a `Box<Engine>`", "a `Vec<u8>` buffer"."""
    family, _, written = kind.partition(":")
    if family == "cstring":
        return "a `CString`"
    if family == "box":
        return f"a `Box<{written}>`" if written else "a `Box`"
    return f"a `Vec<{written}>` buffer" if written else "a `Vec` buffer"


@dataclass(frozen=True, slots=True)
class OwnershipSite:
    kind: str
    what: str  # `CString::into_raw`, `mem::forget`
    call: Located
    # The expressions that carry the memory out: the call itself, or for a
    # forgotten `Vec` the `v.as_mut_ptr()` calls on it.
    carriers: tuple[Located, ...] = ()
    pointer: str | None = None  # for a release: the name given back (`p` of `from_raw(p)`)
    field: str | None = None  # ... and the field of it that holds the pointer (`buf.data`)


def _turbofish(call: Located) -> str | None:
    """`T` of `Box::<T>::into_raw(..)`."""
    function = call.node.child_by_field_name("function")
    path = function.child_by_field_name("path") if function is not None else None
    if path is not None and path.type == "generic_type":
        arguments_ = type_arguments(path)
        return _type_name(arguments_[0]) if arguments_ else None
    return None


def _type_name(node: Node | None) -> str | None:
    """`Engine` of `Engine`, `crate::engine::Engine`, `Engine<'a>`; `[u8]` of `[u8]`."""
    if node is None:
        return None
    if node.type == "array_type" and node.child_by_field_name("length") is None:
        return _type_name(node.child_by_field_name("element"))
    if node.type == "primitive_type":
        return text(node)
    name = base_name(node)
    return name or None


def _constructed_type(value: Located | None) -> str | None:
    """`Engine` of `Engine { .. }`, `Engine::new(..)`, `Engine(..)`, `Box::new(Engine::new())`."""
    current = strip(value) if value is not None else None
    while current is not None:
        if current.type == "struct_expression":
            name = current.field("name")
            return _type_name(name.node) if name is not None else None
        if current.type == "identifier":  # a unit struct: `Box::new(Engine)`
            name = current.text
            is_type = name[:1].isupper() and not name.isupper() and name not in _NOT_TYPES
            return name if is_type else None
        if current.type == "try_expression":
            inner = next(iter(current.named_children()), None)
            current = strip(inner) if inner is not None else None
            continue
        if current.type != "call_expression":
            return None
        called = callee(current)
        if called is None:
            return None
        if called.is_method and called.name in ("unwrap", "expect"):
            current = strip(called.receiver)  # type: ignore[arg-type]
            continue
        if called.is_method:
            return None
        if called.qualified == "Box::new":
            current = next(iter(arguments(current)), None)
            continue
        owner = called.qualifier if called.qualifier else called.name
        if owner and owner[0].isupper() and owner not in _NOT_TYPES:
            return owner
        return None
    return None


def local_declaration(name: str, at: Located) -> Located | None:
    """The `let` of `name` in force at `at` (asked once per name and place: a released
    pointer is looked up for its type, then for its value)."""
    return at.fragment.remember(("local", name, at.node.id), lambda: _local_declaration(name, at))


def _local_declaration(name: str, at: Located) -> Located | None:
    for ancestor in at.ancestors():
        if ancestor.type == "function_item":
            return None
        if ancestor.type == "block":
            statement = next(
                (s for s in ancestor.named_children() if s.start <= at.start <= s.end), None
            )
            if statement is not None:
                found = binds_before(ancestor, statement, name)
                if found is not None:
                    return found
    return None


def _annotated(declaration: Located | None, wrapper: str) -> str | None:
    """`T` of `let b: Box<T> = ..` (wrapper `Box`)."""
    annotation = declaration.field("type") if declaration is not None else None
    if annotation is None or base_name(annotation.node) != wrapper:
        return None
    arguments_ = type_arguments(annotation.node)
    return _type_name(arguments_[0]) if arguments_ else None


def _box_type(call: Located, boxed: Located | None) -> str | None:
    found = _turbofish(call)
    if found or boxed is None:
        return found
    boxed = strip(boxed)
    if boxed.type == "identifier":
        declaration = local_declaration(boxed.text, boxed)
        return _annotated(declaration, "Box") or _constructed_type(
            declaration.field("value") if declaration is not None else None
        )
    return _constructed_type(boxed)


def _is_boxed_slice(boxed: Located | None) -> bool:
    current = strip(boxed) if boxed is not None else None
    if current is not None and current.type == "identifier":
        declaration = local_declaration(current.text, current)
        current = declaration.field("value") if declaration is not None else None
    if current is None or current.type != "call_expression":
        return False
    called = callee(current)
    return called is not None and called.name in ("into_boxed_slice", "into_boxed_str")


def allocation_sites(calls: list[Located], bodies: RustBodies) -> list[OwnershipSite]:
    """Calls that give up Rust's ownership of heap memory, with what carries it out."""
    found = []
    for call in calls:
        called = callee(call)
        if called is None:
            continue
        given = arguments(call)
        found += _given_as_function(call, given)
        if called.name not in _GIVING_UP:
            continue
        qualified = called.qualified
        first = given[0] if given else None
        if qualified == "CString::into_raw" or (
            called.is_method and called.name == "into_raw" and not given
        ):
            found.append(OwnershipSite("cstring", "CString::into_raw", call, (call,)))
        elif qualified in ("Box::into_raw", "Box::leak"):
            if _is_boxed_slice(first):
                kind = "vec"
            else:
                content = _box_type(call, first)
                kind = f"box:{content}" if content else "box"
            found.append(OwnershipSite(kind, qualified, call, (call,)))
        elif qualified == "Vec::leak" or (called.is_method and called.name == "leak" and not first):
            found.append(OwnershipSite("vec", "Vec::leak", call, (call,)))
        elif (qualified in _FORGETS or qualified == "ManuallyDrop::new") and first is not None:
            site = _forgotten_buffer(call, qualified, strip(first), bodies)
            if site is not None:
                found.append(site)
    return found


# The names of the calls above that give memory up (`mem::forget`, `ManuallyDrop::new`).
_GIVING_UP = frozenset({"into_raw", "leak", "forget", "new"})
_AS_FUNCTIONS = {"CString::into_raw": "cstring", "Box::into_raw": "box", "Box::leak": "box"}


def _given_as_function(call: Located, given: list[Located]) -> list[OwnershipSite]:
    """`.map(CString::into_raw)`: the allocation happens in the call it is given to."""
    found = []
    for argument in given:
        if argument.type != "scoped_identifier":
            continue
        qualifier, name = argument.field("path"), argument.field("name")
        if qualifier is None or name is None:
            continue
        qualified = f"{qualifier.text.rsplit('::', 1)[-1]}::{name.text}"
        if qualified in _AS_FUNCTIONS:
            found.append(OwnershipSite(_AS_FUNCTIONS[qualified], qualified, argument, (call,)))
    return found


def _forgotten_buffer(
    call: Located, qualified: str, forgotten: Located, bodies: RustBodies
) -> OwnershipSite | None:
    """`mem::forget(v)` / `ManuallyDrop::new(v)` of a buffer whose pointer is taken."""
    holders = {forgotten.text} if forgotten.type == "identifier" else set()
    if qualified == "ManuallyDrop::new":
        holder = call.parent()
        if holder is not None and holder.type == "let_declaration":
            pattern = holder.field("pattern")
            if pattern is not None and pattern.type == "identifier":
                holders.add(pattern.text)
    function = bodies.function_of(call)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return None
    carriers = tuple(
        node
        for node in bodies.walk(bodies.in_file(body), prune=("function_item",))
        if node.type == "call_expression" and _pointer_of_buffer(node, holders)
    )
    if not holders or not carriers:
        return None
    if forgotten.type == "identifier":
        declaration = local_declaration(forgotten.text, forgotten)
        value = declaration.field("value") if declaration is not None else None
    else:
        declaration, value = None, forgotten
    if _constructed_type(value) in _CSTRING_MAKERS:
        return OwnershipSite("cstring", qualified, call, carriers)
    element = _annotated(declaration, "Vec")
    if element is None and _constructed_type(value) == "String":
        element = "u8"
    return OwnershipSite(f"vec:{element}" if element else "vec", qualified, call, carriers)


def _pointer_of_buffer(call: Located, holders: set[str]) -> bool:
    called = callee(call)
    if called is None or called.receiver is None or called.name not in ("as_ptr", "as_mut_ptr"):
        return False
    receiver = strip(called.receiver)
    return receiver.type == "identifier" and receiver.text in holders


def release_sites(calls: list[Located]) -> list[OwnershipSite]:
    """Calls that give memory back to Rust's allocator, with the pointer released."""
    found = []
    for call in calls:
        called = callee(call)
        if called is None or called.is_method or called.name not in _RELEASING:
            continue
        qualified = called.qualified
        if qualified not in _RELEASES:
            continue
        first = next(iter(arguments(call)), None)
        if first is None:
            continue
        referenced = _referenced_type(first) if qualified == "Box::from_raw" else None
        first = _through_local(first)
        if referenced is not None and _released(first) == (None, None):
            # `let s: &mut Session = (h as *mut Session).as_mut()..; Box::from_raw(s)`
            source = reference_source(first)
            content = referenced or (_cast_type(source) if source is not None else None)
            released = _released(source) if source is not None else (None, None)
            found.append(
                OwnershipSite(
                    f"box:{content}" if content else "box", qualified, call, (), *released
                )
            )
            continue
        if qualified == "CString::from_raw":
            found.append(OwnershipSite("cstring", qualified, call, (), *_released(first)))
        elif qualified == "Box::from_raw":
            view = _slice_view(first)
            if view is not None:
                element = _cast_type(view[1])
                kind = f"vec:{element}" if element else "vec"
                found.append(OwnershipSite(kind, qualified, call, (), *view[0]))
            else:
                content = _turbofish(call) or _cast_type(first) or _annotated(call.parent(), "Box")
                kind = f"box:{content}" if content else "box"
                found.append(OwnershipSite(kind, qualified, call, (), *_released(first)))
        else:  # `Vec::from_raw_parts`, `String::from_raw_parts`
            element = "u8" if qualified.startswith("String") else _turbofish(call)
            element = element or _cast_type(first) or _annotated(call.parent(), "Vec")
            kind = f"vec:{element}" if element else "vec"
            found.append(OwnershipSite(kind, qualified, call, (), *_released(first)))
    return found


# The calls that give memory back to Rust's allocator, and the family of the
# kind each releases (module docstring of rust.facts); `release_sites` works
# out the type, when it can.
RELEASE_CALLS: dict[str, str] = {
    "CString::from_raw": "cstring",
    "Box::from_raw": "box",
    "Vec::from_raw_parts": "vec",
    "String::from_raw_parts": "vec",
}
_RELEASES = frozenset(RELEASE_CALLS)
_RELEASING = frozenset(q.rsplit("::", 1)[1] for q in _RELEASES)


def _through_local(argument: Located) -> Located:
    """The value a local was bound to: `slice` of `let slice = ..; Box::from_raw(slice)`."""
    current = strip(argument)
    if current.type != "identifier":
        return argument
    declaration = local_declaration(current.text, current)
    value = declaration.field("value") if declaration is not None else None
    return value if value is not None else argument


def _referenced_type(argument: Located) -> str | None:
    """For a local bound to a reference (`let s: &mut Session = ..`, `let s = p.as_mut()..`),
    the type it refers to ("" when not written); None for anything else."""
    current = strip(argument)
    if current.type != "identifier":
        return None
    declaration = local_declaration(current.text, current)
    if declaration is None:
        return None
    annotation = declaration.field("type")
    if annotation is not None:
        if annotation.type != "reference_type":
            return None
        return _type_name(annotation.node.child_by_field_name("type")) or ""
    value = declaration.field("value")
    return "" if value is not None and reference_source(value) is not None else None


def _released(argument: Located) -> tuple[str | None, str | None]:
    """The name behind a released pointer, and the field it is read from:
    (`p`, None) for `p` or `p as *mut T`; (`buf`, `ptr`) for `buf.ptr` or `(*buf).ptr`."""
    name = pointer_of(argument)
    if name is not None:
        return name, None
    current = strip(argument)
    if current.type == "self":  # a method giving back its own allocation
        return "self", None
    field = None
    while current.type in ("field_expression", "unary_expression", "parenthesized_expression"):
        if current.type == "field_expression":
            read = current.field("field")
            field = read.text if read is not None else None
        inner = current.field("value") or next(iter(current.named_children()), None)
        if inner is None:
            return None, None
        current = strip(inner)
    return (current.text, field) if current.type in ("identifier", "self") else (None, None)


def _slice_view(argument: Located) -> tuple[tuple[str | None, str | None], Located] | None:
    """(pointer, its expression) of `slice::from_raw_parts_mut(p, n)` inside `Box::from_raw(..)`."""
    current = strip(argument)
    if current.type != "call_expression":
        return None
    called = callee(current)
    if called is None or called.is_method or called.name not in _SLICE_VIEWS:
        return None
    first = next(iter(arguments(current)), None)
    return (_released(first), first) if first is not None else None


def _cast_type(expression: Located) -> str | None:
    """`T` of `p as *mut T` or `p.cast::<T>()`."""
    current = expression
    while current.type == "parenthesized_expression" and current.node.named_child_count:
        current = current.named_children()[0]
    if current.type == "type_cast_expression":
        target = current.field("type")
        if target is not None and target.type == "pointer_type":
            return _type_name(target.node.child_by_field_name("type"))
    return None


def pointee_name(type_node: Node | None, depth: int = 1) -> str | None:
    """`Engine` of `*mut Engine` (depth 1) or of `*mut *mut Engine` (depth 2).

    Only pointer types written as such count (resolve the file's aliases
    first): a named type may be a struct that carries the pointer in a field.
    """
    current = type_node
    for _ in range(depth):
        if current is None or current.type != "pointer_type":
            return None
        current = current.child_by_field_name("type")
    name = _type_name(current)
    return None if name == "c_void" else name


def named_type(type_node: Node | None) -> str | None:
    """`Buffer` of `Buffer`, `&Buffer`, `*mut Buffer`: the named type behind references."""
    current = type_node
    while current is not None and current.type in ("reference_type", "pointer_type"):
        current = current.child_by_field_name("type")
    return base_name(current) or None if current is not None else None
