"""The ctypes bindings of one module: libraries, the functions bound on them, types.

A *library* is a loading call (`ctypes.CDLL(path)`, `cdll.LoadLibrary`, ...),
found through whatever holds it: a module name, a class attribute set in
`__init__` (`self._lib`), a local, the result of a loader function
(`_lib = _load()`), a function's parameter that the module passes one
to, or the attribute of an object of a loader class (`self.loader.lib` for
`self.loader = LibLoader()`; instances.py), of this module or imported.
A holder on which `argtypes`/`restype` are set but whose library this module
does not load is a library of its own, with no name: a parameter nobody
visibly passes one to, a variable set from where the module cannot see, or a
name imported from another module (`from ._native import lib`), which the
index follows to the module that loads it.

A *function* is `lib.name`, `getattr(lib, "name")` or `lib["name"]`,
directly or through a variable (`fn = lib.name; fn.restype = ...`), or a
call of a helper that binds by name (binders.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import libcst as cst
from msgspec.structs import replace

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.python.binders import (
    SETTINGS,
    Argument,
    Binder,
    arguments,
    calls_of,
    find_binders,
    keyword_of,
    setting_value,
)
from interop_lint.analyzer.python.classes import aliases, structures
from interop_lint.analyzer.python.facts import (
    ArgtypesSetting,
    CtypesBinding,
    CtypesHandle,
    CtypesLibrary,
    CtypesType,
    PythonFileFacts,
    RestypeSetting,
)
from interop_lint.analyzer.python.instances import instance_class
from interop_lint.analyzer.python.loop_binders import function_rows, table_rows
from interop_lint.analyzer.python.prototypes import prototype_rows
from interop_lint.analyzer.python.scopes import ModuleScopes, Scope, collect, parameters
from interop_lint.analyzer.python.values import (
    LOADERS,
    MAX_DEPTH,
    Evaluator,
    library_name,
    literal_string,
)

Locate = Callable[[cst.CSTNode], Location]
Function = tuple[int, str]  # (library index, symbol)


@dataclass
class _Binding:
    accesses: list[Location] = field(default_factory=list)
    argtypes: list[ArgtypesSetting] = field(default_factory=list)
    restypes: list[RestypeSetting] = field(default_factory=list)
    lost: list[Location] = field(default_factory=list)  # restypes set on a subscript


class _Reader:
    def __init__(self, scopes: ModuleScopes, locate: Locate) -> None:
        self.scopes = scopes
        self.values = Evaluator(scopes)
        self.locate = locate
        self.libraries: list[CtypesLibrary] = []
        self._loaded: dict[int, int] = {}  # id(loading call) -> library
        self._assumed: dict[str, int] = {}  # parameter or imported name -> library
        self._held: dict[str, int | None] = {}  # key -> library, memoized
        self._instances: dict[str, int] = {}  # origin -> library of an imported class
        self.bindings: dict[Function, _Binding] = {}
        self._binders = find_binders(scopes, self._is_getattr)
        self._binder_lookups = {id(b.lookup) for b in self._binders}

    def _is_getattr(self, call: cst.Call, scope: Scope) -> bool:
        return self.values.callee(call) == "getattr"

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
        if not isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)):
            return None
        key = self.scopes.key(expr, scope)
        found = None if key is None else self._held_by(key, depth)
        if found is None and isinstance(expr, cst.Attribute):
            found = self._instance_attribute(expr, scope, depth)
        return found

    def _instance_attribute(self, expr: cst.Attribute, scope: Scope, depth: int) -> int | None:
        """`loader.lib` for `loader = LibLoader()`: the class's `lib`, of this module or,
        for a class imported, followed by the index to the module that defines it."""
        owner = instance_class(self.scopes, expr.value, scope)
        if owner is None:
            return None
        name, module = owner
        attribute = f"{name}.{expr.attr.value}"
        if not module:
            return self._held_by(attribute, depth)
        origin = f"{module}:{attribute}"
        if origin not in self._instances:
            self.libraries.append(CtypesLibrary("instance", None, self.locate(expr), origin=origin))
            self._instances[origin] = len(self.libraries) - 1
        return self._instances[origin]

    def _held_by(self, key: str, depth: int) -> int | None:
        if key in self._assumed:
            return self._assumed[key]
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
        argument = next((a.value for a in call.args if keyword_of(a) == "name"), argument)
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
        callee = definition.node.name.value
        for scope, call in self.scopes.calls_by_name.get(callee, []):
            if self.values.defined_function(call.func, scope) is not definition:
                continue
            positional = [a.value for a in call.args if a.keyword is None and not a.star]
            argument = next((a.value for a in call.args if keyword_of(a) == parameter), None)
            if argument is None and position < len(positional):
                argument = positional[position]
            found = self.library(argument, scope, depth + 1) if argument is not None else None
            if found is not None:
                return found
        return None

    def assumed_library(self, expr: cst.BaseExpression, scope: Scope) -> int | None:
        """A library for a holder nobody here visibly loads, but on which
        `argtypes`/`restype` are set (attributes only ctypes functions have): a
        parameter, a name imported from another module of the project, or a
        variable whose value comes from where this module cannot see
        (`self._lib = lib` of a constructor's parameter)."""
        key = self.scopes.key(expr, scope)
        if key is None or (self.scopes.qualified(expr) or "").startswith("ctypes."):
            return None  # `ctypes.pythonapi`: the interpreter's own functions
        if key not in self._assumed:
            library = (
                self._parameter(key)
                or self._imported(expr, key)
                or CtypesLibrary("unseen", None, self.locate(expr))
            )
            self.libraries.append(library)
            self._assumed[key] = len(self.libraries) - 1
            self._held.clear()  # what was found holding nothing may hold this now
        return self._assumed[key]

    def _parameter(self, key: str) -> CtypesLibrary | None:
        function_name, _, parameter = key.partition(":")
        definition = self.scopes.functions.get(function_name)
        if "." in key or definition is None or parameter not in definition.scope.params:
            return None
        node = definition.node
        listed = parameters(node.params) if isinstance(node, cst.FunctionDef) else []
        where = next((p for p in listed if p.name.value == parameter), node)
        return CtypesLibrary("parameter", None, self.locate(where))

    def _imported(self, expr: cst.BaseExpression, key: str) -> CtypesLibrary | None:
        if ":" in key:
            return None  # a local of a function
        qualified = self.scopes.qualified(expr)
        if qualified is None:
            return None
        module, _, name = qualified.rpartition(".")
        if not module:
            return None
        return CtypesLibrary("import", None, self.locate(expr), origin=f"{module}:{name}")

    def _assumed_function(self, holder: cst.BaseExpression, scope: Scope) -> Function | None:
        """The function `argtypes`/`restype` are set on when its library is loaded where
        this module cannot see: `lib.name.restype = ..`, or `_name = lib.name` and then
        `_name.restype = ..` (wasmtime-py's generated bindings, `lib` imported)."""
        accessed = holder
        if isinstance(holder, cst.Name):
            key = self.scopes.key(holder, scope)
            values = self.scopes.assigned_to(key) if key is not None else []
            if len(values) != 1:
                return None
            scope, accessed = values[0]
        if not isinstance(accessed, cst.Attribute):
            return None
        library = self.assumed_library(accessed.value, scope)
        return None if library is None else (library, accessed.attr.value)

    def handles(self) -> list[CtypesHandle]:
        """Module-level names that hold a library."""
        names = [k for k in self.scopes.values if "." not in k and ":" not in k]
        # `LibLoader.lib`, for the modules that make a `LibLoader()` and use its `lib`
        names += [k for k in self.scopes.values if k.partition(".")[0] in self.scopes.classes]
        names += [k for k in self._assumed if "." not in k and ":" not in k]
        found = {}
        for name in names:
            library = self._held_by(name, 0)
            if library is not None:
                found.setdefault(name, CtypesHandle(name, library))
        return list(found.values())

    # -- functions ---------------------------------------------------------------------

    def accessed(self, expr: cst.BaseExpression, scope: Scope) -> Function | None:
        """The function `lib.name`, `getattr(lib, "name")` or `lib["name"]` accesses."""
        if isinstance(expr, cst.Attribute):
            symbol = expr.attr.value
            if symbol.startswith("_") or symbol in SETTINGS:
                return None
            library = self.library(expr.value, scope)
            return None if library is None else (library, symbol)
        if isinstance(expr, cst.Call) and self.values.callee(expr) == "getattr":
            if id(expr) in self._binder_lookups:
                return None  # a helper's lookup: each call of the helper is a binding
            args = [a.value for a in expr.args if a.keyword is None]
            if len(args) < 2:
                return None
            return self._by_name(args[0], args[1], scope)
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            if id(expr) in self._binder_lookups:
                return None
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
        if not isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)):
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
            if not isinstance(target, cst.Attribute) or target.attr.value not in SETTINGS:
                continue
            scope = assignment.scope
            function = self.function(target.value, scope) or self._assumed_function(
                target.value, scope
            )
            if function is None:
                continue
            where = self.locate(assignment.statement)
            if isinstance(target.value, cst.Subscript) and self.accessed(target.value, scope):
                # `lib["f"].restype = ..`: `CDLL.__getitem__` makes a new function object
                # on every subscript, so the setting is lost with it.
                if target.attr.value == "restype":
                    self.binding(function).lost.append(where)
                continue
            if target.attr.value == "argtypes":
                types = self.values.types(assignment.value, scope)
                self.binding(function).argtypes.append(ArgtypesSetting(types, where))
            else:
                restype = self.values.ctype(assignment.value, scope)
                self.binding(function).restypes.append(RestypeSetting(restype, where))
        for binder in self._binders:
            self._bind_through(binder)
        self._bind_rows()
        accesses: list[tuple[Scope, cst.BaseExpression]] = [
            *self.scopes.attributes,
            *self.scopes.calls,
            *self.scopes.subscripts,
        ]
        for scope, node in accesses:
            function = self.accessed(node, scope)
            if function is not None:
                self.binding(function).accesses.append(self.locate(node))

    def _bind_through(self, binder: Binder) -> None:
        """The bindings the calls of a helper make (binders.py)."""
        holder = binder.holder
        for scope, call in calls_of(self.scopes, binder, self.values.defined_function):
            passed = arguments(binder, call, scope)
            named = passed.get(binder.name)
            symbol = (
                literal_string(named.value)
                if named and not isinstance(named.value, tuple)
                else None
            )
            library = self._library_argument(binder, holder, passed)
            if symbol is None or library is None:
                continue
            settings = {s: setting_value(binder, s, passed) for s in SETTINGS}
            self._bind((library, symbol), call, settings)

    def _bind_rows(self) -> None:
        """The bindings of signature tables bound in a loop (loop_binders.py)."""
        for row in table_rows(self.scopes, lambda call, name: self.values.callee(call) == name):
            library = self.library(row.holder, row.holder_scope)
            if library is not None:
                self._bind((library, row.symbol), row.row, row.settings)
        for row in prototype_rows(self.scopes, self.values):
            library = self.library(row.holder, row.holder_scope)
            if library is not None:
                self._bind((library, row.symbol), row.row, row.settings)
        for (row_scope, value), settings in function_rows(self.scopes):
            function = self.function(value, row_scope)
            if function is not None:
                self._bind(function, value, settings)

    def _bind(
        self, function: Function, node: cst.CSTNode, settings: Mapping[str, Argument | None]
    ) -> None:
        """A binding made at `node` (a helper's call, a table's row) with its settings."""
        where = self.locate(node)
        binding = self.binding(function)
        binding.accesses.append(where)
        restype = settings.get("restype")
        if restype is not None and not isinstance(restype.value, tuple):
            binding.restypes.append(
                RestypeSetting(self.values.ctype(restype.value, restype.scope), where)
            )
        argtypes = settings.get("argtypes")
        if argtypes is not None:
            binding.argtypes.append(ArgtypesSetting(self._types(argtypes), where))

    def _library_argument(
        self, binder: Binder, holder: cst.BaseExpression, passed: dict[str, Argument]
    ) -> int | None:
        """The library a helper looks functions up on: its own, or one passed to it."""
        if isinstance(holder, cst.Name) and holder.value in binder.definition.scope.params:
            given = passed.get(holder.value)
            if given is None or isinstance(given.value, tuple):
                return None
            return self.library(given.value, given.scope)
        return self.library(holder, binder.definition.scope)

    def _types(self, argument: Argument) -> tuple[CtypesType, ...] | None:
        if isinstance(argument.value, tuple):  # `*argtypes`
            return tuple(self.values.ctype(v, argument.scope) for v in argument.value)
        return self.values.types(argument.value, argument.scope)

    def facts(self) -> PythonFileFacts:
        handles = self.handles()  # may find libraries nothing bound on yet
        bindings = []
        for (library, symbol), binding in self.bindings.items():
            places = binding.accesses or [
                *(s.location for s in (*binding.argtypes, *binding.restypes)),
                *binding.lost,
            ]
            bindings.append(
                CtypesBinding(
                    library,
                    symbol,
                    min(places),
                    tuple(binding.argtypes),
                    tuple(binding.restypes),
                    tuple(binding.lost),
                )
            )
        bindings.sort(key=lambda b: b.first_access)
        return PythonFileFacts(
            libraries=tuple(self.libraries),
            bindings=tuple(bindings),
            structures=tuple(structures(self.scopes, self.values, self.locate)),
            aliases=tuple(aliases(self.scopes, self.values)),
            handles=tuple(handles),
        )


def read_bindings(module: cst.Module, locate: Locate) -> PythonFileFacts:
    reader = _Reader(collect(module), locate)
    reader.read()
    return reader.facts()
