"""Which class an expression holds an instance of: `self.loader = LibLoader()`.

A library handle is often an attribute of a loader object (`self.lib` set in
`LibLoader.__init__`) that another class keeps (`self.loader.lib.fn(...)`), in
the same module or one that imports the loader's class.
"""

from __future__ import annotations

import libcst as cst

from interop_lint.analyzer.python.scopes import ModuleScopes, Scope, name_key

# (the class's key in its module, the module it is imported from: "" for this one)
InstanceClass = tuple[str, str]


def instance_class(
    scopes: ModuleScopes, expr: cst.BaseExpression, scope: Scope
) -> InstanceClass | None:
    """The class every value assigned to `expr` constructs, if one does."""
    key = scopes.key(expr, scope)
    values = scopes.assigned_to(key) if key is not None else []
    found = {_constructed(scopes, value, value_scope) for value_scope, value in values}
    return found.pop() if len(found) == 1 else None


def _constructed(
    scopes: ModuleScopes, value: cst.BaseExpression, scope: Scope
) -> InstanceClass | None:
    if not isinstance(value, cst.Call):
        return None
    callee = value.func
    if isinstance(callee, cst.Name):
        local = name_key(callee.value, scope)
        if local in scopes.classes:
            return local, ""
    qualified = scopes.qualified(callee)
    if qualified is None or qualified.startswith("ctypes."):
        return None
    module, _, name = qualified.rpartition(".")
    return (name, module) if module and name[:1].isupper() else None
