"""Functions bound through a ctypes prototype (XL107).

A prototype is a function type made by `CFUNCTYPE(restype, *argtypes)` (or
`PYFUNCTYPE`, `WINFUNCTYPE`). Called with a `(name, library)` pair it binds
that library's function with those types, as setting `restype` and
`argtypes` on `lib.name` would:

    _hash_proto = CFUNCTYPE(c_uint64, c_char_p, c_size_t)
    engine_hash = _hash_proto(("engine_hash", lib))

A second argument (`paramflags`) names the parameters and changes no type.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from interop_lint.analyzer.python.binders import Argument
from interop_lint.analyzer.python.loop_binders import TableRow
from interop_lint.analyzer.python.scopes import ModuleScopes, Scope
from interop_lint.analyzer.python.values import FUNCTION_TYPES, Evaluator, literal_string


def prototype_rows(scopes: ModuleScopes, values: Evaluator) -> Iterator[TableRow]:
    """Every binding made by calling a prototype with a `(name, library)` pair."""
    for scope, call in scopes.calls:
        first = call.args[0].value if call.args and call.args[0].keyword is None else None
        if not isinstance(first, cst.Tuple) or len(first.elements) != 2:
            continue
        name, holder = (element.value for element in first.elements)
        symbol = literal_string(name)
        prototype = _prototype(call.func, scope, scopes, values) if symbol else None
        if prototype is None:
            continue
        made_in, made = prototype
        types = [a.value for a in made.args if a.keyword is None and not a.star]
        if not types or len(types) != len(made.args):
            continue  # `CFUNCTYPE(*types)`, or keywords: what it takes is not written out
        settings = {
            "restype": Argument(types[0], made_in),
            "argtypes": Argument(tuple(types[1:]), made_in),
        }
        yield TableRow(holder, scope, symbol, call, settings)  # type: ignore[arg-type]


def _prototype(
    expr: cst.BaseExpression, scope: Scope, scopes: ModuleScopes, values: Evaluator
) -> tuple[Scope, cst.Call] | None:
    """The `CFUNCTYPE(..)` call an expression is, directly or through the one value
    a name is given."""
    if not isinstance(expr, cst.Call):
        key = scopes.key(expr, scope)
        assigned = scopes.assigned_to(key) if key is not None else []
        if len(assigned) != 1:
            return None
        scope, expr = assigned[0]
    if isinstance(expr, cst.Call) and values.qualified(expr.func) in FUNCTION_TYPES:
        return scope, expr
    return None
