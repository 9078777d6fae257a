"""Raw-pointer parameters, the uses that need them valid, and null checks (RS102, RS103).

A use needs the pointer non-null: `*p` (so `&*p`, `&mut *p`, `(*p).f`),
`CStr::from_ptr(p)`, `slice::from_raw_parts(_mut)(p, n)`, `Box::from_raw(p)`,
`CString::from_raw(p)`, `Vec::from_raw_parts(p, ..)`, `ptr::read/write(p)`,
`p.read()`, `p.write(v)`, either pointer of `ptr::copy(_nonoverlapping)(src, dst, n)`
and `dst.copy_from(src, n)`, `ptr::write_bytes(p, ..)`; also through `p as *const T`,
`p.cast()`, `p.add(n)`.

A check protects a use when it comes first on every path (nullness.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator

from msgspec import Struct
from msgspec.structs import replace
from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import is_shadowed
from interop_lint.analyzer.rust.body import Fragment, Located, RustBodies, macro_name
from interop_lint.analyzer.rust.expressions import (
    arguments,
    callee,
    raw_callee_in,
    strip,
    unary_operand,
    unary_operator,
)
from interop_lint.analyzer.rust.pointer_copies import (
    copied_at,
    copies_checked_in,
    local_copies,
    pointer_of,
)
from interop_lint.analyzer.rust.scan import CALL, DEREF, LET, MACRO
from interop_lint.analyzer.rust.syntax import PARAMETER_KINDS

# `Type::function(..)` calls that read, write or free through the arguments at
# these positions: `ptr::copy_nonoverlapping(src, dst, n)` needs both non-null even
# when `n` is 0, as `slice::from_raw_parts` does.
_FIRST = frozenset({0})
_FIRST_TWO = frozenset({0, 1})
_NEEDS_VALID = {
    "CStr::from_ptr": _FIRST,
    "slice::from_raw_parts": _FIRST,
    "slice::from_raw_parts_mut": _FIRST,
    "Box::from_raw": _FIRST,
    "CString::from_raw": _FIRST,
    "Vec::from_raw_parts": _FIRST,
    "String::from_raw_parts": _FIRST,
    "ptr::read": _FIRST,
    "ptr::write": _FIRST,
    "ptr::read_unaligned": _FIRST,
    "ptr::write_unaligned": _FIRST,
    "ptr::read_volatile": _FIRST,
    "ptr::write_volatile": _FIRST,
    "ptr::copy": _FIRST_TWO,
    "ptr::copy_nonoverlapping": _FIRST_TWO,
    "ptr::swap": _FIRST_TWO,
    "ptr::swap_nonoverlapping": _FIRST_TWO,
    "ptr::write_bytes": _FIRST,
    "ptr::replace": _FIRST,
    "ptr::drop_in_place": _FIRST,
}
# The same called by a name `use` brought in (`copy_nonoverlapping(src, dst, n)`);
# only names no other common function has.
_BARE_NEEDS_VALID = {
    "from_raw_parts": _FIRST,
    "from_raw_parts_mut": _FIRST,
    "copy_nonoverlapping": _FIRST_TWO,
    "write_bytes": _FIRST,
}
# Pointer methods that read or write through the receiver (`p.read()`, `p.write(v)`)
# with at most this many arguments, and the arguments that are pointers used too
# (`dst.copy_from_nonoverlapping(src, n)`).
_NEEDS_VALID_RECEIVER: dict[str, tuple[int, frozenset[int]]] = {
    "read": (0, frozenset()),
    "write": (1, frozenset()),
    "read_unaligned": (0, frozenset()),
    "write_unaligned": (1, frozenset()),
    "read_volatile": (0, frozenset()),
    "write_volatile": (1, frozenset()),
    "copy_from": (2, _FIRST),
    "copy_from_nonoverlapping": (2, _FIRST),
    "copy_to": (2, _FIRST),
    "copy_to_nonoverlapping": (2, _FIRST),
    "write_bytes": (2, frozenset()),
    "drop_in_place": (0, frozenset()),
    "replace": (1, frozenset()),  # `ptr::replace`: reads the old value, writes the new
    "swap": (1, _FIRST),
}
# The names of the calls above.
_USING_NAMES = (
    frozenset(q.rsplit("::", 1)[1] for q in _NEEDS_VALID)
    | _BARE_NEEDS_VALID.keys()
    | _NEEDS_VALID_RECEIVER.keys()
)


class PointerParameter(Struct, frozen=True):
    name: str
    node: Node  # the whole parameter
    position: int  # among the parameters, `self` counted (comments and attributes not)


def pointer_parameters(
    function: Node, is_pointer: Callable[[Node], bool]
) -> list[PointerParameter]:
    """The raw-pointer parameters of a function bound to a plain name. `is_pointer`
    says whether a written type is a raw pointer, aliases resolved as the caller can:
    through the crate (`TypeNames.is_raw_pointer`) or the file's own `type` items."""
    parameters = function.child_by_field_name("parameters")
    listed = parameters.named_children if parameters is not None else ()
    found = []
    for position, parameter in enumerate(p for p in listed if p.type in PARAMETER_KINDS):
        if parameter.type != "parameter":
            continue
        pattern = parameter.child_by_field_name("pattern")
        kind = parameter.child_by_field_name("type")
        if pattern is None or kind is None or pattern.type != "identifier":
            continue
        if is_pointer(kind):
            found.append(PointerParameter(text(pattern), parameter, position))
    return found


_AS_REFERENCE = frozenset({"as_mut", "as_ref"})


def reference_source(value: Located) -> Located | None:
    """The pointer a reference is made from inside a local's value: `p` of
    `p.as_mut()`, `(p as *mut T).as_ref()`, `&mut *p`; the first name given to a macro
    (`try_mut_from_ptr!(p, ..)`), whose expansion cannot be read."""
    pending = [value]
    while pending:
        current = pending.pop(0)
        if current.type == "call_expression":
            called = callee(current)
            if called is not None and called.name in _AS_REFERENCE and called.receiver is not None:
                return called.receiver
        elif current.type == "reference_expression":
            inner = strip(current.field("value") or current)
            if inner.type == "unary_expression" and inner.text.startswith("*"):
                return next(iter(inner.named_children()), None)
        elif current.type == "macro_invocation":
            tokens = current.node.named_children[-1] if current.node.named_child_count else None
            first = (
                tokens.named_children[0]
                if tokens is not None and tokens.named_child_count
                else None
            )
            if first is not None and first.type == "identifier":
                return Located(first, current.fragment)
        pending += current.named_children()
    return None


class PointerUse(Struct, frozen=True):
    name: str  # the parameter
    at: Located  # the expression that needs the pointer valid
    what: str  # how it is written, for messages
    local: str  # the name used there: the parameter, or a local copy (`let q = p.cast()`)
    # the other locals holding the same pointer there: a null check of any of them
    # covers the use (rpm-sequoia checks `let p = out;` and then writes through `out`)
    copies: tuple[str, ...] = ()

    def held_by(self) -> set[str]:
        """Every name that holds the pointer at the use."""
        return {self.name, self.local, *self.copies}


def pointer_uses(bodies: RustBodies, function: Node, parameters: set[str]) -> Iterator[PointerUse]:
    """Every use of one of `parameters` (or of a local copy) that needs the pointer
    valid, in file order (found once per function and parameters, for RS102 and RS103)."""
    key = ("pointer uses", function.id, frozenset(parameters))
    memo = bodies.file.memo
    if key not in memo:
        memo[key] = find_pointer_uses(bodies, function, parameters, _may_use, used_pointers)
    yield from memo[key]  # type: ignore[attr-defined]


# Methods that make a reference of a pointer, or None for null: no use RS102 reports,
# but a read of any other invalid pointer (RS103, clippy's `not_unsafe_ptr_arg_deref`).
_REFERENCING = frozenset({"as_ref", "as_mut", "as_uninit_ref", "as_uninit_mut"})


def referenced_pointers(
    bodies: RustBodies, function: Node, parameters: set[str]
) -> list[PointerUse]:
    """`p.as_ref()` / `p.as_mut()` of one of `parameters` (or a local copy)."""

    def may_use(node: Node, fragment: Fragment, kind: int) -> bool:
        called = raw_callee_in(node, fragment) if kind == CALL else None
        return called is not None and called[0] in _REFERENCING and called[2] is not None

    def used(node: Located) -> list[tuple[str, Located]]:
        called = callee(node)
        if called is None or called.receiver is None or arguments(node):
            return []
        name = pointer_of(called.receiver) if called.name in _REFERENCING else None
        return [(name, node)] if name else []

    return find_pointer_uses(bodies, function, parameters, may_use, used)


# (pointer, the use as expanded) of the pointers an invocation of a crate macro
# uses unchecked (null_macros.InvocationNullChecks.unchecked_uses).
MacroUses = Callable[[Located], list[tuple[str, str]]]


def pointers_used_by_macros(
    bodies: RustBodies, function: Node, parameters: set[str], uses_of: MacroUses
) -> list[PointerUse]:
    """The invocations of crate macros in `function` that use one of `parameters` (or a
    local copy) unchecked: `iter_to_array!(it, len, f)` writing `*$len`."""

    def may_use(node: Node, fragment: Fragment, kind: int) -> bool:
        # Most invocations (`format!`, `vec!`) are no crate macro that uses a pointer:
        # the function's locals are read only when one is.
        return kind == MACRO and bool(uses_of(Located(node, fragment)))

    def used(node: Located) -> list[tuple[str, Located]]:
        return [(name, node) for name, _ in uses_of(node)]

    found = []
    for use in find_pointer_uses(bodies, function, parameters, may_use, used):
        written = dict(uses_of(use.at)).get(use.local, use.what)
        found.append(replace(use, what=f"{written}` in `{macro_name(use.at.node)}!"))
    return found


def pointers_forwarded(
    bodies: RustBodies, function: Node, parameters: set[str]
) -> list[PointerUse]:
    """The calls of free or associated functions (`f(p)`, `Type::f(p)`) that pass one of
    `parameters` (or a local copy) as an argument: what a helper hands on to another."""

    def may_use(node: Node, fragment: Fragment, kind: int) -> bool:
        called = raw_callee_in(node, fragment) if kind == CALL else None
        return called is not None and called[2] is None

    def used(node: Located) -> list[tuple[str, Located]]:
        called = callee(node) if node.type == "call_expression" else None
        if called is None or called.receiver is not None:
            return []
        passed = [(pointer_of(a), a) for a in arguments(node)]
        return [(name, argument) for name, argument in passed if name]

    return find_pointer_uses(bodies, function, parameters, may_use, used)


def find_pointer_uses(
    bodies: RustBodies,
    function: Node,
    parameters: set[str],
    may_use: Callable[[Node, Fragment, int], bool],
    used: Callable[[Located], list[tuple[str, Located]]],
) -> list[PointerUse]:
    """The nodes of `function` that `may_use` picks (by kind, cheaply) and `used` reads
    as uses of one of `parameters` or of a local copy, in file order."""
    body = function.child_by_field_name("body")
    if body is None or not parameters:
        return []
    scanned = bodies.scan  # every call, `let` and `*p` of the file, in file order
    first = bisect_left(scanned.use_starts, body.start_byte)
    last = bisect_left(scanned.use_starts, body.end_byte)
    uses = scanned.uses[first:last]
    candidates = [Located(n, f) for n, f, kind in uses if may_use(n, f, kind)]
    if not candidates:
        return []
    copies = local_copies([Located(n, f) for n, f, kind in uses if kind == LET], parameters)
    groups: dict[str, set[str]] = {p: {p} for p in parameters}
    for local, bindings in copies.items():
        for _, parameter in bindings:
            groups[parameter].add(local)
    bound = bodies.scan.function(function)  # the names it may bind
    # copies whose check would cover a use of another name for the same pointer
    checked_copies = copies_checked_in(function, copies)
    found = []
    for node in candidates:
        for name, target in used(node):
            parameter = name if name in parameters else copied_at(copies, name, node.start)
            if parameter is None:
                continue
            if bodies.function_of(node) != function:
                continue  # a function declared inside this one
            if not is_shadowed(name, target, _same_pointer(groups[parameter]), bound):
                held = sorted(
                    local
                    for local in checked_copies - {name}
                    if copied_at(copies, local, node.start) == parameter
                )
                found.append(PointerUse(parameter, node, _describe(node), name, tuple(held)))
    found.sort(key=lambda use: use.at.start)
    return found


def _may_use(node: Node, fragment: Fragment, kind: int) -> bool:
    """Whether `used_pointers` can find something in `node`, by its kind and name."""
    if kind == DEREF:
        return True
    if kind != CALL:
        return False
    called = raw_callee_in(node, fragment)
    return called is not None and called[0] in _USING_NAMES


def used_pointers(node: Located) -> list[tuple[str, Located]]:
    """(pointer name, its expression) that `node` needs valid."""
    if node.type == "unary_expression" and unary_operator(node) == "*":
        operand = unary_operand(node)
        name = pointer_of(operand) if operand is not None else None
        return [(name, operand)] if name and operand is not None else []
    if node.type != "call_expression":
        return []
    called = callee(node)
    if called is None:
        return []
    passed = arguments(node)
    if called.receiver is not None:
        taken = _NEEDS_VALID_RECEIVER.get(called.name)
        if taken is None or len(passed) > taken[0]:
            return []
        used = [called.receiver, *(a for i, a in enumerate(passed) if i in taken[1])]
    else:
        positions = _NEEDS_VALID.get(called.qualified)
        if positions is None and called.qualifier is None:
            positions = _BARE_NEEDS_VALID.get(called.name)
        used = [a for i, a in enumerate(passed) if i in (positions or ())]
    named = [(pointer_of(a), a) for a in used]
    return [(name, a) for name, a in named if name]


def _same_pointer(names: set[str]) -> Callable[[Located], bool]:
    """`let p = p.cast::<T>();`, `let q = p as *mut T;`: still the parameter's pointer."""
    return lambda value: pointer_of(value) in names


def _describe(node: Located) -> str:
    flat = " ".join(node.text.split())
    return flat if len(flat) <= 48 else flat[:47] + "…"
