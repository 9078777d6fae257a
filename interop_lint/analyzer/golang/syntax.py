"""Questions about Go syntax trees that several rules and extractors ask."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.parsing import Grammar, captures, text

# `C.name(args)`: a selector on the pseudo-package C, called.
_C_CALL_QUERY = """
(call_expression
  function: (selector_expression
    operand: (identifier) @package (#eq? @package "C")
    field: (field_identifier) @name)
  arguments: (argument_list) @arguments) @call
"""


def c_calls(root: Node) -> Iterator[tuple[Node, str, Node]]:
    """(call, C function name, argument list) of every `C.name(...)` call, in order."""
    found = captures(Grammar.GO, _C_CALL_QUERY, root)
    calls = found.get("call", [])
    for call in sorted(calls, key=lambda n: n.start_byte):
        selector = call.child_by_field_name("function")
        arguments = call.child_by_field_name("arguments")
        if selector is None or arguments is None:
            continue
        name = selector.child_by_field_name("field")
        yield call, text(name), arguments
