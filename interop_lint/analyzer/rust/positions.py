"""Indexes found in the collection they index (RS101's bounds).

`s.find(..)` gives a byte offset into `s` and `v.iter().position(..)` an index
into `v`, so `if let Some(i) = url.find('?') { &url[..i] }` (libsql's
`maybe_remove_offline_query_param`) cannot panic, nor can `&s[i + 1..]` when
what was found is at least one byte long. Here: which collection a call
searches, and how far into it a position it returns can be.

A count of bytes read into a buffer is such a position too: `Read::read(&mut
buf)` returns `Ok(n)` with `n <= buf.len()`, so `&buf[..n]` cannot panic
(tectonic's `ttbc_get_file_md5`: `let n = match f.read(&mut buf) { Ok(0) =>
break, Ok(n) => n, Err(_) => break };`).
"""

from __future__ import annotations

from collections.abc import Callable

from interop_lint.analyzer.rust.bindings import only_decreased
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import binary_operator, callee, leaves, strip
from interop_lint.analyzer.rust.lengths import ELEMENT_ITERATORS, Fact, constant_value, flat

# What holds a position: a search's `Option`, a read's `Result`.
_HOLDERS = frozenset({"Some", "Ok"})
# Methods that read into the buffer they are given first (`&mut buf`) and return how
# many bytes they read: `Read::read`, `FileExt::read_at`, sockets' `recv` and `peek`.
_READS = frozenset({"read", "read_at", "recv", "peek"})
# Calls that give the `Ok` value of a `Result` or leave.
_UNWRAPS = frozenset({"unwrap", "expect"})
# Methods of `str`/`String` that return a byte offset of what they find.
_STRING_SEARCHES = frozenset({"find", "rfind"})
# Methods of an iterator that return the index of an item.
_ITEM_SEARCHES = frozenset({"position", "rposition"})
# Of a string, its bytes are the elements whose indexes are byte offsets (not its chars).
_INDEXED_ITERATORS = ELEMENT_ITERATORS | {"bytes"}


def searched(value: Located | None) -> tuple[str, bool] | None:
    """What `value`, an `Option` of a position, searches: (`s`, strict) for
    `s.find(p)` (strict unless `p` may be empty: `s.find("")` is `Some(s.len())`
    for an empty `s`), (`v`, True) for `v.iter().position(..)`."""
    value = strip(value) if value is not None else None
    if value is None or value.type != "call_expression":
        return None
    called = callee(value)
    if called is None or not called.is_method or called.receiver is None:
        return None
    receiver = strip(called.receiver)
    if called.name in _READS:
        given = value.field("arguments")
        buffer = given.named_children()[:1] if given is not None else []
        target = (
            buffer[0].field("value")
            if buffer and buffer[0].type == "reference_expression"
            else None
        )
        return (flat(strip(target).node), False) if target is not None else None
    if called.name in _STRING_SEARCHES:
        given = value.field("arguments")
        pattern = given.named_children() if given is not None else []
        return flat(receiver.node), len(pattern) == 1 and _never_empty(pattern[0])
    if called.name in _ITEM_SEARCHES and receiver.type == "call_expression":
        walked = callee(receiver)
        if walked is None or walked.name not in _INDEXED_ITERATORS or walked.receiver is None:
            return None
        return flat(strip(walked.receiver).node), True
    return None


def some_binding(pattern: Located | None) -> str | None:
    """`i` of the pattern `Some(i)`, or `n` of `Ok(n)` (a read's count)."""
    if pattern is not None and pattern.type == "match_pattern":
        pattern = next(iter(pattern.named_children()), None)
    if pattern is None or pattern.type != "tuple_struct_pattern":
        return None
    kind = pattern.field("type")
    inner = [c for c in pattern.named_children() if c != kind]
    if kind is None or kind.text not in _HOLDERS or len(inner) != 1:
        return None
    if inner[0].type != "identifier":
        return None
    return inner[0].text


def _never_empty(pattern: Located) -> bool:
    """Whether a `find` pattern matches at least one byte: a char, a non-empty string
    literal, a closure or a list of chars (each match is a char)."""
    kind = pattern.type
    if kind in ("char_literal", "closure_expression", "array_expression"):
        return True
    if kind == "string_literal":
        return len(pattern.text) > 2
    return False


def found_fact(
    binder: Located, pattern: Located | None, value: Located | None, scope: Located | None
) -> Fact | None:
    """`i` below the length of `s` where `binder` (an `if let`, a `let .. else`, a
    match arm) binds `pattern` `Some(i)` to `value` `s.find(..)`, and nothing in
    `scope` binds `i` again."""
    name, found = some_binding(pattern), searched(value)
    if name is None or found is None or scope is None or not only_decreased(name, scope, binder):
        return None
    return Fact(found[0], name, found[1])


def condition_scope(condition: Located) -> Located | None:
    """The block an `if let`/`while let` condition's bindings are in."""
    holder = condition.parent()
    if holder is not None and holder.type == "let_chain":
        holder = holder.parent()
    if holder is None or holder.type not in ("if_expression", "while_expression"):
        return None
    return holder.field("consequence") or holder.field("body")


def position_fact(name: str, value: Located) -> Fact | None:
    """`n <= buf.len()` for `let n = <the count of a read into buf>`, and `i <
    s.len()` for `let i = <a position found in s>`: `r.read(&mut buf)?`,
    `.unwrap()`/`.expect(..)` of it, or a `match` on it whose every arm either leaves
    or gives the `n` of `Ok(n)` (`Some(i)`)."""
    value = strip(value)
    if value.type == "try_expression":
        value = strip(next(iter(value.named_children())))
    called = callee(value) if value.type == "call_expression" else None
    if called is not None and called.name in _UNWRAPS and called.receiver is not None:
        value = strip(called.receiver)
    if value.type == "match_expression":
        scrutinee, body = value.field("value"), value.field("body")
        arms = [a for a in body.named_children() if a.type == "match_arm"] if body else []
        if scrutinee is None or not arms or not all(_gives_count(arm) for arm in arms):
            return None
        value = scrutinee
    found = searched(value)
    return Fact(found[0], name, found[1]) if found is not None else None


def _gives_count(arm: Located) -> bool:
    """Whether a match arm leaves, or gives the count `n` its pattern `Ok(n)` binds."""
    given = arm.field("value")
    if given is None or leaves(given.node):
        return given is not None
    pattern = arm.field("pattern")
    bound = some_binding(next(iter(pattern.named_children()), None) if pattern else None)
    return bound is not None and strip(given).text == bound


def _one_past(value: Located) -> Located | None:
    """`i` of `i + 1` (or `1 + i`)."""
    if value.type != "binary_expression" or binary_operator(value) != "+":
        return None
    left, right = value.field("left"), value.field("right")
    if left is None or right is None:
        return None
    if constant_value(right.node) == 1:
        return strip(left)
    return strip(right) if constant_value(left.node) == 1 else None


def one_past_facts(name: str, value: Located, known: Callable[[], list[Fact]]) -> list[Fact]:
    """`name <= v.len()` for `let name = i + 1;` where `i < v.len()` is `known`, or `i` is
    a position found in `v` (`v.iter().position(..)? + 1`): one past an element is at
    most the length, a range's valid start."""
    after = _one_past(value)
    if after is None:
        return []
    if after.type == "identifier":
        return [Fact(f.subject, name, False) for f in known() if f.bound == after.text and f.strict]
    found = position_fact(name, after)
    return [Fact(found.subject, name, False)] if found is not None and found.strict else []
