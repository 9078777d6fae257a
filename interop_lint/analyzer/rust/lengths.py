"""Lengths and indexes as written: integer bounds, ranges, integer patterns.

The terms bounds.py reasons with: `4` of `v[..4]` or `4usize`, the parts of
`s..e`/`s..=e`, the length a literal slice has, the integers a `match`
pattern on a length covers (`0 | 1`, `2..=5`, `8..`), and the variable a slice
made from a raw pointer has as its length (`sized_by`).
"""

from __future__ import annotations

from typing import NamedTuple

from tree_sitter import Node

from interop_lint.analyzer.rust.bindings import let_value
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import strip

_INTEGER_SUFFIXES = ("usize", "isize", "u64", "u32", "u16", "u8", "i64", "i32", "i16", "i8")


class Fact(NamedTuple):
    """What a check shows about a length: `bound` < `subject.len()` (or <=)."""

    subject: str  # what has the length: `items`, `self.buf`
    bound: int | str  # `4`, or the text of `i`
    strict: bool  # bound < len (else bound <= len)


# Iterators over the elements of a collection, in order: an item's index is its own.
ELEMENT_ITERATORS = frozenset({"iter", "iter_mut", "into_iter"})

# Integers as (low, high) ranges, high None when unbounded.
Lengths = list[tuple[int, int | None]]


def sliced_length(value: Node) -> int | None:
    """4 for `&v[..4]` or `&v[2..6]`: the length of a slice taken with literal bounds
    (taking it panics if `v` is shorter, so the slice has exactly that length)."""
    if value.type == "reference_expression":
        value = value.child_by_field_name("value") or value
    index = value.named_children[-1] if value.type == "index_expression" else None
    if index is None or index.type != "range_expression":
        return None
    start, operator, end = range_parts(index)
    first = bound_of(start) if start is not None else 0
    last = bound_of(end) if end is not None else None
    if not isinstance(first, int) or not isinstance(last, int) or first > last:
        return None
    return last - first + (1 if operator == "..=" else 0)


def index_extent(index: Node) -> int | None:
    """The length an index of constants needs: 3 for `v[2]`, 8 for `v[2..8]`,
    `v[..=7]` or `v[2..4 * 2]`, 2 for `v[2..]`; None for any other index."""
    if index.type != "range_expression":
        value = constant_value(index)
        return value + 1 if value is not None else None
    start, operator, end = range_parts(index)
    first = bound_of(start) if start is not None else 0
    if end is None:  # `v[2..]`
        return first if isinstance(first, int) else None
    last = bound_of(end)
    if not isinstance(first, int) or not isinstance(last, int):
        return None
    last += operator == "..="
    return last if first <= last else None


def range_parts(range_node: Node) -> tuple[Node | None, str, Node | None]:
    """(start, operator, end) of `s..e`, `..e`, `s..`, `s..=e`."""
    start = end = None
    operator = ""
    for child in range_node.children:
        if not child.is_named:
            operator = child.type
        elif operator:
            end = child
        else:
            start = child
    return start, operator, end


def bound_of(node: Node) -> int | str:
    """`4` for `4`, `4usize` or `4 * 32`, else the expression as written."""
    value = constant_value(node)
    return value if value is not None else flat(node)


_ARITHMETIC = {"+": int.__add__, "-": int.__sub__, "*": int.__mul__}


def constant_value(node: Node) -> int | None:
    """The value of a decimal literal (`4`, `4usize`, `1_024`), or of `+`, `-` and
    `*` of them (`4 * 32`, an array length); None for anything else."""
    pending: list[tuple[Node, bool]] = [(node, False)]
    values: list[int] = []
    while pending:  # post-order over the operands, iteratively
        current, operands_done = pending.pop()
        if current.type == "parenthesized_expression" and current.named_child_count == 1:
            pending.append((current.named_children[0], False))
        elif current.type == "integer_literal":
            number = flat(current).replace("_", "")
            for suffix in _INTEGER_SUFFIXES:
                number = number.removesuffix(suffix)
            if not number.isdigit():
                return None
            values.append(int(number))
        elif current.type == "binary_expression":
            operator = current.child_by_field_name("operator")
            apply = _ARITHMETIC.get(operator.type if operator is not None else "")
            left = current.child_by_field_name("left")
            right = current.child_by_field_name("right")
            if apply is None or left is None or right is None:
                return None
            if operands_done:
                second, first = values.pop(), values.pop()
                values.append(apply(first, second))
            else:
                pending += [(current, True), (right, False), (left, False)]
        else:
            return None
    return values[0] if len(values) == 1 else None


def flat(node: Node) -> str:
    return "".join((node.text or b"").decode("utf-8", "replace").split())


def lengths_of(pattern: Node) -> Lengths | None:
    """The integers a pattern matches as (low, high) ranges (high None: unbounded):
    `0 | 1`, `2..=5`, `..4`, `8..`; None for a pattern that is not made of literals."""
    found: Lengths = []
    pending = [pattern]
    while pending:
        node = pending.pop()
        if node.type == "or_pattern":
            pending.extend(node.named_children)
            continue
        if node.type == "integer_literal":
            value = bound_of(node)
            if not isinstance(value, int):
                return None
            found.append((value, value))
            continue
        if node.type != "range_pattern":
            return None
        low, operator, high = range_parts(node)
        first = bound_of(low) if low is not None else 0
        last = bound_of(high) if high is not None else None
        if not isinstance(first, int) or not (last is None or isinstance(last, int)):
            return None
        if last is not None and operator == "..":
            last -= 1
        found.append((first, last))
    return found


def least_left(own: Lengths | None, taken: Lengths) -> int:
    """The least length an arm matching `own` (None: any) gets after earlier arms `taken`."""
    ranges = own if own is not None else [(0, None)]
    candidates = sorted(
        {low for low, _ in ranges} | {high + 1 for _, high in taken if high is not None}
    )
    for length in candidates:
        inside = any(low <= length and (high is None or length <= high) for low, high in ranges)
        if inside and not any(
            low <= length and (high is None or length <= high) for low, high in taken
        ):
            return length
    return 0


# A fact about the value of a variable rather than a length: `n` < `buffer_len`
# is `Fact(VALUE_OF + "buffer_len", "n", True)`.
VALUE_OF = "="
# The subject of a fact "`bound` is `name`" (`let n = v.len();`: `~n`, `v.len()`).
ALIAS = "~"
# Views with the length of what they view: `s.as_bytes()` of a `&str`, `v.as_slice()`.
_SAME_LENGTH_VIEWS = (".as_bytes()", ".as_slice()", ".as_mut_slice()", ".as_str()")


def viewless(subject: str) -> str:
    """`s` of `s.as_bytes()`: what a same-length view views."""
    for view in _SAME_LENGTH_VIEWS:
        if subject.endswith(view):
            return subject[: -len(view)]
    return subject


def with_aliases(facts: list[Fact]) -> list[Fact]:
    """The facts, and each fact about a length's expression restated for a local bound
    to it: `res.len() <= out.len()` as `n <= out.len()` after `let n = res.len();`,
    and a fact about the local's value as one about the length (`n > 0` shows
    `0 < rows.len()`)."""
    aliases = [(f.subject[len(ALIAS) :], f.bound) for f in facts if f.subject.startswith(ALIAS)]
    restated = [
        Fact(f.subject, name, f.strict)
        for name, value in aliases
        for f in facts
        if f.bound == value
    ]
    restated += [
        Fact(value.removesuffix(".len()"), f.bound, f.strict)
        for name, value in aliases
        if isinstance(value, str) and value.endswith(".len()")
        for f in facts
        if f.subject == VALUE_OF + name
    ]
    return facts + restated


_RAW_SLICES = ("from_raw_parts", "from_raw_parts_mut")


def sized_by(subject: Located) -> str | None:
    """`buffer_len` for `out` of `let out = slice::from_raw_parts_mut(buffer, buffer_len);`:
    the variable whose value is the slice's length."""
    if subject.type != "identifier":
        return None
    value = let_value(subject)
    while value is not None and value.type in ("unsafe_block", "block"):
        children = value.named_children()
        value = children[-1] if len(children) == 1 else None  # `unsafe { from_raw_parts(..) }`
    if value is None or value.type != "call_expression":
        return None
    function, arguments = value.field("function"), value.field("arguments")
    name = function.text.rsplit("::", 1)[-1] if function is not None else ""
    given = arguments.named_children() if arguments is not None else []
    length = strip(given[1]) if len(given) == 2 else None  # `len as usize` too
    if name not in _RAW_SLICES or length is None or length.type != "identifier":
        return None
    return length.text
