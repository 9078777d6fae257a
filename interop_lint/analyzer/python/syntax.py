"""Parsing a Python file with libcst, and locating its nodes.

Imported only when a file mentions ctypes: libcst is slow to import.
Locations come from libcst's byte spans, converted by the file's
`LineIndex` like every other location (1-based UTF-16 columns).
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper
from msgspec import Struct

from interop_lint.analyzer.locations import LineIndex, Location


class ParseFailure(Struct, frozen=True):
    line: int  # 0 when unknown
    message: str


class Located:
    """A parsed module and where each of its nodes is."""

    def __init__(self, module: cst.Module, lines: LineIndex) -> None:
        self.module = module
        self._lines = lines
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self._spans = wrapper.resolve(ByteSpanPositionProvider)

    def locate(self, node: cst.CSTNode) -> Location:
        span = self._spans.get(node)
        if span is None:
            return Location(self._lines.path, 1, 1, 1, 1)
        return self._lines.offset_location(span.start, span.start + span.length)


def parse(data: bytes, lines: LineIndex) -> Located | ParseFailure:
    """The module with its node locations, or why it could not be read."""
    try:
        return Located(cst.parse_module(data), lines)
    except cst.ParserSyntaxError as error:
        return ParseFailure(error.raw_line, "syntax error; not analysed")
    except RecursionError:
        return ParseFailure(0, "skipped: Python nested too deeply to analyse")
    except (UnicodeDecodeError, LookupError):  # an invalid byte, an unknown coding cookie
        return ParseFailure(0, "not valid Python source text; not analysed")
