"""A null check that leaves only under a condition, and the uses where it holds (RS102).

C APIs let callers pass `(NULL, 0)` for an empty array. An export then
rejects a null pointer only when the length says there is data, and reads
it only then:

    if data.is_null() && len > 0 { return ERR; }
    let values = if len > 0 { slice::from_raw_parts(data, len) } else { &[] };

`if p.is_null() && C { leave }` makes `p` non-null wherever `C` holds: in the branch
of an `if` whose condition implies `C` (`len != 0`, `0 < len`, the `else` of `len ==
0`; `!v.is_empty()` is `v.len() != 0`), or after a statement that leaves unless `C`
holds (`if len == 0 { return .. }`), or in the body of a loop that runs only when
`C` holds (`for i in 0..len`, `while i < len`, or over a slice made with
`from_raw_parts(out, len)`), or a closure an iterator adapter runs per item of one
(`(0..len).map(|i| *p.add(i))`). A use of `p` where `C` may not hold (`(NULL, 0)`
read anyway) stays unchecked: `from_raw_parts(NULL, 0)` is undefined behaviour.
"""

from __future__ import annotations

from collections.abc import Callable

from interop_lint.analyzer.rust.bindings import let_value
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import (
    arguments,
    binary_operator,
    call_given,
    callee,
    strip,
    unary_operand,
    unary_operator,
    unsafe_value,
)
from interop_lint.analyzer.rust.lengths import range_parts
from interop_lint.analyzer.rust.null_conditions import nonnull_when

Diverges = Callable[[Located], bool]

# `n OP 0` that says `n != 0` when true, and when false.
_NONZERO_WHEN_TRUE = {(">", "0"), ("!=", "0"), (">=", "1")}
_NONZERO_WHEN_FALSE = {("==", "0"), ("<", "1"), ("<=", "0")}
_MIRRORED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}

# Iterator adapters that yield nothing from an empty input: a loop over them
# runs only when the collection under them has elements.
_EMPTY_PRESERVING = frozenset(
    {
        "iter",
        "iter_mut",
        "into_iter",
        "enumerate",
        "copied",
        "cloned",
        "rev",
        "skip",
        "take",
        "step_by",
        "chunks",
        "chunks_exact",
        "chunks_mut",
        "chunks_exact_mut",
        "windows",
        "zip",
        "map",
        "filter",
    }
)
_SLICE_MAKERS = frozenset({"from_raw_parts", "from_raw_parts_mut"})
# How many `let n = len as usize;` renamings are followed back to the length.
_MAX_RENAMES = 4


def checked_given(use: Located, name: str, diverges: Diverges) -> bool:
    """Whether an earlier `if name.is_null() && C { leave }` of an enclosing block
    protects `use`: `C` holds wherever `use` runs."""
    child = use
    for ancestor in use.ancestors():
        if ancestor.type == "function_item":
            return False  # a closure runs after the guard too (`catch_unwind(|| ..)`)
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
    """`C` of `if name.is_null() && C { leave }` (either order, maybe one of the
    alternatives of `||`), or None."""
    current = _if_without_else(statement)
    if current is None:
        return None
    condition, consequence = current.field("condition"), current.field("consequence")
    if condition is None or consequence is None or not diverges(consequence):
        return None
    # `if out.is_null() || p.is_null() && C { leave }`: each alternative leaves.
    alternatives = [strip(condition)]
    while alternatives:
        current = alternatives.pop()
        operator = binary_operator(current) if current.type == "binary_expression" else ""
        left, right = current.field("left"), current.field("right")
        if left is None or right is None:
            continue
        if operator == "||":
            alternatives.extend((strip(left), strip(right)))
        elif operator == "&&":
            for check, other in ((left, right), (right, left)):
                if name in nonnull_when(check, False):
                    return other
    return None


def _holds_at(use: Located, guard: Located, condition: Located, diverges: Diverges) -> bool:
    """Whether `condition` holds at `use`, which comes after the statement `guard`:
    a branch it runs in, or a statement between them that leaves unless it holds."""
    child = use
    for ancestor in use.ancestors():
        if ancestor.type in ("if_expression", "while_expression"):
            test = ancestor.field("condition")
            inside = child == ancestor.field("consequence") or child == ancestor.field("body")
            if inside and _implies(test, True, condition):
                return True
            if child.type == "else_clause" and _implies(test, False, condition):
                return True
        in_loop = ancestor.type == "for_expression" and child == ancestor.field("body")
        if in_loop and _iterates_only_when(ancestor.field("value"), condition):
            return True
        if ancestor.type == "closure_expression" and child == ancestor.field("body"):
            # `(0..n).map(|i| *p.add(i))`: run once per item, so never for none
            items = _iterated_by(ancestor)
            if items is not None and _iterates_only_when(items, condition):
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
    subject = _nonzero_subject(test, truth, ordered=True)
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


def _nonzero_subject(test: Located, truth: bool, ordered: bool = False) -> str | None:
    """`n` when `test` evaluating to `truth` says `n != 0` (`n > 0`, `0 < n`, `!(n == 0)`);
    `ordered`: also `i < n` (a loop's or branch's test, not the guard's condition, where
    `i >= n` would let a null pointer through)."""
    test, truth = _without_negations(test, truth)
    if test.type == "call_expression":  # `!name.is_empty()` is `name.len() != 0`
        called = callee(test)
        empty = called is not None and called.name == "is_empty" and not arguments(test)
        receiver = called.receiver if called is not None else None
        return f"{strip(receiver).text}.len()" if empty and receiver and not truth else None
    if test.type != "binary_expression":
        return None
    left, right, operator = test.field("left"), test.field("right"), binary_operator(test)
    if left is None or right is None or operator not in _MIRRORED:
        return None
    if left.type == "integer_literal":  # `0 < n` is `n > 0`
        left, right, operator = right, left, _MIRRORED[operator]
    if ordered and truth and right.type != "integer_literal" and operator in ("<", ">"):
        # `i < n` holding says `n > i >= 0`: lengths and indexes are unsigned.
        return strip(right if operator == "<" else left).text
    table = _NONZERO_WHEN_TRUE if truth else _NONZERO_WHEN_FALSE
    if right.type != "integer_literal" or (operator, right.text) not in table:
        return None
    return strip(left).text


# Iterator methods that run their closure once per item (and never for none).
_PER_ITEM = frozenset(
    {"map", "for_each", "filter", "filter_map", "flat_map", "any", "all", "find", "position"}
    | {"inspect", "try_for_each", "take_while", "skip_while", "map_while", "find_map"}
)


def _iterated_by(closure: Located) -> Located | None:
    """The iterator a closure is handed to, per item (`(0..n)` of `(0..n).map(|i| ..)`)."""
    given = call_given(closure)
    called = given[1] if given is not None else None
    if called is None or called.receiver is None or called.name not in _PER_ITEM:
        return None
    return called.receiver


def _iterates_only_when(iterated: Located | None, condition: Located) -> bool:
    """Whether iterating `iterated` yields anything only when `condition` (`n != 0`)
    holds: it is `0..n`, or a slice made with length `n`, through adapters that
    yield nothing from nothing."""
    wanted = _nonzero_subject(condition, True)
    while iterated is not None and wanted is not None:
        iterated = strip(iterated)
        if iterated.type == "range_expression":
            start, operator, end = range_parts(iterated.node)
            zero = start is not None and start.type == "integer_literal" and start.text == b"0"
            bound = iterated.at(end)
            return zero and operator == ".." and bound is not None and _length_is(bound, wanted)
        if iterated.type == "identifier":
            made = let_value(iterated)
            return made is not None and _slice_of_length(made, wanted)
        called = callee(iterated) if iterated.type == "call_expression" else None
        if called is None or called.receiver is None or called.name not in _EMPTY_PRESERVING:
            return False
        iterated = called.receiver
    return False


def _slice_of_length(value: Located, wanted: str) -> bool:
    """`slice::from_raw_parts(p, n)` (in an `unsafe` block) with `n` the length `wanted`."""
    made = unsafe_value(value)
    made = strip(made) if made is not None else None
    called = callee(made) if made is not None and made.type == "call_expression" else None
    if called is None or called.name not in _SLICE_MAKERS:
        return False
    given = arguments(made)  # type: ignore[arg-type]
    return len(given) == 2 and _length_is(given[1], wanted)


def _length_is(expression: Located, wanted: str) -> bool:
    """Whether `expression` is `wanted`, through casts and `let n = wanted as usize;`."""
    current: Located | None = strip(expression)
    for _ in range(_MAX_RENAMES):
        if current is None:
            return False
        if current.text == wanted:
            return True
        if current.type != "identifier":
            return False
        value = let_value(current)
        current = strip(value) if value is not None else None
    return False
