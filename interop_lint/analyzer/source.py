"""One file of the project as rules see it: bytes, lines, tree, suppressions.

Everything is computed lazily and at most once: a file that no rule and no
extractor asks about is never decoded or parsed.
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.cache_keys import content_digest
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.locations import LineIndex, Location
from interop_lint.analyzer.suppressions import Suppressions

# Tree-sitter and the grammars load with the first tree: reading and hashing
# files (a run the cache answers) needs neither.
if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from interop_lint.analyzer.cgo import CgoPreamble
    from interop_lint.analyzer.parsing import Grammar
    from interop_lint.analyzer.rust.expansion import ExportMacroText

_PARSED_KINDS = {
    FileKind.GO: "go",
    FileKind.RUST: "rust",
    FileKind.C_HEADER: "c",
    FileKind.C_SOURCE: "c",
}


class SourceFile:
    """A file's content and everything derived from it, for one run."""

    def __init__(self, path: str, kind: FileKind, data: bytes) -> None:
        self.path = path
        self.kind = kind
        self.data = data
        self._item_macros: dict[int, str] = {}
        self._code: bytes | None = None
        # The export macros of other files of the crate (rust.expansion), set by the engine.
        self.export_macros: tuple[ExportMacroText, ...] = ()

    @classmethod
    def read(cls, root: str, path: str, kind: FileKind) -> SourceFile:
        """Read a file of the project (raises OSError when it cannot be read).

        With `os.read` of the size `fstat` gives rather than `open().read()`:
        a quarter less time for the small files a tree is made of."""
        fd = os.open(os.path.join(root, path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            size = os.fstat(fd).st_size
            data = os.read(fd, size + 1)
            if len(data) > size:  # it grew since, or fstat does not know (a pipe)
                chunks = [data]
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
                data = b"".join(chunks)
        finally:
            os.close(fd)
        return cls(path, kind, data)

    @cached_property
    def digest(self) -> str:
        return content_digest(self.data)

    @property
    def index_digest(self) -> str:
        """What the file's facts depend on: its content, and the export macros of
        other files of its crate it expands (rust.expansion)."""
        if not self.export_macros:
            return self.digest
        from msgspec.msgpack import encode

        return content_digest(self.digest.encode() + encode(self.export_macros))

    @cached_property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.path, self.data)

    @property
    def grammar(self) -> Grammar | None:
        from interop_lint.analyzer.parsing import Grammar

        name = _PARSED_KINDS.get(self.kind)
        return None if name is None else Grammar(name)

    @cached_property
    def tree(self) -> Tree:
        from interop_lint.analyzer.parsing import parse

        grammar = self.grammar
        if grammar is None:
            raise TypeError(f"{self.path}: {self.kind.value} files have no syntax tree")
        tree = parse(grammar, self.data)
        if grammar != "rust":
            return tree
        from interop_lint.analyzer.rust.item_macros import unwrap_item_macros

        self._code = None
        if self.export_macros or b"macro_rules" in self.data:  # exports macros write
            from interop_lint.analyzer.rust.expansion import (
                ExpandedLineIndex,
                expand_export_macros,
            )

            expanded = expand_export_macros(tree, self.data, self.export_macros)
            if expanded is not None:
                tree, self._code = expanded.tree, expanded.code
                self.__dict__["lines"] = ExpandedLineIndex(
                    self.path, expanded.code, len(self.data), expanded.spans
                )
        # functions written in macro invocations, as items
        tree, self._item_macros = unwrap_item_macros(tree, self.code)
        return tree

    @property
    def code(self) -> bytes:
        """The bytes the tree was parsed from: the file's, and for a Rust file the
        expansions of its crate's export macros after them (rust.expansion)."""
        if self._code is None:
            return self.data
        return self._code

    @property
    def item_macros(self) -> dict[int, str]:
        """The macro each function item of a Rust file was written in (by the item's
        start byte), for the functions written in item-level macro invocations
        (rust.item_macros)."""
        self.tree  # noqa: B018 (made with the tree)
        return self._item_macros

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @cached_property
    def preamble(self) -> CgoPreamble | None:
        """The cgo preamble of a Go file (None for other files or without one)."""
        if self.kind is not FileKind.GO or b'"C"' not in self.data:
            return None
        from interop_lint.analyzer.cgo import find_preamble

        return find_preamble(self.root, self.lines)

    @cached_property
    def suppressions(self) -> Suppressions:
        return Suppressions.scan(self.data)

    def location(self, node: Node) -> Location:
        """The location of a node of this file's own tree."""
        return self.lines.point_location(node.start_point, node.end_point)

    def syntax_error(self) -> Location | None:
        """Where the first syntax error is, if the tree has one."""
        if self.kind not in _PARSED_KINDS:
            return None
        from interop_lint.analyzer.parsing import first_error

        # A C function body holds no declaration of the contract: a statement
        # split by `#ifdef` (`if (a)\n#endif\n f();`) loses nothing worth a notice.
        prune = ("compound_statement",) if _PARSED_KINDS[self.kind] == "c" else ()
        error = first_error(self.root, prune=prune)
        return None if error is None else self.location(error)
