"""Calls whose result a function hands to its caller as its own.

A function returns what a helper makes (`fn version() -> *mut c_char {
to_c(V) }`: `result_holder` finds the expression holding a call's result), or
writes it through an out-parameter (`*out = into_handle(session)`:
`written_calls`). The index then gives the function the memory the helper
makes (`RustIndex.owned_return`, `RustIndex.written_allocations`).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator

from tree_sitter import Node

from interop_lint.analyzer.parsing import text, walk
from interop_lint.analyzer.rust.bindings import local_name
from interop_lint.analyzer.rust.body import Fragment, Located
from interop_lint.analyzer.rust.expressions import call_given
from interop_lint.analyzer.rust.facts import RustCall
from interop_lint.analyzer.rust.flow import POINTER_WRITES, destination
from interop_lint.analyzer.rust.typed_kinds import out_parameter_pointee

# Methods whose result is the result of the function they are given by name.
_RESULT_OF_FUNCTION = frozenset(
    {"map", "map_or", "map_or_else", "and_then", "or_else", "unwrap_or_else", "then"}
)


def result_holder(call: Located) -> Located:
    """The expression holding a call's result: the call itself, or for a function
    given by name to `.map_or(null(), to_c_string)` (scroll's libzkp), that method
    call, whose result is the function's."""
    if call.type not in ("identifier", "scoped_identifier"):
        return call
    given = call_given(call)
    if given is not None and given[1].is_method and given[1].name in _RESULT_OF_FUNCTION:
        return given[0]
    return call


def written_calls(
    function: Node,
    parameters: Callable[[], dict[str, tuple[int, Node]]],
    generics: Callable[[], set[str]],
    owner: str | None,
    calls: list[tuple[Node, Fragment, RustCall]],
    aliases: dict[str, Node],
) -> tuple[tuple[RustCall, str, str], ...]:
    """(call, out-parameter, the type it points to) of the calls (plain, not methods)
    whose result the function writes through an out-parameter `out: *mut *mut T`:
    directly (`*out = into_handle(v)`, `out.write(..)`), or bound by a `let` whose
    name it writes (`let h = into_handle(v); *out = h;`). One step only: a walk per
    call through every later use of a local would cost the square of the body."""
    written = function.child_by_field_name("parameters")
    if written is None or b"*mut" not in (written.text or b""):
        return ()
    declared, type_parameters = parameters(), generics()
    outs = {
        name: pointee
        for name in declared
        if (pointee := out_parameter_pointee(name, declared, aliases, type_parameters, owner))
    }
    if not outs:
        return ()
    found, bound = [], {}
    for node, fragment, call in calls:
        reached = destination(result_holder(Located(node, fragment)))
        if reached.kind in ("write", "assign") and reached.target in outs:
            found.append((call, reached.target, outs[reached.target]))
        elif reached.kind == "let" and (name := local_name(reached.at)) is not None:
            bound[name] = call
    if bound:
        for target, name in _out_writes(function, outs):
            if name in bound:
                found.append((bound[name], target, outs[target]))
    return tuple(found)


def _out_writes(function: Node, outs: Container[str]) -> Iterator[tuple[str, str]]:
    """(out-parameter, local) of every `*out = local` and `out.write(local)` (any of
    `POINTER_WRITES`)."""
    for node in walk(function, prune=("function_item", "closure_expression")):
        if node.type == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None or right.type != "identifier":
                continue
            target = left.named_children[0] if left.type == "unary_expression" else None
            if target is not None and text(left)[:1] == "*" and text(target) in outs:
                yield text(target), text(right)
        elif node.type == "call_expression":
            called = node.child_by_field_name("function")
            given = node.child_by_field_name("arguments")
            if called is None or given is None or called.type != "field_expression":
                continue
            receiver = called.child_by_field_name("value")
            values = given.named_children
            if (
                text(called.child_by_field_name("field")) in POINTER_WRITES
                and len(values) == 1
                and values[0].type == "identifier"
                and receiver is not None
                and text(receiver) in outs
            ):
                yield text(receiver), text(values[0])
