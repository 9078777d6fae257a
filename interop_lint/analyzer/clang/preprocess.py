"""C text as a C compiler sees it, where tree-sitter needs help.

A C++-compatible header wraps its declarations in
`#ifdef __cplusplus` / `extern "C" {` / `#endif` ... `#ifdef __cplusplus` /
`}` / `#endif`. tree-sitter-c reads the lone braces as an unterminated block
and reports a syntax error in every such header. A C compiler never sees
those lines (`__cplusplus` is not defined in C), so we blank them out before
parsing, byte for byte, keeping every position where it was.

Export macros are the other common stumbling block: in
`ENGINE_API int32_t f(void);` tree-sitter-c takes `ENGINE_API` for the type.
A macro that the same text defines as nothing but an attribute
(`__attribute__((visibility("default")))`, `__declspec(dllexport)`, empty)
expands to nothing a type depends on, so its uses are blanked out too. So
are those of a function-like macro defined so, with their arguments:
cbindgen writes `typedef struct __CBINDGEN_ALIGNED(8) { .. } T;` for a
`#[repr(C, align(8))]` struct, with `#define __CBINDGEN_ALIGNED(n)
__attribute__((aligned(n)))` at the top of the header. An export macro
defined in another header (brotli's `BROTLI_ENC_API` in its port.h, zlib's
`ZEXTERN`/`ZEXPORT`) is known by its conventional name (`_CONVENTIONAL_EXPORT`):
a file is prepared on its own. Comments in multi-line macros, X-macro enums,
and qualifier and type macros are handled in clang/macro_bodies.py.
"""

from __future__ import annotations

import re

from interop_lint.analyzer.clang.macro_bodies import (
    closing_parenthesis,
    mask_define_comments,
    mask_enum_macros,
    mask_type_macros,
)

_CONDITIONAL = re.compile(rb"^\s*#\s*(?P<directive>ifdef|ifndef|if|elif|else|endif)\b(?P<rest>.*)$")
# `__cplusplus`, `defined(__cplusplus)`, and with the old `|| defined(c_plusplus)` (brotli)
_CPLUSPLUS = re.compile(
    rb"^\s*(?:defined\s*\(?\s*)?__cplusplus\b\s*\)?"
    rb"(?:\s*\|\|\s*defined\s*\(?\s*c_plusplus\s*\)?)?\s*(?://.*|/\*.*)?$"
)
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


_DEFINE = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+(?P<name>[A-Za-z_]\w*)(?P<rest>.*)$", re.M)
# `=NULL`, `=0`: a C++ default argument (blst's `const byte *info DEFNULL`), which a
# C compiler sees as the macro's empty C definition.
# MSVC's calling-convention keywords (`typedef void (__cdecl *log_cb)(..)`, Unity's
# `#define UNITY_INTERFACE_API __stdcall`): they change no type a rule compares.
_CONVENTIONS = rb"__cdecl|__stdcall|__fastcall|__vectorcall|__thiscall|_cdecl|_stdcall|__pascal"
_ATTRIBUTE_VALUE = re.compile(
    rb"^(?:\s*$|\s*=|\s+(?:__attribute__|__declspec|\[\[|extern\b|(?:" + _CONVENTIONS + rb")\b))"
)
_CONVENTION = re.compile(rb"\b(?:" + _CONVENTIONS + rb")\b")


def prepare(data: bytes) -> bytes:
    """C text made easier for tree-sitter-c, every byte where it was."""
    data = mask_type_macros(mask_export_macros(mask_cplusplus(data)))
    return mask_enum_macros(mask_enum_bases(mask_define_comments(data)))


# C23 gives an enum a fixed underlying type, `enum Kind : uint8_t { .. }`,
# which tree-sitter-c cannot read. The base is turned into a comment, with the
# `#if __STDC_VERSION__ >= 202311L` .. `#endif` that cbindgen writes around it
# for tagged enums: the comment tells `clang.enums` that the enum's width is
# not the compiler's `int`.
_ENUM_BASE = re.compile(
    rb"\benum(?:\s+[A-Za-z_]\w*)?\s*"
    rb"((?:#[ \t]*if[^\n]*\n\s*)?:[\w\s]+?(?:#[ \t]*endif[^\n]*\n\s*)?)\{"
)


def mask_enum_bases(data: bytes) -> bytes:
    """`data` with the `: type` of C23 enum declarations made a comment."""
    if b"enum" not in data:
        return data

    def blank(match: re.Match[bytes]) -> bytes:
        start = match.start(1)
        base = re.sub(rb"[^\n]", b" ", match.group(1))  # lines stay where they were
        opens, closes = base.find(b"  "), base.rfind(b"  ")
        if opens >= 0 and opens + 2 <= closes and b"*/" not in match.group(1):
            base = b"%b/*%b*/%b" % (base[:opens], base[opens + 2 : closes], base[closes + 2 :])
        return match.group()[: start - match.start()] + base + b"{"

    return _ENUM_BASE.sub(blank, data)


def mask_export_macros(data: bytes) -> bytes:
    """`data` with the uses of attribute-only macros blanked out: an object-like
    macro's name, a function-like macro's name with its arguments
    (`__CBINDGEN_ALIGNED(8)` of `#define __CBINDGEN_ALIGNED(n) __attribute__((aligned(n)))`)."""
    verdicts: dict[bytes, bool] = {}
    spelled: dict[bytes, list[bytes]] = {}  # the other values of object-like macros
    function_like: set[bytes] = set()
    for match in _DEFINE.finditer(data):
        name, rest = match.group("name"), _COMMENT.sub(b"", match.group("rest"))
        if rest.startswith(b"("):  # function-like: the parameters, then the body
            close = rest.find(b")")
            attribute_only = close > 0 and bool(_ATTRIBUTE_VALUE.match(rest[close + 1 :]))
            function_like.add(name)
        else:
            attribute_only = bool(_ATTRIBUTE_VALUE.match(rest))
        verdicts[name] = verdicts.get(name, True) and attribute_only
        if not attribute_only and not rest.startswith(b"("):
            spelled.setdefault(name, []).append(rest)
    _through_other_macros(verdicts, spelled)
    names = [re.escape(name) for name, ok in verdicts.items() if ok]
    conventional = {
        m.group() for m in _CONVENTIONAL_EXPORT.finditer(data) if verdicts.get(m.group(), True)
    }
    names += [re.escape(name) for name in conventional if name not in verdicts]
    names += [re.escape(name) for name in sorted(set(_CONVENTION.findall(data)))]
    if not names:
        return data
    use = re.compile(rb"\b(?:" + b"|".join(names) + rb")\b")
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        if not line.lstrip().startswith(b"#"):
            lines[number] = _blank_uses(line, use, function_like)
    return b"\n".join(lines)


def _through_other_macros(verdicts: dict[bytes, bool], spelled: dict[bytes, list[bytes]]) -> None:
    """Marks attribute-only the macros whose every value is made of attribute-only
    macros and attributes: zstd's `#define ZSTDLIB_API __declspec(dllexport)
    ZSTDLIB_VISIBLE`, with `ZSTDLIB_VISIBLE` defined as an attribute or nothing."""
    changed = True
    while changed:
        changed = False
        for name, values in spelled.items():
            if verdicts.get(name) or not all(_made_of_attributes(v, verdicts) for v in values):
                continue
            verdicts[name] = changed = True


_COMMENT = re.compile(rb"/\*.*?\*/|//.*$")
_ATTRIBUTES = re.compile(
    rb"/\*.*?\*/|//.*$|__declspec\s*\([^()]*\)|__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)"
)
_WORD = re.compile(rb"[A-Za-z_]\w*")


def _made_of_attributes(value: bytes, verdicts: dict[bytes, bool]) -> bool:
    words = _CONVENTION.sub(b" ", _ATTRIBUTES.sub(b" ", value)).split()
    return bool(words) and all(
        _WORD.fullmatch(w) and verdicts.get(w, bool(_CONVENTIONAL_NAME.fullmatch(w))) for w in words
    )


# An export or calling-convention macro defined in another header (a port.h, a
# config.h): `MYLIB_API BROTLI_BOOL f(..);`, `ZEXTERN int ZEXPORT deflate(..);`,
# `SQLITE_API`, `JNIEXPORT jint JNICALL f(..)`. Its name says what it is, and a
# name or a `*` follows it; the file's own `#define` of it, when it has one, decides.
_EXPORT_NAME = (
    rb"(?:[A-Z][A-Z0-9_]*)?(?:API|EXPORTS?|EXTERN|IMPORT|IMPEXP|PUBLIC|DECLSPEC|CDECL|STDCALL"
    rb"|WINAPI|APIENTRY|JNICALL|VISIBLE|VISIBILITY)"
)
_CONVENTIONAL_EXPORT = re.compile(rb"\b" + _EXPORT_NAME + rb"\b(?=[ \t]+[A-Za-z_*])")
_CONVENTIONAL_NAME = re.compile(_EXPORT_NAME)


def _blank_uses(line: bytes, use: re.Pattern[bytes], function_like: set[bytes]) -> bytes:
    """A line with the macro uses `use` finds blanked out, a function-like macro's
    balanced argument list with it (left alone when it does not close on the line)."""
    pieces, start = [], 0
    for match in use.finditer(line):
        if match.start() < start:
            continue  # inside the arguments of a use already blanked
        end = match.end()
        if match.group() in function_like:
            end = _arguments_end(line, end)
            if end < 0:
                continue
        pieces += [line[start : match.start()], b" " * (end - match.start())]
        start = end
    return b"".join(pieces) + line[start:] if pieces else line


def _arguments_end(line: bytes, position: int) -> int:
    """The end of the parenthesized arguments after `position`, or -1."""
    at = position
    while at < len(line) and line[at] in b" \t":
        at += 1
    if at >= len(line) or line[at] != ord("("):
        return -1
    return closing_parenthesis(line, at)


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


# What only C++ writes outside `__cplusplus` conditionals: a namespace, a class
# definition, a template, `using namespace`, or a C++ standard header.
_CPLUSPLUS_ONLY = re.compile(
    rb"^[ \t]*(?:namespace[ \t]+\w+[ \t]*(?:\{|$)"
    rb"|(?:class|struct)[ \t]+\w+(?:[ \t]+final)?[ \t]*:[ \t]*(?:public|private|protected)\b"
    rb"|class[ \t]+\w+(?:[ \t]+final)?[ \t]*(?:\{|$)"
    rb"|template[ \t]*<"
    rb"|using[ \t]+namespace\b"
    rb"|#[ \t]*include[ \t]*<(?:c(?:stdint|stddef|stdlib|stdio|string|stdarg|stdbool|assert)"
    rb"|string|memory|vector|new|ostream|iostream|tuple|optional|utility|type_traits|span"
    rb"|array|functional)>)",
    re.M,
)
_CPLUSPLUS_WORDS = (b"namespace", b"class", b"template", b"public", b"#include <", b"using")


def is_cplusplus(data: bytes) -> bool:
    """Whether a header is C++ (cbindgen's `--lang c++`, a C++ wrapper of a C API):
    it writes C++ outside its `#ifdef __cplusplus` blocks. A C compiler, cgo
    included, cannot read it, so it declares nothing of the C contract."""
    if not any(word in data for word in _CPLUSPLUS_WORDS):
        return False
    return _CPLUSPLUS_ONLY.search(mask_cplusplus(data)) is not None
