"""The wrapper around the items an item-level macro invocation holds.

`ffi_fn! { fn f(..) -> T { .. } ?= default }` holds a whole function, and
`cfg_if! { if #[cfg(unix)] { items } else { items } }` whole items: blanking
the tokens around them (the macro's path and delimiters, what the macro takes
after a body, the `cfg_if!` conditions) leaves them items of the file
(rust.item_macros). This module finds those tokens.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.parsing import text

# Macros of the standard library and of well-known crates whose input is no
# function to export, whatever it holds.
_NOT_WRAPPERS = frozenset(
    {"macro_rules", "thread_local", "lazy_static", "include", "quote", "paste"}
)
# `cfg_if! { if #[cfg(..)] { items } else { items } }` (the cfg-if crate): every
# branch holds plain items, each compiled on some platform, exported by its own
# `#[no_mangle]` if at all.
CFG_IF = "cfg_if"
# Tokens that may stand before `fn` in an invocation: doc comments, attributes
# (`#` then `[..]`), visibility and qualifiers.
_BEFORE_FN = frozenset(
    {"line_comment", "block_comment", "#", "@", "pub", "unsafe", "extern", "async", "const"}
)


def macro_name(invocation: Node) -> str:
    return text(invocation.child_by_field_name("macro")).rsplit("::", 1)[-1]


def wrapper_spans(invocation: Node) -> list[tuple[int, int]] | None:
    """The byte spans to blank for the items an invocation holds to stand as items of
    the file: the macro's path up to its opening delimiter, the closing delimiter
    (and `;`), and what lies between the items (`_function_tails`, `_cfg_if_branches`);
    None when it is neither form."""
    name = macro_name(invocation)
    if name in _NOT_WRAPPERS:
        return None
    tree = invocation.children[-1] if invocation.children else None
    if tree is None or tree.type != "token_tree" or tree.child_count < 3:
        return None
    tokens = tree.children[1:-1]
    kinds = [_kind(token) for token in tokens]
    between = (_cfg_if_branches if name == CFG_IF else _function_tails)(tokens, kinds)
    if between is None:
        return None
    return [
        (invocation.start_byte, tree.children[0].end_byte),
        *between,
        _closing(invocation, tree),
    ]


# What the return type before a body may end with: a name, `>` of generic arguments,
# `)` of a tuple.
_TYPE_ENDS = frozenset({"identifier", "primitive_type", ">", ")"})


def _function_tails(tokens: list[Node], kinds: list[str]) -> list[tuple[int, int]] | None:
    """What follows each function's body (`?= default`), when an invocation's tokens
    are whole functions only (`fn NAME(..) .. { .. }`, with doc comments, attributes,
    qualifiers); None when they hold anything else."""
    blanks: list[tuple[int, int]] = []
    at = 0
    while at < len(tokens):
        start, at = at, _past_qualifiers(tokens, kinds, at)
        if at + 2 >= len(tokens) or kinds[at] != "fn" or kinds[at + 1] != "identifier":
            return None
        # A marker the macro's rule takes literally (citeproc-rs's `@safety unsafe fn`).
        blanks += [
            (tokens[i].start_byte, tokens[i + 1].end_byte)
            for i in range(start, at)
            if kinds[i] == "@"
        ]
        body = next((i for i in range(at + 2, len(tokens)) if _is_group(tokens[i], "{")), None)
        if body is None or not any(_is_group(t, "(") for t in tokens[at + 2 : body]):
            return None
        if "|" in kinds[at + 2 : body]:
            # `fn name(p: *const T) |p| { .. }` (librashader's `extern_fn!`) is no
            # function: unwrapped, its syntax error would take the file's others along.
            return None
        if _is_group(tokens[body - 1], "[") and kinds[body - 2] in _TYPE_ENDS:
            # `-> c_int[-1] { .. }` (rpm-sequoia's `ffi!`): the value to return on
            # error, for the macro; no type ends in `[..]`, so it is not the signature's.
            blanks.append((tokens[body - 1].start_byte, tokens[body - 1].end_byte))
        at = body + 1
        tail = at  # what the macro takes after the body (`?= default`), up to the next item
        while at < len(tokens) and kinds[_past_qualifiers(tokens, kinds, at) :][:1] != ["fn"]:
            at += 1
        if tail < at and not _is_group(tokens[tail], "{") and any(c.isalpha() for c in kinds[tail]):
            # An item, not what the macro takes after a body (`?= default`, `,`, or
            # pact_ffi's `ffi_fn!`: `{ body } { value on panic }`).
            return None
        if tail < at:
            blanks.append((tokens[tail].start_byte, tokens[at - 1].end_byte))
    return blanks


def _cfg_if_branches(tokens: list[Node], kinds: list[str]) -> list[tuple[int, int]] | None:
    """Each `if #[cfg(..)] {`, `} else if #[cfg(..)] {`, `} else {` and last `}` of a
    `cfg_if!`'s tokens; None when they are not of that form."""
    blanks: list[tuple[int, int]] = []
    at = 0
    while at < len(tokens):
        start = at
        if at > 0:  # `else`, then `if #[..] {..}` or the last `{..}`
            if tokens[at].text != b"else":
                return None
            at += 1
        if at + 2 < len(tokens) and kinds[at : at + 2] == ["if", "#"]:
            if not _is_group(tokens[at + 2], "["):
                return None
            at += 3
        elif start > 0 and at + 1 != len(tokens):
            return None  # only the last branch goes without a condition
        if at >= len(tokens) or not _is_group(tokens[at], "{"):
            return None
        branch = tokens[at]
        blanks.append((tokens[start].start_byte, branch.children[0].end_byte))
        blanks.append((branch.children[-1].start_byte, branch.children[-1].end_byte))
        at += 1
    return blanks


def _closing(invocation: Node, tree: Node) -> tuple[int, int]:
    """The span of an invocation's closing delimiter, with its `;` if it has one."""
    close = tree.children[-1]
    after = invocation.next_sibling if invocation.parent is not None else None
    end = close.end_byte
    if invocation.parent is not None and invocation.parent.type == "expression_statement":
        end = invocation.parent.end_byte  # the `;` of `m!(..);`
    elif after is not None and after.type == ";":
        end = after.end_byte
    return close.start_byte, end


def holds_functions(invocation: Node) -> bool:
    """Whether an item-level invocation holds whole functions or `cfg_if!` branches
    (unwrapped into items)."""
    return wrapper_spans(invocation) is not None


def _kind(token: Node) -> str:
    """A token's type; `extern` is an identifier in a token tree."""
    kind = token.type
    return "extern" if kind == "identifier" and token.text == b"extern" else kind


def _past_qualifiers(tokens: list[Node], kinds: list[str], at: int) -> int:
    """The index of the first token from `at` on that is no doc comment, attribute
    (`#` and its `[..]`), marker of the macro's (`@safety`), visibility (`pub(crate)`)
    or qualifier (`extern "C"`)."""
    while at < len(tokens) and kinds[at] in _BEFORE_FN:
        kind = kinds[at]
        at += 2 if kind in ("#", "@") else 1
        if at < len(tokens) and (
            (kind == "pub" and _is_group(tokens[at], "("))  # `pub(crate)`
            or (kind == "extern" and kinds[at] == "string_literal")  # `extern "C"`
        ):
            at += 1
    return at


def _is_group(token: Node, opening: str) -> bool:
    return (
        token.type == "token_tree" and token.child_count > 0 and token.children[0].type == opening
    )
