"""Calls that give memory back to Rust's allocator, and the pointer each releases.

`CString::from_raw`, `Box::from_raw` (of a `slice::from_raw_parts_mut(..)`:
a buffer), `Vec::from_raw_parts` and `String::from_raw_parts`. Each is an
`OwnershipSite` of the kind it takes back (ownership.py says what the kinds
are), with the name of the pointer released and the field it is read from.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import matched_value
from interop_lint.analyzer.rust.body import Located, RustBodies
from interop_lint.analyzer.rust.expressions import (
    arguments,
    callee,
    strip,
    under_methods,
    unsafe_value,
    wrapped_pointer,
)
from interop_lint.analyzer.rust.facts import Release
from interop_lint.analyzer.rust.ownership import (
    ELEMENT,
    OwnershipSite,
    annotated,
    cast_type,
    declared_pointee,
    local_binding,
    local_declaration,
    turbofish,
    type_name,
)
from interop_lint.analyzer.rust.pointer_copies import SAME_POINTER as _SAME_POINTER
from interop_lint.analyzer.rust.pointer_copies import pointer_of
from interop_lint.analyzer.rust.pointers import reference_source
from interop_lint.analyzer.rust.reboxed import given_up_again
from interop_lint.analyzer.rust.syntax import PARAMETER_KINDS

_SLICE_VIEWS = frozenset({"from_raw_parts_mut", "slice_from_raw_parts_mut", "from_raw_parts"})


def release_sites(calls: list[Located]) -> list[OwnershipSite]:
    """Calls that give memory back to Rust's allocator, with the pointer released."""
    found = []
    for call in calls:
        called = callee(call)
        if called is None or called.is_method or called.name not in _RELEASING:
            continue
        qualified = called.qualified
        if qualified not in _RELEASES or given_up_again(call):
            continue
        first = next(iter(arguments(call)), None)
        if first is None:
            continue
        referenced = _referenced_type(first) if qualified == "Box::from_raw" else None
        declared = declared_pointee(first)
        first = _through_local(first)
        if referenced is not None and _released(first) == (None, None):
            # `let s: &mut Session = (h as *mut Session).as_mut()..; Box::from_raw(s)`
            source = reference_source(first)
            content = referenced or (cast_type(source) if source is not None else None)
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
                element = cast_type(view[1])
                kind = f"vec:{element}" if element else "vec"
                found.append(OwnershipSite(kind, qualified, call, (), *view[0]))
            else:
                content = turbofish(call) or cast_type(first) or declared
                content = content or annotated(call.parent(), "Box")
                kind = f"box:{content}" if content else "box"
                found.append(OwnershipSite(kind, qualified, call, (), *_released(first)))
        elif qualified == "Vec::from_raw_parts" and _string_length(call):
            # the bytes of a C string and its NUL: a `CString`
            found.append(OwnershipSite("cstring", qualified, call, (), *_released(first)))
        else:  # `Vec::from_raw_parts`, `String::from_raw_parts`
            element = "u8" if qualified.startswith("String") else turbofish(call)
            element = element or cast_type(first) or declared or annotated(call.parent(), "Vec")
            kind = f"vec:{element}" if element else "vec"
            found.append(OwnershipSite(kind, qualified, call, (), *_released(first)))
    return found


_NUL_INCLUDED = re.compile(
    r"to_bytes_with_nul\(\)|(?:strlen\(|\.to_bytes\(\)\.len\(\)|count_bytes\(\)).*\+\s*1\b"
)


def _string_length(call: Located) -> bool:
    """Whether `Vec::from_raw_parts(p, n, n)` takes its length from the C string at `p`
    with its NUL (`CStr::from_ptr(p).to_bytes_with_nul().len()`, `strlen(p) + 1`): it
    rebuilds the boxed bytes a `CString` is, and releases what `CString::into_raw`
    handed out (IotaWallet's `free_c_string`)."""
    given = arguments(call)
    if len(given) != 3:
        return False
    length = _through_local(given[1])
    return _NUL_INCLUDED.search(length.text) is not None


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
    """The value a local was bound to: `slice` of `let slice = ..; Box::from_raw(slice)`,
    also when it is made in an unsafe block (`let slice = unsafe { .. };`); for an
    element taken from a field's collection, that field (`_kept_in`)."""
    current = strip(argument)
    if current.type == "unary_expression" and current.node.children[0].type == "*":
        inner = next(iter(current.named_children()), None)  # `*item` of `for item in v.iter()`
        kept = _kept_in(strip(inner)) if inner is not None and inner.type == "identifier" else None
        return kept if kept is not None else argument
    if current.type == "field_expression" and (current.field("field") or current).text == "0":
        holder = current.field("value")  # `wpp.0` of `let wpp = UnsafeUnwindBox(p);`
        declaration = local_declaration(holder.text, holder) if holder is not None else None
        value = declaration.field("value") if declaration is not None else None
        wrapped = wrapped_pointer(value) if value is not None else None
        return wrapped if wrapped is not None else argument
    if current.type != "identifier":
        return argument
    declaration = local_declaration(current.text, current)
    value = declaration.field("value") if declaration is not None else None
    value = unsafe_value(value) if value is not None else None
    if value is None and declaration is None:
        value = _kept_in(current)
    return value if value is not None else argument


# What reaches the value inside a cell or lock: `b.inner.borrow_mut().outputs`.
_CELL_ACCESS = frozenset({"borrow", "borrow_mut", "get_mut", "lock", "unwrap", "expect"})


# Methods that take elements out of a collection, or go over them; and those that
# reach a collection inside a cell or lock (`b.items.borrow_mut().iter()`,
# pulumi-gestalt's context freeing its outputs).
_ELEMENT_TAKERS = frozenset(
    {"pop", "pop_front", "pop_back", "drain", "into_iter", "iter", "iter_mut", "take"}
    | _CELL_ACCESS
)


def _kept_in(element: Located) -> Located | None:
    """`it.name_ptrs` for `p` of `while let Some(p) = it.name_ptrs.pop()` or `for p in
    it.name_ptrs.drain(..)`: pointers a handle kept, given back when it is freed
    (regex-capi's `rure_iter_capture_names_free`)."""
    name = element.text
    for ancestor in element.ancestors():
        kind = ancestor.type
        if kind in ("function_item", "closure_expression"):
            return None
        if kind == "for_expression":
            binding = ancestor
        elif kind in ("while_expression", "if_expression"):
            binding = ancestor.field("condition")
            if binding is None or binding.type != "let_condition":
                continue
        else:
            continue
        pattern, value = binding.field("pattern"), binding.field("value")
        if pattern is None or value is None or not _binds(pattern, name):
            continue
        current = under_methods(value, _ELEMENT_TAKERS)
        if current is None:
            return None
        if current.type in ("reference_expression", "unary_expression"):
            inner = current.field("value") or next(iter(current.named_children()), None)
            current = strip(inner) if inner is not None else current
        return current if current.type == "field_expression" else None
    return None


def _binds(pattern: Located, name: str) -> bool:
    pending = [pattern.node]
    while pending:
        node = pending.pop()
        if node.type == "identifier" and node.text == name.encode():
            return True
        pending.extend(node.named_children)
    return False


def _referenced_type(argument: Located) -> str | None:
    """For a local bound to a reference (`let s: &mut Session = ..`, `let s = p.as_mut()..`),
    the type it refers to ("" when not written); None for anything else."""
    bound = local_binding(strip(argument))
    if bound is None:
        return None
    annotation, value = bound
    if annotation is not None:
        if annotation.type != "reference_type":
            return None
        return type_name(annotation.node.child_by_field_name("type")) or ""
    return "" if value is not None and reference_source(value) is not None else None


_FIELD_READS = frozenset({"field_expression", "unary_expression"})
_ELEMENT_READS = _FIELD_READS | {"index_expression"}


def _released(argument: Located) -> tuple[str | None, str | None]:
    """The name behind a released pointer, and the field it is read from:
    (`p`, None) for `p` or `p as *mut T`; (`buf`, `ptr`) for `buf.ptr` or `(*buf).ptr`;
    (`p`, ELEMENT) for an element of the array `p` points to (`*p.add(i)`, `item`
    of `for &item in slice::from_raw_parts(p, n)`), and (`p`, `ptr`) for its field."""
    current = strip(argument)
    matched = _matched(current)
    if matched is not None:  # `*s` of `match &*value { V(s) => .. }`: a part of `value`
        name, field = _released(matched[0])
        return (name, field or matched[1]) if name is not None else (None, None)
    name = pointer_of(argument)
    if name is not None:
        array = _array_of_element(current) if current.type == "identifier" else None
        return (array, ELEMENT) if array is not None else (name, None)
    if current.type == "unary_expression" and current.node.children[0].type == "*":
        inner = next(iter(current.named_children()), None)
        stepped = under_methods(inner, _SAME_POINTER) if inner is not None else None
        if stepped is not None and stepped.type == "identifier":
            return _array_of_element(stepped) or stepped.text, ELEMENT
    if current.type == "self":  # a method giving back its own allocation
        return "self", None
    base, field = _under_fields(current)
    if base is None or base.type not in ("identifier", "self"):
        return None, None
    if field is not None and base.type == "identifier" and (array := _array_of_element(base)):
        return array, field  # `b.ids` of `for b in slice::from_raw_parts_mut(bufs, n)`
    if field is not None and base.type == "identifier":
        # `e.span` of `let e = &*res.messages.add(i);`: a field of memory `res` reaches.
        value = _through_local(base)
        source = reference_source(value) if value is not base else None
        viewed = _under_fields(source, elements=True)[0] if source is not None else None
        if viewed is not None and viewed.type == "identifier":
            return viewed.text, field
        unboxed = _unboxed(value) if value is not base else None
        if unboxed is not None:
            return unboxed, field
    return base.text, field


# What a pattern binds that is no variant of the crate's types.
_NOT_PAYLOADS = frozenset({"Some", "Ok", "Err", "0"})


def _matched(pointer: Located) -> tuple[Located, str] | None:
    """The value a match arm or `if let` took apart to bind `s` of `s` or `*s`, under
    references and dereferences, with the variant named (bindings.matched_value)."""
    if pointer.type == "unary_expression" and pointer.text.startswith("*"):
        pointer = strip(next(iter(pointer.named_children()), pointer))
    found = matched_value(pointer) if pointer.type == "identifier" else None
    if found is None or found[1] in _NOT_PAYLOADS:
        return None  # `Some(p) = p.as_mut()` is the pointer itself, not a part of it
    source = strip(unsafe_value(found[0]) or found[0])
    while source.type in ("reference_expression", "unary_expression"):
        inner = source.field("value") or next(iter(source.named_children()), None)
        if inner is None or (source.type == "unary_expression" and not source.text.startswith("*")):
            return None
        source = strip(inner)
    return source, found[1]


# What goes over a slice's elements in a `for` loop: `slice.iter_mut()`, `&mut *slice`.
_OVER_ELEMENTS = frozenset({"iter", "iter_mut", "into_iter", "copied", "cloned"})


def _array_of_element(binding: Located) -> str | None:
    """The pointer a `for` loop's binding takes the elements of: `p` for `item` of
    `for item in slice.iter_mut()` (or `&mut *slice`) with `let slice =
    slice::from_raw_parts_mut(p, n)`, or of `for item in slice::from_raw_parts(p, n)`."""
    name = binding.text
    for ancestor in binding.ancestors():
        if ancestor.type in ("function_item", "closure_expression"):
            return None
        if ancestor.type != "for_expression":
            continue
        pattern, value = ancestor.field("pattern"), ancestor.field("value")
        if pattern is None or value is None or not _binds(pattern, name):
            continue
        current = under_methods(value, _OVER_ELEMENTS)
        while current is not None and current.type in ("reference_expression", "unary_expression"):
            inner = current.field("value") or next(iter(current.named_children()), None)
            current = strip(inner) if inner is not None else None
        if current is not None and current.type == "identifier":
            current = strip(_through_local(current))
        view = _slice_view(current) if current is not None else None
        return view[0][0] if view is not None and view[0][1] is None else None
    return None


def _unboxed(value: Located) -> str | None:
    """`p` of `let r = Box::from_raw(p);` or `*Box::from_raw(p)`: a field of the struct a
    free function unboxes is released with it (`CString::from_raw(r.error)`)."""
    current = strip(value)
    if current.type == "unary_expression" and current.text.startswith("*"):
        inner = next(iter(current.named_children()), None)
        current = strip(inner) if inner is not None else current
    if current.type != "call_expression":
        return None
    called = callee(current)
    if called is None or called.is_method or called.qualified != "Box::from_raw":
        return None
    first = next(iter(arguments(current)), None)
    return pointer_of(first) if first is not None else None


def _under_fields(expression: Located, elements: bool = False) -> tuple[Located | None, str | None]:
    """The value under field reads and dereferences, and the fields read of it: (`buf`,
    `ptr`) of `(*buf).ptr`, (`s`, `parts.shapes`) of `s.parts.borrow_mut().shapes`
    (through cells and locks); with `elements`, also under indexing and pointer
    steps: (`res`, `messages`) of `res.messages.add(i)`."""
    current, fields = strip(expression), []
    kinds = _ELEMENT_READS if elements else _FIELD_READS
    while True:
        stepped = under_methods(current, _SAME_POINTER if elements else _CELL_ACCESS)
        if stepped is None:
            return None, None
        current = stepped
        if current.type not in kinds:
            return current, ".".join(reversed(fields)) or None
        if current.type == "field_expression":
            read = current.field("field")
            fields.append(read.text if read is not None else "")
        inner = current.field("value") or next(iter(current.named_children()), None)
        if inner is None:
            return None, None
        current = strip(inner)


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


_BOXED = re.compile(r"(?:Option<)?Box<(\w+)>>?")


def dropped_box_parameters(bodies: RustBodies, function: Node) -> list[Release]:
    """Parameters `Box<T>` / `Option<Box<T>>` a function takes and drops: unnamed
    (`_error`), unused, or given to `drop(..)`. cbindgen's idiom for a free function
    (`fn df_error_free(_error: Option<Box<DFError>>) {}`): C passes the pointer it got
    from `Box::into_raw`, and Rust frees it when the box goes out of scope."""
    listed = function.child_by_field_name("parameters")
    body = function.child_by_field_name("body")
    if listed is None or body is None:
        return []
    found = []
    parameters = [p for p in listed.named_children if p.type in PARAMETER_KINDS]
    for position, parameter in enumerate(parameters):
        pattern, written = (
            parameter.child_by_field_name("pattern"),
            parameter.child_by_field_name("type"),
        )
        matched = _BOXED.fullmatch(re.sub(r"\s+", "", text(written))) if written else None
        if matched is None or pattern is None or pattern.type != "identifier":
            continue
        name = text(pattern)
        if name.startswith("_") or _only_dropped(text(body), name):
            kind = f"box:{matched.group(1)}"
            location = bodies.source.location(parameter)
            found.append(Release(kind, location, position, name, f"`{name}` dropped"))
    return found


def _only_dropped(body: str, name: str) -> bool:
    """Whether the body names `name` only to drop it (or never)."""
    uses = re.findall(rf"(?<![\w.]){re.escape(name)}\b", body)
    drops = re.findall(rf"\bdrop\(\s*{re.escape(name)}\s*\)", body)
    return len(uses) == len(drops)
