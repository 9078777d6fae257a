"""Function bodies of a Rust file, with the bodies of macro invocations opened up.

Tree-sitter keeps a macro invocation's body as an opaque `token_tree`, and
real FFI crates hide whole export bodies in macros (`ffi_try!{ .. }`). Each
token tree inside a function that parses as Rust on its own — as statements
(`ffi_try!{ let v = x.unwrap(); v }`), as call arguments
(`assert_eq!(a, b, "..")`, `format!("{}", v[0])`) or as array elements
(`vec![0; n]`) — is re-parsed into a `Fragment`. Its nodes map back to the
file by one constant byte shift, since its text is a copy of the file's.

The transcriber of a crate's `macro_rules!` rule (`(..) => { this }`) is
opened the same way (`open_transcriber`), its metavariables and repetitions
respelled in as many bytes (`$x` as `_x`, `$( .. ),*` as `{ .. }  `), so
that RS101 sees the panics a crate's own macros expand to. How a token
tree's text is read as Rust is token_trees.py's; this module keeps the
fragments that result and the questions asked across them.

A `Located` is a node together with its fragment. Its ancestors cross from a
fragment's root to the macro invocation that holds it, so questions such as
"is this inside a `catch_unwind` closure" or "does a null check come first"
are answered the same way inside and outside macros.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from tree_sitter import Node

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.parsing import Grammar, captures, text
from interop_lint.analyzer.rust.syntax import ExportedFunction, as_exported, is_test_code
from interop_lint.analyzer.rust.token_trees import parse_as_rust, respell_transcriber, token_tree
from interop_lint.analyzer.source import SourceFile

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.scan import FileScan

# Macros whose arguments are never evaluated as code where they stand.
NOT_EVALUATED = frozenset(
    {
        "stringify",
        "concat",
        "concat_idents",
        "include",
        "include_str",
        "include_bytes",
        "env",
        "option_env",
        "compile_error",
        "cfg",
        "module_path",
        "file",
        "line",
        "column",
        "quote",
        "macro_rules",
    }
)
MAX_DEPTH = 8  # macros nested in macros, opened at most this deep


T = TypeVar("T")


class Fragment:
    """A piece of syntax of one file: the file's own tree, or a re-parsed macro body."""

    __slots__ = (
        "__weakref__",
        "callees",
        "data",
        "depth",
        "host",
        "host_start",
        "memo",
        "parent",
        "root",
        "shift",
    )

    def __init__(
        self, root: Node, data: bytes, shift: int, host: Node | None, parent: Fragment | None
    ) -> None:
        self.root = root
        self.data = data  # what `root`'s tree was parsed from
        self.shift = shift  # a node's offset in the file = its offset here + shift
        self.host = host  # the macro_invocation (in `parent`) whose body this is
        self.parent = parent
        self.depth = 0 if parent is None else parent.depth + 1
        # Where the macro invocation starts in the file (0 for the file's tree).
        self.host_start = 0 if host is None or parent is None else host.start_byte + parent.shift
        # Answers about this fragment's nodes that helpers compute once (by their own keys).
        self.memo: dict[object, object] = {}
        # What each call of this fragment calls, by the call's id (expressions.raw_callee_in).
        self.callees: dict[int, object] = {}

    def remember(self, key: object, make: Callable[[], T]) -> T:
        """`make()`, computed once per key for this fragment (see `memo`)."""
        memo = self.memo
        if key not in memo:
            memo[key] = make()
        return memo[key]  # type: ignore[return-value]

    @property
    def is_macro_body(self) -> bool:
        return self.host is not None


class Located(NamedTuple):
    """A node and the fragment it belongs to."""

    node: Node
    fragment: Fragment

    @property
    def type(self) -> str:
        return self.node.type

    @property
    def start(self) -> int:
        """Byte offset in the file."""
        return self.node.start_byte + self.fragment.shift

    @property
    def end(self) -> int:
        return self.node.end_byte + self.fragment.shift

    @property
    def text(self) -> str:
        return text(self.node)

    def at(self, node: Node | None) -> Located | None:
        """Another node of the same fragment."""
        return None if node is None else Located(node, self.fragment)

    def field(self, name: str) -> Located | None:
        return self.at(self.node.child_by_field_name(name))

    def named_children(self) -> list[Located]:
        return [Located(child, self.fragment) for child in self.node.named_children]

    def parent(self) -> Located | None:
        """The parent node; a macro body's root has the macro invocation as parent."""
        fragment = self.fragment
        if fragment.host is not None and self.node == fragment.root:
            return Located(fragment.host, fragment.parent)  # type: ignore[arg-type]
        parent = self.node.parent
        return None if parent is None else Located(parent, fragment)

    def ancestors(self) -> Iterator[Located]:
        """Parent, grandparent, ... up to the file's root, across macro bodies.

        Tree-sitter finds a node's parent by descending from the root, so a
        climb of `parent()` calls costs depth squared; here each fragment's
        path is found in one descent.
        """
        current: Located | None = self
        while current is not None:
            fragment = current.fragment
            path = _path_to(fragment.root, current.node)
            for node in reversed(path):
                yield Located(node, fragment)
            if fragment.host is None or fragment.parent is None:
                return
            current = Located(fragment.host, fragment.parent)
            yield current

    def contains(self, other: Located) -> bool:
        return self.start <= other.start and other.end <= self.end


def _path_to(root: Node, node: Node) -> list[Node]:
    """The nodes from `root` (included) down to `node` (left out)."""
    path: list[Node] = []
    current: Node | None = root
    while current is not None and current != node:
        path.append(current)
        current = current.child_with_descendant(node)
    return path


def macro_name(macro: Node) -> str:
    """`panic` for `panic!(..)` and `std::panic!(..)`."""
    return text(macro.child_by_field_name("macro")).rsplit("::", 1)[-1]


class RustBodies:
    """The function bodies of one Rust file, macro bodies included."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.file = Fragment(source.root, source.code, 0, None, None)
        # (start, end) of a macro -> its body, None when it did not parse
        self._opened: dict[tuple[int, int], Fragment | None] = {}

    # -- building ------------------------------------------------------------

    @cached_property
    def scan(self) -> FileScan:
        """Items, functions and what runs in them, found by one query (scan.py)."""
        from interop_lint.analyzer.rust.scan import scan  # scan.py builds on this module

        return scan(self)

    @property
    def fragments(self) -> list[Fragment]:
        """The file's tree, then every macro body that parsed (macros in macros too)."""
        return self.scan.fragments

    def open(self, macro: Located) -> Fragment | None:
        """The body of a macro invocation parsed as Rust (once), or None."""
        key = (macro.start, macro.end)
        if key in self._opened:
            return self._opened[key]
        fragment = None
        tree = token_tree(macro.node)
        if tree is not None and tree.end_byte - tree.start_byte >= 3:
            inner = macro.fragment.data[tree.start_byte + 1 : tree.end_byte - 1]
            fragment = self._fragment(inner, tree.start_byte + 1, macro)
        self._opened[key] = fragment
        return fragment

    def open_transcriber(self, rule: Located) -> Fragment | None:
        """The transcriber of a `macro_rules!` rule parsed as Rust (once), or None: its
        metavariables spelled as names (`$x` -> `_x`) and its repetitions as blocks
        (`$( .. ),*` -> ` { .. }  `), in as many bytes."""
        tree = rule.field("right")
        if tree is None or tree.type != "token_tree" or tree.end - tree.start < 3:
            return None
        key = (tree.start, tree.end)
        if key not in self._opened:
            data = bytearray(rule.fragment.data[tree.node.start_byte : tree.node.end_byte])
            respell_transcriber(tree.node, tree.node.start_byte, data)
            self._opened[key] = self._fragment(bytes(data[1:-1]), tree.node.start_byte + 1, rule)
        return self._opened[key]

    def _fragment(self, inner: bytes, start: int, host: Located) -> Fragment | None:
        """`inner`, which stands at `start` in `host`'s fragment, parsed as a fragment."""
        parsed = parse_as_rust(inner)
        if parsed is None:
            return None
        root, wrapped, prefix_length = parsed
        shift = start + host.fragment.shift - prefix_length
        return Fragment(root, wrapped, shift, host.node, host.fragment)

    @cached_property
    def _macro_bodies(self) -> list[Fragment]:
        """The macro bodies, by where their macro starts in the file."""
        return sorted(self.fragments[1:], key=lambda f: f.host_start)

    @cached_property
    def _macro_starts(self) -> list[int]:
        return [f.host_start for f in self._macro_bodies]

    @cached_property
    def exports(self) -> list[ExportedFunction]:
        """The exported functions of the file (every RS rule asks), those declared in
        another function's body included: `#[no_mangle]` exports them all the same. One
        under `#[cfg(test)]` is in no build of the library (a unit test's stub of a C
        callback)."""
        found = (as_exported(n) for n in self.scan.functions)
        may_be_test = b"test" in self.source.data
        return [
            export
            for export in found
            if export is not None and not (may_be_test and is_test_code(export.node))
        ]

    # -- questions -------------------------------------------------------------

    def body_of(self, macro: Located) -> Fragment | None:
        """The re-parsed body of a macro invocation (None when it did not parse)."""
        key = (macro.start, macro.end)
        if key in self._opened:  # opened already (in a transcriber: rust.null_macros)
            return self._opened[key]
        if len(self.fragments) == 1:
            return None
        return self._opened.get(key)

    def captures(self, query: str, within: Node | None = None) -> dict[str, list[Located]]:
        """Every capture of `query` in the file and in every macro body, in file order;
        only under `within` (a node of the file's tree) when given."""
        found: dict[str, list[Located]] = {}
        if within is None:
            searched = [(f, f.root) for f in self.fragments]
        else:
            starts = self._macro_starts
            first = bisect_left(starts, within.start_byte)
            last = bisect_left(starts, within.end_byte)
            inside = self._macro_bodies[first:last]
            searched = [(self.file, within), *((f, f.root) for f in inside)]
        for fragment, root in searched:
            for name, nodes in captures(Grammar.RUST, query, root).items():
                found.setdefault(name, []).extend(Located(n, fragment) for n in nodes)
        for located in found.values():
            located.sort(key=lambda x: (x.start, -x.end))
        return found

    def walk(self, start: Located, *, prune: Iterable[str] = ()) -> Iterator[Located]:
        """Every node under `start`, pre-order, entering macro bodies that parsed.

        Token trees are never entered (their tokens are not syntax); nodes
        whose type is in `prune` are yielded but not entered.
        """
        pruned = frozenset(prune)
        stack = [start]
        while stack:
            current = stack.pop()
            yield current
            node = current.node
            if node.type in pruned and current is not start:
                continue
            if node.type == "macro_invocation":
                body = self.body_of(current)
                if body is not None:
                    stack.append(Located(body.root, body))
                continue
            if node.type == "token_tree":
                continue
            stack.extend(Located(c, current.fragment) for c in reversed(node.children))

    def function_of(self, located: Located) -> Node | None:
        """The function item of the file whose body holds `located` (closures do not
        count); None outside functions and in a function written in a macro body."""
        spans = self.scan.function_spans
        start, end = located.start, located.end
        index = bisect_right(self._function_starts, start) - 1
        while index >= 0:  # the innermost function around, up the functions that hold it
            span_start, span_end, function, in_file, holder = spans[index]
            if span_end >= end and not (span_start == start and function == located.node):
                return function if in_file else None
            index = holder
        return None

    @cached_property
    def _function_starts(self) -> list[int]:
        return [span[0] for span in self.scan.function_spans]

    def location(self, located: Located) -> Location:
        return self.source.lines.offset_location(located.start, located.end)

    def span_location(self, start: Located, end: Located) -> Location:
        """From the start of one node to the end of another (e.g. `unwrap()` of a chain)."""
        return self.source.lines.offset_location(start.start, end.end)

    def in_file(self, node: Node) -> Located:
        """A node of the file's own tree."""
        return Located(node, self.file)


_BODIES: weakref.WeakKeyDictionary[SourceFile, RustBodies] = weakref.WeakKeyDictionary()


def bodies_of(source: SourceFile) -> RustBodies:
    """The bodies of a file, built once per run and shared by the extractor and every rule."""
    found = _BODIES.get(source)
    if found is None:
        found = RustBodies(source)
        _BODIES[source] = found
    return found
