"""Inline suppressions: `// interop-lint: ignore[RS101]` or `# interop-lint: ignore`.

A suppression comment covers its own line. A comment that stands on a line
of its own also covers the line below it (a trailing comment after code is
about that code, not the next line). Without a list it covers every rule; a
list names rule IDs (or prefixes such as `RS1`).
"""

from __future__ import annotations

import re

_PATTERN = re.compile(
    rb"(?://|#|/\*)[ \t]*interop-lint:[ \t]*ignore(?:\[(?P<ids>[A-Za-z0-9_, \t]*)\])?"
)
_ALL = frozenset({""})
_ONLY_COMMENT_MARKERS = re.compile(rb"[\s/#*]*")


class Suppressions:
    """The suppression comments of one file, by 1-based line."""

    __slots__ = ("_by_line", "_next_line")

    def __init__(
        self, by_line: dict[int, frozenset[str]], next_line: dict[int, frozenset[str]]
    ) -> None:
        self._by_line = by_line  # comments that cover their own line
        self._next_line = next_line  # standalone comments, by the line they cover below

    @classmethod
    def scan(cls, data: bytes) -> Suppressions:
        if b"interop-lint:" not in data:  # the common case: nothing to scan
            return cls({}, {})
        by_line: dict[int, frozenset[str]] = {}
        next_line: dict[int, frozenset[str]] = {}
        for number, line in enumerate(data.split(b"\n"), start=1):
            match = _PATTERN.search(line)
            if match is None:
                continue
            ids = match.group("ids")
            if ids is None or not ids.strip():
                covered = _ALL
            else:
                parts = re.split(rb"[,\s]+", ids.strip())
                covered = frozenset(p.decode().upper() for p in parts if p)
            by_line[number] = covered
            if _ONLY_COMMENT_MARKERS.fullmatch(line[: match.start()]):
                next_line[number + 1] = covered
        return cls(by_line, next_line)

    def covers(self, rule_id: str, line: int) -> bool:
        """Whether a finding of `rule_id` on `line` is suppressed in source."""
        for ids in (self._by_line.get(line), self._next_line.get(line)):
            if ids is not None and (ids is _ALL or any(rule_id.startswith(i) for i in ids)):
                return True
        return False
