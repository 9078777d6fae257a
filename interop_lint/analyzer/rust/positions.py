"""Indexes found in the collection they index (RS101's bounds).

`s.find(..)` gives a byte offset into `s` and `v.iter().position(..)` an index
into `v`, so `if let Some(i) = url.find('?') { &url[..i] }` (libsql's
`maybe_remove_offline_query_param`) cannot panic, nor can `&s[i + 1..]` when
what was found is at least one byte long. Here: which collection a call
searches, and how far into it a position it returns can be.
"""

from __future__ import annotations

from interop_lint.analyzer.rust.bindings import only_decreased
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import callee, strip
from interop_lint.analyzer.rust.lengths import ELEMENT_ITERATORS, Fact, flat

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
    """`i` of the pattern `Some(i)`."""
    if pattern is not None and pattern.type == "match_pattern":
        pattern = next(iter(pattern.named_children()), None)
    if pattern is None or pattern.type != "tuple_struct_pattern":
        return None
    kind = pattern.field("type")
    inner = [c for c in pattern.named_children() if c != kind]
    if kind is None or kind.text != "Some" or len(inner) != 1 or inner[0].type != "identifier":
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
