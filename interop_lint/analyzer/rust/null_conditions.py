"""What a condition or a pattern tells about a pointer being null (RS102).

`nonnull_when(condition, truth)`: the pointers known non-null when a
condition evaluates to `truth`: `p.is_null()`, `p == ptr::null()` (either
side, `!=` too; `0 as *const T`), `p.as_ref().is_some()`, `if let Some(r) = p.as_ref()`,
combined through `!`, `&&`, `||` and let chains. `nonnull_if_matches` and
`nonnull_unless_matches`: the same for a pattern matched or not, element by
element for tuples (`if let (Some(t), false) = (t, p.is_null())`).
"""

from __future__ import annotations

import re

from interop_lint.analyzer.rust.bindings import let_value
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import (
    arguments,
    binary_operator,
    block_tail,
    callee,
    strip,
    unary_operand,
    unary_operator,
    unsafe_value,
)
from interop_lint.analyzer.rust.pointer_copies import pointer_of

_NULL_CALLS = frozenset({"null", "null_mut"})
_ZERO = re.compile(r"0+(?:_*(?:usize|isize|u64|i64|u32|i32))?")
_OPTION_OF_POINTER = frozenset({"as_ref", "as_mut", "as_uninit_ref", "as_uninit_mut"})
_SOME_TESTS = frozenset({"is_some", "is_none", "is_some_and", "is_none_or"})
# Option methods that keep the `Some`-ness question open: `p.as_ref().map(..)?`.
_OPTION_CHAIN = frozenset(
    {"map", "ok_or", "ok_or_else", "and_then", "context", "with_context", "map_err", "cloned"}
)


# The variants a fallible value matches on success, and what it is on failure.
_SUCCESS = re.compile(r"(?:\w+::)*(?:Ok|Some)\s*\(")
_FAILURE = re.compile(r"(?:(?:\w+::)*Err\s*\(|(?:\w+::)*None$)")
_PUNCTUATION = frozenset({"(", ")", ","})
_IRREFUTABLE = frozenset({"_", "identifier"})  # a tuple element that matches anything


def nonnull_if_matches(pattern: Located | None, value: Located | None) -> set[str]:
    """The pointers non-null when `value` matches `pattern`: `Some(r)` against
    `p.as_ref()`, `false` against `p.is_null()`, and element by element for a
    tuple: `if let (Some(t), false) = (t, p.is_null())`."""
    if pattern is None or value is None:
        return set()
    pattern, value, pairs = _unwrapped(pattern, value)
    if pairs is not None:
        return set().union(*(nonnull_if_matches(part, element) for part, element in pairs))
    if pattern.type == "boolean_literal":
        return nonnull_when(value, pattern.text == "true")
    if value.type == "identifier" and _SUCCESS.match(pattern.text):
        return _nonnull_on_success(value)
    name = option_of_pointer(value)
    return {name} if name and "Some" in pattern.text else set()


def _nonnull_on_success(outcome: Located) -> set[str]:
    """`outcome` bound to `if p.is_null() { Err(..) } else { .. Ok(..) }`: where it
    matches `Ok(..)` (or `Some(..)`), it came from the branch where `p` is non-null."""
    made = let_value(outcome)
    made = strip(made) if made is not None else None
    if made is None or made.type != "if_expression":
        return set()
    consequence, alternative = made.field("consequence"), made.field("alternative")
    otherwise = alternative.named_children()[-1] if alternative is not None else None
    if consequence is None or otherwise is None or otherwise.type != "block":
        return set()
    for branch, truth in ((consequence, False), (otherwise, True)):
        tail = block_tail(branch)
        if tail is not None and _FAILURE.match(strip(tail).text):
            return nonnull_when(made.field("condition"), truth)
    return set()


def nonnull_unless_matches(pattern: Located | None, value: Located | None) -> set[str]:
    """The pointers non-null when `value` does not match `pattern`: `false` against
    `p.is_null()`, `None` against `p.as_ref()`; a tuple only when one element can
    fail to match (`(true, _) = (p.is_null(), x)`), the others binding anything."""
    if pattern is None or value is None:
        return set()
    pattern, value, pairs = _unwrapped(pattern, value)
    if pairs is not None:
        refutable = [(part, element) for part, element in pairs if part.type not in _IRREFUTABLE]
        if len(refutable) != 1:
            return set()
        return nonnull_unless_matches(*refutable[0])
    if pattern.type == "boolean_literal":
        return nonnull_when(value, pattern.text != "true")
    name = option_of_pointer(value)  # `if let None = p.as_ref() {} else {..}`
    return {name} if name and "Some" not in pattern.text else set()


def _unwrapped(
    pattern: Located, value: Located
) -> tuple[Located, Located, list[tuple[Located, Located]] | None]:
    """The pattern out of its `match_pattern`, the value stripped, and for a tuple
    pattern against a tuple expression their elements in pairs (none when their
    lengths differ)."""
    if pattern.type == "match_pattern" and pattern.node.named_child_count == 1:
        pattern = pattern.named_children()[0]
    value = strip(value)
    if pattern.type != "tuple_pattern" or value.type != "tuple_expression":
        return pattern, value, None
    # `_` is an anonymous node: the elements are every child but punctuation.
    parts = [pattern.at(c) for c in pattern.node.children if c.type not in _PUNCTUATION]
    values = value.named_children()
    if len(parts) != len(values):
        return pattern, value, []
    return pattern, value, list(zip(parts, values, strict=True))  # type: ignore[arg-type]


_MAX_CONDITION_DEPTH = 32


def nonnull_when(condition: Located | None, truth: bool, depth: int = 0) -> set[str]:
    """The pointers known non-null when `condition` evaluates to `truth`."""
    if condition is None or depth > _MAX_CONDITION_DEPTH:
        return set()
    current = strip(condition)
    kind = current.type
    if kind == "unary_expression" and unary_operator(current) == "!":
        return nonnull_when(unary_operand(current), not truth, depth + 1)
    if kind in ("binary_expression", "let_chain"):
        symbol = "&&" if kind == "let_chain" else binary_operator(current)
        if symbol in ("&&", "||"):
            parts = [nonnull_when(c, truth, depth + 1) for c in current.named_children()]
            if (symbol == "&&") == truth:
                return set().union(*parts)
            return set.intersection(*parts) if parts else set()
        if symbol in ("==", "!="):
            name = _compared_with_null(current)
            return {name} if name and (symbol == "!=") == truth else set()
        return set()
    if kind == "let_condition":
        pattern, value = current.field("pattern"), current.field("value")
        if truth:
            return nonnull_if_matches(pattern, value)
        return nonnull_unless_matches(pattern, value)
    if kind == "call_expression":
        called = callee(current)
        if called is None or called.receiver is None:
            return set()
        if called.name == "not" and not arguments(current):  # `p.is_null().not()` (ops::Not)
            return nonnull_when(called.receiver, not truth, depth + 1)
        if called.name == "is_null":
            name = pointer_of(called.receiver) or _referred(called.receiver)
            return {name} if name and not truth else set()
        if called.name in ("any", "all"):  # `[a, b].iter().any(|p| p.is_null())`
            return _each_nonnull(current, called.receiver, called.name == "any", truth, depth)
        if called.name in _SOME_TESTS:
            # `is_some_and(f)` true and `is_none_or(f)` false say Some, as `is_some`
            # true and `is_none` false do (lol-html's `p.as_ref().is_none_or(..)`)
            name = option_of_pointer(called.receiver)
            return {name} if name and called.name.startswith("is_some") == truth else set()
    return set()


def _each_nonnull(
    call: Located, iterated: Located, is_any: bool, truth: bool, depth: int
) -> set[str]:
    """The pointers of an array literal all non-null when `[a, b].iter().any(|p|
    p.is_null())` is false, or `.all(|p| !p.is_null())` true: the closure's test
    holds (`all`) or fails (`any`) for each element."""
    if truth == is_any:  # `any` true, or `all` false, tells of one element only
        return set()
    source = strip(iterated)
    called = callee(source) if source.type == "call_expression" else None
    if called is None or called.name not in ("iter", "into_iter") or called.receiver is None:
        return set()
    array = strip(called.receiver)
    test = next(iter(arguments(call)), None)
    if array.type != "array_expression" or test is None or test.type != "closure_expression":
        return set()
    parameter = test.field("parameters")
    name = _PARAMETER.fullmatch(parameter.text) if parameter is not None else None
    if name is None or name.group(1) not in nonnull_when(test.field("body"), truth, depth + 1):
        return set()
    elements = [pointer_of(e) for e in array.named_children()]
    return set(elements) if all(elements) else set()  # type: ignore[arg-type]


# The one name a closure takes: `|p|`, `|&p|`, `|p: &*const u8|`.
_PARAMETER = re.compile(r"\|\s*&?\s*(?:mut\s+)?(\w+)\s*(?::[^|]*)?\|")


def _referred(receiver: Located) -> str | None:
    """`r` of `(*r).is_null()`: the pointer a reference `r: &*mut T` refers to, named
    as the reference (pointer_contracts follows `**r` by that name)."""
    current = strip(receiver)
    if current.type != "unary_expression" or not current.text.startswith("*"):
        return None
    operand = next(iter(current.named_children()), None)
    return operand.text if operand is not None and operand.type == "identifier" else None


def _compared_with_null(comparison: Located) -> str | None:
    left, right = comparison.field("left"), comparison.field("right")
    if left is None or right is None:
        return None
    for pointer, other in ((left, right), (right, left)):
        name = pointer_of(pointer)
        if name and _is_null_pointer(other):
            return name
    return None


def _is_null_pointer(expression: Located) -> bool:
    """`ptr::null()`, `null_mut()`, or the literal `0` (`0 as *const u8`, or against
    `p as usize`)."""
    current = strip(expression)
    if current.type == "integer_literal":
        return _ZERO.fullmatch(current.text) is not None
    if current.type != "call_expression":
        return False
    called = callee(current)
    return called is not None and called.receiver is None and called.name in _NULL_CALLS


def option_of_pointer(expression: Located | None) -> str | None:
    """`p` for `NonNull::new(p)`, `p.as_ref()`, `unsafe { p.as_mut() }`, `..map(f)`."""
    current = expression
    while current is not None:
        current = strip(current)
        if current.type == "unsafe_block":
            current = unsafe_value(current)
            continue
        if current.type != "call_expression":
            return None
        called = callee(current)
        if called is None:
            return None
        if called.receiver is None:
            first = next(iter(arguments(current)), None)
            is_new = called.name == "new" and called.qualifier == "NonNull"
            return pointer_of(first) if is_new and first is not None else None
        if called.name in _OPTION_OF_POINTER:
            return pointer_of(called.receiver)
        if called.name not in _OPTION_CHAIN:
            return None
        current = called.receiver
    return None
