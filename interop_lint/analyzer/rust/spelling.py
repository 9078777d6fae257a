"""Names found by their bytes: cheaper than walking the nodes that could hold them.

Macro bodies are copies of the file's text, so a name written nowhere in a
span of the file is written nowhere in the syntax there either, macro bodies
included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from interop_lint.analyzer.rust.body import Located

_WORD = re.compile(rb"(?:r#)?[A-Za-z_][A-Za-z0-9_]*")


class Spelled:
    """The names written in some spans of a text, for "may `name` be one of them?".

    An ASCII name is looked up among the words of the spans (one pass over
    them); any other name is searched for in each span. A name that is not
    spelled there is certainly not an identifier there.
    """

    def __init__(self, data: bytes, spans: list[tuple[int, int]]) -> None:
        self._data = data
        self._spans = spans
        self._words: set[bytes] | None = None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.any_of((name,))

    def any_of(self, names: Iterable[str]) -> bool:
        """Whether one of `names` is spelled here."""
        others = []
        for name in names:
            if not name.isascii():
                others.append(name.encode())
            elif name.encode() in self._spelled_words():
                return True
        return any(
            self._data.find(n, start, end) >= 0 for n in others for start, end in self._spans
        )

    def _spelled_words(self) -> set[bytes]:
        if self._words is None:
            find = _WORD.findall
            self._words = {w for start, end in self._spans for w in find(self._data, start, end)}
        return self._words


def identifiers_named(within: Located, names: Iterable[str], after: int = -1) -> Iterator[Located]:
    """The identifiers under `within` (starting after `after`, in its fragment) spelled as
    one of `names`, found by their text: name by name, each in file order."""
    node, data = within.node, within.fragment.data
    for name in names:
        wanted = name.encode()
        at = data.find(wanted, max(node.start_byte, after + 1), node.end_byte)
        while at >= 0:
            found = node.descendant_for_byte_range(at, at + len(wanted))
            spans = (
                found is not None and found.start_byte == at and found.end_byte == at + len(wanted)
            )
            if spans and found.type == "identifier":  # type: ignore[union-attr]
                yield Located(found, within.fragment)  # type: ignore[arg-type]
            at = data.find(wanted, at + 1, node.end_byte)
