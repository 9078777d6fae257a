"""Comparisons as facts about lengths (RS101, bounds.py).

`v.len() > i` and `i < v.len()` say `i < v.len()`; a comparison with a plain
variable (`n <= buffer_len`) says the same of that variable's value, for a
slice whose length it is (lengths.sized_by). `index_bounds` tells what an
index converted to `usize` is compared as (`v[i as usize]` after `i < v.len() as
u64`).
"""

from __future__ import annotations

from collections.abc import Container

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import arguments, callee, strip
from interop_lint.analyzer.rust.lengths import VALUE_OF, Fact, bound_of, constant_value, flat

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
        # `x + 1 <= len` is kept whole: bounds.py reads it as `x < len` too.
        bound = bound_of(strip(other).node)
        if reading == ">":
            return Fact(subject, bound, True)
        if reading in (">=", "=="):
            return Fact(subject, bound, False)
        if reading == "!=" and bound == 0:
            return Fact(subject, 0, True)
    return _upper_bound(left, right, operator)


# The subject of a fact "`name` < K" (`i < 16`), for the index of a fixed array.
BELOW = "<"


def _upper_bound(left: Located, right: Located, operator: str) -> Fact | None:
    """`i < 16` (or `16 > i`, `i <= 15`) as Fact(BELOW + "16", "i", strict)."""
    for variable, constant, reading in (
        (left, right, operator),
        (right, left, _MIRRORED[operator]),
    ):
        variable, constant = strip(variable), strip(constant)
        limit = constant_value(constant.node)
        if variable.type == "identifier" and limit is not None and reading in ("<", "<="):
            return Fact(f"{BELOW}{limit}", variable.text, reading == "<")
    return None


def largest_index(index: Located, around: list[Fact]) -> int | None:
    """The largest value an index of `+` and `*` over numbers and names known below a
    number can take (`i * 8 + j` in `for i in 0..4 { for j in 0..8 { .. } }`: 31);
    None when a part has no known bound. Indexes are `usize`: no part is negative."""
    limits: dict[str, int] = {}
    for fact in around:
        if fact.subject.startswith(BELOW) and isinstance(fact.bound, str):
            limit = int(fact.subject[len(BELOW) :]) - (1 if fact.strict else 0)
            limits[fact.bound] = min(limit, limits.get(fact.bound, limit))
    pending: list[tuple[Located, bool]] = [(index, False)]
    values: list[int] = []
    while pending:  # post-order over the operands, iteratively
        current, operands_done = pending.pop()
        current = strip(current)
        if current.type == "identifier":
            if current.text not in limits:
                return None
            values.append(limits[current.text])
        elif current.type == "integer_literal":
            value = constant_value(current.node)
            if value is None:
                return None
            values.append(value)
        elif current.type == "binary_expression" and _ARITHMETIC.get(_operator(current)):
            if operands_done:
                right, left = values.pop(), values.pop()
                values.append(_ARITHMETIC[_operator(current)](left, right))
                continue
            left, right = current.field("left"), current.field("right")
            if left is None or right is None:
                return None
            pending += [(current, True), (right, False), (left, False)]
        else:
            return None
    return values[0] if len(values) == 1 else None


_ARITHMETIC = {"+": int.__add__, "*": int.__mul__}


def _operator(expression: Located) -> str:
    operator = expression.node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


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


# Methods that hold only when their receiver is at least as long as their argument.
_AFFIXES = frozenset({"starts_with", "ends_with"})


def affix_fact(condition: Located, holds: bool) -> Fact | None:
    """`s.starts_with("MTR-")` holding: `s` is at least 4 bytes long, and a `str` has a
    char boundary there, so `&s[4..]` cannot panic (lab14's meter ids)."""
    if not holds or condition.type != "call_expression":
        return None
    called = callee(condition)
    if called is None or called.name not in _AFFIXES or called.receiver is None:
        return None
    given = arguments(condition)
    literal = strip(given[0]).node if len(given) == 1 else None
    if literal is None or literal.type != "string_literal":
        return None
    pieces = literal.named_children
    if not pieces or any(p.type != "string_content" for p in pieces):
        return None  # empty, or escapes whose bytes this does not count
    length = sum(p.end_byte - p.start_byte for p in pieces)
    return Fact(flat(strip(called.receiver).node), length, False)


# Methods that add an element: the collection is not empty after them.
_ADDING = frozenset({"push", "push_back", "push_front"})
# Argument-less methods that give an end element of a collection (`None` when empty).
END_GETTERS = frozenset(
    {"first", "first_mut", "last", "last_mut", "front", "front_mut", "back", "back_mut"}
)


def added_to(statement: Located) -> Fact | None:
    """`0 < v.len()` past the statement `v.push(x);` (tectonic's `v.push(x);
    v.last_mut().unwrap()`)."""
    inner = next(iter(statement.named_children()), None)
    called = callee(inner) if inner is not None and inner.type == "call_expression" else None
    if called is None or called.name not in _ADDING or called.receiver is None:
        return None
    return Fact(flat(strip(called.receiver).node), 0, True)


# Unsigned integer types: such a value converted to `usize` keeps its value when it
# is below a length (a `usize`), and a check against `v.len() as u64` holds for it.
_UNSIGNED = frozenset(
    {
        "u8", "u16", "u32", "u64", "u128", "usize", "c_uchar", "c_ushort", "c_uint",
        "c_ulong", "c_ulonglong", "size_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    }
)  # fmt: skip


def index_bounds(index: Located, around: list[Fact]) -> list[int | str]:
    """The index as written, and as the value it converts when that cannot be negative
    (`i` of `v[i as usize]` for `i: u64`, checked by `if i >= v.len() as u64 { return }`,
    biscuit's C API; or a signed `i` the same conditions show `>= 0`: `if i < 0 || i >=
    v.len() as c_int { return }`, SQLite's `int` column indices). A signed one no
    condition bounds below may be negative, which no `<` check rules out."""
    bounds = [bound_of(index.node)]
    if index.type == "type_cast_expression":
        converted = strip(index)
        if converted.type == "identifier" and (
            _unsigned_parameter(converted) or _not_negative(converted.text, around)
        ):
            bounds.append(converted.text)
    return bounds


def _not_negative(name: str, around: list[Fact]) -> bool:
    """Whether a fact says `0 <= name` (`name >= 0`, the `else` of `name < 0`)."""
    subject = VALUE_OF + name
    return any(
        f.subject == subject and isinstance(f.bound, int) and f.bound >= (0 if not f.strict else -1)
        for f in around
    )


def _unsigned_parameter(name: Located) -> bool:
    function = next((a for a in name.ancestors() if a.type == "function_item"), None)
    listed = function.field("parameters") if function is not None else None
    for parameter in listed.named_children() if listed is not None else ():
        pattern, written = parameter.field("pattern"), parameter.field("type")
        if pattern is not None and pattern.text == name.text and written is not None:
            return written.text.rsplit("::", 1)[-1] in _UNSIGNED
    return False


def minimum_facts(name: str, value: Located) -> list[Fact]:
    """`n <= a` and `n <= b` for `let n = a.min(b)` or `cmp::min(a, b)`, where each
    side is a length (`src.len()`) or a variable that sizes a slice (`buf_len`):
    the copy-what-fits idiom of exports filling a caller's buffer."""
    called = callee(value) if value.type == "call_expression" else None
    if called is None or called.name != "min":
        return []
    given = value.field("arguments")
    sides = given.named_children() if given is not None else []
    if called.receiver is not None:
        sides = [called.receiver, *sides]
    elif called.qualifier not in ("cmp", None):
        return []
    if len(sides) != 2:
        return []
    found = []
    for side in map(strip, sides):
        subject = method_of(side, "len")
        if subject is None and side.type == "identifier":
            subject = VALUE_OF + side.text
        if subject is not None:
            found.append(Fact(subject, name, False))
    return found
