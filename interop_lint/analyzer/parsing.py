"""The one place that talks to tree-sitter: grammars, parsers, queries, walks.

Parsers and compiled queries are created once per process and reused; trees
and nodes never leave the process (they cannot be pickled), so everything
that crosses processes is extracted into plain data first.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import cache
from types import ModuleType

import tree_sitter
from tree_sitter import Node, Tree

from interop_lint.analyzer.clang import preprocess as c_preprocess
from interop_lint.analyzer.rust import preprocess as rust_preprocess


class Grammar(StrEnum):
    GO = "go"
    RUST = "rust"
    C = "c"


@cache
def language(grammar: Grammar) -> tree_sitter.Language:
    name = {Grammar.GO: "tree_sitter_go", Grammar.RUST: "tree_sitter_rust"}.get(
        grammar, "tree_sitter_c"
    )
    return tree_sitter.Language(_grammar_binding(name).language())


def _grammar_binding(package: str) -> ModuleType:
    """The grammar package's compiled `_binding`, loaded without the package's
    `__init__`: that imports importlib.resources (and with it tempfile, shutil,
    bz2, lzma and random: 5 ms in every process) for query files this tool never
    reads. Importing `package._binding` would run the `__init__` first."""
    spec = importlib.util.find_spec(package)
    for directory in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(directory, "_binding" + suffix)
            if os.path.exists(path):
                loader = importlib.machinery.ExtensionFileLoader(f"{package}._binding", path)
                binding = importlib.util.spec_from_file_location(
                    f"{package}._binding", path, loader=loader
                )
                if binding is not None:
                    module = importlib.util.module_from_spec(binding)
                    loader.exec_module(module)
                    return module
    return importlib.import_module(package)  # a grammar package laid out otherwise


@cache
def _parser(grammar: Grammar) -> tree_sitter.Parser:
    return tree_sitter.Parser(language(grammar))


def parse(grammar: Grammar, data: bytes) -> Tree:
    # Both keep the length: positions are unchanged.
    if grammar is Grammar.C:
        data = c_preprocess.prepare(data)
    elif grammar is Grammar.RUST:
        data = rust_preprocess.prepare(data)
    return _parser(grammar).parse(data)


@cache
def query(grammar: Grammar, source: str) -> tree_sitter.Query:
    """A compiled query, compiled once per process for each distinct source."""
    return tree_sitter.Query(language(grammar), source)


def captures(grammar: Grammar, source: str, node: Node) -> dict[str, list[Node]]:
    """Every capture of the query `source` under `node`, by capture name."""
    return tree_sitter.QueryCursor(query(grammar, source)).captures(node)


def matches(grammar: Grammar, source: str, node: Node) -> list[dict[str, list[Node]]]:
    """Every match of the query `source` under `node`, in document order."""
    cursor = tree_sitter.QueryCursor(query(grammar, source))
    return [found for _, found in cursor.matches(node)]


def text(node: Node | None) -> str:
    """The source text of a node (empty for a missing node)."""
    raw = node.text if node is not None else None  # each `.text` copies the bytes
    return "" if raw is None else raw.decode("utf-8", errors="replace")


def walk(node: Node, *, prune: Iterable[str] = ()) -> Iterator[Node]:
    """Every node under `node` (itself included), pre-order, without recursion.

    Nodes whose type is in `prune` are yielded but not entered (below the
    start node): the way to stay in one function and skip nested items.
    """
    pruned = frozenset(prune)
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if pruned and current.type in pruned and current is not node:
            continue
        children = current.children
        if children:
            stack.extend(reversed(children))


def descendants_of_type(
    node: Node, types: str | Iterable[str], *, prune: Iterable[str] = ()
) -> Iterator[Node]:
    """Every node under `node` whose type is one of `types`, in document order."""
    wanted = frozenset((types,) if isinstance(types, str) else types)
    return (n for n in walk(node, prune=prune) if n.type in wanted)


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def enclosing(node: Node, types: str | Iterable[str]) -> Node | None:
    """The nearest ancestor of one of `types`, or None."""
    wanted = frozenset((types,) if isinstance(types, str) else types)
    return next((a for a in ancestors(node) if a.type in wanted), None)


def first_error(node: Node, *, prune: Iterable[str] = ()) -> Node | None:
    """The first ERROR or MISSING node of a tree, to name where parsing failed
    (not inside nodes of the types in `prune`)."""
    if not node.has_error:
        return None
    for current in walk(node, prune=prune):
        if current.is_error or current.is_missing:
            return current
    return None


def error_positions(node: Node) -> list[int]:
    """The start byte of every ERROR or MISSING node of a tree (only the subtrees
    holding one are walked)."""
    found: list[int] = []
    stack = [node] if node.has_error else []
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            found.append(current.start_byte)
            continue
        stack.extend(child for child in current.children if child.has_error)
    return found
