"""Exports a crate's own `macro_rules!` macros write, expanded into the file's tree.

Larger C APIs stamp out families of exports with a macro:

    macro_rules! getter {
        ($name:ident, $field:ident) => {
            #[no_mangle]
            pub unsafe extern "C" fn $name(t: *const Thing) -> u32 { (*t).$field }
        };
    }
    getter!(thing_width, width);

tree-sitter keeps a transcriber as tokens, so `thing_width` would have no body
to analyse. Each item-level invocation of such a macro (one whose rules write
`#[no_mangle]` or `#[export_name]`) is expanded here: matched against the
macro's rules (rust.macro_match), its transcriber written out with what the
invocation binds (the invocation's own text, so `std::ptr` keeps its `::`),
and appended to the file's code. The file is parsed once more with the
expansions after its last line, so every extractor and rule sees the
generated functions as items of the file; a location inside an expansion
is the function's name in the invocation (`thing_width` above), or the
invocation's macro when the name is not spelled there.

The macros are the file's own and those the engine found in other files of
the crate (`SourceFile.export_macros`, keyed into the file's cache entry). An
invocation that matches no rule, a transcriber with nested repetitions, or an
expansion that does not parse is left as it was: rust.generated still knows
its symbols where it can, and unknown never produces a finding.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from msgspec import Struct
from tree_sitter import Node, Tree

from interop_lint.analyzer.locations import LineIndex, Location
from interop_lint.analyzer.parsing import Grammar, parse, text
from interop_lint.analyzer.rust.attributes import attributes_of
from interop_lint.analyzer.rust.invocation_wrappers import holds_functions
from interop_lint.analyzer.rust.item_macros import export_macro, items_of_kind
from interop_lint.analyzer.rust.macro_match import (
    METAVARIABLE,
    Bound,
    Group,
    first_match,
    paste_parts,
    token_tree,
)
from interop_lint.analyzer.rust.syntax import is_test_code

if TYPE_CHECKING:
    pass

_REPETITION = re.compile(r"\$\s*\(")
_REPEAT_OPERATOR = re.compile(r"\s*([^\s()\[\]{}*+?$]+)?\s*([*+?])")
_WRITES_EXPORT = re.compile(r"\bno_mangle\b|\bexport_name\b")
WRITES_EXPORT_BYTES = re.compile(_WRITES_EXPORT.pattern.encode())
_PASTE_BLOCK = re.compile(r"(?:::\s*)?(?:paste\s*::\s*)?(?:paste|item)\s*!\s*[{(\[]")
# A doc attribute made of several pieces, and one piece (a string or a token).
_DOC_PIECES = re.compile(r'#\s*\[\s*doc\s*=\s*((?:"(?:\\.|[^"\\])*"\s*|[^\]"\s]+\s*){2,})\]')
_DOC_PIECE = re.compile(r'"(?:\\.|[^"\\])*"|[^\]"\s]+')
_PASTE = re.compile(r"\[<([^\[\]<>]*)>\]")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
MAX_EXPANSION = 1 << 20  # bytes one file's expansions may add
MAX_DEPTH = 4  # invocations of export macros written by an expansion, and so on


class ExportMacroText(Struct, frozen=True):
    """A `macro_rules!` macro whose rules write exported functions, as text."""

    name: str
    rules: tuple[tuple[str, str], ...]  # (matcher, delimiters included; transcriber, without)
    exported: bool = False  # `#[macro_export]`: crates depending on its crate invoke it too


class _Rule(Struct, frozen=True):
    matcher: str
    transcriber: str


def export_macro_texts(
    root: Node, hands_to: re.Pattern[str] | None = None
) -> list[ExportMacroText]:
    """The file's item-level `macro_rules!` macros that write exported functions from
    what they are given, not from a whole function (rust.item_macros unwraps those);
    or, given `hands_to`, those whose text matches it instead (invocations of such
    macros: rust.macro_sharing)."""
    found: list[ExportMacroText] = []
    wanted = hands_to or _WRITES_EXPORT
    for definition in items_of_kind(root, "macro_definition"):
        name = definition.child_by_field_name("name")
        if name is None or not wanted.search(text(definition)):
            continue
        rules: list[tuple[str, str]] = []
        for rule in definition.named_children:
            left, right = rule.child_by_field_name("left"), rule.child_by_field_name("right")
            if rule.type == "macro_rule" and left is not None and right is not None:
                rules.append((text(left), text(right)[1:-1]))
        if export_macro(definition) is not None:
            continue  # it takes whole functions: they are items already (rust.item_macros)
        if rules:
            exported = any("macro_export" in text(a) for a in attributes_of(definition))
            found.append(ExportMacroText(text(name), tuple(rules), exported))
    return found


class ExpandedCode(Struct):
    """A file's code with its export macros' expansions after its last line."""

    code: bytes
    tree: Tree
    # (start, end) of each expansion's pieces in `code`, and what a location there is
    # in the file: the generated function's name in the invocation, or the macro.
    spans: list[tuple[int, int, int, int]]


def expand_export_macros(
    tree: Tree, data: bytes, macros: Iterable[ExportMacroText]
) -> ExpandedCode | None:
    """The file's code with every item-level invocation of one of `macros` (or of the
    file's own export macros) expanded after it; None when there is nothing to expand."""
    root = tree.root_node
    known = {m.name: m for m in macros}
    for own in export_macro_texts(root) if b"macro_rules" in data else ():
        known[own.name] = own
    if not known:
        return None
    pieces: list[tuple[bytes, Node]] = []  # an expansion, and the invocation it is of
    size = 0
    for invocation in _invocations(root, known):
        macro = invocation.child_by_field_name("macro")
        assert macro is not None  # _invocations yields only named ones
        for expansion in _expansions(known, invocation, MAX_DEPTH):
            size += len(expansion)
            if size > MAX_EXPANSION:
                break
            pieces.append((expansion, invocation))
    return _combined(data, pieces) if pieces else None


def _combined(data: bytes, pieces: list[tuple[bytes, Node]]) -> ExpandedCode | None:
    """The code with each expansion appended, and where each piece is located: the
    invocation's macro, and a function it writes at its name in the invocation."""
    code = bytearray(data)
    spans: list[tuple[int, int, int, int]] = []
    for expansion, invocation in pieces:
        code += b"\n"
        macro = invocation.child_by_field_name("macro")
        assert macro is not None
        spans.append((len(code), len(code) + len(expansion), macro.start_byte, macro.end_byte))
        code += expansion
    code += b"\n"
    expanded = parse(Grammar.RUST, bytes(code))
    if expanded.root_node.has_error:
        return None  # a file with a syntax error of its own keeps its tree
    named: list[tuple[int, int, int, int]] = []
    for (start, end, *_), (_, invocation) in zip(spans, pieces, strict=True):
        for function in _functions_within(expanded.root_node, start, end):
            name = function.child_by_field_name("name")
            where = _spelled_in(invocation, text(name)) if name is not None else None
            if where is not None:
                named.append((function.start_byte, function.end_byte, *where))
    return ExpandedCode(bytes(code), expanded, spans + named)


def _functions_within(root: Node, start: int, end: int) -> Iterator[Node]:
    for item in items_of_kind(root, "function_item"):
        if start <= item.start_byte < end:
            yield item


def _spelled_in(invocation: Node, name: str) -> tuple[int, int] | None:
    """The bytes of `name` as a word of the invocation (its first such spelling)."""
    found = re.search(rb"\b" + re.escape(name.encode()) + rb"\b", invocation.text or b"")
    if found is None:
        return None
    return invocation.start_byte + found.start(), invocation.start_byte + found.end()


def _invocations(root: Node, known: dict[str, ExportMacroText]) -> Iterator[Node]:
    for invocation in items_of_kind(root, "macro_invocation"):
        macro = _macro_name(invocation)
        if macro is None or text(macro) not in known or holds_functions(invocation):
            continue  # (a function it holds is an item already: rust.item_macros)
        if not is_test_code(invocation):  # its expansion would leave the test module
            yield invocation


def _macro_name(invocation: Node) -> Node | None:
    """The name an invocation calls its macro by, without a path (`sdk::boilerplate!`)."""
    macro = invocation.child_by_field_name("macro")
    if macro is not None and macro.type == "scoped_identifier":
        return macro.child_by_field_name("name")
    return macro


def _expansions(known: dict[str, ExportMacroText], invocation: Node, depth: int) -> list[bytes]:
    """What an invocation expands to, and what the invocations of known macros it
    writes expand to (a macro's rule that hands on to another, or to itself)."""
    macro = _macro_name(invocation)
    expansion = _expand(known[text(macro)], invocation) if macro is not None else None
    if expansion is None:
        return []
    tree = parse(Grammar.RUST, expansion)
    if tree.root_node.has_error:
        return []
    found = [expansion]
    for inner in _invocations(tree.root_node, known) if depth > 0 else ():
        found += _expansions(known, inner, depth - 1)
    return found


def _expand(macro: ExportMacroText, invocation: Node) -> bytes | None:
    """The items an invocation writes, by the first rule it matches; None if unknown."""
    arguments = next((c for c in invocation.named_children if c.type == "token_tree"), None)
    if arguments is None:
        return None
    rules = [_Rule(matcher, transcriber) for matcher, transcriber in macro.rules]
    written_text = text(arguments)
    documented = _DOC_COMMENT.sub(_doc_attribute, written_text)
    # Doc comments as the attributes they are to rustc, for a rule that forwards them
    # (`$(#[$doc:meta])*`, RS108 reads the `# Safety` section); as they were else.
    for given_text in dict.fromkeys((documented, written_text)):
        given = token_tree(given_text)
        if not given or not isinstance(given[0], Group):
            return None
        found = first_match(rules, given[0])
        if found is not None:
            break
    else:
        return None
    rule, bindings = found
    written = _transcribe(rule.transcriber, bindings, given_text, ())  # type: ignore[arg-type]
    if written is None:
        return None
    return _paste(written).encode()


# An outer doc comment on a line of its own (not `////`, which is a plain comment).
_DOC_COMMENT = re.compile(r"^([ \t]*)///(?!/)([^\n]*)$", re.MULTILINE)


def _doc_attribute(found: re.Match[str]) -> str:
    escaped = found.group(2).replace("\\", "\\\\").replace('"', '\\"')
    return f'{found.group(1)}#[doc = "{escaped}"]'


def _transcribe(
    template: str, bindings: dict[str, list[Bound]], given: str, at_path: tuple[int, ...]
) -> str | None:
    """The transcriber with each `$var` replaced by the text it bound in `given`, in the
    iteration `at_path` of the repetitions around, each `$( .. )*` written once per
    iteration its metavariables bound, and `$crate` as `crate`; None if unknown."""
    out: list[str] = []
    at = 0
    while (dollar := template.find("$", at)) >= 0:
        out.append(template[at:dollar])
        variable = METAVARIABLE.match(template, dollar)
        if variable is not None:
            name = variable.group(1)
            if name == "crate":
                out.append("crate")
            else:
                values = _values(bindings.get(name, []), at_path)
                if len(values) != 1:
                    return None
                value = values[0]
                out.append(given[value.start : value.end] if value.end > value.start else value)
            at = variable.end()
            continue
        opened = _REPETITION.match(template, dollar)
        if opened is None:
            out.append("$")
            at = dollar + 1
            continue
        closing = _closing(template, opened.end() - 1)
        operator = _REPEAT_OPERATOR.match(template, closing + 1) if closing >= 0 else None
        if operator is None:
            return None
        inner = template[opened.end() : closing]
        written: list[str] = []
        for iteration in _iterations(inner, bindings, at_path):
            once = _transcribe(inner, bindings, given, (*at_path, iteration))
            if once is None:
                return None
            written.append(once)
        separator = operator.group(1)
        out.append((f" {separator} " if separator else " ").join(written))
        at = operator.end()
    out.append(template[at:])
    return "".join(out)


def _values(values: list[Bound], at_path: tuple[int, ...]) -> list[Bound]:
    """The values of a metavariable in the iteration `at_path` (those bound deeper
    stand for a repetition not written out: more than one is unknown)."""
    return [v for v in values if v.path[: len(at_path)] == at_path[: len(v.path)]]


def _iterations(
    inner: str, bindings: dict[str, list[Bound]], at_path: tuple[int, ...]
) -> list[int]:
    """The iterations of a `$( inner )*` at `at_path`: those its metavariables bound in
    (none bound: the repetition matched nothing)."""
    depth = len(at_path)
    found: set[int] = set()
    for name in METAVARIABLE.findall(inner):
        for value in bindings.get(name, ()):
            if len(value.path) > depth and value.path[:depth] == at_path:
                found.add(value.path[depth])
    return sorted(found)


def _closing(template: str, opener: int) -> int:
    """The index of the delimiter closing the one at `opener`, or -1."""
    depth = 0
    for index in range(opener, len(template)):
        char = template[index]
        if char in _OPENERS:
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _paste(written: str) -> str:
    """`paste!`'s `[<a _ $t:snake>]` joined, and its `paste! { .. }` (or `paste::item!`)
    wrappers unwrapped: the items they hold stand in their place."""
    if "paste" in written:
        written = _DOC_PIECES.sub(_one_doc_string, _unwrap_paste_blocks(written))
    if "[<" not in written:
        return written

    def joined(found: re.Match[str]) -> str:
        pasted = paste_parts(found.group(1))
        return found.group(0) if pasted is None else pasted  # unknown: left to fail

    return _PASTE.sub(joined, written)


def _one_doc_string(found: re.Match[str]) -> str:
    """`#[doc = "Frees a " $name " vector."]`, which paste joins, as one string."""
    pieces = _DOC_PIECE.findall(found.group(1))
    joined = "".join(p[1:-1] if p.startswith('"') else p for p in pieces)
    return '#[doc = "' + joined.replace('"', "'") + '"]'


def _unwrap_paste_blocks(written: str) -> str:
    out: list[str] = []
    at = 0
    while (found := _PASTE_BLOCK.search(written, at)) is not None:
        closing = _closing(written, found.end() - 1)
        if closing < 0:
            break
        out.append(written[at : found.start()])
        out.append(written[found.end() : closing])
        at = closing + 1
        if written.startswith(";", at):
            at += 1
    out.append(written[at:])
    return "".join(out)


class ExpandedLineIndex(LineIndex):
    """Locations of a file whose code has expansions after its last line: a point in
    an expansion is located where the expansion's span says (the innermost)."""

    __slots__ = ("_first_expanded", "_span_starts", "_spans")

    def __init__(self, path: str, code: bytes, limit: int, spans: list[tuple[int, ...]]) -> None:
        super().__init__(path, code)
        self._first_expanded = limit
        self._spans = sorted(spans)
        self._span_starts = [span[0] for span in self._spans]

    def point_location(
        self, start: tuple[int, int], end: tuple[int, int], *, line_offset: int = 0
    ) -> Location:
        offset = self._starts[min(start[0], len(self._starts) - 1)] + start[1]
        if offset < self._first_expanded or line_offset:
            return super().point_location(start, end, line_offset=line_offset)
        index = bisect_right(self._span_starts, offset) - 1
        found: tuple[int, ...] | None = None
        while index >= 0:  # the innermost span holding it: the latest starting one
            span = self._spans[index]
            if span[0] <= offset < span[1]:
                found = span
                break
            index -= 1
        if found is None:
            return super().point_location(start, end)
        return self.offset_location(found[2], found[3])
