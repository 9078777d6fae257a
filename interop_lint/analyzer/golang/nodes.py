"""Where a Go file spells a word or an operator, as the leaf nodes of its tree.

Every question of the Go analysis starts from a handful of tokens: the `C`
of `C.name(...)`, the `:=` of a declaration, the `uintptr` of a conversion,
the name of a variable. Walking the tree in Python costs about a
microsecond per node, and even a tree-sitter query that matches nothing
costs a quarter of the parse: both visit every node. Searching the file's
bytes for the spelling runs at C speed, and `descendant_for_byte_range`
turns each hit into the token's node in a few steps down from the root;
hits inside comments, strings or longer names are not such a token and are
dropped. Rules then look at the few nodes around those tokens.

A tree with syntax errors may hold MISSING tokens that tree-sitter inserted
without any text: those are found by one walk and added, so the tokens are
the tree's whatever its bytes say.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from operator import attrgetter

from tree_sitter import Node

from interop_lint.analyzer.parsing import walk

# Leaf nodes that spell a name (the rest of the leaves are spelled by their type).
NAME_KINDS = frozenset(
    {"identifier", "field_identifier", "type_identifier", "package_identifier", "label_name"}
)
_WORD = re.compile(rb"\w")
_START = attrgetter("start_byte")
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


@cache
def _pattern(spelling: str) -> tuple[re.Pattern[bytes], bool]:
    """Occurrences of `spelling`, not followed by more of a word when it ends one; and
    whether it starts one (then what precedes a hit must not be a word character:
    checked by hand, as a lookbehind would cost `re` its fast search for the literal)."""
    raw = spelling.encode()
    after = rb"(?![A-Za-z0-9_])" if _WORD.match(raw[-1:]) else b""
    return re.compile(re.escape(raw) + after), _WORD.match(raw[:1]) is not None


class TokenIndex:
    """The tokens of one Go file by spelling, found on first use."""

    def __init__(self, root: Node, data: bytes) -> None:
        self._root = root
        self._data = data
        self._found: dict[str, list[Node]] = {}
        self._missing: dict[str, list[Node]] | None = None

    @property
    def has_error(self) -> bool:
        """Whether the tree has syntax errors (MISSING tokens included)."""
        return self._root.has_error

    def text(self, node: Node | None) -> str:
        """The source text of a node of this file ("" for None): a slice of the file's
        bytes, several times cheaper than `node.text`."""
        if node is None:
            return ""
        return self._data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def tokens(self, spelling: str, within: Node | None = None) -> list[Node]:
        """The leaves spelled `spelling` (under `within`), in document order: names
        (identifier, field_identifier, type_identifier, ...) and keywords or
        operators (`var`, `:=`, `&`), never text in comments or strings."""
        nodes = self._found.get(spelling)
        if nodes is None:
            nodes = self._found[spelling] = self._search(spelling)
        if within is None:
            return nodes
        i = bisect_left(nodes, within.start_byte, key=_START)
        end = within.end_byte
        result = []
        while i < len(nodes) and nodes[i].start_byte < end:
            if nodes[i].end_byte <= end:
                result.append(nodes[i])
            i += 1
        return result

    def _search(self, spelling: str) -> list[Node]:
        root, data = self._root, self._data
        pattern, word = _pattern(spelling)
        nodes = []
        for match in pattern.finditer(data):
            start, end = match.span()
            if word and start and data[start - 1] in _WORD_BYTES:
                continue
            node = root.descendant_for_byte_range(start, end)
            if node is None or node.start_byte != start or node.end_byte != end:
                continue
            kind = node.type
            if kind == spelling or kind in NAME_KINDS:
                nodes.append(node)
        if root.has_error:
            nodes += self._missing_tokens().get(spelling, [])
            nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return nodes

    def _missing_tokens(self) -> dict[str, list[Node]]:
        if self._missing is None:
            self._missing = {}
            for node in walk(self._root):
                if node.is_missing and not node.is_named:
                    self._missing.setdefault(node.type, []).append(node)
        return self._missing
