"""cgo preambles are parsed as C, with positions mapped back to the Go file."""

from __future__ import annotations

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.golang.syntax import preamble_typedefs
from interop_lint.analyzer.parsing import descendants_of_type, text
from interop_lint.analyzer.source import SourceFile

LINE_COMMENTS = b"""package p

// #cgo LDFLAGS: -lm
// #include <stdint.h>
//   int32_t engine_add(int32_t a, int32_t b);
import "C"
"""

BLOCK = b"""package p

/*
#include <stdint.h>
typedef struct { int x; } point;
*/
import "C"
"""

GROUPED = b"""package p

import (
\t"unsafe"

\t// void engine_free(void *p);
\t"C"
)

var _ = unsafe.Pointer(nil)
"""


def _function_name(source: SourceFile, name: str):  # type: ignore[no-untyped-def]
    preamble = source.preamble
    assert preamble is not None
    node = next(
        n for n in descendants_of_type(preamble.tree.root_node, "identifier") if text(n) == name
    )
    return preamble.location(node)


def test_line_comment_preamble_maps_lines_and_columns() -> None:
    source = SourceFile("p.go", FileKind.GO, LINE_COMMENTS)
    location = _function_name(source, "engine_add")
    assert (location.line, location.column) == (
        5,
        LINE_COMMENTS.split(b"\n")[4].index(b"engine_add") + 1,
    )
    (directive,) = source.preamble.directives()
    assert (
        directive.name,
        directive.values,
        directive.location.line,
        directive.location.column,
    ) == (
        "LDFLAGS",
        "-lm",
        3,
        4,
    )


def test_block_comment_preamble() -> None:
    source = SourceFile("p.go", FileKind.GO, BLOCK)
    identifiers = descendants_of_type(source.preamble.tree.root_node, "type_identifier")
    point = next(n for n in identifiers if text(n) == "point")
    location = source.preamble.location(point)
    assert (location.line, location.column) == (5, 27)


def test_grouped_import_preamble() -> None:
    source = SourceFile("p.go", FileKind.GO, GROUPED)
    location = _function_name(source, "engine_free")
    assert (location.line, location.column) == (6, 10)


def test_blank_line_ends_the_preamble() -> None:
    data = b'package p\n\n// #include <stdlib.h>\n\nimport "C"\n'
    assert SourceFile("p.go", FileKind.GO, data).preamble is None


def test_file_without_cgo_has_no_preamble() -> None:
    data = b'package p\n\n// A comment.\nimport "fmt"\n'
    assert SourceFile("p.go", FileKind.GO, data).preamble is None


def test_typedefs_of_a_preamble_without_typedef_need_no_c_parse() -> None:
    plain = SourceFile("p/a.go", FileKind.GO, LINE_COMMENTS).preamble
    assert plain is not None
    assert preamble_typedefs(plain) == frozenset()
    assert plain._tree is None  # only `#include`s and prototypes: not parsed for this
    assert [d.name for d in plain.directives()] == ["LDFLAGS"]
    assert plain.directives() == plain.directives()  # read once, a fresh list each time
    block = SourceFile("p/a.go", FileKind.GO, BLOCK).preamble
    assert block is not None and preamble_typedefs(block) == frozenset({"point"})
