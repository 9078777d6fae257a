"""The ctypes types a module defines: `Structure` classes and type aliases."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.python.facts import CtypesAlias, CtypesKind, CtypesStructure
from interop_lint.analyzer.python.scopes import ModuleScopes
from interop_lint.analyzer.python.values import Evaluator

Locate = Callable[[cst.CSTNode], Location]


def structures(scopes: ModuleScopes, values: Evaluator, locate: Locate) -> list[CtypesStructure]:
    """Every `Structure` / `Union` subclass, with its `_fields_` (set in the class
    body or after it, as a self-referential structure must)."""
    found = []
    for key, definition in scopes.classes.items():
        if values.class_type(key).kind is not CtypesKind.STRUCTURE:
            continue
        fields = bit_fields = None
        fields_location = None
        for scope, value in scopes.assigned_to(f"{key}._fields_")[:1]:
            read = values.fields(value, scope)
            if read is not None:
                fields, bit_fields = read
            fields_location = locate(value)
        inherits = any(
            values.base_class(definition, b) is not None for b in values.bases(definition)
        )
        packed = bool(scopes.assigned_to(f"{key}._pack_"))
        node = definition.node
        found.append(
            CtypesStructure(
                name=node.name.value,
                location=locate(node.name),
                fields=fields,
                fields_location=fields_location,
                is_union=values.is_union(definition),
                inexact=bool(bit_fields) or inherits or packed,
            )
        )
    return found


def aliases(scopes: ModuleScopes, values: Evaluator) -> list[CtypesAlias]:
    """Module-level names of ctypes types, for the modules that import them."""
    found = []
    for key, assigned in scopes.values.items():
        if "." in key or ":" in key or len(assigned) != 1:
            continue
        scope, value = assigned[0]
        ctype = values.ctype(value, scope)
        if ctype.kind not in (CtypesKind.UNKNOWN, CtypesKind.NAMED, CtypesKind.VOID):
            found.append(CtypesAlias(key, ctype))
    for key in scopes.classes:
        ctype = values.class_type(key)
        if ctype.kind is CtypesKind.SIMPLE and "." not in key:
            found.append(CtypesAlias(key, ctype))
    return found
