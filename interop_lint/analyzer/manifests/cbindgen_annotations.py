"""What a Rust file's doc comments tell cbindgen to leave out of the header.

cbindgen reads annotations from doc comments (`/// cbindgen:ignore`, or
`#[doc = "cbindgen:ignore"]`). `cbindgen:ignore` skips the item it documents,
and everything inside when it documents a `mod { .. }` or an `impl` block;
`cbindgen:no-export` keeps an item out of the output too. An inner doc
comment (`//! cbindgen:ignore`) at the top of a file skips the whole module.

`skipped_lines(text, lines)` answers for the lines where functions are named;
`skipped_modules(text)` names the `mod name;` declarations so documented,
whose files cbindgen never reads (nor the modules they declare in turn).
Brace nesting is followed through comments, strings, raw strings and
character literals; a block's annotations are those right above the line of
its opening brace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SKIP = re.compile(r"cbindgen:(?:ignore|no-export)\b")
_ATTRIBUTE_LINE = re.compile(r"\s*(?:///|//!|//|/\*|\*|#\[|#!\[|\)|\]|$)")
_DOC = re.compile(r"\s*(?:///|/\*\*|\*|#\[doc\b)")
_RAW_STRING = re.compile(r'b?r(#*)"')
_CHAR = re.compile(r"b?'(?:\\.[^']*|[^'\\])'")
_MODULE_DECLARATION = re.compile(r"\s*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+(?:r#)?(\w+)\s*;")


def skipped_lines(text: str, lines: Iterable[int]) -> frozenset[int]:
    """The lines (1-based) among `lines` whose item cbindgen is told to skip."""
    wanted = set(lines)
    source = text.splitlines()
    if not wanted:
        return frozenset()
    if any(_SKIP.search(line) for line in _inner_docs(source)):
        return frozenset(wanted)
    skipped = set()
    for line, enclosing in _enclosing_blocks(text, wanted):
        if any(_annotated(source, opened) for opened in (line, *enclosing)):
            skipped.add(line)
    return frozenset(skipped)


def skipped_modules(text: str) -> tuple[str, ...]:
    """The modules declared `mod name;` outside any block whose declaration carries a
    skip annotation: cbindgen does not read their files."""
    source = text.splitlines()
    candidates = {
        number: found.group(1)
        for number, line in enumerate(source, start=1)
        if (found := _MODULE_DECLARATION.match(line)) is not None
    }
    if not candidates:
        return ()
    top_level = {
        line for line, enclosing in _enclosing_blocks(text, set(candidates)) if not enclosing
    }
    return tuple(
        name
        for line, name in sorted(candidates.items())
        if line in top_level and _annotated(source, line)
    )


def _inner_docs(source: list[str]) -> Iterable[str]:
    """The file's leading inner doc comments and attributes."""
    for line in source:
        stripped = line.strip()
        if stripped.startswith(("//!", "#![")):
            yield stripped
        elif stripped and not stripped.startswith("//"):
            return


def _annotated(source: list[str], line: int) -> bool:
    """Whether the doc comments and attributes right above a line (1-based), or on it
    before the item, carry a skip annotation."""
    index = line - 2
    while index >= 0 and _ATTRIBUTE_LINE.match(source[index]):
        if _DOC.match(source[index]) and _SKIP.search(source[index]):
            return True
        index -= 1
    return False


def _enclosing_blocks(text: str, wanted: set[int]) -> list[tuple[int, tuple[int, ...]]]:
    """For each wanted line, the lines of the opening braces of the blocks around it."""
    found: list[tuple[int, tuple[int, ...]]] = []
    stack: list[int] = []
    line, position, length = 1, 0, len(text)
    pending = sorted(wanted)
    while position < length and pending:
        while pending and pending[0] <= line:
            found.append((pending.pop(0), tuple(stack)))
        char = text[position]
        if char == "\n":
            line += 1
            position += 1
            continue
        skipped = _skip_token(text, position)
        if skipped > position:
            line += text.count("\n", position, skipped)
            position = skipped
            continue
        if char == "{":
            stack.append(line)
        elif char == "}" and stack:
            stack.pop()
        position += 1
    found += [(rest, tuple(stack)) for rest in pending]
    return found


def _skip_token(text: str, position: int) -> int:
    """The end of a comment, string or character literal starting at `position`, or
    `position` when none starts there."""
    if text.startswith("//", position):
        end = text.find("\n", position)
        return len(text) if end < 0 else end
    if text.startswith("/*", position):
        depth, at = 1, position + 2
        while depth and at < len(text):
            if text.startswith("/*", at):
                depth, at = depth + 1, at + 2
            elif text.startswith("*/", at):
                depth, at = depth - 1, at + 2
            else:
                at += 1
        return at
    raw = _RAW_STRING.match(text, position)
    if raw is not None and (position == 0 or not _word(text[position - 1])):
        end = text.find('"' + raw.group(1), raw.end())
        return len(text) if end < 0 else end + 1 + len(raw.group(1))
    if text[position] == '"' or text.startswith('b"', position):
        at = text.index('"', position) + 1
        while at < len(text) and text[at] != '"':
            at += 2 if text[at] == "\\" else 1
        return at + 1
    char = _CHAR.match(text, position)
    if char is not None and (position == 0 or not _word(text[position - 1])):
        return char.end()
    return position


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"
