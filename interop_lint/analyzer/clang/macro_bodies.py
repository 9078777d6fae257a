"""Macro text that tree-sitter-c cannot read where real headers put it.

Every function here keeps each byte where it was (blanks are spaces, lines
stay lines), so positions in the prepared text are positions in the file.

- A `/* comment */` inside a backslash-continued `#define` ends tree-sitter-c's
  reading of the macro's value; the rest of the body becomes a syntax error
  (brotli's `decode.h` documents its error-code list that way).
- An X-macro enum, `typedef enum { #define ITEM(..) .. LIST(ITEM, COMMA) } E;`,
  holds directives and a macro call where tree-sitter-c wants enumerators.
  Enums are compared by name only, so the directives and the calls in the
  body are blanked: the enum stays, with the enumerators written out.
- An object-like macro defined as a qualifier (`#define PAM_CONST const`, or
  nothing on another platform) in a parameter list reads as a type name
  followed by a second type. Its uses become the qualifier where it fits in
  the name's width, and nothing where it does not. A macro defined as a type
  (`#define DET_LEN int32_t`, a type the header declares) becomes that type
  where it fits, so that the declarations using it are compared.
"""

from __future__ import annotations

import re

_DEFINE_START = re.compile(rb"^[ \t]*#[ \t]*define\b", re.M)


def mask_define_comments(data: bytes) -> bytes:
    """`data` with the block comments inside multi-line `#define`s blanked out."""
    if (b"\\\n" not in data and b"\\\r\n" not in data) or b"/*" not in data:
        return data
    out = bytearray(data)
    for define in _DEFINE_START.finditer(data):
        comments, end = _directive_comments(data, define.end())
        if data.count(b"\n", define.end(), end) == 0:
            continue  # one line: tree-sitter-c reads its comments
        for start, stop in comments:
            out[start:stop] = _as_continued_blank(data[start:stop])
    return bytes(out)


def _directive_comments(data: bytes, at: int) -> tuple[list[tuple[int, int]], int]:
    """The block comments of the directive going on from `at`, and where it ends: at a
    line break that neither a backslash nor a comment continues (C splices lines,
    then reads a comment as one space, line breaks in it included)."""
    comments = []
    for token in _DIRECTIVE_TOKEN.finditer(data, at):
        if token.group() in (b"\n", b"\r\n"):
            return comments, token.start()
        if token.group().startswith(b"/*"):
            comments.append(token.span())
    return comments, len(data)


# What may hold a `/*` or a line break that does not end the directive: a string or
# character literal, a line comment, a block comment, a backslash-newline; else a
# line break (which ends it).
_DIRECTIVE_TOKEN = re.compile(
    rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//(?:[^\\\n]|\\.)*|/\*.*?(?:\*/|\Z)|\\\r?\n|\r?\n',
    re.S,
)


def _as_continued_blank(comment: bytes) -> bytes:
    """A comment as spaces; a line break inside it keeps the macro going (`\\`)."""
    out = bytearray(_spaces(comment))
    for at, byte in enumerate(out):
        if byte == ord("\n") and at > 0:
            out[at - 1 if out[at - 1] != ord("\r") else at - 2] = ord("\\")
    return bytes(out)


_ENUM_OPEN = re.compile(rb"\benum\b(?:\s+[A-Za-z_]\w*)?\s*\{")
_DIRECTIVE_LINE = re.compile(rb"^[ \t]*#[ \t]*(?:define|undef)\b(?:[^\n]*\\\r?\n)*[^\n]*", re.M)
# An enumerator list item that is a macro call: after `{`, a `,` or a blanked line.
_ITEM_CALL = re.compile(rb"(?:(?<=[{,])|^)(\s*)([A-Za-z_]\w*)\s*\(", re.M)


def mask_enum_macros(data: bytes) -> bytes:
    """`data` with `#define`/`#undef` lines and macro calls blanked out of enum bodies."""
    if b"enum" not in data or (b"#" not in data and b"(" not in data):
        return data
    out = bytearray(data)
    for opening in _ENUM_OPEN.finditer(data):
        close = data.find(b"}", opening.end())
        if close < 0:
            break
        body = _blank(data[opening.end() - 1 : close], _DIRECTIVE_LINE)
        body = _blank_item_calls(body)
        out[opening.end() - 1 : close] = body
    return bytes(out)


def _spaces(text: bytes) -> bytes:
    """`text` as blanks, its line breaks kept."""
    return _NOT_LINE_BREAK.sub(b" ", text)


_NOT_LINE_BREAK = re.compile(rb"[^\r\n]")


def _blank(text: bytes, pattern: re.Pattern[bytes]) -> bytes:
    return pattern.sub(lambda m: _spaces(m.group()), text)


def _blank_item_calls(body: bytes) -> bytes:
    """`{ A = 1, LIST(ITEM, COMMA) }` → `{ A = 1,                  }`: an item that
    is a call, parentheses balanced (an enumerator's value `= F(1)` is no item)."""
    out = bytearray(body)
    for call in _ITEM_CALL.finditer(body):
        end = closing_parenthesis(body, call.end() - 1)
        before = bytes(out[: call.start(2)]).rstrip()
        if end < 0 or not before.endswith((b"{", b",", b"*/")):
            continue  # a value's call that starts a line: `A = 1 +\n F(2),`
        out[call.start(2) : end] = _spaces(body[call.start(2) : end])
    return bytes(out)


def closing_parenthesis(text: bytes, opening: int) -> int:
    """The end of the balanced parentheses opening at `opening`, or -1."""
    depth = 0
    for at in range(opening, len(text)):
        if text[at] == ord("("):
            depth += 1
        elif text[at] == ord(")"):
            depth -= 1
            if depth == 0:
                return at + 1
    return -1


_OBJECT_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])([^\n]*)$", re.M)
_QUALIFIERS = frozenset(
    (b"const", b"volatile", b"restrict", b"__restrict", b"__restrict__", b"__const")
)
_TYPE_WORDS = frozenset(
    b"void char short int long float double signed unsigned _Bool bool wchar_t size_t "
    b"ssize_t ptrdiff_t intptr_t uintptr_t int8_t int16_t int32_t int64_t uint8_t "
    b"uint16_t uint32_t uint64_t struct union enum".split()
)
# The type names a header declares: `typedef .. Name;`, `} Name;`, `struct Name`.
_DECLARED_TYPE = re.compile(
    rb"\btypedef\b[^;{}()]*?\b([A-Za-z_]\w*)\s*;|\}\s*([A-Za-z_]\w*)\s*;"
    rb"|\b(?:struct|union|enum)\s+([A-Za-z_]\w*)"
)


def _object_macro_values(data: bytes) -> dict[bytes, set[bytes]]:
    """The values (comments removed) each object-like macro of `data` is defined as."""
    values: dict[bytes, set[bytes]] = {}
    for define in _OBJECT_DEFINE.finditer(data):
        value = re.sub(rb"/\*.*?\*/|//.*", b"", define.group(2)).strip()
        values.setdefault(define.group(1), set()).add(value)
    return values


# A type's spelling: words (a name, `unsigned long`, `struct tag`, `const`), then
# pointer stars. Words that make a macro something else rule it out.
_TYPE_SPELLING = re.compile(rb"(?:[A-Za-z_]\w*[ \t]*)+(?:\*[ \t]*)*")
_NOT_TYPE_WORDS = frozenset(
    b"extern static inline __inline __inline__ __forceinline register auto typedef "
    b"return sizeof if else do while for goto break continue true false NULL".split()
)


def type_macro_definitions(data: bytes) -> list[tuple[bytes, bytes, int]]:
    """(name, value, offset of the name) of the object-like macros of `data` defined,
    once, as a type's spelling (`#define X_ENCODER Encoder`), for a header that
    writes them in a declaration and includes this one. A macro defined as
    qualifiers only is not a type."""
    if b"define" not in data:
        return []
    values = _object_macro_values(data)
    found = []
    for define in _OBJECT_DEFINE.finditer(data):
        name = define.group(1)
        seen = values[name]
        value = next(iter(seen))
        if len(seen) != 1 or not _TYPE_SPELLING.fullmatch(value):
            continue
        words = value.replace(b"*", b" ").split()
        if all(w in _QUALIFIERS for w in words) or any(w in _NOT_TYPE_WORDS for w in words):
            continue
        found.append((name, value, define.start(1)))
    return found


def mask_type_macros(data: bytes) -> bytes:
    """`data` with the uses of macros defined as a type or a qualifier replaced by
    their value, padded to the name's width (`#define DET_LEN int32_t`, chardetng's
    `#define CHARDETNG_ENCODING_DETECTOR EncodingDetector` of a type the header
    declares). A qualifier macro defined as nothing on another platform is its
    qualifier, blanked when it does not fit; a type that does not fit stays."""
    values = _object_macro_values(data)
    if not values:
        return data
    declared: set[bytes] | None = None
    spelled = {}
    for name, seen in values.items():
        words = seen - {b""}
        if len(words) != 1:
            continue
        value = next(iter(words))
        if all(w in _QUALIFIERS for w in value.split()):
            spelled[name] = value.ljust(len(name)) if len(value) <= len(name) else b" " * len(name)
            continue
        if len(seen) > 1 or len(value) > len(name):
            continue
        if declared is None:
            declared = {n for m in _DECLARED_TYPE.finditer(data) for n in m.groups() if n}
        words_of = value.rstrip(b"* ").split()
        if words_of and all(
            w in _TYPE_WORDS or w in _QUALIFIERS or w in declared for w in words_of
        ):
            spelled[name] = value.ljust(len(name))
    if not spelled:
        return data
    use = re.compile(rb"\b(?:" + b"|".join(re.escape(n) for n in spelled) + rb")\b")
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        if not line.lstrip().startswith(b"#") and use.search(line):
            lines[number] = use.sub(lambda m: spelled[m.group()], line)
    return b"\n".join(lines)
