"""The nodes of a Go file that the GO analysis reads, found by one query.

Walking a tree node by node in Python creates an object per node; one
multi-pattern tree-sitter query per file does the walk in C and hands back
only the kinds asked for. `NodeIndex` keeps them by kind in document order,
and answers "the calls inside this function" with a bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from itertools import pairwise

from tree_sitter import Node

from interop_lint.analyzer.parsing import Grammar, captures, text

# Capture name -> node kind. Capture names are the kinds themselves.
KINDS = (
    "call_expression",
    "type_conversion_expression",
    "unary_expression",
    "binary_expression",
    "assignment_statement",
    "short_var_declaration",
    "var_spec",
    "range_clause",
    "receive_statement",
    "type_switch_statement",
    "function_declaration",
    "method_declaration",
    "func_literal",
    "parameter_declaration",
    "variadic_parameter_declaration",
    "identifier",
)
_LISTS = frozenset({"short_var_declaration", "range_clause", "receive_statement"})
_DECLARATIONS = (
    "short_var_declaration",
    "var_spec",
    "range_clause",
    "receive_statement",
    "type_switch_statement",
    "parameter_declaration",
    "variadic_parameter_declaration",
)
_QUERY = "\n".join(f"({kind}) @{kind}" for kind in KINDS)


class NodeIndex:
    def __init__(self, root: Node) -> None:
        found = captures(Grammar.GO, _QUERY, root)
        self._nodes: dict[str, list[Node]] = {}
        self._starts: dict[str, list[int]] = {}
        for kind in KINDS:
            nodes = found.get(kind, [])
            starts = [n.start_byte for n in nodes]
            if any(a > b for a, b in pairwise(starts)):
                nodes = sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte))
                starts = [n.start_byte for n in nodes]
            self._nodes[kind] = nodes
            self._starts[kind] = starts

    @cached_property
    def local_names(self) -> frozenset[str]:
        """Every name a function of the file declares (parameters, variables)."""
        names = set()
        for node in self.of(*_DECLARATIONS):
            field = "left" if node.type in _LISTS else "name"
            if node.type == "type_switch_statement":
                field = "alias"
            for declared in node.children_by_field_name(field):
                targets = (
                    declared.named_children if declared.type == "expression_list" else [declared]
                )
                names.update(text(t) for t in targets if t.type == "identifier")
        return frozenset(names)

    def of(self, *kinds: str, within: Node | None = None) -> list[Node]:
        """The nodes of `kinds` (under `within`, itself included), in document order."""
        result: list[Node] = []
        for kind in kinds:
            nodes = self._nodes[kind]
            if within is None:
                result += nodes
                continue
            starts = self._starts[kind]
            i = bisect_left(starts, within.start_byte)
            end = within.end_byte
            while i < len(nodes) and nodes[i].start_byte < end:
                if nodes[i].end_byte <= end:
                    result.append(nodes[i])
                i += 1
        if len(kinds) > 1:
            result.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return result
