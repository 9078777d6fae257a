"""The ctypes bindings of one module: libraries, the functions bound on them, types.

A *library* is a loading call (`ctypes.CDLL(path)`, `cdll.LoadLibrary`, ...),
found through whatever holds it: a module name, a class attribute set in
`__init__` (`self._lib`), a local, the result of a loader function
(`_lib = _load()`), or a function's parameter that the module passes one
to. A parameter that nobody visibly passes a library to, but on which
`argtypes`/`restype` are set, is a library of its own with no name.

A *function* is `lib.name`, `getattr(lib, "name")` or `lib["name"]`,
directly or through a variable (`fn = lib.name; fn.restype = ...`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import libcst as cst

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.python.facts import (
    ArgtypesSetting,
    CtypesAlias,
    CtypesBinding,
    CtypesKind,
    CtypesLibrary,
    CtypesStructure,
    PythonFileFacts,
    RestypeSetting,
)
from interop_lint.analyzer.python.scopes import ModuleScopes, Scope, collect
from interop_lint.analyzer.python.values import (
    LOADERS,
    MAX_DEPTH,
    Evaluator,
    library_name,
    literal_string,
)

Locate = Callable[[cst.CSTNode], Location]
Function = tuple[int, str]  # (library index, symbol)
_SETTINGS = frozenset({"argtypes", "restype"})


@dataclass
class _Binding:
    accesses: list[Location] = field(default_factory=list)
    argtypes: list[ArgtypesSetting] = field(default_factory=list)
    restypes: list[RestypeSetting] = field(default_factory=list)


class _Reader:
    def __init__(self, scopes: ModuleScopes, locate: Locate) -> None:
        self.scopes = scopes
        self.values = Evaluator(scopes)
        self.locate = locate
        self.libraries: list[CtypesLibrary] = []
        self._loaded: dict[int, int] = {}  # id(loading call) -> library
        self._parameters: dict[str, int] = {}  # parameter key -> library
        self._held: dict[str, int | None] = {}  # key -> library, memoized
        self.bindings: dict[Function, _Binding] = {}

    # -- libraries -------------------------------------------------------------------

    def library(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> int | None:
        """The library an expression holds, if it holds one."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.Call):
            loader = LOADERS.get(self.values.qualified(expr.func) or "")
            if loader is not None:
                return self._load(expr, loader, scope)
            function = self.values.defined_function(expr.func, scope)
            if function is None:
                return None
            for value_scope, value in self.scopes.returns.get(function.scope.name, []):
                found = self.library(value, value_scope, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(expr, cst.IfExp):
            return self._first([(scope, expr.body), (scope, expr.orelse)], depth)
        if isinstance(expr, cst.BooleanOperation):
            return self._first([(scope, expr.left), (scope, expr.right)], depth)
        if not isinstance(expr, (cst.Name, cst.Attribute)):
            return None
        key = self.scopes.key(expr, scope)
        if key is None:
            return None
        if key in self._parameters:
            return self._parameters[key]
        if key not in self._held:
            self._held[key] = None  # in progress: a cycle holds nothing
            found = self._first(self.scopes.assigned_to(key), depth)
            self._held[key] = found if found is not None else self._passed_to(key, depth)
        return self._held[key]

    def _first(self, candidates: list[tuple[Scope, cst.BaseExpression]], depth: int) -> int | None:
        for value_scope, value in candidates:
            found = self.library(value, value_scope, depth + 1)
            if found is not None:
                return found
        return None

    def _load(self, call: cst.Call, loader: str, scope: Scope) -> int:
        known = self._loaded.get(id(call))
        if known is not None:
            return known
        argument = next((a.value for a in call.args if a.keyword is None), None)
        argument = next((a.value for a in call.args if _keyword(a) == "name"), argument)
        path = self.values.path(argument, scope) if argument is not None else None
        name = library_name(path) if path is not None else None
        self.libraries.append(CtypesLibrary(loader, name, self.locate(call)))
        self._loaded[id(call)] = len(self.libraries) - 1
        return len(self.libraries) - 1

    def _passed_to(self, key: str, depth: int) -> int | None:
        """The library every visible call of a function passes as the parameter `key`."""
        function_name, _, parameter = key.partition(":")
        definition = self.scopes.functions.get(function_name)
        if not parameter or definition is None or definition.scope.self_name is not None:
            return None
        params = definition.scope.params
        if parameter not in params:
            return None
        position = params.index(parameter)
        for scope, call in self.scopes.calls:
            if self.values.defined_function(call.func, scope) is not definition:
                continue
            positional = [a.value for a in call.args if a.keyword is None and not a.star]
            argument = next((a.value for a in call.args if _keyword(a) == parameter), None)
            if argument is None and position < len(positional):
                argument = positional[position]
            found = self.library(argument, scope, depth + 1) if argument is not None else None
            if found is not None:
                return found
        return None

    def parameter_library(self, expr: cst.BaseExpression, scope: Scope) -> int | None:
        """A library for a parameter that `argtypes`/`restype` are set on."""
        key = self.scopes.key(expr, scope)
        if key is None or ":" not in key or "." in key:
            return None
        function_name, _, parameter = key.partition(":")
        definition = self.scopes.functions.get(function_name)
        if definition is None or parameter not in definition.scope.params:
            return None
        if key not in self._parameters:
            node = definition.node
            where = next((p for p in _params(node) if p.name.value == parameter), node)
            self.libraries.append(CtypesLibrary("parameter", None, self.locate(where)))
            self._parameters[key] = len(self.libraries) - 1
            self._held.pop(key, None)
        return self._parameters[key]

    # -- functions ---------------------------------------------------------------------

    def accessed(self, expr: cst.BaseExpression, scope: Scope) -> Function | None:
        """The function `lib.name`, `getattr(lib, "name")` or `lib["name"]` accesses."""
        if isinstance(expr, cst.Attribute):
            symbol = expr.attr.value
            if symbol.startswith("_") or symbol in _SETTINGS:
                return None
            library = self.library(expr.value, scope)
            return None if library is None else (library, symbol)
        if isinstance(expr, cst.Call) and self.values.callee(expr) == "getattr":
            args = [a.value for a in expr.args if a.keyword is None]
            if len(args) < 2:
                return None
            return self._by_name(args[0], args[1], scope)
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            index = expr.slice[0].slice
            if isinstance(index, cst.Index):
                return self._by_name(expr.value, index.value, scope)
        return None

    def _by_name(
        self, holder: cst.BaseExpression, name: cst.BaseExpression, scope: Scope
    ) -> Function | None:
        library = self.library(holder, scope)
        if library is None:
            return None
        symbol = literal_string(name)
        if symbol is None:
            self.libraries[library] = replace(self.libraries[library], dynamic=True)
            return None
        return library, symbol

    def function(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> Function | None:
        """The function an expression holds: accessed here, or through a variable."""
        found = self.accessed(expr, scope)
        if found is not None or depth > MAX_DEPTH:
            return found
        if not isinstance(expr, (cst.Name, cst.Attribute)):
            return None
        key = self.scopes.key(expr, scope)
        for value_scope, value in self.scopes.assigned_to(key) if key is not None else []:
            found = self.function(value, value_scope, depth + 1)
            if found is not None:
                return found
        return None

    def binding(self, function: Function) -> _Binding:
        return self.bindings.setdefault(function, _Binding())

    # -- the module --------------------------------------------------------------------

    def read(self) -> None:
        for assignment in self.scopes.assignments:
            target = assignment.target
            if not isinstance(target, cst.Attribute) or target.attr.value not in _SETTINGS:
                continue
            scope = assignment.scope
            function = self.function(target.value, scope)
            if function is None and isinstance(target.value, cst.Attribute):
                library = self.parameter_library(target.value.value, scope)
                if library is not None:
                    function = (library, target.value.attr.value)
            if function is None:
                continue
            where = self.locate(assignment.statement)
            if target.attr.value == "argtypes":
                types = self.values.types(assignment.value, scope)
                self.binding(function).argtypes.append(ArgtypesSetting(types, where))
            else:
                restype = self.values.ctype(assignment.value, scope)
                self.binding(function).restypes.append(RestypeSetting(restype, where))
        accesses: list[tuple[Scope, cst.BaseExpression]] = [
            *self.scopes.attributes,
            *self.scopes.calls,
            *self.scopes.subscripts,
        ]
        for scope, node in accesses:
            function = self.accessed(node, scope)
            if function is not None:
                self.binding(function).accesses.append(self.locate(node))

    def structures(self) -> list[CtypesStructure]:
        found = []
        for key, definition in self.scopes.classes.items():
            if self.values.class_type(key).kind is not CtypesKind.STRUCTURE:
                continue
            fields = inexact = None
            fields_location = None
            for scope, value in self.scopes.assigned_to(f"{key}._fields_")[:1]:
                read = self.values.fields(value, scope)
                if read is not None:
                    fields, inexact = read
                fields_location = self.locate(value)
            inherits = any(
                self.values.base_class(definition, b) is not None
                for b in self.values.bases(definition)
            )
            packed = bool(self.scopes.assigned_to(f"{key}._pack_"))
            node = definition.node
            found.append(
                CtypesStructure(
                    name=node.name.value,
                    location=self.locate(node.name),
                    fields=fields,
                    fields_location=fields_location,
                    is_union=self.values.is_union(definition),
                    inexact=bool(inexact) or inherits or packed,
                )
            )
        return found

    def aliases(self) -> list[CtypesAlias]:
        """Module-level names of ctypes types, for modules that import them."""
        found = []
        for key, values in self.scopes.values.items():
            if "." in key or ":" in key or len(values) != 1:
                continue
            scope, value = values[0]
            ctype = self.values.ctype(value, scope)
            if ctype.kind not in (CtypesKind.UNKNOWN, CtypesKind.NAMED, CtypesKind.VOID):
                found.append(CtypesAlias(key, ctype))
        for key in self.scopes.classes:
            ctype = self.values.class_type(key)
            if ctype.kind is CtypesKind.SIMPLE and "." not in key:
                found.append(CtypesAlias(key, ctype))
        return found

    def facts(self) -> PythonFileFacts:
        bindings = []
        for (library, symbol), binding in self.bindings.items():
            places = binding.accesses or [
                s.location for s in (*binding.argtypes, *binding.restypes)
            ]
            bindings.append(
                CtypesBinding(
                    library,
                    symbol,
                    min(places),
                    tuple(binding.argtypes),
                    tuple(binding.restypes),
                )
            )
        bindings.sort(key=lambda b: b.first_access)
        return PythonFileFacts(
            libraries=tuple(self.libraries),
            bindings=tuple(bindings),
            structures=tuple(self.structures()),
            aliases=tuple(self.aliases()),
        )


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None


def _params(node: cst.FunctionDef | cst.ClassDef) -> list[cst.Param]:
    if not isinstance(node, cst.FunctionDef):
        return []
    p = node.params
    return [*p.posonly_params, *p.params, *p.kwonly_params]


def read_bindings(module: cst.Module, locate: Locate) -> PythonFileFacts:
    reader = _Reader(collect(module), locate)
    reader.read()
    return reader.facts()
