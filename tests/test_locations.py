"""Byte columns from tree-sitter become 1-based UTF-16 columns."""

from __future__ import annotations

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.locations import LineIndex
from interop_lint.analyzer.parsing import descendants_of_type, text
from interop_lint.analyzer.source import SourceFile


def test_utf16_columns_after_multibyte_characters() -> None:
    data = 'fn f() { let s = "é😀"; s.unwrap() }\n'.encode()
    source = SourceFile("lib.rs", FileKind.RUST, data)
    unwrap = next(
        n for n in descendants_of_type(source.root, "field_identifier") if text(n) == "unwrap"
    )
    assert unwrap.start_point[1] == data.index(b"unwrap")
    location = source.location(unwrap)
    # é is 2 bytes / 1 UTF-16 unit; 😀 is 4 bytes / 2 UTF-16 units.
    assert location.column == data.index(b"unwrap") - 1 - 2 + 1
    assert location.end_column == location.column + len("unwrap")


def test_line_text_and_offsets() -> None:
    lines = LineIndex("a.go", b"one\r\ntwo\nthree")
    assert lines.line_text(1) == "one" and lines.line_text(3) == "three"
    assert lines.offset_location(5, 8).line == 2
    whole = lines.line_location(2)
    assert (whole.column, whole.end_column) == (1, 4)
