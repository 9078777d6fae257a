"""The syntax of one Go file that every Go question starts from, built once per file.

The index pass (`extract_go`) and every GO and XL rule ask the same things
of a file's tree: where it spells a name, the scope of each function, which
`C.name(...)` calls a C function, which calls call a function of a given
name, which import a name stands for. None of it depends on the package the
file is in, so `GoSyntax.of(source)` answers it once per `SourceFile` and
run, for the extractor and the rules alike; `GoFile` (model.py) adds what
the package decides (types, conversions). Everything starts from tokens
(nodes.py), and scopes are built only for the functions someone asks about.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cached_property
from typing import NamedTuple
from weakref import WeakKeyDictionary

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.nodes import TokenIndex
from interop_lint.analyzer.golang.scope import Binding, FunctionScope
from interop_lint.analyzer.golang.syntax import (
    FUNCTION_TYPES,
    arguments,
    imports,
    is_c_type_name,
    preamble_typedefs,
    qualified_parts,
    unparen,
)
from interop_lint.analyzer.source import SourceFile

_VIEWS: WeakKeyDictionary[SourceFile, GoSyntax] = WeakKeyDictionary()
_QUALIFIED = frozenset({"selector_expression", "qualified_type"})
# Where an identifier declares a name: its parent, or the parent of its list.
_DECLARATIONS = frozenset(
    {
        "short_var_declaration",
        "var_spec",
        "range_clause",
        "receive_statement",
        "type_switch_statement",
        "parameter_declaration",
        "variadic_parameter_declaration",
    }
)
# What lies between a name and the call or conversion it names the function or
# type of: `(C.f)(x)`, `(*T)(p)`, `(*[1 << 30]C.int)(p)`, `pkg.T[int](x)`.
_NOT_IN_CALLEE = frozenset(
    {"argument_list", "expression_list", "parameter_list", "block", "statement_list", "source_file"}
)
_CALLEE_FIELDS = {"call_expression": "function", "type_conversion_expression": "type"}


class GoSyntax:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.root = source.root
        # Where the file spells a name, a keyword or an operator (searched on first use).
        self.tokens = TokenIndex(self.root, source.data)
        # The source text of a node of this file (see `TokenIndex.text`).
        self.text = self.tokens.text
        self.imports = imports(self.root)
        self._import_names: dict[str, str] = {}
        for name, path in self.imports.items():
            self._import_names.setdefault(path, name)
        self._scopes: dict[int, FunctionScope] = {}
        self._c_functions: dict[int, str | None] = {}
        self._may_be_local: dict[str, bool] = {}
        self._callees: dict[int, Callee | None] = {}
        self._spelled_callees: dict[int, str] = {}
        self._arguments: dict[int, list[Node]] = {}
        self._not_local: dict[int, bool] = {}
        self._typed_candidates: dict[tuple[str, ...], list[Node]] = {}
        # Conversions (see GoFile.conversion) whose answer no package fact decided.
        self.conversions: dict[int, tuple[TypeExpr, Node] | None] = {}

    @classmethod
    def of(cls, source: SourceFile) -> GoSyntax:
        """The shared view of `source` (built on first use)."""
        view = _VIEWS.get(source)
        if view is None:
            view = _VIEWS[source] = cls(source)
        return view

    def parents(
        self, spelling: str, kinds: frozenset[str], within: Node | None = None
    ) -> list[Node]:
        """The nodes of `kinds` that have a token `spelling` as a child, in order
        (`=` for assignments, `&` for address-of expressions)."""
        found = []
        for token in self.tokens.tokens(spelling, within):
            parent = token.parent
            if parent is not None and parent.type in kinds:
                found.append(parent)
        return _in_order(found)

    @cached_property
    def c_typedefs(self) -> frozenset[str]:
        """The C type names the file knows: its preamble's typedefs, and the names it
        writes as types (`var key C.gpointer`, `map[C.EGLClientBuffer]T`): a system
        header's typedef the preamble only includes, whose `C.gpointer(p)` converts."""
        written = set()
        for package in self.tokens.tokens("C"):
            parent = package.parent
            if package.type != "package_identifier" or parent is None:
                continue
            holder = parent.parent  # in broken code `C.CString(s` parses as a type
            if parent.type == "qualified_type" and holder is not None and not holder.is_error:
                written.add(self.text(parent.child_by_field_name("name")))
        return preamble_typedefs(self.source.preamble) | written

    def import_name(self, path: str) -> str | None:
        """The name the file uses for an import path (`cgo` for "runtime/cgo")."""
        return self._import_names.get(path)

    # -- functions and scopes ------------------------------------------------------

    @cached_property
    def _top_functions(self) -> tuple[list[Node], list[int]]:
        found: list[Node] = []
        for node in self.parents("func", FUNCTION_TYPES):
            if not found or node.start_byte >= found[-1].end_byte:
                found.append(node)  # in document order: not inside the previous one
        return found, [n.start_byte for n in found]

    def functions(self) -> Iterator[Node]:
        """Functions, methods, and function literals outside any function, in order."""
        return iter(self._top_functions[0])

    def top_function(self, node: Node) -> Node | None:
        """The top-level function that contains `node` (or is it), without its scope."""
        functions, starts = self._top_functions
        i = bisect_right(starts, node.start_byte) - 1
        if i < 0 or functions[i].end_byte < node.end_byte:
            return None
        return functions[i]

    def scope(self, node: Node) -> FunctionScope | None:
        """The scope of the top-level function that contains `node` (or is it)."""
        function = self.top_function(node)
        if function is None:
            return None
        scope = self._scopes.get(function.id)
        if scope is None:
            scope = self._scopes[function.id] = FunctionScope(function, self.tokens)
        return scope

    def binding(self, identifier: Node | None) -> Binding | None:
        identifier = unparen(identifier)
        if identifier is None or identifier.type != "identifier":
            return None
        scope = self.scope(identifier)
        return scope.binding_of(identifier) if scope is not None else None

    def not_local(self, identifier: Node | None) -> bool:
        """Whether a name is not a local variable or parameter where it is used."""
        if identifier is None:
            return True
        key = identifier.id
        found = self._not_local.get(key)
        if found is None:
            found = self._not_local[key] = self._is_not_local(identifier)
        return found

    def _is_not_local(self, identifier: Node) -> bool:
        if not self._declared_somewhere(self.text(identifier)):
            return True
        scope = self.scope(identifier)
        return scope is None or scope.binding_of(identifier) is None

    def _declared_somewhere(self, name: str) -> bool:
        """Whether an identifier `name` sits in a declaration of the file (a parameter,
        `:=`, `var`, `range`, ...): if none does, no function has a local of that name."""
        found = self._may_be_local.get(name)
        if found is None:
            found = self._may_be_local[name] = any(
                token.type == "identifier" and _declares(token.parent)
                for token in self.tokens.tokens(name)
            )
        return found

    # -- calls -------------------------------------------------------------------------

    def arguments(self, call: Node) -> list[Node]:
        """A call's arguments (comments left out); the same list every time: read only."""
        found = self._arguments.get(call.id)
        if found is None:
            found = self._arguments[call.id] = arguments(call)
        return found

    def spelled_callee(self, call: Node) -> str:
        """`syntax.callee(call)`: the called function as written, without spaces."""
        found = self._spelled_callees.get(call.id)
        if found is None:
            function = unparen(call.child_by_field_name("function"))
            found = self._spelled_callees[call.id] = "".join(self.text(function).split())
        return found

    def callee(self, call: Node) -> Callee | None:
        """What a call's function, unparenthesized, names: `f` or `x.f` (None for a
        call of anything else, and for what is not a call)."""
        key = call.id
        if key not in self._callees:
            self._callees[key] = self._callee(call) if call.type == "call_expression" else None
        return self._callees[key]

    def _callee(self, call: Node) -> Callee | None:
        written = call.child_by_field_name("function")
        parenthesized = written is not None and written.type == "parenthesized_expression"
        function = unparen(written)
        if function is None:
            return None
        kind = function.type
        if kind == "identifier":
            return Callee(self.text(function), False, "", function, kind, parenthesized)
        if kind not in _QUALIFIED:
            return None
        operand, field = qualified_parts(function)
        return Callee(self.text(field), True, self.text(operand), operand, kind, parenthesized)

    def calls_named(self, name: str, within: Node | None = None) -> list[Node]:
        """The calls whose function, unparenthesized, is `name` or `x.name`, in order."""
        found = []
        for token in self.tokens.tokens(name, within):
            if token.type == "identifier":
                function: Node | None = token
            elif token.type in ("field_identifier", "type_identifier"):
                function = token.parent  # `x.name`: a selector or a qualified type
                if function is None or function.type not in _QUALIFIED:
                    continue
            else:
                continue
            call = _call_of_function(function)  # type: ignore[arg-type]
            if call is not None:
                found.append(call)
        return _in_order(found)

    def typed_candidates(self, spellings: tuple[str, ...]) -> list[Node]:
        """Calls and conversions with one of `spellings` in their function or type,
        outside any parameter list or argument (`uintptr(p)`, `(*T)(p)`,
        `unsafe.Pointer(p)`), in order: where a conversion to a type named
        `uintptr` or `unsafe.Pointer`, or to a pointer (`*`), can be
        (`GoFile.conversion` decides). The same list every time: read only."""
        known = self._typed_candidates.get(spellings)
        if known is not None:
            return known
        found: dict[int, Node] = {}
        climbed: set[int] = set()  # above a node climbed once, every answer is known
        for spelling in spellings:
            for token in self.tokens.tokens(spelling):
                node, parent = token, token.parent
                while parent is not None and parent.type not in _NOT_IN_CALLEE:
                    field = _CALLEE_FIELDS.get(parent.type)
                    if field is not None and parent.child_by_field_name(field) == node:
                        found[parent.id] = parent
                    if parent.id in climbed:
                        break  # nested `*`s (`&*&*p`): quadratic climbs otherwise
                    climbed.add(parent.id)
                    node, parent = parent, parent.parent
        known = self._typed_candidates[spellings] = _in_order(list(found.values()))
        return known

    # -- C calls -----------------------------------------------------------------------

    @cached_property
    def _c_callees(self) -> list[tuple[Node, Node, Node, bool]]:
        """(call, selector, `C`, whether the selector is the call's function itself) of
        every call whose function is a selector `C.x` on the identifier `C`, in
        parentheses or not, in order."""
        found = []
        declared = False  # whether a `C` sits in a declaration (`_declared_somewhere`)
        for operand in self.tokens.tokens("C"):
            if operand.type != "identifier":
                continue  # `C.int` as a type, `x.C`
            selector = operand.parent
            if selector is None or selector.type != "selector_expression":
                declared = declared or _declares(selector)
                continue
            parent = selector.parent
            if parent is not None and parent.type == "call_expression":
                if parent.child_by_field_name("function") == selector:
                    found.append((parent, selector, operand, True))
                continue
            call = _call_of_function(selector)
            if call is not None:
                found.append((call, selector, operand, False))
        self._may_be_local.setdefault("C", declared)
        return found

    @cached_property
    def c_calls(self) -> list[tuple[Node, str, Node]]:
        """(call, name, argument list) of every `C.name(...)`, in document order.

        Conversions to C types (`C.int(n)`) have the same syntax and are included;
        `c_function` tells them apart.
        """
        found = []
        c_may_be_local = self._declared_somewhere("C")
        typedefs, text = self.c_typedefs, self.text
        functions, callees, conversions = self._c_functions, self._callees, self.conversions
        for call, selector, operand, direct in self._c_callees:
            if not direct:
                continue  # `(C.f)(x)`
            field = selector.child_by_field_name("field")
            arguments = call.child_by_field_name("arguments")
            if field is None or field.type != "field_identifier":
                continue
            if arguments is None or arguments.type != "argument_list":
                continue
            name = text(field)
            found.append((call, name, arguments))
            # What `_c_function` and `_callee` would find: the selector is the function.
            local = c_may_be_local and not self.not_local(operand)
            called = None if local or is_c_type_name(name, typedefs) else name
            key = call.id
            functions[key] = called
            callees[key] = Callee(name, True, "C", operand, "selector_expression", False)
            if called is not None:
                # A call of a C function converts nothing (`GoFile.conversion`), in any
                # package: most calls of a cgo file are asked about.
                conversions[key] = None
        return found

    def c_function_calls(self) -> list[tuple[Node, str]]:
        """(call, name) of every call of a C function (conversions to C types left
        out), parenthesized functions (`(C.f)(x)`) included, in order."""
        self.c_calls  # noqa: B018 (knows the names of most)
        found = []
        for call, _, _, _ in self._c_callees:
            name = self.c_function(call)
            if name is not None:
                found.append((call, name))
        return found

    def c_function(self, call: Node) -> str | None:
        """`name` for a call `C.name(...)` that calls a C function (not a C type conversion)."""
        if call.type != "call_expression":
            return None
        key = call.id
        if key not in self._c_functions:
            self._c_functions[key] = self._c_function(call)
        return self._c_functions[key]

    def _c_function(self, call: Node) -> str | None:
        function = unparen(call.child_by_field_name("function"))
        if function is None or function.type != "selector_expression":
            return None
        operand = function.child_by_field_name("operand")
        if operand is None or self.text(operand) != "C" or not self.not_local(operand):
            return None
        name = self.text(function.child_by_field_name("field"))
        return None if is_c_type_name(name, self.c_typedefs) else name


class Callee(NamedTuple):
    """The function a call names: `len` in `len(x)`, `unsafe.Pointer` in `unsafe.Pointer(p)`
    (a tuple: made for most calls of a file, several times faster than a dataclass)."""

    name: str  # `len`, `Pointer`
    qualified: bool  # `x.name` (a selector), not a bare `name`
    qualifier: str  # the text of `x` ("" for a bare name)
    local: Node | None  # the identifier a local variable could shadow: `len`, or `x`
    kind: str  # identifier, selector_expression or qualified_type
    parenthesized: bool  # `(x.name)(...)`


def _declares(parent: Node | None) -> bool:
    """Whether an identifier with this parent is declared there (or in its list)."""
    if parent is not None and parent.type == "expression_list":
        parent = parent.parent
    return parent is not None and parent.type in _DECLARATIONS


def _in_order(nodes: list[Node]) -> list[Node]:
    """Nodes in document order, an outer one before an inner one that starts with it
    (`a == b == c`, `x.Pin(a).Pin(b)`): token order puts the inner one first."""
    return sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte))


def _call_of_function(function: Node) -> Node | None:
    """The call whose function is `function`, in parentheses or not."""
    node = function
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    if parent is None or parent.type != "call_expression":
        return None
    return parent if parent.child_by_field_name("function") == node else None
