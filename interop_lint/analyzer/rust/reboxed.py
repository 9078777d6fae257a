"""Releases that only borrow: memory rebuilt from its pointer and given up again.

`let mut b = Box::from_raw(p); b.count += 1; mem::forget(b)` reads or changes the
value behind `p` and leaves it to the caller: the box is forgotten, so nothing is
freed. Newsboat's FFI modules (`with_configpaths`) do this in every accessor; counting
it as a release hid exports whose memory no function of the crate ever frees.
"""

from __future__ import annotations

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import arguments, callee, strip

# Calls that give a rebuilt owner up again, so that dropping it frees nothing.
_GIVING_UP = frozenset(
    {
        "mem::forget",
        "forget",
        "ManuallyDrop::new",
        "Box::into_raw",
        "Box::leak",
        "CString::into_raw",
    }
)
_CARRIERS = frozenset({"parenthesized_expression", "unsafe_block"})
# Methods that do the same on the owner they are called on (`s.into_raw()`).
_GIVING_UP_METHODS = frozenset({"into_raw", "leak"})


def given_up_again(release: Located) -> bool:
    """Whether the owner `release` rebuilds is given up again: `mem::forget(
    Box::from_raw(p))` or `ManuallyDrop::new(..)` of it, or the local it is bound to
    forgotten, leaked or turned back into a raw pointer later in the same block."""
    outer = _outer_value(release)
    holder = outer.parent()
    if holder is not None and holder.type == "arguments":
        given = holder.parent()
        called = callee(given) if given is not None else None
        return called is not None and not called.is_method and called.qualified in _GIVING_UP
    if holder is None or holder.type != "let_declaration":
        return False
    pattern = holder.field("pattern")
    if pattern is not None and pattern.type == "mut_pattern":
        pattern = next(iter(pattern.named_children()), None)
    block = holder.parent()
    if pattern is None or pattern.type != "identifier" or block is None:
        return False
    pending = [n for n in block.node.named_children if n.start_byte >= holder.node.end_byte]
    while pending:  # the statements after the `let`, not into nested functions
        node = pending.pop()
        if node.type == "call_expression" and _gives_up(block.at(node), pattern.text):
            return True
        if node.type != "function_item":
            pending.extend(node.named_children)
    return False


def _outer_value(release: Located) -> Located:
    """The expression that carries the call's value: `unsafe { Box::from_raw(p) }`."""
    current = release
    while (parent := current.parent()) is not None:
        above = parent.parent() if parent.type == "block" else None
        if parent.type in _CARRIERS or (above is not None and above.type == "unsafe_block"):
            current = parent  # the tail of `unsafe { .. }` is the block's value
        else:
            break
    return current


def _gives_up(call: Located | None, name: str) -> bool:
    called = callee(call) if call is not None else None
    if called is None:
        return False
    if called.is_method:
        given = called.receiver
        if called.name not in _GIVING_UP_METHODS:
            return False
    else:
        if called.qualified not in _GIVING_UP:
            return False
        given = next(iter(arguments(call)), None)
    return given is not None and strip(given).type == "identifier" and strip(given).text == name
