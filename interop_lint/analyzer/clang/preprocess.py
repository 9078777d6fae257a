"""C text as a C compiler sees it, where tree-sitter needs help.

A C++-compatible header wraps its declarations in
`#ifdef __cplusplus` / `extern "C" {` / `#endif` ... `#ifdef __cplusplus` /
`}` / `#endif`. tree-sitter-c reads the lone braces as an unterminated block
and reports a syntax error in every such header. A C compiler never sees
those lines (`__cplusplus` is not defined in C), so we blank them out before
parsing, byte for byte, keeping every position where it was.
"""

from __future__ import annotations

import re

_CONDITIONAL = re.compile(rb"^\s*#\s*(?P<directive>ifdef|ifndef|if|elif|else|endif)\b(?P<rest>.*)$")
_CPLUSPLUS = re.compile(rb"^\s*(?:defined\s*\(?\s*)?__cplusplus\b\s*\)?\s*(?://.*|/\*.*)?$")
_NOT_CPLUSPLUS = re.compile(rb"^\s*!\s*defined\s*\(?\s*__cplusplus\b\s*\)?\s*(?://.*|/\*.*)?$")


def _opens(directive: bytes, rest: bytes) -> str:
    """How an `#if*` line treats C++: "cpp" (only C++ reads it), "c" (only C), or "other"."""
    if directive == b"ifdef" and _CPLUSPLUS.match(rest):
        return "cpp"
    if directive == b"ifndef" and _CPLUSPLUS.match(rest):
        return "c"
    if directive == b"if" and _CPLUSPLUS.match(rest):
        return "cpp"
    if directive == b"if" and _NOT_CPLUSPLUS.match(rest):
        return "c"
    return "other"


def mask_cplusplus(data: bytes) -> bytes:
    """`data` with the C++-only lines of `__cplusplus` conditionals blanked out."""
    if b"__cplusplus" not in data:
        return data
    lines = data.split(b"\n")
    # One entry per open conditional: (kind, whether its current branch is C++-only).
    stack: list[tuple[str, bool]] = []
    for number, line in enumerate(lines):
        hidden = any(cpp_only for _, cpp_only in stack)
        match = _CONDITIONAL.match(line)
        blank = hidden
        if match is not None:
            directive, rest = match.group("directive"), match.group("rest")
            if directive in (b"ifdef", b"ifndef", b"if"):
                kind = _opens(directive, rest)
                stack.append((kind, kind == "cpp"))
                blank = hidden or kind != "other"
            elif stack and directive in (b"else", b"elif"):
                kind = stack[-1][0]
                if kind != "other":
                    stack[-1] = (kind, kind == "c")  # the other branch of the C++ test
                    blank = True
            elif stack and directive == b"endif":
                kind, _ = stack.pop()
                blank = hidden or kind != "other"
        if blank:
            ending = b"\r" if line.endswith(b"\r") else b""
            lines[number] = b" " * (len(line) - len(ending)) + ending
    return b"\n".join(lines)
