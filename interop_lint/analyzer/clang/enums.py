"""Which C enums are `int`-sized for certain.

C gives an enum without a fixed underlying type an integer type wide enough
for its values: GCC and Clang pick `int` (or `unsigned int`) when every
value fits in 32 bits, which the enums of FFI headers nearly always do. So
an enum whose values this module can work out, all within 32 bits, is four
bytes; one that is not certain (a value from a macro or another enum, an
`__attribute__((packed))`, a C23 `: uint8_t` base, which the preprocessing
leaves as a comment) is left to the C compiler, and compared with nothing.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.clang.syntax import specifier_name
from interop_lint.analyzer.parsing import text

_INT_MIN, _UINT_MAX = -(2**31), 2**32 - 1
_INT_MAX = 2**31 - 1
_NUMBER = re.compile(
    r"(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[bB](?P<bin>[01]+)|0(?P<oct>[0-7]*)|(?P<dec>[1-9][0-9]*))"
    r"[uUlL]*"
)
_BASES = {"hex": 16, "bin": 2, "oct": 8, "dec": 10}
_MAX_DEPTH = 16  # operators in one enumerator's value
# The children an enum specifier has when nothing but its name and values shape it.
_PLAIN_PARTS = frozenset({"enum", "type_identifier", "enumerator_list"})


def int_sized_enum(node: Node) -> str | None:
    """The spelling (`enum Mode`) of an enum definition that is `int`-sized for
    certain, or None."""
    body = node.child_by_field_name("body")
    if body is None or any(child.type not in _PLAIN_PARTS for child in node.children):
        return None
    anonymous_as = ""
    parent = node.parent
    if node.child_by_field_name("name") is None and parent is not None:
        declarator = parent.child_by_field_name("declarator")
        if parent.type != "type_definition" or declarator is None:
            return None
        anonymous_as = text(declarator)
    values = _values(body)
    if values is None or not _fits_32_bits(values):
        return None
    return specifier_name(node, anonymous_as) or None


def _fits_32_bits(values: list[int]) -> bool:
    if not values:
        return True
    low, high = min(values), max(values)
    return (low >= _INT_MIN and high <= _INT_MAX) or (low >= 0 and high <= _UINT_MAX)


def _values(body: Node) -> list[int] | None:
    """Every enumerator's value, an unset one the one before plus one; None when a
    value is not a constant this module can read."""
    known: dict[str, int] = {}
    values: list[int] = []
    following = 0
    for enumerator in body.named_children:
        if enumerator.type != "enumerator":
            if enumerator.type == "comment":
                continue
            return None  # a preprocessor conditional, an error
        value = enumerator.child_by_field_name("value")
        current = following if value is None else _constant(value, known)
        if current is None:
            return None
        name = enumerator.child_by_field_name("name")
        if name is not None:
            known[text(name)] = current
        values.append(current)
        following = current + 1
    return values


def _number(spelled: str) -> int | None:
    match = _NUMBER.fullmatch(spelled)
    if match is None:
        return None
    base = next(name for name, digits in match.groupdict().items() if digits is not None)
    return int(match.group(base) or "0", _BASES[base])


def _constant(node: Node, known: dict[str, int], depth: int = 0) -> int | None:
    """The value of an integer constant expression of literals and earlier enumerators."""
    kind = node.type
    if depth > _MAX_DEPTH:
        return None
    if kind == "number_literal":
        return _number(text(node))
    if kind == "identifier":
        return known.get(text(node))
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return _constant(node.named_children[0], known, depth + 1)
    if kind == "unary_expression":
        operand = node.child_by_field_name("argument")
        operator = node.child_by_field_name("operator")
        value = _constant(operand, known, depth + 1) if operand is not None else None
        if value is None or operator is None:
            return None
        return {"-": -value, "+": value, "~": ~value}.get(text(operator))
    if kind == "binary_expression":
        return _binary(node, known, depth + 1)
    return None


def _binary(node: Node, known: dict[str, int], depth: int) -> int | None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    operator = node.child_by_field_name("operator")
    if left is None or right is None or operator is None:
        return None
    a, b = _constant(left, known, depth), _constant(right, known, depth)
    if a is None or b is None or (text(operator) in ("<<", ">>") and not 0 <= b < 64):
        return None
    results = {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "|": lambda: a | b,
        "&": lambda: a & b,
        "^": lambda: a ^ b,
        "<<": lambda: a << b,
        ">>": lambda: a >> b,
    }
    result = results.get(text(operator))
    return result() if result is not None else None
