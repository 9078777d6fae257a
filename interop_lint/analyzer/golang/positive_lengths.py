"""Lengths known to be above zero where they are used (GO104's `make([]T, n)`).

`known_positive` tells a length that cannot be zero: a positive constant (a
package constant, a C constant), `x + k`, a product of such factors, a local or
a field the function compares (`if s.size == 0 { return }`: the rule's precision
reads any comparison as a check), or one raised to a positive constant by a clamp
from below (`if n < minLen { n = minLen }`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import passed_for
from interop_lint.analyzer.golang.lengths import (
    in_comparison,
    is_clamp,
    normal,
    statements_of,
    through_conversions,
)
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import operator, outer_paren, unparen
from interop_lint.analyzer.parsing import text


def positive_bound(file: GoFile, bound: Node | None) -> bool:
    """A constant above zero: `64`, `minDictLen` (a package constant, even one whose
    value is a C macro's: a minimum is not written for zero), `C.KEY_BYTES` (a C
    constant the file's preamble does not define as 0: libsodium's
    `make([]byte, C.crypto_sign_BYTES)`)."""
    value = file.constant(bound)
    if value is not None:
        return value > 0
    bound = unparen(bound)
    if bound is not None and bound.type == "selector_expression":
        operand, field = bound.child_by_field_name("operand"), bound.child_by_field_name("field")
        return (
            operand is not None
            and field is not None
            and text(operand) == "C"
            and file.binding(operand) is None
            and not _defined_as_zero(file, text(field))
        )
    if bound is None or bound.type != "identifier" or file.binding(bound) is not None:
        return False
    local = _local_constant(file, bound)
    if local is not None:
        return local > 0
    return text(bound) in file.package.constants


def _local_constant(file: GoFile, name: Node) -> int | None:
    """The value of a `const` the enclosing function declares (`const max = 1` in
    libheif's `NewEncoder`), when it is a known integer."""
    scope = file.scope(name)
    if scope is None:
        return None
    wanted = text(name)
    for keyword in file.syntax.tokens.tokens("const", within=scope.function):
        declaration = keyword.parent
        if declaration is None or declaration.start_byte >= name.start_byte:
            continue
        for spec in declaration.named_children:
            names = spec.children_by_field_name("name") if spec.type == "const_spec" else []
            values = spec.child_by_field_name("value")
            for i, declared in enumerate(names):
                if text(declared) == wanted and values is not None and i < values.named_child_count:
                    return file.constant(values.named_children[i])
    return None


def _defined_as_zero(file: GoFile, name: str) -> bool:
    """`#define NAME 0` (or an `enum` member `NAME = 0`) in the file's cgo preamble."""
    preamble = file.source.preamble
    if preamble is None or name.encode() not in preamble.source:
        return False
    written = re.escape(name.encode())
    zero = rb"\(?\s*0+[uUlL]*\s*\)?"
    return bool(
        re.search(rb"#\s*define\s+" + written + rb"\s+" + zero + rb"\s*$", preamble.source, re.M)
        or re.search(rb"\b" + written + rb"\s*=\s*" + zero + rb"\s*[,}]", preamble.source)
    )


def raised_to_bound(file: GoFile, binding: Binding) -> bool:
    """`if n < minLen { n = minLen }` with a positive bound: a clamp from below, after
    which `n` is at least the bound (gozstd's `BuildDict` makes its dictionary so)."""
    for read in binding.reads:
        comparison = outer_paren(read).parent
        if comparison is None or comparison.type != "binary_expression":
            continue
        left, right = (
            comparison.child_by_field_name("left"),
            comparison.child_by_field_name("right"),
        )
        written = operator(comparison)
        if written in ("<", "<=") and unparen(left) == read:
            bound = right
        elif written in (">", ">=") and unparen(right) == read:
            bound = left
        else:
            continue
        if not is_clamp(comparison) or not positive_bound(file, bound):
            continue
        statement = outer_paren(comparison).parent
        body = statement.child_by_field_name("consequence") if statement is not None else None
        assigned = [s.child_by_field_name("right") for s in statements_of(body)]
        if assigned and all(normal(value) == normal(bound) for value in assigned):
            return True
    return False


def known_positive(file: GoFile, length: Node | None, depth: int = 0) -> bool:
    """A length that is above zero where it is used: a positive constant, `x + k`, or a
    local whose every value is `x + k` (`bound := int(C.ZSTD_compressBound(n)) + 1`),
    or that the function compares or raises to a positive bound (as `make([]T, n)` asks
    of `n`), or a parameter every call in the file passes a positive constant; a field
    the function compares (`if s.size == 0 { return nil }`), and a product of such
    factors (`s.size * s.dimensions`, go-geos). A conversion is looked through
    (`int(size)`)."""
    length = unparen(length)
    if length is None:
        return False
    length = unparen(file.strip_conversions(length))  # `make([]byte, int(size))`
    if length is None:
        return False
    if positive_bound(file, length) or _plus_positive(file, length):
        return True
    if length.type == "binary_expression" and operator(length) == "*" and depth < _MAX_FACTORS:
        factors = (length.child_by_field_name("left"), length.child_by_field_name("right"))
        return all(known_positive(file, f, depth + 1) for f in factors)
    if length.type == "selector_expression":
        return _compared_field(file, length)
    binding = file.binding(length) if length.type == "identifier" else None
    if binding is None:
        return False
    if any(in_comparison(through_conversions(file, read)) for read in binding.reads):
        return True
    if raised_to_bound(file, binding):
        return True
    if binding.is_parameter:
        passed = passed_for(file, binding)  # an unexported helper's callers in the file
        return bool(passed) and all(positive_bound(file, a) for a in passed or ())
    values = [unparen(v) for _, v in binding.definitions()]
    return bool(values) and all(
        v is not None  # `bound := n + 1`, `l := C.size_t(1001)` (gossl)
        and (_plus_positive(file, v) or positive_bound(file, file.strip_conversions(v)))
        for v in values
    )


_MAX_FACTORS = 4  # `a * b * c * d`: deeper products are not read


def _compared_field(file: GoFile, field: Node) -> bool:
    """Whether the function of `field` (`s.size`, on a local or a receiver) compares the
    same field of the same name elsewhere."""
    operand, name = field.child_by_field_name("operand"), field.child_by_field_name("field")
    scope = file.scope(field)
    if operand is None or name is None or operand.type != "identifier" or scope is None:
        return False
    wanted = normal(field)
    for token in file.syntax.tokens.tokens(text(name), within=scope.function):
        selector = token.parent
        if selector is None or selector == field or selector.type != "selector_expression":
            continue
        if normal(selector) == wanted and in_comparison(through_conversions(file, selector)):
            return True
    return False


def _plus_positive(file: GoFile, value: Node) -> bool:
    """`x + k` with a positive constant `k`."""
    return (
        value.type == "binary_expression"
        and operator(value) == "+"
        and positive_bound(file, value.child_by_field_name("right"))
    )
