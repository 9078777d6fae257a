"""Whether an item's doc comment has a `# Safety` section, as clippy decides (RS108).

Clippy's `missing_safety_doc` parses the doc as Markdown and accepts a
heading whose text, trimmed, is exactly `Safety`, `SAFETY`, `Implementation
safety` or `Implementation Safety`, at any level, ATX (`## Safety`) or setext
(`Safety` over `---`). Markdown wants a space after the `#`s: `#Safety` is a
paragraph, and so is a heading written in a code block. `# Safety:` or
`# safety` is a heading with other text.
"""

from __future__ import annotations

import re

_SAFETY_TITLES = frozenset({"Safety", "SAFETY", "Implementation safety", "Implementation Safety"})
# An ATX heading: up to 3 spaces, 1-6 `#`, then a space or the end of the line; the
# closing `#`s (after a space) are not part of its text.
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_EMPHASIS = "*_"  # `# **Safety**` is a heading whose text is `Safety`


def has_safety_section(docs: list[str]) -> bool:
    """Whether the doc comment (the texts `doc_comments_of` gives) has a safety heading."""
    lines = _lines(docs)
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening is not None and opening["fence"][0] == fence[0]:
                fence = None  # the code block ends
            continue
        if opening is not None:
            fence = opening["fence"]
            continue
        heading = _ATX.match(line)
        if heading is not None:
            if _title(heading["text"] or "") in _SAFETY_TITLES:
                return True
            continue
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() and _SETEXT_UNDERLINE.match(following) and _title(line) in _SAFETY_TITLES:
            return True
    return False


# What a reader takes for a safety heading that Markdown or clippy does not.
_NEAR_MISS = re.compile(r"^ {0,3}#{1,6}[ \t]*\W*safety\b.*$|^ {0,3}\W*safety\W*:?[ \t]*$", re.I)


def near_miss(docs: list[str]) -> str | None:
    """A line that looks meant as the safety heading but is none (`#Safety`,
    `# Safety:`), for the message; None when there is none."""
    for line in _lines(docs):
        if _NEAR_MISS.match(line):
            return line.strip()
    return None


def _title(written: str) -> str:
    return written.strip().strip(_EMPHASIS).strip()


def _lines(docs: list[str]) -> list[str]:
    """The lines of the doc (a `///` comment's text ends with its newline)."""
    return _unindented("\n".join(d.removesuffix("\n") for d in docs).splitlines())


def _unindented(lines: list[str]) -> list[str]:
    """The lines without the indentation they all share (`/// # Safety` is ` # Safety`),
    as rustdoc removes it before the Markdown is read; a block comment's ` * ` too."""
    if lines and all(not line.strip() or line.lstrip().startswith("*") for line in lines):
        lines = [line.lstrip()[1:] for line in lines]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    common = min(indents, default=0)
    return [line[common:] for line in lines]
