"""Source positions, and the one conversion from tree-sitter's byte columns.

Tree-sitter reports 0-based rows and 0-based *byte* columns. Every location
that leaves the analyzer is 1-based and counts columns in UTF-16 code units:
the SARIF default (`run.columnKind = "utf16CodeUnits"`) and the unit editors
such as VS Code use, so a text-report column lands on the right character.
"""

from __future__ import annotations

from bisect import bisect_right

from msgspec import Struct

COLUMN_KIND = "utf16CodeUnits"


class Location(Struct, frozen=True, order=True):
    """A region of one file: 1-based lines, 1-based UTF-16 columns, end exclusive.

    `path` is relative to the project root, with `/` separators.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def place(self) -> str:
        """`path:line`, as messages cite another place."""
        return f"{self.path}:{self.line}"


class RelatedLocation(Struct, frozen=True):
    """Supporting evidence for a finding: the other side of a pair, a panic site..."""

    location: Location
    message: str


def _utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    # Characters outside the BMP take two UTF-16 code units.
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class LineIndex:
    """Maps byte offsets and (row, byte column) points of one file to locations."""

    __slots__ = ("_ascii", "_data", "_starts", "path")

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self._data = data
        # Most source files are ASCII: then a byte column is the UTF-16 column.
        self._ascii = data.isascii()
        starts = [0]
        find = data.find
        pos = find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_bytes(self, row: int) -> bytes:
        """The bytes of 0-based `row`, without its line terminator."""
        if row < 0 or row >= len(self._starts):
            return b""
        start = self._starts[row]
        end = self._starts[row + 1] - 1 if row + 1 < len(self._starts) else len(self._data)
        return self._data[start:end].rstrip(b"\r")

    def line_text(self, line: int) -> str:
        """The text of 1-based `line`."""
        return self.line_bytes(line - 1).decode("utf-8", errors="replace")

    def row_of_offset(self, offset: int) -> int:
        return bisect_right(self._starts, offset) - 1

    def column(self, row: int, byte_column: int) -> int:
        """The 1-based UTF-16 column of a 0-based (row, byte column) point."""
        if self._ascii or row < 0 or row >= len(self._starts):
            return byte_column + 1
        start = self._starts[row]
        prefix = self._data[start : start + byte_column]
        if prefix.isascii():
            return len(prefix) + 1
        return _utf16_length(prefix.decode("utf-8", errors="replace")) + 1

    def point_location(
        self, start: tuple[int, int], end: tuple[int, int], *, line_offset: int = 0
    ) -> Location:
        """A location from tree-sitter points (0-based rows, byte columns)."""
        if self._ascii:  # most files, and every fact has a location: no column lookups
            return Location(
                self.path,
                start[0] + 1 + line_offset,
                start[1] + 1,
                end[0] + 1 + line_offset,
                end[1] + 1,
            )
        return Location(
            self.path,
            start[0] + 1 + line_offset,
            self.column(start[0], start[1]),
            end[0] + 1 + line_offset,
            self.column(end[0], end[1]),
        )

    def offset_location(self, start: int, end: int) -> Location:
        """A location from byte offsets into the file."""
        start_row = self.row_of_offset(start)
        end_row = self.row_of_offset(end)
        return self.point_location(
            (start_row, start - self._starts[start_row]),
            (end_row, end - self._starts[end_row]),
        )

    def line_location(self, line: int) -> Location:
        """The whole of 1-based `line`, for findings on a line rather than a node."""
        row = line - 1
        text = self.line_bytes(row)
        indent = len(text) - len(text.lstrip())
        return Location(
            self.path, line, self.column(row, indent), line, self.column(row, len(text))
        )
