"""Signature tables bound in a loop.

    _SIGNATURES = {
        "engine_new": ([], c_void_p),
        "engine_seek": ([c_void_p, c_int64], c_int64),
    }
    for name, (argtypes, restype) in _SIGNATURES.items():
        function = getattr(_lib, name)
        function.argtypes = argtypes
        function.restype = restype

Larger hand-written bindings keep their signatures in a table (a dict
literal, or a list of tuples) and bind them in one loop, with assignments
or `setattr(function, "restype", ...)`. Each row of the table binds one
function, as a call of a binding helper does (binders.py): the loop's
settings read with the row's values, reported at the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import libcst as cst

from interop_lint.analyzer.python.binders import SETTINGS, Argument, is_copy
from interop_lint.analyzer.python.scopes import (
    ModuleScopes,
    Scope,
    children,
    target_names,
    unpacked,
)
from interop_lint.analyzer.python.values import literal_string

Expr = cst.BaseExpression
IsCall = Callable[[cst.Call, str], bool]  # whether a call calls the builtin named


@dataclass(frozen=True, eq=False)
class TableRow:
    """One function a signature table binds."""

    holder: Expr  # the library the loop looks the name up on
    holder_scope: Scope
    symbol: str
    row: cst.CSTNode  # where the binding is reported: the row's name
    settings: dict[str, Argument] = field(default_factory=dict)


def table_rows(scopes: ModuleScopes, is_call: IsCall) -> Iterator[TableRow]:
    """The functions every loop over a literal signature table binds, and every
    helper that looks one row up by the name it is given (`_lookup_helpers`)."""
    for scope, loop, row_lookup in [
        *((s, f, None) for s, f in scopes.loops),
        *_lookup_helpers(scopes),
    ]:
        rows = _rows(scopes, loop.iter, scope)
        if not rows:
            continue
        found = _lookup_and_settings(loop, is_call, row_lookup)
        if found is None:
            continue
        holder, (name, prefix, suffix), settings = found
        for row_scope, row in rows:
            values = destructure(loop.target, row)
            named = values.get(name) if values is not None else None
            symbol = literal_string(named) if named is not None else None
            if symbol is None:
                continue
            symbol = prefix + symbol + suffix  # `getattr(lib, "pq_" + name)`
            bound = {}
            for setting, value in settings.items():
                if is_copy(value):
                    value = value.args[0].value  # type: ignore[attr-defined]
                if isinstance(value, cst.Name) and value.value in values:  # type: ignore[operator]
                    bound[setting] = Argument(values[value.value], row_scope)  # type: ignore[index]
                else:
                    bound[setting] = Argument(value, scope)
            yield TableRow(holder, scope, symbol, named, bound)  # type: ignore[arg-type]


Row = tuple[Scope, Expr]


def function_rows(scopes: ModuleScopes) -> Iterator[tuple[Row, dict[str, Argument]]]:
    """Each function of a literal list a loop sets `argtypes`/`restype` on, with those
    settings: `for f in [lib.add_name, lib.add_author]: f.restype = EmptyReturn`
    (surrealml binds its same-signature exports so)."""
    for scope, loop in scopes.loops:
        if not isinstance(loop.target, cst.Name):
            continue
        name = loop.target.value
        settings = {
            node.targets[0].target.attr.value: Argument(node.value, scope)  # type: ignore[attr-defined]
            for node in _walk(loop.body)
            if isinstance(node, cst.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Attribute)
            and node.targets[0].target.attr.value in SETTINGS
            and isinstance(node.targets[0].target.value, cst.Name)
            and node.targets[0].target.value.value == name
        }
        if settings:
            for row in _rows(scopes, loop.iter, scope):
                yield row, settings


def _rows(scopes: ModuleScopes, iterable: Expr, scope: Scope) -> list[Row]:
    """Each row of a literal table with the loop target's names bound to its parts:
    `TABLE.items()` of a dict, or a list or tuple of tuples (through a name)."""
    items = False
    if (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Attribute)
        and iterable.func.attr.value == "items"
        and not iterable.args
    ):
        iterable, items = iterable.func.value, True
    table_scope = scope
    if isinstance(iterable, (cst.Name, cst.Attribute)):  # `self.functions` too
        key = scopes.key(iterable, scope)
        values = scopes.assigned_to(key) if key is not None else []
        if len(values) != 1:
            return []
        table_scope, iterable = values[0]
    if items and isinstance(iterable, cst.Dict):
        parts: list[Expr] = [
            cst.Tuple([cst.Element(e.key), cst.Element(e.value)])
            for e in iterable.elements
            if isinstance(e, cst.DictElement)
        ]
    elif not items and isinstance(iterable, (cst.List, cst.Tuple)):
        parts = [e.value for e in iterable.elements if isinstance(e, cst.Element)]
    else:
        return []
    return [(table_scope, value) for value in parts]


def destructure(target: Expr, value: Expr) -> dict[str, Expr] | None:
    """The names a loop target binds to the parts of a literal row, or None when the
    row's shape is not the target's."""
    bound: dict[str, Expr] = {}
    pending = [(target, value)]
    while pending:
        part, given = pending.pop()
        if isinstance(part, cst.Name):
            bound[part.value] = given
            continue
        if not isinstance(part, (cst.Tuple, cst.List)) or not isinstance(
            given, (cst.Tuple, cst.List)
        ):
            return None
        names = [e.value for e in part.elements]
        values = [e.value for e in given.elements]
        if len(names) != len(values) or any(isinstance(e, cst.StarredElement) for e in names):
            return None
        pending.extend(zip(names, values, strict=True))
    return bound


def _lookup_helpers(scopes: ModuleScopes) -> Iterator[tuple[Scope, cst.For, Expr]]:
    """A function that binds the row of a signature table its parameter names, read
    as the loop over the table it stands for (with the row's lookup):

        def call(self, name, *args):
            func = getattr(self.lib, name)
            restype, argtypes = self._sigs[name]   # for name, (restype, argtypes) in
            func.restype = restype                 #     self._sigs.items(): ...
    """
    for assignment in scopes.assignments:
        scope, value = assignment.scope, assignment.value
        if scope.kind != "function" or not isinstance(value, cst.Subscript):
            continue
        index = value.slice[0].slice if len(value.slice) == 1 else None
        key = index.value if isinstance(index, cst.Index) else None
        defined = scopes.functions.get(scope.name)
        if not isinstance(key, cst.Name) or key.value not in scope.params or defined is None:
            continue
        target = cst.Tuple([cst.Element(key), cst.Element(assignment.target)])
        items = cst.Call(cst.Attribute(value.value, cst.Name("items")))
        yield scope, cst.For(target, items, defined.node.body), value


def _lookup_and_settings(
    loop: cst.For, is_call: IsCall, row_lookup: Expr | None = None
) -> tuple[Expr, Template, dict[str, Expr]] | None:
    """The library the loop body looks a target name up on (`getattr(lib, name)`,
    `lib[name]`), that name, and what the body sets on the function found."""
    loop_names = set(target_names(loop.target))
    lookups: list[tuple[cst.CSTNode, Expr, Template]] = []
    assigned: list[cst.Assign] = []
    set_on: list[tuple[Expr, str | None, Expr]] = []  # (function, setting, value)
    for node in _walk(loop.body):
        lookup = _lookup(node, loop_names, is_call) if node is not row_lookup else None
        if lookup is not None:
            lookups.append(lookup)
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            assigned.append(node)
            target = node.targets[0].target
            # `fn.argtypes, fn.restype = args, result` (pqsio's loop) sets both.
            for one, its in [(target, node.value), *unpacked(target, node.value)]:
                if isinstance(one, cst.Attribute) and one.attr.value in SETTINGS:
                    set_on.append((one.value, one.attr.value, its))
        elif isinstance(node, cst.Call) and is_call(node, "setattr") and len(node.args) == 3:
            function, name, value = (a.value for a in node.args)
            set_on.append((function, literal_string(name), value))
    if not lookups:
        return None
    _, holder, name = lookups[0]
    found = {id(node) for node, _, named in lookups if named == name}
    holders = {
        n for a in assigned if id(a.value) in found for n in target_names(a.targets[0].target)
    }
    settings = {
        setting: value
        for function, setting, value in set_on
        if setting in SETTINGS
        and (
            id(function) in found or (isinstance(function, cst.Name) and function.value in holders)
        )
    }
    return (holder, name, settings) if settings else None


# The name a loop looks up: the loop variable, and the literal text before and after it
# (`"pq_" + name`, `f"pq_{name}"`).
Template = tuple[str, str, str]


def _lookup(
    node: cst.CSTNode, loop_names: set[str], is_call: IsCall
) -> tuple[cst.CSTNode, Expr, Template] | None:
    if isinstance(node, cst.Call) and is_call(node, "getattr") and len(node.args) >= 2:
        holder, name = node.args[0].value, node.args[1].value
    elif isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if not isinstance(index, cst.Index):
            return None
        holder, name = node.value, index.value
    else:
        return None
    template = _template(name, loop_names)
    return (node, holder, template) if template is not None else None


def _template(name: Expr, loop_names: set[str]) -> Template | None:
    """`name`, `"pq_" + name`, `name + "_v2"` or `f"pq_{name}"` of a loop variable."""
    if isinstance(name, cst.Name):
        return (name.value, "", "") if name.value in loop_names else None
    if isinstance(name, cst.BinaryOperation) and isinstance(name.operator, cst.Add):
        left, right = literal_string(name.left), literal_string(name.right)
        if left is not None and (inner := _template(name.right, loop_names)) is not None:
            return inner[0], left + inner[1], inner[2]
        if right is not None and (inner := _template(name.left, loop_names)) is not None:
            return inner[0], inner[1], inner[2] + right
        return None
    if isinstance(name, cst.FormattedString):
        parts = name.parts
        slots = [p for p in parts if isinstance(p, cst.FormattedStringExpression)]
        if len(slots) != 1 or slots[0].format_spec or slots[0].conversion:
            return None
        inner = _template(slots[0].expression, loop_names)
        if inner is None or inner[1] or inner[2]:
            return None
        at = parts.index(slots[0])
        text = [p.value if isinstance(p, cst.FormattedStringText) else "" for p in parts]
        return inner[0], "".join(text[:at]), "".join(text[at + 1 :])
    return None


def _walk(body: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The loop body's nodes in source order, definitions inside it left out."""
    stack = [body]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(reversed(children(node)))
