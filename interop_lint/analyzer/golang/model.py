"""One Go file of a cgo package as the GO rules see it: imports, calls, conversions.

`GoFile.of(ctx)` builds (once per file and run, shared by every GO rule) the
view of a file whose package uses cgo: which import name is `unsafe` or
`runtime/cgo`, which `C.x(...)` are calls and which are conversions to C
types, the scope of each function. Type and provenance questions live in
`infer.py`, value flow in `flow.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from tree_sitter import Node

from interop_lint.analyzer.clang.facts import CKind
from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.package import GoPackage
from interop_lint.analyzer.golang.scope import Binding, FunctionScope
from interop_lint.analyzer.golang.syntax import (
    evaluate_int,
    is_c_type_name,
    is_deref,
    misread_dereference,
    qualified_parts,
    unparen,
)
from interop_lint.analyzer.golang.types import (
    BUILTIN_TYPES,
    is_integer_type,
    named,
    pointer_to,
    type_expr,
)
from interop_lint.analyzer.golang.view import GoSyntax
from interop_lint.analyzer.source import SourceFile

if TYPE_CHECKING:
    from interop_lint.analyzer.clang.facts import CType
    from interop_lint.analyzer.clang.index import CIndex
    from interop_lint.analyzer.context import RuleContext

_MODELS: WeakKeyDictionary[SourceFile, GoFile | None] = WeakKeyDictionary()
# Functions of the cgo pseudo-package that return Go values (copies), not C memory.
GO_RESULT_C_FUNCTIONS = frozenset({"GoString", "GoStringN", "GoBytes"})
_MAX_TYPE_DEPTH = 16
_CONVERSION_KINDS = frozenset({"call_expression", "type_conversion_expression"})


class GoFile:
    def __init__(self, source: SourceFile, package: GoPackage) -> None:
        self.source = source
        self.package = package
        self.syntax = GoSyntax.of(source)
        self.root = self.syntax.root
        self.imports = self.syntax.imports
        self._conversions: dict[int, tuple[TypeExpr, Node] | None] = {}
        self._asked_package = False  # while a conversion is read: did the package decide?
        # Whether the C function a call names returns a pointer, by its declaration in
        # the file's preamble or headers (None: not known; see `GoFile.of`).
        self.c_returns_pointer: Callable[[str], bool | None] = lambda _: None

    @classmethod
    def of(cls, ctx: RuleContext) -> GoFile | None:
        """The shared view of the rule's file, or None when its package does not use cgo."""
        if ctx.file in _MODELS:
            return _MODELS[ctx.file]
        package = ctx.index.go.package_of(ctx.file.path)
        model = cls(ctx.file, package) if package.uses_cgo else None
        if model is not None:
            model.c_returns_pointer = _pointer_results(ctx.index.c, ctx.file.path)
        _MODELS[ctx.file] = model  # None too: every GO rule asks
        return model

    # -- names -------------------------------------------------------------------

    @property
    def c_typedefs(self) -> frozenset[str]:
        return self.syntax.c_typedefs

    def import_name(self, path: str) -> str | None:
        """The name the file uses for an import path (`cgo` for "runtime/cgo")."""
        return self.syntax.import_name(path)

    def is_qualified(self, node: Node | None, path: str, name: str) -> bool:
        """Whether `node` is the selector `<import of path>.name` (`unsafe.Pointer`)."""
        node = unparen(node)
        if node is None or node.type not in ("selector_expression", "qualified_type"):
            return False
        operand, field = qualified_parts(node)
        package = self.syntax.text(operand)
        expected = "C" if path == "C" else self.import_name(path)
        return package == expected and self.syntax.text(field) == name and self._not_local(operand)

    def _not_local(self, identifier: Node | None) -> bool:
        return self.syntax.not_local(identifier)

    def constant(self, node: Node | None) -> int | None:
        return evaluate_int(node, self.package.constants)

    # -- functions and scopes ------------------------------------------------------

    def functions(self) -> Iterator[Node]:
        """Functions, methods, and function literals outside any function, in order."""
        return self.syntax.functions()

    def scope(self, node: Node) -> FunctionScope | None:
        """The scope of the top-level function that contains `node` (or is it)."""
        return self.syntax.scope(node)

    def binding(self, identifier: Node | None) -> Binding | None:
        return self.syntax.binding(identifier)

    # -- calls and conversions -------------------------------------------------------

    def c_function(self, call: Node) -> str | None:
        """`name` for a call `C.name(...)` that calls a C function (not a C type conversion)."""
        return self.syntax.c_function(call)

    def calls(self, call: Node, path: str, name: str | frozenset[str]) -> bool:
        """Whether `call` is a call of `<import of path>.name(...)` (of one of the names);
        path "C" for cgo."""
        callee = self.syntax.callee(call)
        if callee is None or not callee.qualified or not _named(callee.name, name):
            return False
        expected = "C" if path == "C" else self.import_name(path)
        return callee.qualifier == expected and self._not_local(callee.local)

    def builtin_call(self, call: Node, name: str | frozenset[str]) -> bool:
        """A call of a predeclared function (`len`, `append`, `new`; or of one of the
        names) that no local shadows."""
        callee = self.syntax.callee(call)
        if callee is None or callee.qualified or not _named(callee.name, name):
            return False
        return self._not_local(callee.local)

    def conversion(self, node: Node | None) -> tuple[TypeExpr, Node] | None:
        """(target type, operand) when `node` converts a value to a type: `T(x)`,
        `(*T)(x)`, `unsafe.Pointer(x)`, `C.int(x)`, `[]byte(s)`."""
        node = unparen(node)
        if node is None or node.type not in _CONVERSION_KINDS:
            return None  # what `_conversion` says of anything else
        key = node.id
        shared = self.syntax.conversions
        if key in shared:
            return shared[key]
        if key not in self._conversions:
            self._asked_package = False
            found = self._conversion(node)
            if not self._asked_package:
                # No fact of the package decided it: it holds in any package, and the
                # index pass and the rules share it.
                self.syntax.conversions[key] = found
                return found
            self._conversions[key] = found
        return self._conversions[key]

    def misread_conversion(self, node: Node | None) -> tuple[TypeExpr, Node] | None:
        """For `*(*T)(p)`, which tree-sitter-go misreads (`misread_dereference`): the
        conversion `(*T)(p)` it dereferences, as `conversion` gives one."""
        inner = misread_dereference(node)
        operand = node.child_by_field_name("operand") if inner is not None else None  # type: ignore[union-attr]
        return (type_expr(inner, self.constant), operand) if operand is not None else None

    def _package_constant(self, node: Node) -> int | None:
        """`constant`, noting that the answer being built depends on the package."""
        self._asked_package = True
        return self.constant(node)

    def _conversion(self, node: Node) -> tuple[TypeExpr, Node] | None:
        if node.type == "type_conversion_expression":
            operand = node.child_by_field_name("operand")
            if operand is None or misread_dereference(node) is not None:
                return None
            return type_expr(node.child_by_field_name("type"), self._package_constant), operand
        if node.type != "call_expression":
            return None
        args = self.syntax.arguments(node)
        if len(args) != 1 or args[0].type == "variadic_argument":
            return None
        target = self._type_of_function(node)
        return (target, args[0]) if target is not None else None

    def _type_of_function(self, call: Node) -> TypeExpr | None:
        """The type a call's function position names, if it names one."""
        callee = self.syntax.callee(call)
        if callee is not None and not callee.qualified:  # an identifier
            if not self._not_local(callee.local):
                return None
            name = callee.name
            if name in BUILTIN_TYPES:
                return named(name)
            self._asked_package = True
            return named(name) if self.package.is_type_name(name) else None
        if callee is not None and callee.kind == "selector_expression":
            operand, package, name = callee.local, callee.qualifier, callee.name
            if operand is None or operand.type != "identifier" or not self._not_local(operand):
                return None
            if package == "C" and is_c_type_name(name, self.c_typedefs):
                return named(f"C.{name}")
            path = self.imports.get(package)
            if (path, name) in (("unsafe", "Pointer"), ("runtime/cgo", "Handle")):
                return named(f"{path.rsplit('/', 1)[-1]}.{name}")
            if callee.parenthesized and package in self.imports:
                return named(f"{package}.{name}")
            return None
        function = call.child_by_field_name("function")
        parenthesized = function is not None and function.type == "parenthesized_expression"
        function = unparen(function)
        if function is None:
            return None
        if is_deref(function) and parenthesized:
            return pointer_to(self._expression_as_type(function.child_by_field_name("operand")))
        if function.type.endswith("_type"):
            return type_expr(function, self._package_constant)
        return None

    def _expression_as_type(self, node: Node | None) -> TypeExpr | None:
        depth = 0
        pointers = 0
        node = unparen(node)
        while is_deref(node) and depth < _MAX_TYPE_DEPTH:
            pointers += 1
            depth += 1
            node = unparen(node.child_by_field_name("operand"))  # type: ignore[union-attr]
        if node is None:
            return None
        if node.type in ("identifier", "type_identifier"):
            base = named(self.syntax.text(node))
        elif node.type in ("selector_expression", "qualified_type"):
            base = named("".join(self.syntax.text(node).split()))
        else:
            base = type_expr(node, self._package_constant)
        for _ in range(pointers):
            base = pointer_to(base)
        return base

    def strip_conversions(self, node: Node | None, *, pointers: bool = False) -> Node | None:
        """The value under parentheses and conversions: `x` in `(*C.char)(unsafe.Pointer(x))`.

        With `pointers`, stop at a conversion to an integer type (`uintptr(p)`,
        `C.uintptr_t(p)`): past it the value is a number, not a pointer.
        """
        node = unparen(node)
        for _ in range(64):
            converted = self.conversion(node)
            if converted is None or (pointers and is_integer_type(converted[0])):
                return node
            node = unparen(converted[1])
        return node


def _pointer_results(c: CIndex, path: str) -> Callable[[str], bool | None]:
    """Whether a C function returns a pointer, as every declaration the Go file `path`
    sees says (typedefs resolved in its scope); None when none is seen or they differ."""
    known: dict[str, bool | None] = {}

    def ask(name: str) -> bool | None:
        if name not in known:
            kinds = {_is_pointer(c, path, f.type.of) for _, f in c.functions_in_context(path, name)}
            known[name] = kinds.pop() if len(kinds) == 1 else None
        return known[name]

    return ask


def _is_pointer(c: CIndex, path: str, t: CType | None) -> bool | None:
    for _ in range(_MAX_TYPE_DEPTH):
        if t is None:
            return None
        if t.kind is CKind.POINTER:
            return True
        if t.kind is not CKind.BASE:
            return None
        aliased = c.scope(path).typedef(t.name) if t.name else None
        if aliased is None:
            return False if t.name else None
        t = aliased
    return None


def _named(name: str, wanted: str | frozenset[str]) -> bool:
    return name == wanted if isinstance(wanted, str) else name in wanted
