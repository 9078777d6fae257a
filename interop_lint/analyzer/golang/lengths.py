"""What the comparisons of a function say about a slice's length (GO104's helpers).

`in_comparison` tells a length that is tested from one that is only computed
with or clamped (`if len(b) < n { n = len(b) }` is no test, see `is_clamp`);
`through_conversions` lets `n := C.size_t(len(s))` keep the length it
converts. `counted_guard` reads the counter idiom of cgo code that builds a C
array: `n` starts at zero and grows by `n++` after each element put in `s`, so
`if n > 0 { &s[0] }` cannot index an empty slice (wasmer-go's
`ImportObject.intoInner`, confluent-kafka-go's `setOAuthBearerToken`).
What a length's value says is in positive_lengths.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import (
    FUNCTION_TYPES,
    arguments,
    is_address_of,
    operator,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.parsing import descendants_of_type, text

_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_ORDERED = frozenset({"<", "<=", ">", ">="})


def through_conversions(file: GoFile, node: Node) -> Node:
    """Up through the conversions of a value (`C.size_t(len(s))`, `int(n)`)."""
    current = outer_paren(node)
    while current.parent is not None and current.parent.type == "argument_list":
        call = current.parent.parent
        if call is None or file.conversion(call) is None:
            break
        current = outer_paren(call)
    return current


def in_comparison(node: Node) -> bool:
    """In a comparison that is no clamp (see `is_clamp`) nor the bound of a counting
    loop (`for i := 0; i < len(a); i++` runs no iteration for an empty `a`, and the code
    after it goes on), or a `switch`. A remainder says nothing of emptiness:
    `len(b)%4 != 0` holds for an empty `b`; nor does a sign test: `if size < 0 {
    return }` lets a size of 0 through."""
    current = node.parent
    while current is not None and current.type in ("parenthesized_expression", "binary_expression"):
        if current.type == "binary_expression" and operator(current) == "%":
            return False
        if current.type == "binary_expression" and operator(current) in _COMPARISONS:
            if _sign_test(current, node) or _rejects_long(current, node):
                return False
            if _two_lengths(current, node):
                return False
            return not is_clamp(current) and not _counting_bound(current)
        current = current.parent
    return current is not None and current.type in (
        "expression_switch_statement",
        "expression_case",
    )


# `x OP 0` that tests the sign only (zero on the non-negative side), and the
# same written `0 OP x`.
_SIGN_TESTS = {("left", "<"), ("left", ">="), ("right", ">"), ("right", "<=")}


def _sign_test(comparison: Node, operand: Node) -> bool:
    """`operand < 0`, `operand >= 0`, `0 > operand`, or a comparison with a negative
    constant (`n == -1`): none tells an empty slice's 0 from a positive length."""
    side, literal = _compared_with(comparison, operand)
    if literal.startswith("-") and literal[1:].isdigit():
        return True
    return literal == "0" and (side, operator(comparison)) in _SIGN_TESTS


# `x OP y` that holds for the larger values of x only, and the same written `y OP x`.
_ABOVE = {("left", ">"), ("left", ">="), ("right", "<"), ("right", "<=")}
# Bounds that make such a comparison a test for non-empty: `len(s) > 0`, `len(s) >= 1`.
_NON_EMPTY_BOUNDS = {">": "0", "<": "0", ">=": "1", "<=": "1"}


def _rejects_long(comparison: Node, operand: Node) -> bool:
    """`if len(sig) > maxLen { return err }`: an upper bound the function leaves on,
    the whole condition of an `if` without `else`; the short lengths go on, 0 among
    them (liboqs-go's `Verify`, portmidi's `Write`)."""
    side, literal = _compared_with(comparison, operand)
    written = operator(comparison)
    if (side, written) not in _ABOVE or literal == _NON_EMPTY_BOUNDS[written]:
        return False
    statement = _sole_condition_of(comparison)
    body = statement.child_by_field_name("consequence") if statement is not None else None
    return _leaves(body)


def _leaves(body: Node | None) -> bool:
    """Whether a block ends by leaving the function: `return ..` or `panic(..)` (blst's
    `if len(qs) != len(ps) || len(qs) == 0 { panic("inputs' lengths mismatch") }`)."""
    statements = statements_of(body) if body is not None else []
    last = statements[-1] if statements else None
    if last is None or last.type == "return_statement":
        return last is not None
    call = last.named_children[0] if last.type == "expression_statement" else None
    if call is None or call.type != "call_expression":
        return False
    callee = call.child_by_field_name("function")
    return callee is not None and text(callee) == "panic"


def _two_lengths(comparison: Node, operand: Node) -> bool:
    """`len(a) != len(b)`: both may be 0 (gorocksdb's column families)."""
    _, other = _compared_with(comparison, operand)
    return other.startswith(("len(", "cap(")) and other.endswith(")")


def equal_length_partner(length: Node) -> Node | None:
    """`b` of `len(a) != len(b)` when the function leaves on it (the whole condition,
    or a term of an `||`, of an `if` whose body ends in `return`): past it `a` is
    as long as `b`, so a check of `b` checks `a` too (go-face's `if len(samples) == 0
    || len(samples) != len(cats) { return }` before `&cats[0]`)."""
    comparison = outer_paren(length).parent
    if comparison is None or comparison.type != "binary_expression" or operator(comparison) != "!=":
        return None
    left, right = comparison.child_by_field_name("left"), comparison.child_by_field_name("right")
    other = unparen(right) if unparen(left) == length else unparen(left)
    if other is None or other == length or other.type != "call_expression":
        return None
    if text(other.child_by_field_name("function")) != "len" or len(arguments(other)) != 1:
        return None
    condition = outer_paren(comparison)
    while condition.parent is not None and condition.parent.type == "binary_expression":
        if operator(condition.parent) != "||":
            return None
        condition = outer_paren(condition.parent)
    statement = condition.parent
    if statement is None or statement.type != "if_statement":
        return None
    if statement.child_by_field_name("condition") != condition:
        return None
    leaves = _leaves(statement.child_by_field_name("consequence"))
    return arguments(other)[0] if leaves else None


def _compared_with(comparison: Node, operand: Node) -> tuple[str, str]:
    """Which side of `comparison` `operand` is ("left", "right" or ""), and the other
    side's text without spaces."""
    left, right = comparison.child_by_field_name("left"), comparison.child_by_field_name("right")
    if left is None or right is None:
        return "", ""
    side = "left" if unparen(left) == operand else "right" if unparen(right) == operand else ""
    other = unparen(right if side == "left" else left)
    if not side or other is None:
        return "", ""
    return side, text(other).replace(" ", "")


def _counting_bound(comparison: Node) -> bool:
    """The condition of a three-clause `for` (`for i := 0; i < len(a); i++`)."""
    outer = outer_paren(comparison)
    parent = outer.parent
    return (
        parent is not None
        and parent.type == "for_clause"
        and parent.child_by_field_name("condition") == outer
    )


def is_clamp(comparison: Node) -> bool:
    """`if len(b) < n { n = len(b) }`: an ordered comparison that is the whole condition
    of an `if` without `else` whose body only assigns to its operands. It bounds one
    value by the other and lets both paths go on: it says nothing about `len(b) > 0`."""
    statement = _sole_condition_of(comparison) if operator(comparison) in _ORDERED else None
    if statement is None:
        return False
    body = statement.child_by_field_name("consequence")
    operands = {
        normal(comparison.child_by_field_name("left")),
        normal(comparison.child_by_field_name("right")),
    }
    statements = statements_of(body)
    if not statements:
        return False
    for child in statements:
        left = child.child_by_field_name("left") if child.type == "assignment_statement" else None
        if left is None or operator(child) != "=" or left.named_child_count != 1:
            return False
        if normal(left.named_children[0]) not in operands:
            return False
    return True


def _sole_condition_of(comparison: Node) -> Node | None:
    """The `if` statement without `else` whose whole condition `comparison` is."""
    condition = outer_paren(comparison)
    statement = condition.parent
    if (
        statement is None
        or statement.type != "if_statement"
        or statement.child_by_field_name("condition") != condition
        or statement.child_by_field_name("alternative") is not None
    ):
        return None
    return statement


def statements_of(block: Node | None) -> list[Node]:
    """The statements of a block (comments left out)."""
    if block is None:
        return []
    items = block.named_children
    if len(items) == 1 and items[0].type == "statement_list":
        items = items[0].named_children
    return [n for n in items if n.type != "comment"]


def counted_guard(file: GoFile, container: Node) -> bool:
    """`if n > 0 { &s[0] }` where the counter `n` starts at zero and only grows by
    `n++` after an element was put in `s` in the same block (`s = append(s, x)` or
    `s[n] = x` before it): `n` counts elements `s` has."""
    wanted = normal(container)
    for condition in guarding_conditions(container):
        for counter in descendants_of_type(condition, "identifier"):
            binding = file.binding(counter)
            if (
                binding is not None
                and _says_positive(file, counter, condition)
                and _counts(file, binding, wanted)
            ):
                return True
    return False


def guarding_conditions(node: Node) -> Iterator[Node]:
    """The conditions of the `if` statements whose body holds `node`, innermost first
    (in its function)."""
    current = node
    while current.parent is not None and current.type not in FUNCTION_TYPES:
        parent = current.parent
        condition = parent.child_by_field_name("condition")
        if (
            parent.type == "if_statement"
            and condition is not None
            and current == parent.child_by_field_name("consequence")
        ):
            yield condition
        current = parent


_POSITIVE = {(">", 0), ("!=", 0), (">=", 1)}  # `n OP k` that holds only for n > 0
_MIRRORED = {">": "<", ">=": "<=", "!=": "!="}


def _says_positive(file: GoFile, counter: Node, condition: Node) -> bool:
    """Whether `condition` holding means `counter > 0`: `n > 0`, `n != 0`, `n >= 1`
    (or mirrored), alone or joined by `&&`."""
    comparison = outer_paren(counter).parent
    if comparison is None or comparison.type != "binary_expression":
        return False
    left, right = comparison.child_by_field_name("left"), comparison.child_by_field_name("right")
    written = operator(comparison)
    if unparen(left) == counter and right is not None:
        bound = file.constant(right)
        tested = (written, bound)
    elif unparen(right) == counter and left is not None:
        bound = file.constant(left)
        tested = (next((k for k, v in _MIRRORED.items() if v == written), ""), bound)
    else:
        return False
    if tested not in _POSITIVE:
        return False
    current = outer_paren(comparison)
    while current != condition:
        parent = current.parent
        if parent is None or parent.type != "binary_expression" or operator(parent) != "&&":
            return False
        current = outer_paren(parent)
    return True


def _counts(file: GoFile, binding: Binding, wanted: str) -> bool:
    """Whether a local starting at zero grows only by `n++` after an element is put in
    the slice spelled `wanted` (see `counted_guard`)."""
    if binding.kind not in ("var", "short") or binding.writes:
        return False
    if binding.value is not None and text(binding.value) != "0":
        return False
    increments = 0
    for read in binding.reads:
        use = read.parent
        if use is None:
            continue
        if use.type == "inc_statement":
            if not _after_an_element(file, use, wanted):
                return False
            increments += 1
        elif use.type == "dec_statement" or is_address_of(use):
            return False
        elif _assigned_to(use):
            return False  # `n += k`, `n -= k`
    return increments > 0


def _assigned_to(use: Node) -> bool:
    statement = use.parent if use.type == "expression_list" else None
    return (
        statement is not None
        and statement.type == "assignment_statement"
        and use == statement.child_by_field_name("left")
    )


def _after_an_element(file: GoFile, increment: Node, wanted: str) -> bool:
    """Whether an earlier statement of the block of `increment` puts an element in the
    slice: `s = append(s, x)` or `s[i] = x`."""
    statement = increment.prev_named_sibling
    while statement is not None:
        if statement.type == "assignment_statement":
            left = statement.child_by_field_name("left")
            right = statement.child_by_field_name("right")
            targets = left.named_children if left is not None else []
            values = right.named_children if right is not None else []
            for target, value in zip(targets, values, strict=False):
                target = unparen(target)
                if target is None:
                    continue
                if (
                    target.type == "index_expression"
                    and normal(target.child_by_field_name("operand")) == wanted
                ):
                    return True
                if normal(target) == wanted and _appends_to(file, value, wanted):
                    return True
        statement = statement.prev_named_sibling
    return False


def _appends_to(file: GoFile, value: Node, wanted: str) -> bool:
    """`append(s, x, ..)`: at least one element added to `s`."""
    value = unparen(value)
    if value is None or not file.builtin_call(value, "append"):
        return False
    args = arguments(value)
    if len(args) < 2:
        return False
    return normal(args[0]) == wanted and not text(args[-1]).endswith("...")


def normal(node: Node | None) -> str:
    return "".join(text(unparen(node)).split())
