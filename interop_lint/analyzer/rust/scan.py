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

from dataclasses import dataclass, field
from typing import NamedTuple

import tree_sitter
from tree_sitter import Node

from interop_lint.analyzer.parsing import Grammar, query
from interop_lint.analyzer.rust.attributes import attribute_macros
from interop_lint.analyzer.rust.body import (
    MAX_DEPTH,
    NOT_EVALUATED,
    Fragment,
    Located,
    RustBodies,
    macro_name,
)
from interop_lint.analyzer.rust.panics import calls_taking
from interop_lint.analyzer.rust.spelling import Spelled

# What the query finds, by kind; the query's patterns, in the order of their kinds.
FUNCTION, CLOSURE, MACRO, CALL, INDEX, RETURN, LET, BINDING, DEREF, STORED, FOREIGN, ITEM, CONST = (
    range(13)
)
_PATTERNS = (
    (FUNCTION, "function_item"),
    (CLOSURE, "closure_expression"),
    (CLOSURE, "async_block"),  # runs where it is polled, as a closure where it is called
    (MACRO, "macro_invocation"),
    (CALL, "call_expression"),
    (INDEX, "index_expression"),
    (RETURN, "return_expression"),
    (RETURN, "try_expression"),  # `?` returns the error: `.map_err(|e| make(e))?`
    (LET, "let_declaration"),  # these bind names: the constructs `bindings.is_shadowed` reads
    (BINDING, "let_condition"),
    (BINDING, "match_arm"),
    (BINDING, "for_expression"),
    (DEREF, 'unary_expression "*"'),
    # A function stored in a struct (a vtable's `destroy: destroy::<W>`): called
    # through the field.
    (STORED, "field_initializer value: [(identifier) (generic_function) (scoped_identifier)]"),
    (FOREIGN, "foreign_mod_item"),
    (ITEM, "struct_item"),
    (ITEM, "enum_item"),
    (ITEM, "type_item"),
    (ITEM, "static_item"),
    (ITEM, "macro_definition"),
    (ITEM, "use_declaration"),
    (ITEM, "impl_item"),
    # Evaluated by the compiler (`const _: () = assert!(..);`, `const { .. }`): nothing
    # in them runs, or panics, when the function does.
    (CONST, "const_item"),
    (CONST, "const_block"),
)
_QUERY = "\n".join(f"({node}) @node" for _, node in _PATTERNS)
_KINDS = tuple(kind for kind, _ in _PATTERNS)
_USE_KINDS = (CALL, LET, DEREF, MACRO)  # MACRO: crate macros that use a pointer
_SITE_KINDS = (CALL, MACRO, INDEX)
_BINDING_KINDS = (LET, BINDING)

# A call, macro invocation or index expression that runs in a function:
# (node, its fragment, guards). The guards are the calls that run it in a
# closure and the macros that hold it, innermost first (facts.PanicSite).
Site = tuple[Node, Fragment, tuple[str, ...]]


@dataclass
class FunctionScan:
    """What runs in one function item of the file (not in functions inside it)."""

    data: bytes  # the file's
    sites: dict[int, list[Site]] = field(default_factory=dict)  # by kind: CALL, MACRO, INDEX
    # `return ..` and `..?` (file offsets)
    returns: list[tuple[int, int]] = field(default_factory=list)
    # Where patterns that bind names are (`let`, `if let`, match arms, closure
    # parameters, `for`), in the file.
    patterns: list[tuple[int, int]] = field(default_factory=list)
    _spelled: Spelled | None = None

    def __contains__(self, name: object) -> bool:
        """Whether a pattern of the function may bind `name` (it is spelled in one):
        a name that is not is never bound again here (`bindings.is_shadowed`)."""
        if self._spelled is None:
            self._spelled = Spelled(self.data, self.patterns)
        return name in self._spelled


@dataclass
class FileScan:
    fragments: list[Fragment]  # the file's tree, then every macro body opened
    items: list[Node] = field(default_factory=list)  # items of the file (rust.syntax.items)
    functions: list[Node] = field(default_factory=list)  # every function item of the file tree
    of_function: dict[int, FunctionScan] = field(default_factory=dict)  # by start byte
    calls: list[tuple[Node, Fragment]] = field(default_factory=list)  # all, in functions or not
    # Every call, `let` and dereference (`*p`) with its kind, in file order
    # (pointers.pointer_uses).
    uses: list[tuple[Node, Fragment, int]] = field(default_factory=list)
    use_starts: list[int] = field(default_factory=list)  # in the file
    # The order in which the facts list a function's panic sites by kind: the
    # kinds in the order they first occur, in the file's tree, then in its
    # macro bodies (in `fragments` order). Sites of one kind are in file order.
    kind_rank: dict[int, int] = field(default_factory=dict)
    # Every function item, of the file's tree or of a macro body: (start, end,
    # node, whether it is the file's, index of the function it is in or -1), in
    # file order.
    function_spans: list[tuple[int, int, Node, bool, int]] = field(default_factory=list)
    # Field initializers whose value may name a function (`destroy: destroy::<W>`), with
    # the function they are in (None outside any).
    stored: list[tuple[Node, FunctionScan | None]] = field(default_factory=list)

    def function(self, function: Node) -> FunctionScan:
        found = self.of_function.get(function.start_byte)
        return found if found is not None else FunctionScan(self.fragments[0].data)


class _Frame(NamedTuple):
    """A function, closure, macro or foreign block that holds what comes next."""

    end: int  # in the file
    function: FunctionScan | None  # of the function item of the file that runs its code
    guards: tuple[str, ...]
    in_function: bool  # inside a function item of the file's tree (macros open there)
    in_item: bool  # inside a function or foreign block: items here are not the file's
    span: int  # the index of the innermost function item in `function_spans`, or -1
    node: Node | None  # the function, closure, macro or foreign block
    fragment: Fragment | None  # its fragment

    def inner(self, end: int, guards: tuple[str, ...], node: Node, fragment: Fragment) -> _Frame:
        """A closure or macro inside this frame."""
        function, in_function, in_item = self.function, self.in_function, self.in_item
        return _Frame(end, function, guards, in_function, in_item, self.span, node, fragment)


_TOP = _Frame(1 << 62, None, (), False, False, -1, None, None)


def scan(bodies: RustBodies) -> FileScan:
    """Every item, function and site of the file, macro bodies opened."""
    sweep = _Sweep(bodies)
    sweep.fragment(bodies.file)
    result = sweep.result
    result.fragments = _in_opening_order(bodies.file, sweep.opened)
    for fragment in result.fragments:
        for kind in sweep.kinds[fragment]:
            result.kind_rank.setdefault(kind, len(result.kind_rank))
    return result


class _Sweep:
    """One pass over the query's matches in file order, with the enclosing frames."""

    def __init__(self, bodies: RustBodies) -> None:
        self.bodies = bodies
        self.result = FileScan([bodies.file])
        self.stack = [_TOP]
        self.kinds: dict[Fragment, list[int]] = {bodies.file: []}  # site kinds, first seen first
        self.opened: dict[Fragment, list[Fragment]] = {bodies.file: []}  # bodies, file order
        self.item_macros = bodies.source.item_macros

    def fragment(self, fragment: Fragment) -> None:
        """Sweep the matches of one fragment, and of each macro body where its macro is."""
        result, stack, kinds = self.result, self.stack, self.kinds[fragment]
        shift, in_file = fragment.shift, fragment.host is None
        cursor = tree_sitter.QueryCursor(query(Grammar.RUST, _QUERY))
        for pattern, found in cursor.matches(fragment.root):
            kind, node = _KINDS[pattern], found["node"][0]
            start = node.start_byte + shift
            while stack[-1].end <= start:
                stack.pop()
            outer = stack[-1]
            holder = outer.function
            if kind in _USE_KINDS:
                result.uses.append((node, fragment, kind))
                result.use_starts.append(start)
                if kind == CALL:
                    result.calls.append((node, fragment))
            if kind in _SITE_KINDS:
                if kind not in kinds:
                    kinds.append(kind)
                if holder is not None:
                    sites = holder.sites.get(kind)
                    if sites is None:
                        sites = holder.sites[kind] = []
                    sites.append((node, fragment, outer.guards))
                if kind == MACRO:
                    self._macro(node, fragment, outer)
            elif kind in _BINDING_KINDS:
                pattern = node.child_by_field_name("pattern") if holder is not None else None
                if pattern is not None:
                    holder.patterns.append((pattern.start_byte + shift, pattern.end_byte + shift))  # type: ignore[union-attr]
            elif kind == STORED:
                result.stored.append((node, holder))
            elif kind == RETURN:
                if holder is not None:
                    holder.returns.append((start, node.end_byte + shift))
            elif kind == CLOSURE:
                self._closure(node, fragment, outer)
            elif kind == FUNCTION:
                self._function(node, fragment, outer)
            elif kind == CONST:
                if holder is not None:
                    evaluated = {"function": None, "node": node, "fragment": fragment}
                    stack.append(outer._replace(end=node.end_byte + shift, **evaluated))
            elif kind >= FOREIGN:  # an item
                if in_file and not outer.in_item:
                    result.items.append(node)
                if kind == FOREIGN:
                    end = node.end_byte + shift
                    stack.append(
                        outer._replace(end=end, in_item=True, node=node, fragment=fragment)
                    )

    def _function(self, node: Node, fragment: Fragment, outer: _Frame) -> None:
        result, in_file = self.result, fragment.host is None
        scanned = None
        if in_file:
            result.functions.append(node)
            scanned = result.of_function[node.start_byte] = FunctionScan(fragment.data)
            if not outer.in_item:
                result.items.append(node)
        start, end = node.start_byte + fragment.shift, node.end_byte + fragment.shift
        span = len(result.function_spans)
        result.function_spans.append((start, end, node, in_file, outer.span))
        # A function written in a macro invocation (rust.item_macros) runs as the macro
        # has it run: under `catch_unwind` for hyper's `ffi_fn!`; one with an attribute
        # macro as that macro rewrites it (relay's `#[relay_ffi::catch_unwind]`).
        macro = self.item_macros.get(node.start_byte) if in_file else None
        guards = attribute_macros(node) if in_file and node.prev_sibling is not None else ()
        if macro is not None:
            guards = (macro, *guards)
        self.stack.append(_Frame(end, scanned, guards, in_file, True, span, node, fragment))

    def _closure(self, node: Node, fragment: Fragment, outer: _Frame) -> None:
        names: tuple[str, ...] = ()
        if outer.function is not None:
            parameters = node.child_by_field_name("parameters")
            if parameters is not None:
                shift = fragment.shift
                outer.function.patterns.append(
                    (parameters.start_byte + shift, parameters.end_byte + shift)
                )
            anchor = _anchor(outer, fragment)
            names = tuple(calls_taking(Located(node, fragment), anchor))
        end = node.end_byte + fragment.shift
        self.stack.append(outer.inner(end, names + outer.guards, node, fragment))

    def _macro(self, node: Node, fragment: Fragment, outer: _Frame) -> None:
        name = macro_name(node)
        end = node.end_byte + fragment.shift
        guards = (name, *outer.guards)
        self.stack.append(outer.inner(end, guards, node, fragment))
        if not _opens(name, fragment, outer):
            return
        body = self.bodies.open(Located(node, fragment))
        if body is not None:
            self.opened[fragment].append(body)
            self.opened[body], self.kinds[body] = [], []
            self.fragment(body)  # its matches all lie inside this macro


def _anchor(outer: _Frame, fragment: Fragment) -> Node:
    """The innermost node known to hold what comes next, in `fragment`'s tree."""
    return outer.node if outer.node is not None and outer.fragment is fragment else fragment.root


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
