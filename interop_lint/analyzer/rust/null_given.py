"""A null check that leaves only under a condition, and the uses where it holds (RS102).

C APIs let callers pass `(NULL, 0)` for an empty array. An export then
rejects a null pointer only when the length says there is data, and reads
it only then:

    if data.is_null() && len > 0 { return ERR; }
    let values = if len > 0 { slice::from_raw_parts(data, len) } else { &[] };

`if p.is_null() && C { leave }` makes `p` non-null wherever `C` holds: in the
branch of an `if` whose condition implies `C` (`len != 0`, `0 < len`, the
`else` of `len == 0`), or after a statement that leaves unless `C` holds
(`if len == 0 { return .. }`). A use of `p` where `C` may not hold (`(NULL,
0)` read anyway) stays unchecked: `from_raw_parts(NULL, 0)` is undefined
behaviour.
"""

from __future__ import annotations

from collections.abc import Callable

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import (
    binary_operator,
    strip,
    unary_operand,
    unary_operator,
)
from interop_lint.analyzer.rust.null_conditions import nonnull_when

Diverges = Callable[[Located], bool]

# `n OP 0` that says `n != 0` when true, and when false.
_NONZERO_WHEN_TRUE = {(">", "0"), ("!=", "0"), (">=", "1")}
_NONZERO_WHEN_FALSE = {("==", "0"), ("<", "1"), ("<=", "0")}
_MIRRORED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


def checked_given(use: Located, name: str, diverges: Diverges) -> bool:
    """Whether an earlier `if name.is_null() && C { leave }` of an enclosing block
    protects `use`: `C` holds wherever `use` runs."""
    child = use
    for ancestor in use.ancestors():
        if ancestor.type in ("function_item", "closure_expression"):
            return False
        if ancestor.type == "block" and child.fragment is ancestor.fragment:
            for statement in ancestor.named_children():
                if statement.start >= child.start:
                    break
                condition = _guard_condition(statement, name, diverges)
                if condition is not None and _holds_at(use, statement, condition, diverges):
                    return True
        child = ancestor
    return False


def _guard_condition(statement: Located, name: str, diverges: Diverges) -> Located | None:
    """`C` of `if name.is_null() && C { leave }` (either order), or None."""
    current = _if_without_else(statement)
    if current is None:
        return None
    condition, consequence = current.field("condition"), current.field("consequence")
    if condition is None or consequence is None or not diverges(consequence):
        return None
    condition = strip(condition)
    if condition.type != "binary_expression" or binary_operator(condition) != "&&":
        return None
    left, right = condition.field("left"), condition.field("right")
    for check, other in ((left, right), (right, left)):
        if check is not None and name in nonnull_when(check, False):
            return other
    return None


def _holds_at(use: Located, guard: Located, condition: Located, diverges: Diverges) -> bool:
    """Whether `condition` holds at `use`, which comes after the statement `guard`:
    a branch it runs in, or a statement between them that leaves unless it holds."""
    child = use
    for ancestor in use.ancestors():
        if ancestor.type == "if_expression":
            test = ancestor.field("condition")
            if child == ancestor.field("consequence") and _implies(test, True, condition):
                return True
            if child.type == "else_clause" and _implies(test, False, condition):
                return True
        if ancestor.type == "block":
            for statement in ancestor.named_children():
                if statement.start >= child.start:
                    break
                if statement.start > guard.start and _leaves_unless(statement, condition, diverges):
                    return True
        if ancestor.contains(guard):
            return False
        child = ancestor
    return False


def _leaves_unless(statement: Located, condition: Located, diverges: Diverges) -> bool:
    """`if len == 0 { return .. }`: execution gets past it only when `condition` holds."""
    current = _if_without_else(statement)
    if current is None:
        return False
    consequence = current.field("consequence")
    return (
        consequence is not None
        and diverges(consequence)
        and _implies(current.field("condition"), False, condition)
    )


def _if_without_else(statement: Located) -> Located | None:
    """The `if` without `else` a statement is (`if C { .. }`), or None."""
    inner = statement.named_children()[0] if statement.node.named_child_count else None
    current = strip(inner) if statement.type == "expression_statement" and inner else None
    if current is None or current.type != "if_expression" or current.field("alternative"):
        return None
    return current


def _implies(test: Located | None, truth: bool, wanted: Located) -> bool:
    """Whether `test` evaluating to `truth` makes `wanted` true: the same condition,
    a conjunct of it, or the same `n != 0` spelled another way."""
    if test is None:
        return False
    test, truth = _without_negations(test, truth)
    if test.type == "binary_expression" and binary_operator(test) == ("&&" if truth else "||"):
        return any(_implies(part, truth, wanted) for part in test.named_children())
    core, polarity = _without_negations(wanted, True)
    if test.text == core.text and truth == polarity:
        return True
    subject = _nonzero_subject(test, truth)
    return subject is not None and subject == _nonzero_subject(wanted, True)


def _without_negations(condition: Located, truth: bool) -> tuple[Located, bool]:
    """`!!(x)` evaluating to `truth` is `x` evaluating to it; `!x` to the opposite."""
    current = strip(condition)
    while unary_operator(current) == "!":
        operand = unary_operand(current)
        if operand is None:
            break
        current, truth = strip(operand), not truth
    return current, truth


def _nonzero_subject(test: Located, truth: bool) -> str | None:
    """`n` when `test` evaluating to `truth` says `n != 0` (`n > 0`, `0 < n`, `!(n == 0)`)."""
    test, truth = _without_negations(test, truth)
    if test.type != "binary_expression":
        return None
    left, right, operator = test.field("left"), test.field("right"), binary_operator(test)
    if left is None or right is None or operator not in _MIRRORED:
        return None
    if left.type == "integer_literal":  # `0 < n` is `n > 0`
        left, right, operator = right, left, _MIRRORED[operator]
    table = _NONZERO_WHEN_TRUE if truth else _NONZERO_WHEN_FALSE
    if right.type != "integer_literal" or (operator, right.text) not in table:
        return None
    return strip(left).text
