"""Calls that give up Rust's ownership of heap memory, and what carries it out.

`CString::into_raw`, `Box::into_raw` / `Box::leak` (of a boxed slice: a
buffer), `Vec::leak`, and `mem::forget` / `ManuallyDrop::new` of a buffer
whose pointer is taken; also such a function passed by name
(`.map(CString::into_raw)`). Each is an `OwnershipSite` of the kind it hands
out (ownership.py says what the kinds are).
"""

from __future__ import annotations

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import Located, RustBodies
from interop_lint.analyzer.rust.expressions import arguments, callee, strip
from interop_lint.analyzer.rust.ownership import (
    OwnershipSite,
    annotated,
    local_declaration,
    turbofish,
    type_name,
)
from interop_lint.analyzer.rust.types import base_name

_NOT_TYPES = frozenset({"Some", "Ok", "Err", "Box", "Self", "None"})
_FORGETS = frozenset({"mem::forget", "forget"})
_CSTRING_MAKERS = frozenset({"CString", "CStr"})
# What takes the value out of a `Result`/`Option`, keeping its type.
_UNWRAPS = frozenset(
    {"unwrap", "expect", "unwrap_or", "unwrap_or_default", "unwrap_or_else", "unwrap_unchecked"}
)

# Associated functions that by convention make their own type (or a `Result` of it).
_CONSTRUCTOR_PREFIXES = (
    *("new", "try_new", "default", "from", "try_from", "with_", "create", "open"),
    *("load", "init", "parse", "deserialize", "decode", "read", "connect"),
)


def _constructed_type(value: Located | None) -> str | None:
    """`Engine` of `Engine { .. }`, `Engine::new(..)`, `Engine(..)`, `Box::new(Engine::new())`."""
    current = strip(value) if value is not None else None
    while current is not None:
        if current.type == "struct_expression":
            name = current.field("name")
            return type_name(name.node) if name is not None else None
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
        if called.is_method and called.name in _UNWRAPS:
            current = strip(called.receiver)  # type: ignore[arg-type]
            continue
        if called.is_method:
            return None
        if called.qualified == "Box::new":
            current = next(iter(arguments(current)), None)
            continue
        owner = called.qualifier if called.qualifier else called.name
        if not owner or not owner[0].isupper() or owner in _NOT_TYPES:
            return None
        variant = called.name[:1].isupper()  # `TreeRoot::C1(p)` makes a `TreeRoot`
        if called.qualifier and not (variant or called.name.startswith(_CONSTRUCTOR_PREFIXES)):
            return None  # `Msp::sig(x)` may make another type (`MspSig`)
        return owner
    return None


def _box_type(call: Located, boxed: Located | None) -> str | None:
    found = turbofish(call)
    if found or boxed is None:
        return found
    boxed = strip(boxed)
    if boxed.type == "identifier":
        declaration = local_declaration(boxed.text, boxed)
        return annotated(declaration, "Box") or _constructed_type(
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


def _of_another_type(receiver: Located | None) -> bool:
    """`vm.into_raw()` where `vm` is shown to be no `CString` (`let vm =
    RootedThread::new();`, `let vm: RootedThread = ..`): gluon's own handle type
    has an `into_raw` method of its own."""
    current = strip(receiver) if receiver is not None else None
    if current is not None and current.type == "identifier":
        declaration = local_declaration(current.text, current)
        written = declaration.field("type") if declaration is not None else None
        if written is not None:
            return base_name(written.node) not in _CSTRING_MAKERS
        current = declaration.field("value") if declaration is not None else None
    made = _constructed_type(current)
    return made is not None and made not in _CSTRING_MAKERS


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
            called.is_method
            and called.name == "into_raw"
            and not given
            and not _of_another_type(called.receiver)
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
    if body is None or not holders:
        return None
    nodes = list(bodies.walk(bodies.in_file(body), prune=("function_item",)))
    for node in nodes:  # `let s = &v[..];`: `s.as_ptr()` points into `v` (in file order)
        value = node.field("value") if node.type == "let_declaration" else None
        pattern = node.field("pattern") if value is not None else None
        if pattern is not None and pattern.type == "identifier" and _borrows(value, holders):
            holders.add(pattern.text)
    carriers = tuple(
        node
        for node in nodes
        if node.type == "call_expression"
        and (_pointer_of_buffer(node, holders) or _converts_borrow(node, holders, bodies))
    )
    if not carriers:
        return None
    if forgotten.type == "identifier":
        declaration = local_declaration(forgotten.text, forgotten)
        value = declaration.field("value") if declaration is not None else None
    else:
        declaration, value = None, forgotten
    if _constructed_type(value) in _CSTRING_MAKERS:
        return OwnershipSite("cstring", qualified, call, carriers)
    element = annotated(declaration, "Vec")
    if element is None and _constructed_type(value) == "String":
        element = "u8"
    return OwnershipSite(f"vec:{element}" if element else "vec", qualified, call, carriers)


def _pointer_of_buffer(call: Located, holders: set[str]) -> bool:
    """`v.as_mut_ptr()` of a forgotten buffer, or `res.rows.as_mut_ptr()` of a buffer
    in a field of a forgotten struct (limbo's `sqlite3_get_table`)."""
    receiver = _pointer_receiver(call)
    if receiver is not None and receiver.type == "field_expression":
        receiver = receiver.field("value")
    return receiver is not None and receiver.type == "identifier" and receiver.text in holders


# Methods that borrow a buffer as a slice or string: `v.as_slice()`.
_BORROWING = frozenset({"as_slice", "as_mut_slice", "as_bytes", "as_str", "as_ref", "as_mut"})


def _borrows(value: Located | None, holders: set[str]) -> bool:
    """`&v`, `&v[..]`, `&mut v[1..]`, `v.as_slice()` of a buffer in `holders`."""
    current = strip(value) if value is not None else None
    if current is not None and current.type == "reference_expression":
        inner = current.field("value")
        current = strip(inner) if inner is not None else None
        if current is not None and current.type == "index_expression":
            indexed = next(iter(current.named_children()), None)
            current = strip(indexed) if indexed is not None else None
        return current is not None and current.type == "identifier" and current.text in holders
    if current is None or current.type != "call_expression":
        return False
    called = callee(current)
    if called is None or called.receiver is None or called.name not in _BORROWING:
        return False
    receiver = strip(called.receiver)
    return receiver.type == "identifier" and receiver.text in holders


def _converts_borrow(call: Located, holders: set[str], bodies: RustBodies) -> bool:
    """`Buffer::from(&v[..])`, `(&v[..]).into()`, `to_buffer(&v)`: a borrow of a
    forgotten buffer made into a value (a `#[repr(C)]` struct of its pointer and
    length, zerokit's `Buffer`) that the forget keeps alive for the caller. A
    function of the file counts when it takes the pointer of that argument."""
    called = callee(call)
    if called is None:
        return False
    if called.receiver is not None:
        return called.name == "into" and _borrows(called.receiver, holders)
    given = arguments(call)
    if called.name == "from" and (called.qualifier or "")[:1].isupper():
        return any(_borrows(a, holders) for a in given)
    if called.qualifier is not None:
        return False
    taking = bodies.file.remember("pointer-taking functions", lambda: _pointer_takers(bodies))
    positions = taking.get(called.name, ())
    return any(i in positions and _borrows(a, holders) for i, a in enumerate(given))


def _pointer_takers(bodies: RustBodies) -> dict[str, frozenset[int]]:
    """Functions of the file that take the pointer of a parameter (`src.as_ptr()`):
    name -> those parameters' positions."""
    found: dict[str, frozenset[int]] = {}
    for function in bodies.scan.functions:
        name = function.child_by_field_name("name")
        body = function.child_by_field_name("body")
        listed = function.child_by_field_name("parameters")
        if name is None or body is None or listed is None:
            continue
        patterns = [c.child_by_field_name("pattern") for c in listed.named_children]
        positions = {
            text(p): i for i, p in enumerate(patterns) if p is not None and p.type == "identifier"
        }
        taken = frozenset(
            positions[receiver.text]
            for node in bodies.walk(bodies.in_file(body), prune=("function_item",))
            if node.type == "call_expression"
            and (receiver := _pointer_receiver(node)) is not None
            and receiver.type == "identifier"
            and receiver.text in positions
        )
        if taken:
            found[text(name)] = taken
    return found


def _pointer_receiver(call: Located) -> Located | None:
    """`p` of `p.as_ptr()` / `p.as_mut_ptr()` (parentheses and casts stripped)."""
    called = callee(call)
    if called is None or called.receiver is None or called.name not in ("as_ptr", "as_mut_ptr"):
        return None
    return strip(called.receiver)
