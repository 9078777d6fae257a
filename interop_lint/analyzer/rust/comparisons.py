"""Comparisons as facts about lengths (RS101, bounds.py).

`v.len() > i` and `i < v.len()` say `i < v.len()`; a comparison with a plain
variable (`n <= buffer_len`) says the same of that variable's value, for a
slice whose length it is (lengths.sized_by).
"""

from __future__ import annotations

from collections.abc import Container

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import callee, strip
from interop_lint.analyzer.rust.lengths import VALUE_OF, Fact, bound_of, flat

# `len OP bound` holding, as a fact about bound; the negation flips the operator.
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def comparison_fact(comparison: Located, operator: str, holds: bool) -> Fact | None:
    if operator not in _NEGATED:
        return None
    left, right = comparison.field("left"), comparison.field("right")
    if left is None or right is None:
        return None
    if not holds:
        operator = _NEGATED[operator]
    mirrored = _MIRRORED[operator]
    # `v.len() > i`, `i < v.len()`; else a fact about a variable (lengths.sized_by):
    # `n <= buffer_len` read as `buffer_len >= n`.
    readings = (
        (method_of(strip(left), "len"), right, operator),
        (method_of(strip(right), "len"), left, mirrored),
        (_variable(right), left, mirrored),
        (_variable(left), right, operator),
    )
    for subject, other, reading in readings:
        if subject is None:
            continue
        bound = bound_of(strip(other).node)
        if reading == ">":
            return Fact(subject, bound, True)
        if reading in (">=", "=="):
            return Fact(subject, bound, False)
        if reading == "!=" and bound == 0:
            return Fact(subject, 0, True)
    return None


def _variable(side: Located) -> str | None:
    side = strip(side)
    return VALUE_OF + side.text if side.type == "identifier" else None


def method_of(expression: Located | None, method: str) -> str | None:
    """`v` for `v.len()` (method `len`): the receiver of that argument-less call."""
    receiver = receiver_of(expression, (method,))
    return flat(receiver.node) if receiver is not None else None


def receiver_of(expression: Located | None, methods: Container[str]) -> Located | None:
    """`v` of `v.m()` for an argument-less call of one of `methods`."""
    if expression is None or expression.type != "call_expression":
        return None
    called = callee(expression)
    given = expression.node.child_by_field_name("arguments")
    if called is None or called.name not in methods or called.receiver is None:
        return None
    if given is not None and given.named_child_count:
        return None
    return called.receiver
