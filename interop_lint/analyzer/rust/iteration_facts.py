"""Indexes an iteration gives (RS101's bounds): `for i in 0..v.len()`,
`for (i, x) in v.iter().enumerate()`, and a closure an iterator adapter calls with
such items (`(0..v.len()).map(|i| v[i])`) or an `Option` adapter with a position
found in a collection (`s.find(c).map(|i| &s[..i])`)."""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.rust.bindings import let_value, only_decreased
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.comparisons import BELOW, method_of, receiver_of
from interop_lint.analyzer.rust.expressions import call_given, callee, strip
from interop_lint.analyzer.rust.lengths import (
    ELEMENT_ITERATORS,
    VALUE_OF,
    Fact,
    bound_of,
    flat,
    range_parts,
)
from interop_lint.analyzer.rust.positions import searched


def loop_fact(loop: Located) -> Iterator[Fact]:
    """`for i in 0..v.len()` or `for (i, x) in v.iter().enumerate()`: `i < v.len()`
    in the body."""
    pattern, value = loop.field("pattern"), loop.field("value")
    if pattern is not None and value is not None:
        yield from _index_fact(pattern, value)


def closure_fact(closure: Located) -> Iterator[Fact]:
    """`(0..v.len()).map(|i| v[i])`, `v.iter().enumerate().for_each(|(i, x)| ..)`: the
    closure is handed to an adapter of the iterator, its first parameter an item."""
    parameters = closure.field("parameters")
    listed = parameters.named_children() if parameters is not None else []
    given = call_given(closure)
    called = given[1] if given is not None else None
    if len(listed) != 1 or called is None or called.receiver is None:
        return
    if called.name in _ITEM_ADAPTERS:
        yield from _index_fact(listed[0], called.receiver)
    found = searched(called.receiver) if listed[0].type == "identifier" else None
    adapted = found is not None and called.name in _VALUE_ADAPTERS  # `s.find(c).map(|i| ..)`
    if adapted and only_decreased(listed[0].text, closure, closure):
        yield Fact(found[0], listed[0].text, found[1])  # type: ignore[index]


# Iterators over slices of exactly their argument's length (`windows(3)` too).
_EXACT_CHUNKS = frozenset(
    {"chunks_exact", "chunks_exact_mut", "rchunks_exact", "rchunks_exact_mut", "windows"}
)


def _exact_chunk(items: Located) -> int | None:
    """The length of every item of `v.chunks_exact(3)` and the like, when a number."""
    called = callee(items) if items.type == "call_expression" else None
    if called is None or called.name not in _EXACT_CHUNKS or called.receiver is None:
        return None
    given = items.field("arguments")
    sizes = given.named_children() if given is not None else []
    size = bound_of(sizes[0].node) if len(sizes) == 1 else None
    return size if isinstance(size, int) and size > 0 else None


# Adapters that call their closure with the items of the iterator they are called on.
_ITEM_ADAPTERS = frozenset(
    {"map", "for_each", "filter_map", "flat_map", "try_for_each", "inspect", "all", "any"}
)
# Adapters of an `Option` that call their closure with the value it holds.
_VALUE_ADAPTERS = frozenset({"map", "and_then", "is_some_and", "filter", "inspect"})


def _index_fact(pattern: Located, items: Located) -> Iterator[Fact]:
    """What binding `pattern` to the items of `items` says: an index below a length."""
    items = strip(items)
    if items.type == "range_expression" and pattern.type == "identifier":
        start, operator, end = range_parts(items.node)
        if end is None or operator != ".." or (start is not None and bound_of(start) != 0):
            return
        bound = strip(items.at(end))  # type: ignore[arg-type]
        if isinstance(limit := bound_of(bound.node), int):  # `for i in 0..4` of a `[T; 4]`
            yield Fact(f"{BELOW}{limit}", pattern.text, True)
            return
        subject = method_of(bound, "len")
        if subject is None and bound.type == "identifier":
            # `for i in 0..n` over a slice made with length `n` (lengths.sized_by), or
            # with `let n = v.len();`
            yield Fact(VALUE_OF + bound.text, pattern.text, True)
            value = let_value(bound)
            subject = method_of(strip(value), "len") if value is not None else None
        if subject is not None:
            yield Fact(subject, pattern.text, True)
        return
    if pattern.type == "identifier" and (size := _exact_chunk(items)) is not None:
        yield Fact(pattern.text, size, False)  # `chunks_exact(3)`: `p[0]` to `p[2]`
        return
    index = pattern.named_children()[0] if pattern.type == "tuple_pattern" else None
    walked = receiver_of(items, ("enumerate",))
    collection = receiver_of(walked, ELEMENT_ITERATORS)
    if index is not None and index.type == "identifier" and collection is not None:
        yield Fact(flat(collection.node), index.text, True)
