"""Whether a Python file is safe to hand to libcst.

libcst's native parser recurses once per level of nesting and crashes the
whole process (a stack overflow, not an exception) a few thousand levels
down; its Python side hits the recursion limit far earlier, and its parse
time grows faster than linearly with depth. So a file is measured first
with the standard library, whose parser is iterative and guarded: `ast`
rejects more than 200 nested brackets and 100 indentation levels itself,
and its tree gives the depth of everything else (`a.b.c...`, `-(-(-x))`,
`1 + 1 + ...`). A file nested deeper than real code ever is, is skipped
with a notification.

`ast` follows the grammar of the running Python, so a file written for a
newer one fails there while libcst may read it. Such a file is measured
by its tokens instead: bracket depth, and tokens per logical line (a bound
on how deep one statement's expression can be).
"""

from __future__ import annotations

import ast
import io
import tokenize

from msgspec import Struct

MAX_DEPTH = 100  # syntax tree levels; CPython itself allows 100 indentation levels
MAX_BRACKETS = 100
MAX_STATEMENT_TOKENS = 2_000
_NESTING_ERRORS = ("too many", "too complex")
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")


class Refusal(Struct, frozen=True):
    """Why a file is not parsed: too deep (skipped) or not Python (a syntax error)."""

    line: int  # 0 when unknown
    message: str
    syntax_error: bool


def refusal(data: bytes) -> Refusal | None:
    """None when libcst may parse `data`; else why not."""
    try:
        tree = ast.parse(data)
    except (MemoryError, RecursionError):
        return _too_deep(0)
    except SyntaxError as error:
        if any(marker in error.msg for marker in _NESTING_ERRORS):
            return _too_deep(error.lineno or 0)
        return _by_tokens(data, error)
    except ValueError:  # NUL bytes; discovery skips those files before this
        return Refusal(0, "not Python source", syntax_error=True)
    depth, line = _deepest(tree)
    return _too_deep(line) if depth > MAX_DEPTH else None


def _too_deep(line: int) -> Refusal:
    return Refusal(
        line, f"skipped: Python nested more than {MAX_DEPTH} levels deep", syntax_error=False
    )


def _deepest(tree: ast.AST) -> tuple[int, int]:
    """The depth of the deepest node (or the first deeper than MAX_DEPTH), and its line."""
    deepest, line = 0, 0
    stack: list[tuple[ast.AST, int, int]] = [(tree, 1, 0)]
    node_type = ast.AST
    while stack:
        node, depth, parent_line = stack.pop()
        here = getattr(node, "lineno", parent_line)
        if depth > deepest:
            deepest, line = depth, here
            if depth > MAX_DEPTH:
                break
        for name in node._fields:
            if name == "ctx":
                continue  # Load / Store
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend((v, depth + 1, here) for v in value if isinstance(v, node_type))
            elif isinstance(value, node_type):
                stack.append((value, depth + 1, here))
    return deepest, line


def _by_tokens(data: bytes, error: SyntaxError) -> Refusal | None:
    brackets = statement = 0
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type == tokenize.NEWLINE:
                statement = 0
                continue
            statement += 1
            if token.type == tokenize.OP:
                if token.string in _OPENING:
                    brackets += 1
                elif token.string in _CLOSING:
                    brackets = max(0, brackets - 1)
            if brackets > MAX_BRACKETS or statement > MAX_STATEMENT_TOKENS:
                return _too_deep(token.start[0])
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return Refusal(error.lineno or 0, "syntax error; not analysed", syntax_error=True)
    return None
