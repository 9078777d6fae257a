"""Rust text as rustc 2024 reads it, where tree-sitter-rust needs help.

Rust 2024 marks the items of an `unsafe extern "C" { .. }` block as `safe`
or `unsafe` (`pub safe fn abs(i: i32) -> i32;`). tree-sitter-rust does not
know these qualifiers inside a foreign block and reports a syntax error at
each one, which hides nothing we need (foreign items are imports, never
exports) but would put a parse-error notification on every such crate. We
blank the qualifier out, byte for byte, keeping every position where it was.
"""

from __future__ import annotations

import re

# A foreign block holds declarations only, so its first `}` closes it.
_FOREIGN_BLOCK = re.compile(rb'\bextern\s*(?:"[^"\n]*"\s*)?\{[^{}]*\}')
_ITEM_QUALIFIER = re.compile(rb"\b(?:safe|unsafe)(?=\s+(?:fn|static)\b)")


def _blank(match: re.Match[bytes]) -> bytes:
    return b" " * (match.end() - match.start())


def _blank_qualifiers(block: re.Match[bytes]) -> bytes:
    return _ITEM_QUALIFIER.sub(_blank, block.group())


def prepare(data: bytes) -> bytes:
    """`data` with the `safe`/`unsafe` qualifiers of foreign items blanked out."""
    if b"safe fn" not in data and b"safe static" not in data:
        return data
    return _FOREIGN_BLOCK.sub(_blank_qualifiers, data)
