"""Re-slices that cannot be empty (GO104): `dst[n:cap(dst)]` under `if cap(dst) > n`.

Codecs hand a helper the free tail of their output buffer and the helper
takes `&dst[0]` (valyala/gozstd's `compress` and `decompress`):

    if cap(dst) > dstLen {
        result := compressInternal(cctx, dst[dstLen:cap(dst)], src)
    ...
    bound := int(C.ZSTD_compressBound(C.size_t(len(src)))) + 1
    result := compressInternal(cctx, dst[dstLen:dstLen+bound], src)

A re-slice `x[lo:hi]` holds `hi - lo` elements. It is non-empty when an
enclosing `if` holds `hi > lo` (or `lo < hi`) there, or when its length is
known to be positive: `x[:n]` and `x[lo:lo+n]` with `n` a positive constant,
`e + k`, or a local the function compares (golang/lengths.py
`known_positive`, the test `make([]T, n)` passes). An omitted `hi` is
`len(x)`, or `cap(x)` after `x = x[:cap(x)]`. Nothing else about `hi` and
`lo` is inferred: `buf[:n]` with `n` a count read from somewhere is left to
the rule.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.lengths import guarding_conditions, normal
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.positive_lengths import known_positive
from interop_lint.analyzer.golang.syntax import operator, unparen

_GREATER = {">": False, "<": True}  # operator -> whether `lo OP hi` (mirrored) is written


def reslice_non_empty(file: GoFile, value: Node) -> bool:
    """Whether the re-slice `value` (`x[lo:hi]`) holds an element (module docstring)."""
    value = unparen(value)
    if value is None or value.type != "slice_expression":
        return False
    operand = value.child_by_field_name("operand")
    start, end = value.child_by_field_name("start"), value.child_by_field_name("end")
    if operand is None or (start is None and end is None):
        return False  # `x[:]` is `x`
    low = "0" if start is None or file.constant(start) == 0 else normal(start)
    if end is not None and known_positive(file, _length(end, low)):
        return True
    highs = {normal(end)} if end is not None else _ends(file, operand)
    return _guarded(value, low, highs)


def _length(end: Node, low: str) -> Node | None:
    """`n` of `x[:n]` and of `x[lo:lo+n]`."""
    if low == "0":
        return end
    end = unparen(end)
    if end is None or end.type != "binary_expression" or operator(end) != "+":
        return None
    left, right = end.child_by_field_name("left"), end.child_by_field_name("right")
    if normal(left) == low:
        return right
    return left if normal(right) == low else None


def _ends(file: GoFile, operand: Node) -> set[str]:
    """What an omitted `hi` of `x[lo:]` is: `len(x)`, and `cap(x)` when `x` is ever
    re-sliced to its capacity (`dst = dst[:cap(dst)]`)."""
    name = normal(operand)
    found = {f"len({name})"}
    binding = file.binding(operand) if operand.type == "identifier" else None
    for _, value in binding.writes if binding is not None else ():
        value = unparen(value)
        if value is None or value.type != "slice_expression":
            continue
        end = value.child_by_field_name("end")
        if normal(value.child_by_field_name("operand")) == name and normal(end) == f"cap({name})":
            found.add(f"cap({name})")
    return found


def _guarded(node: Node, low: str, highs: set[str]) -> bool:
    """Whether `node` is in the body of an `if` whose condition (or a `&&` term of
    it) is `hi > lo` or `lo < hi`."""
    return any(
        _says_greater(term, low, highs)
        for condition in guarding_conditions(node)
        for term in _conjuncts(condition)
    )


def _conjuncts(condition: Node) -> list[Node]:
    """The terms of `a && b && ..` (the condition itself when it is no `&&`)."""
    found, stack = [], [condition]
    while stack:
        term = unparen(stack.pop())
        if term is None:
            continue
        if term.type == "binary_expression" and operator(term) == "&&":
            stack += [term.child_by_field_name("left"), term.child_by_field_name("right")]
        else:
            found.append(term)
    return found


def _says_greater(term: Node, low: str, highs: set[str]) -> bool:
    if term.type != "binary_expression" or operator(term) not in _GREATER:
        return False
    left = normal(term.child_by_field_name("left"))
    right = normal(term.child_by_field_name("right"))
    if _GREATER[operator(term)]:
        left, right = right, left
    return left in highs and right == low
