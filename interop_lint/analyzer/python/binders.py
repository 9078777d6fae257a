"""Helper functions that bind a library's functions by name.

    def _fn(name, restype, *argtypes):
        function = getattr(_lib, name)
        function.restype = restype
        function.argtypes = argtypes
        return function

    engine_new = _fn("engine_new", c_void_p, c_uint32)

A *binder* is a function (or a method, called on `self`) of the module
that takes a function's name as a parameter, looks it up on a library
(`getattr(lib, name)`, `lib[name]`) and sets its `restype` or `argtypes`,
or sets neither and calls it (`do_call(name, *args)`), never handing it out.
Each call with a literal name binds that function, with the types the call
passes: the helper's settings read at the call, where the binding is
reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m

from interop_lint.analyzer.python.scopes import Definition, ModuleScopes, Scope, name_key

Expr = cst.BaseExpression
SETTINGS = frozenset({"argtypes", "restype"})


@dataclass(eq=False)
class Binder:
    definition: Definition
    lookup: cst.Call | cst.Subscript  # the `getattr(library, name)` / `library[name]`
    holder: Expr  # the library it looks the name up on
    name: str  # the parameter that names the function
    # "restype" / "argtypes" -> the value the helper assigns
    settings: dict[str, Expr] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Argument:
    """What a call passes for one parameter of a helper."""

    value: Expr | tuple[Expr, ...]  # a tuple for a `*args` parameter
    scope: Scope


def find_binders(scopes: ModuleScopes, is_getattr) -> list[Binder]:  # type: ignore[no-untyped-def]
    """Every binder of the module (`is_getattr(call, scope)` tells a builtin `getattr`)."""
    binders: dict[int, Binder] = {}
    lookups: list[tuple[Scope, cst.Call | cst.Subscript, Expr, Expr]] = []
    for scope, call in scopes.calls:
        args = [a.value for a in call.args if a.keyword is None]
        if len(args) == 2 and is_getattr(call, scope):
            lookups.append((scope, call, args[0], args[1]))
    for scope, subscript in scopes.subscripts:
        index = subscript.slice[0].slice if len(subscript.slice) == 1 else None
        if isinstance(index, cst.Index):
            lookups.append((scope, subscript, subscript.value, index.value))
    for scope, lookup, holder, name in lookups:
        if not isinstance(name, cst.Name):
            continue
        function, _, parameter = name_key(name.value, scope).partition(":")
        definition = scopes.functions.get(function)
        if definition is not None and parameter in definition.scope.params:
            binders[id(lookup)] = Binder(definition, lookup, holder, parameter)
    for assignment in scopes.assignments:
        target = assignment.target
        if not isinstance(target, cst.Attribute) or target.attr.value not in SETTINGS:
            continue
        for binder in binders.values():
            if _holds(scopes, target.value, assignment.scope, binder.lookup):
                binder.settings[target.attr.value] = assignment.value
    return [b for b in binders.values() if b.settings or _only_calls(scopes, b)]


def _only_calls(scopes: ModuleScopes, binder: Binder) -> bool:
    """Whether a helper that sets nothing calls the function it looks up and does not
    hand it out (`do_call(name, *args)`: `getattr(lib, name)(*args)`): each of its
    calls uses that function as ctypes left it, without `restype`."""
    called = any(
        _holds(scopes, call.func, scope, binder.lookup)
        for scope, call in scopes.calls
        if scope is binder.definition.scope
    )
    if not called:
        return False
    scope = binder.definition.scope
    for returned in m.findall(binder.definition.node, m.Return()):
        value = returned.value if isinstance(returned, cst.Return) else None
        if value is not None and _holds(scopes, value, scope, binder.lookup):
            return False  # the function itself is handed out: set where it lands
    return True


def _holds(scopes: ModuleScopes, expr: Expr, scope: Scope, lookup: cst.CSTNode) -> bool:
    """Whether `expr` is the helper's `getattr` call, or a local assigned from it."""
    if expr is lookup:
        return True
    key = scopes.key(expr, scope)
    return key is not None and any(value is lookup for _, value in scopes.assigned_to(key))


def calls_of(scopes: ModuleScopes, binder: Binder, defined) -> list[tuple[Scope, cst.Call]]:  # type: ignore[no-untyped-def]
    """The calls of a binder (`defined(callee, scope)` finds the function a call calls)."""
    callee = binder.definition.node.name.value
    return [
        (scope, call)
        for scope, call in scopes.calls_by_name.get(callee, [])
        if defined(call.func, scope) is binder.definition
    ]


def arguments(binder: Binder, call: cst.Call, scope: Scope) -> dict[str, Argument]:
    """Each parameter of the helper with what the call passes (or its default)."""
    node = binder.definition.node
    assert isinstance(node, cst.FunctionDef)
    params = node.params
    positional = [*params.posonly_params, *params.params]
    if binder.definition.scope.self_name is not None:
        positional = positional[1:]  # `self` / `cls`, bound by the call's receiver
    passed = [a.value for a in call.args if a.keyword is None and not a.star]
    found: dict[str, Argument] = {}
    for param, value in zip(positional, passed, strict=False):
        found[param.name.value] = Argument(value, scope)
    star = params.star_arg
    if isinstance(star, cst.Param):
        found[star.name.value] = Argument(tuple(passed[len(positional) :]), scope)
    for arg in call.args:
        if arg.keyword is not None:
            found[arg.keyword.value] = Argument(arg.value, scope)
    outer = binder.definition.scope.parent or binder.definition.scope
    for param in [*positional, *params.kwonly_params]:
        if param.name.value not in found and param.default is not None:
            found[param.name.value] = Argument(param.default, outer)
    return found


def setting_value(binder: Binder, setting: str, passed: dict[str, Argument]) -> Argument | None:
    """What a call makes the helper assign to `restype` / `argtypes`: an argument
    when the helper assigns a parameter (`list(argtypes)` too), else its own value."""
    value = binder.settings.get(setting)
    if value is None:
        return None
    if is_copy(value):
        value = value.args[0].value  # type: ignore[attr-defined]
    if isinstance(value, cst.Name) and value.value in binder.definition.scope.params:
        return passed.get(value.value)
    return Argument(value, binder.definition.scope)


def is_copy(value: Expr) -> bool:
    """`list(x)` / `tuple(x)`."""
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and value.func.value in ("list", "tuple")
        and len(value.args) == 1
    )


def keyword_of(arg: cst.Arg) -> str | None:
    """The keyword an argument is passed by (`name` of `CDLL(name=..)`), if any."""
    return arg.keyword.value if arg.keyword is not None else None
