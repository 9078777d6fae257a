"""A macro's token tree read as Rust syntax.

Tree-sitter keeps the body of a macro invocation, and the transcriber of a
`macro_rules!` rule, as an opaque `token_tree`. Its inner text is parsed
again, wrapped as statements (`ffi_try!{ let v = x.unwrap(); v }`), as call
arguments (`assert_eq!(a, b, "..")`) or as array elements (`vec![0; n]`),
the first that parses without error; a transcriber's metavariables and
repetitions are first respelled as plain Rust in as many bytes, so that
offsets still map back to the file. body.py turns what parses into the
`Fragment`s of a file; this module only knows text and trees.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.parsing import Grammar, parse

# How a token tree's inner text is wrapped to parse, tried in this order.
# The root is the node that stands for the macro's body in the wrapper's tree.
_BLOCK = (b"fn __m(){", b"\n}")
_ARGUMENTS = (b"fn __m(){__m(", b"\n);}")
_ARRAY = (b"fn __m(){[", b"\n];}")


def token_tree(macro: Node) -> Node | None:
    """The token tree of a macro invocation: its body, delimiters included."""
    return next((c for c in reversed(macro.children) if c.type == "token_tree"), None)


def respell_transcriber(tree: Node, origin: int, data: bytearray) -> None:
    """Metavariables and repetitions of a transcriber's token tree as plain Rust, in
    place (`data` holds the tree's text, starting at byte `origin`)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "metavariable":
            data[node.start_byte - origin] = ord("_")
        elif kind == "token_repetition":
            children = node.children
            close = next((c for c in reversed(children) if c.type == ")"), None)
            if len(children) < 3 or close is None:
                continue
            data[children[0].start_byte - origin] = ord(" ")  # `$`
            data[children[1].start_byte - origin] = ord("{")  # `(`
            data[close.start_byte - origin] = ord("}")
            for at in range(close.end_byte, node.end_byte):  # the separator and `*`
                data[at - origin] = ord(" ")
        if kind in ("token_tree", "token_repetition"):
            stack.extend(node.children)


def parse_as_rust(inner: bytes) -> tuple[Node, bytes, int] | None:
    """The node standing for `inner` parsed as statements, arguments or array elements,
    the text parsed, and the length of what was put before `inner`."""
    for wrapper in (_BLOCK, _ARGUMENTS, _ARRAY):
        prefix, suffix = wrapper
        wrapped = prefix + inner + suffix
        tree = parse(Grammar.RUST, wrapped)
        if tree.root_node.has_error:
            continue
        function = tree.root_node.named_children[0]
        body = function.child_by_field_name("body")
        if body is None:
            continue
        if wrapper is _BLOCK:
            return body, wrapped, len(prefix)
        statement = body.named_children[0] if body.named_child_count == 1 else None
        expression = statement.named_children[0] if statement is not None else None
        if expression is None:
            continue
        if wrapper is _ARGUMENTS:
            arguments = expression.child_by_field_name("arguments")
            if expression.type == "call_expression" and arguments is not None:
                return arguments, wrapped, len(prefix)
        elif expression.type == "array_expression":
            return expression, wrapped, len(prefix)
    return None
