"""One query over a Rust file: its items, and what runs in each of its functions.

A single multi-pattern query finds, at C speed, every function item,
closure, macro invocation, call and index expression of the file's tree and
of the macro bodies its functions hold (body.py), and the items of the file.
One sweep in document order then gives each call, macro and index
expression the function that runs it and the names of the wrappers around
it — the calls a closure it runs in is handed to (`catch_unwind(|| ..)`),
the macros it stands in — from a stack of the enclosing ones, instead of
climbing the tree from every node. Macro bodies are opened on the way, so
the sweep sees their nodes where their macro stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import tree_sitter
from tree_sitter import Node

from interop_lint.analyzer.parsing import Grammar, query
from interop_lint.analyzer.rust.bindings import pattern_names
from interop_lint.analyzer.rust.body import (
    MAX_DEPTH,
    NOT_EVALUATED,
    Fragment,
    Located,
    RustBodies,
    macro_name,
)
from interop_lint.analyzer.rust.panics import calls_taking

# What the query finds, by kind; the query's patterns, in the order of their kinds.
FUNCTION, CLOSURE, MACRO, CALL, INDEX, RETURN, BINDING, FOREIGN, ITEM = range(9)
_PATTERNS = (
    (FUNCTION, "function_item"),
    (CLOSURE, "closure_expression"),
    (MACRO, "macro_invocation"),
    (CALL, "call_expression"),
    (INDEX, "index_expression"),
    (RETURN, "return_expression"),
    (BINDING, "let_declaration"),  # the constructs `bindings.is_shadowed` reads
    (BINDING, "let_condition"),
    (BINDING, "match_arm"),
    (BINDING, "for_expression"),
    (FOREIGN, "foreign_mod_item"),
    (ITEM, "struct_item"),
    (ITEM, "enum_item"),
    (ITEM, "type_item"),
    (ITEM, "static_item"),
    (ITEM, "macro_definition"),
    (ITEM, "use_declaration"),
)
_QUERY = "\n".join(f"({node}) @node" for _, node in _PATTERNS)
_KINDS = tuple(kind for kind, _ in _PATTERNS)

# A call, macro invocation or index expression that runs in a function:
# (kind, node, its fragment, guards). The guards are the calls that run it in
# a closure and the macros that hold it, innermost first (facts.PanicSite).
Site = tuple[int, Node, Fragment, tuple[str, ...]]


@dataclass
class FunctionScan:
    """What runs in one function item of the file (not in functions inside it)."""

    sites: list[Site] = field(default_factory=list)
    returns: list[tuple[int, int]] = field(default_factory=list)  # `return ..` (file offsets)
    # Patterns that bind names (`let`, `if let`, match arms, closures, `for`).
    bindings: list[tuple[Node, Node | None]] = field(default_factory=list)  # (holder, pattern)
    _bound: set[str] | None = None

    def bound_names(self) -> set[str]:
        """Every name a pattern in the function binds: a name not here is never rebound."""
        if self._bound is None:
            self._bound = {name for _, p in self.bindings for name in pattern_names(p)}
        return self._bound


@dataclass
class FileScan:
    fragments: list[Fragment]  # the file's tree, then every macro body opened
    items: list[Node] = field(default_factory=list)  # items of the file (rust.syntax.items)
    functions: list[Node] = field(default_factory=list)  # every function item of the file tree
    of_function: dict[int, FunctionScan] = field(default_factory=dict)  # by start byte
    calls: list[tuple[Node, Fragment]] = field(default_factory=list)  # all, in functions or not
    # The order in which the facts list a function's panic sites by kind: the
    # kinds in the order they first occur, in the file's tree, then in its
    # macro bodies (in `fragments` order). Sites of one kind are in file order.
    kind_rank: dict[int, int] = field(default_factory=dict)
    # Every function item, of the file's tree or of a macro body: (start, end,
    # node, whether it is the file's, index of the function it is in or -1), in
    # file order.
    function_spans: list[tuple[int, int, Node, bool, int]] = field(default_factory=list)

    def function(self, function: Node) -> FunctionScan:
        return self.of_function.get(function.start_byte) or FunctionScan()


class _Frame(NamedTuple):
    """A function, closure, macro or foreign block that holds what comes next."""

    end: int  # in the file
    function: FunctionScan | None  # of the function item of the file that runs its code
    guards: tuple[str, ...]
    in_function: bool  # inside a function item of the file's tree (macros open there)
    in_item: bool  # inside a function or foreign block: items here are not the file's
    span: int  # the index of the innermost function item in `function_spans`, or -1


_TOP = _Frame(1 << 62, None, (), False, False, -1)


def _matches(fragment: Fragment) -> Iterator[tuple[int, Node]]:
    cursor = tree_sitter.QueryCursor(query(Grammar.RUST, _QUERY))
    for pattern, found in cursor.matches(fragment.root):
        yield _KINDS[pattern], found["node"][0]


def scan(bodies: RustBodies) -> FileScan:
    """Every item, function and site of the file, macro bodies opened."""
    result = FileScan([bodies.file])
    kinds: dict[Fragment, list[int]] = {bodies.file: []}  # site kinds by first occurrence
    opened: dict[Fragment, list[Fragment]] = {bodies.file: []}  # macro bodies, in file order
    stack = [_TOP]
    streams = [(bodies.file, _matches(bodies.file))]
    while streams:
        fragment, stream = streams[-1]
        found = next(stream, None)
        if found is None:
            streams.pop()
            continue
        kind, node = found
        shift = fragment.shift
        start = node.start_byte + shift
        while stack[-1].end <= start:
            stack.pop()
        outer = stack[-1]
        in_file = fragment.host is None
        if kind >= FOREIGN:  # an item
            if in_file and not outer.in_item:
                result.items.append(node)
            if kind == FOREIGN:
                stack.append(outer._replace(end=node.end_byte + shift, in_item=True))
            continue
        if kind == FUNCTION:
            function = None
            if in_file:
                result.functions.append(node)
                function = result.of_function[node.start_byte] = FunctionScan()
                if not outer.in_item:
                    result.items.append(node)
            end = node.end_byte + shift
            span = len(result.function_spans)
            result.function_spans.append((start, end, node, in_file, outer.span))
            stack.append(_Frame(end, function, (), in_file, True, span))
            continue
        holder = outer.function
        if kind in (RETURN, BINDING):
            if holder is not None and kind == RETURN:
                holder.returns.append((start, node.end_byte + shift))
            elif holder is not None:
                holder.bindings.append((node, _pattern(node)))
            continue
        if kind == CLOSURE:
            names: tuple[str, ...] = ()
            if holder is not None:
                holder.bindings.append((node, node.child_by_field_name("parameters")))
                names = tuple(calls_taking(Located(node, fragment)))
            stack.append(outer._replace(end=node.end_byte + shift, guards=names + outer.guards))
            continue
        if kind not in kinds[fragment]:
            kinds[fragment].append(kind)
        if kind == CALL:
            result.calls.append((node, fragment))
        if holder is not None:
            holder.sites.append((kind, node, fragment, outer.guards))
        if kind == MACRO:
            name = macro_name(node)
            stack.append(outer._replace(end=node.end_byte + shift, guards=(name, *outer.guards)))
            if _opens(name, fragment, outer):
                body = bodies.open(Located(node, fragment))
                if body is not None:
                    opened[fragment].append(body)
                    opened[body], kinds[body] = [], []
                    streams.append((body, _matches(body)))
    result.fragments = _in_opening_order(bodies.file, opened)
    for fragment in result.fragments:
        for kind in kinds[fragment]:
            result.kind_rank.setdefault(kind, len(result.kind_rank))
    return result


def _pattern(binding: Node) -> Node | None:
    return binding.child_by_field_name("pattern")


def _opens(name: str, fragment: Fragment, outer: _Frame) -> bool:
    """Whether a macro's body is opened: in a function of the file, evaluated, not too deep."""
    if name in NOT_EVALUATED or fragment.depth >= MAX_DEPTH:
        return False
    return fragment.host is not None or outer.in_function


def _in_opening_order(file: Fragment, opened: dict[Fragment, list[Fragment]]) -> list[Fragment]:
    """The file, its macro bodies, then theirs, depth first from the last (how they
    were always listed)."""
    order = [file]
    pending = [file]
    while pending:
        children = opened[pending.pop()]
        order += children
        pending += children
    return order
