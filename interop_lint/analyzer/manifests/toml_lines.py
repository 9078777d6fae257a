"""Where each key of a TOML document is: `tomllib` parses, this finds lines.

`tomllib` gives values without positions, yet a finding must point at the
line of the dependency in Cargo.toml. This scanner follows the document's
table headers and `key = value` lines (skipping multi-line strings and
arrays) and records the 1-based line of every key path, e.g.
`("target", "cfg(unix)", "dependencies", "libc")`.
"""

from __future__ import annotations

import re
import tomllib
from typing import TYPE_CHECKING, Any

from interop_lint.analyzer.findings import Notification, NotificationKind

if TYPE_CHECKING:
    from interop_lint.analyzer.facts import FileFacts
    from interop_lint.analyzer.source import SourceFile

KeyPath = tuple[str, ...]
_TOML_ERROR_LINE = re.compile(r"at line (\d+)")


def load_toml(source: SourceFile, facts: FileFacts, what: str) -> dict[str, Any] | None:
    """The document, or None after a MALFORMED notification at the error's line. A
    document that is not UTF-8 (which TOML requires) is read with its bad bytes
    replaced, after a notification."""
    try:
        source.data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = source.data.count(b"\n", 0, error.start) + 1
        malformed(source, facts, line, f"{what} is not valid TOML: not UTF-8 text")
    try:
        return tomllib.loads(source.text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:  # too deep: a RecursionError
        found = _TOML_ERROR_LINE.search(str(error))
        line = int(found.group(1)) if found else 0
        malformed(source, facts, line, f"{what} is not valid TOML: {error}")
        return None


def malformed(source: SourceFile, facts: FileFacts, line: int, message: str) -> None:
    """A MALFORMED notification for the manifest at `line` (0: the whole file)."""
    facts.notifications.append(Notification(source.path, line, NotificationKind.MALFORMED, message))


_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_ESCAPE = re.compile(r'\\(["\\/bfnrt]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')


def _read_key(line: str, pos: int) -> tuple[KeyPath, int] | None:
    """A dotted key starting at `pos`; returns its parts and the position after it."""
    parts: list[str] = []
    while True:
        while pos < len(line) and line[pos] in " \t":
            pos += 1
        if pos >= len(line):
            return None
        char = line[pos]
        if char in "\"'":
            end = pos + 1
            while end < len(line) and line[end] != char:
                end += 2 if char == '"' and line[end] == "\\" else 1
            if end >= len(line):
                return None
            raw = line[pos + 1 : end]
            parts.append(_unescape(raw) if char == '"' else raw)
            pos = end + 1
        else:
            match = _BARE.match(line, pos)
            if match is None:
                return None
            parts.append(match.group())
            pos = match.end()
        while pos < len(line) and line[pos] in " \t":
            pos += 1
        if pos < len(line) and line[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def _unescape(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        return {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}.get(code, code)

    return _BASIC_ESCAPE.sub(replace, raw)


def _scan_value(value: str, state: list[str]) -> None:
    """Track what a value leaves open at the end of its line: strings and brackets.

    `state` is a stack of open constructs: '[' or '{' for brackets, '\"\"\"' or
    \"'''\" for multi-line strings.
    """
    i = 0
    while i < len(value):
        if state and state[-1] in ('"""', "'''"):
            delimiter = state[-1]
            end = value.find(delimiter, i)
            while delimiter == '"""' and end > 0 and value[end - 1] == "\\":
                end = value.find(delimiter, end + 1)
            if end < 0:
                return
            state.pop()
            i = end + 3
            continue
        char = value[i]
        if char == "#":
            return
        if value.startswith(('"""', "'''"), i):
            state.append(value[i : i + 3])
            i += 3
        elif char in "\"'":
            end = i + 1
            while end < len(value) and value[end] != char:
                end += 2 if char == '"' and value[end] == "\\" else 1
            i = end + 1
        elif char in "[{":
            state.append(char)
            i += 1
        elif char in "]}":
            if state:
                state.pop()
            i += 1
        else:
            i += 1


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line of the first occurrence of every table and key path."""
    found: dict[KeyPath, int] = {}
    table: KeyPath = ()
    state: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if state:
            _scan_value(line, state)
            continue
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            parsed = _read_key(stripped, 2 if array else 1)
            if parsed is not None:
                table = parsed[0]
                found.setdefault(table, number)
            continue
        parsed = _read_key(line, 0)
        if parsed is None:
            continue
        key, pos = parsed
        if pos >= len(line) or line[pos] != "=":
            continue
        # `serde.workspace = true` declares `serde` on this line too.
        for end in range(1, len(key) + 1):
            found.setdefault(table + key[:end], number)
        _scan_value(line[pos + 1 :], state)
    return found


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of `path`, else of its nearest recorded ancestor (inline tables), else 1."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return 1
