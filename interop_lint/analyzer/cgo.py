"""The cgo preamble of a Go file, as C, with its positions mapped back to Go.

The preamble is the comment directly above `import "C"`: a run of `//`
lines or one `/* */` block, with no blank line between it and the import.
Its text is C (plus `#cgo` directives). We strip the comment markers but
keep every line where it was, so a C node on preamble row `r`, byte column
`c` sits in the Go file on row `first_row + r`, byte column
`c + column_shift[r]`.
"""

from __future__ import annotations

import re

from msgspec import Struct
from tree_sitter import Node, Tree

from interop_lint.analyzer.locations import LineIndex, Location
from interop_lint.analyzer.parsing import Grammar, parse, text

_CGO_DIRECTIVE = re.compile(r"^\s*#cgo\s+(?P<body>.*)$")


class CgoDirective(Struct, frozen=True):
    """One `#cgo [constraints] NAME: values` line of a preamble."""

    location: Location  # the whole directive line, in the Go file
    constraints: tuple[str, ...]  # e.g. ("linux", "!windows")
    name: str  # CFLAGS, LDFLAGS, pkg-config, ...
    values: str  # everything after the colon


def import_c_declarations(go_root: Node) -> list[Node]:
    """The `import "C"` declarations (or specs inside a grouped import) of a Go file."""
    found = []
    for decl in go_root.children:
        if decl.type != "import_declaration":
            continue
        specs = import_specs(decl)
        for spec, grouped in specs:
            path = spec.child_by_field_name("path")
            if path is not None and text(path) == '"C"':
                # In `import ( ... )` the preamble sits above the spec itself, or, as
                # cgo reads it, above `import (` when "C" is all the group holds.
                alone = len(specs) == 1 and not _comments_above(spec)
                found.append(spec if grouped and not alone else decl)
    return found


def import_specs(decl: Node) -> list[tuple[Node, bool]]:
    """The specs of an import declaration, each with whether it is in a group."""
    specs = []
    for child in decl.named_children:
        if child.type == "import_spec":
            specs.append((child, False))
        elif child.type == "import_spec_list":
            specs.extend((c, True) for c in child.named_children if c.type == "import_spec")
    return specs


def _comments_above(node: Node) -> list[Node]:
    """The comment run directly above `node`, without a blank line in between."""
    run: list[Node] = []
    expected_row = node.start_point[0]
    sibling = node.prev_sibling
    while sibling is not None and sibling.type == "comment":
        if sibling.end_point[0] != expected_row - 1:
            break
        run.append(sibling)
        expected_row = sibling.start_point[0]
        sibling = sibling.prev_sibling
    run.reverse()
    return run


class CgoPreamble:
    """The C text of a preamble, its C tree, and the map back to the Go file."""

    def __init__(self, comments: list[Node], go_lines: LineIndex) -> None:
        self.first_row = comments[0].start_point[0]
        self._go_lines = go_lines
        rows: list[bytes] = []
        shifts: list[int] = []
        for comment in comments:
            raw = comment.text or b""
            start_col = comment.start_point[1]
            if raw.startswith(b"//"):
                rows.append(raw[2:])
                shifts.append(start_col + 2)
                continue
            # A block comment: blank out the markers, keep the rows.
            body = raw[2:-2] if raw.endswith(b"*/") else raw[2:]
            for i, line in enumerate(body.split(b"\n")):
                rows.append(line)
                shifts.append(start_col + 2 if i == 0 else 0)
        self.source = b"\n".join(rows)
        self._shifts = shifts
        self._tree: Tree | None = None
        self._directives: tuple[CgoDirective, ...] | None = None

    @property
    def tree(self) -> Tree:
        tree = self._tree
        if tree is None:
            tree = self._tree = parse(Grammar.C, self.source)
        return tree

    def location(self, node: Node) -> Location:
        """Where a node of the preamble's C tree is in the Go file."""
        return self.point_location(node.start_point, node.end_point)

    def point_location(self, start: tuple[int, int], end: tuple[int, int]) -> Location:
        return self._go_lines.point_location(self._go_point(start), self._go_point(end))

    def _go_point(self, point: tuple[int, int]) -> tuple[int, int]:
        row, column = point
        shift = self._shifts[row] if row < len(self._shifts) else 0
        return (self.first_row + row, column + shift)

    def directives(self) -> list[CgoDirective]:
        """The `#cgo` lines, in order (read once: the Go and the C extractors both ask)."""
        found = self._directives
        if found is None:
            found = self._directives = self._read_directives()
        return list(found)

    def _read_directives(self) -> tuple[CgoDirective, ...]:
        if b"#cgo" not in self.source:
            return ()
        found = []
        for row, raw in enumerate(self.source.split(b"\n")):
            match = _CGO_DIRECTIVE.match(raw.decode("utf-8", errors="replace"))
            if match is None:
                continue
            head, colon, values = match.group("body").partition(":")
            words = head.split()
            if not colon or not words:
                continue  # `#cgo noescape f` and friends carry no flags
            start = raw.index(b"#cgo")
            end = len(raw.rstrip())
            found.append(
                CgoDirective(
                    location=self.point_location((row, start), (row, end)),
                    constraints=tuple(words[:-1]),
                    name=words[-1],
                    values=values.strip(),
                )
            )
        return tuple(found)


def find_preamble(go_root: Node, go_lines: LineIndex) -> CgoPreamble | None:
    """The preamble of the first `import "C"` of a Go file, if it has one."""
    for node in import_c_declarations(go_root):
        comments = _comments_above(node)
        if comments:
            return CgoPreamble(comments, go_lines)
    return None
