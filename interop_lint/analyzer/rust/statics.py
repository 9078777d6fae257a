"""Uses of `static mut` items in a function body (RS107).

A use counts when the name refers to the static (no local binding hides it)
and the access is not obviously serialised: code in a closure run by
`Once::call_once` / `OnceLock::get_or_init`, after the function took a
lock (`.lock()`), or the static's own method that synchronises by itself
(`LAST_ERROR.lock()` of a `static mut` Mutex, `COUNT.fetch_add(1, ..)` of an
atomic) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tree_sitter import Node

from interop_lint.analyzer.rust.bindings import is_shadowed
from interop_lint.analyzer.rust.body import Located, RustBodies
from interop_lint.analyzer.rust.callgraph import CrateCalls
from interop_lint.analyzer.rust.expressions import callee, invocation_name
from interop_lint.analyzer.rust.facts import RustCall

_ONCE = frozenset({"call_once", "call_once_force", "get_or_init", "get_or_try_init"})
_LOCKS = frozenset({"lock", "try_lock"}) | _ONCE


def _is_reference(identifier: Located) -> bool:
    parent = identifier.parent()
    if parent is None:
        return False
    if parent.type == "scoped_identifier":
        return parent.field("name") == identifier  # `crate::STATE`, not `STATE::x`
    # the field side of `STATE.f` / `STATE.m()` is a `field_identifier`: an identifier
    # under a `field_expression` is its value, a use of the static
    return parent.type not in ("let_declaration", "static_item")


def _in_once_closure(use: Located) -> bool:
    for ancestor in use.ancestors():
        if ancestor.type == "function_item":
            return False
        if ancestor.type == "closure_expression":
            holder = ancestor.parent()
            call = holder.parent() if holder is not None else None
            called = callee(call) if call is not None and call.type == "call_expression" else None
            if called is not None and called.name in _ONCE:
                return True
    return False


def static_mut_uses(bodies: RustBodies, function: Node, statics: set[str]) -> list[Located]:
    """Unserialised uses of the named `static mut`s in a function, in file order."""
    body = function.child_by_field_name("body")
    if body is None or not statics:
        return []
    data, start, end = bodies.source.code, body.start_byte, body.end_byte
    if not any(data.find(name.encode(), start, end) >= 0 for name in statics):
        return []  # macro bodies are copies of the file's text: no use anywhere
    uses: list[Located] = []
    found = bodies.captures("(call_expression) @call (identifier) @name", within=body)
    for node in found.get("name", ()):
        if node.node.parent is not None and node.node.parent.type == "token_tree":
            continue  # a token of a macro: its parsed body is searched instead
        if node.text in statics and _is_reference(node) and bodies.function_of(node) == function:
            uses.append(node)
    first_lock = _first_lock(found.get("call", ()))
    bound = bodies.scan.function(function)  # the names it may bind
    found = [
        use
        for use in uses
        if not _serialised(first_lock, use) and not is_shadowed(use.text, use, bound=bound)
    ]
    return sorted(found, key=lambda use: use.start)


def _first_lock(calls: Iterable[Located]) -> int | None:
    """Where the first `.lock()` (or `call_once`, ..) of a function's calls starts."""
    starts = (
        c.start
        for c in calls
        if (called := callee(c)) is not None and called.is_method and called.name in _LOCKS
    )
    return min(starts, default=None)


def _serialised(first_lock: int | None, use: Located) -> bool:
    """A use after the function took a lock, in a closure run once, or the static's own
    synchronised method (`LAST_ERROR.lock()` of a `static mut LAST_ERROR: Mutex<..>`)."""
    return (
        (first_lock is not None and use.start > first_lock)
        or _in_once_closure(use)
        or _synchronised_receiver(use)
    )


# Methods that synchronise by themselves: a `Mutex`'s, an atomic's, a `OnceLock`'s.
_SYNCHRONISED = _LOCKS | frozenset(
    {"load", "store", "fetch_add", "fetch_sub", "fetch_and", "fetch_or", "fetch_xor"}
    | {"fetch_max", "fetch_min", "fetch_update", "compare_exchange", "compare_exchange_weak"}
)


def _synchronised_receiver(use: Located) -> bool:
    """`STATIC.lock()`, `STATIC.fetch_add(1, ..)`: the static is only borrowed shared,
    for a method that synchronises every access itself."""
    access = use.parent()
    call = access.parent() if access is not None and access.type == "field_expression" else None
    if call is None or call.type != "call_expression" or access.field("value") != use:
        return False
    called = callee(call)
    return called is not None and called.is_method and called.name in _SYNCHRONISED


def macro_static_use(
    bodies: RustBodies,
    function: Node,
    macros: Mapping[str, tuple[str, ...]],
    statics: Mapping[str, object],
) -> tuple[Located, str, str] | None:
    """(invocation, static, `name!`) of the first macro the function invokes whose
    `macro_rules!` body names one of the crate's `static mut`s (`macros`: the crate's
    macros by `name!`, with the statics-like names of their bodies)."""
    body = function.child_by_field_name("body")
    if body is None or not macros:
        return None
    found = bodies.captures("(macro_invocation) @macro", within=body)
    for invocation in found.get("macro", ()):
        name = f"{invocation_name(invocation)}!"
        named = next((n for n in macros.get(name, ()) if n in statics), None)
        if named is not None and bodies.function_of(invocation) == function:
            return invocation, named, name
    return None


_MAX_HELPER_DEPTH = 4  # calls between an export and the helper that uses the static


def helper_static_use(
    calls: CrateCalls, start: int, statics: Mapping[str, object]
) -> tuple[RustCall, str, str] | None:
    """(call of the function `start`, helper, static) for the first call that reaches,
    through functions called by name (`set_last_error(..)`, `Errors::set(..)`; methods
    are not followed: their receiver's type is not known), a function of the crate
    using one of the `static mut`s unserialised (`RustFunction.static_uses`)."""
    for call in calls.functions[start][1].calls:
        if call.method:
            continue
        pending = [(index, 0) for index in calls.callees_from(start, call)]
        seen = {start}
        while pending:
            index, depth = pending.pop()
            if index in seen or depth > _MAX_HELPER_DEPTH:
                continue
            seen.add(index)
            function = calls.functions[index][1]
            used = next((name for name in function.static_uses if name in statics), None)
            if used is not None:
                return call, function.name, used
            for inner in function.calls:
                if not inner.method:
                    pending.extend(
                        (callee, depth + 1) for callee in calls.callees_from(index, inner)
                    )
    return None


def call_site(bodies: RustBodies, function: Node, call: RustCall) -> Located | None:
    """The first call expression of `function` that `call` is (by name and owner)."""
    body = function.child_by_field_name("body")
    found = bodies.captures("(call_expression) @call", within=body) if body is not None else {}
    for node in found.get("call", ()):
        called = callee(node)
        same = called is not None and not called.is_method and called.name == call.name
        if same and (call.owner is None or called.qualifier is not None):  # type: ignore[union-attr]
            # After the function took a lock, or in a `call_once` closure, it is
            # serialised as the function's own uses are (`static_mut_uses`).
            return None if _serialised(_first_lock(found.get("call", ())), node) else node
    return None
