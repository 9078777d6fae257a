"""Functions a file stores in a struct to be called through a field (RS105).

A thin trait object keeps its destructor in the handle's vtable:

    let repr = Repr { base: Handle { destroy: destroy::<W> }, writer };

and the export that frees the handle calls it through the field
(`((*handle).destroy)(handle)`), a call no name leads from. The facts keep the
functions written as such values (`RustFileFacts.stored_functions`); what they
give back to Rust counts as given back by the crate's exports.
"""

from __future__ import annotations

from collections.abc import Iterable

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.facts import RustCall
from interop_lint.analyzer.rust.scan import FunctionScan
from interop_lint.analyzer.rust.syntax import impl_type_of


def stored_functions(stored: Iterable[tuple[Node, FunctionScan | None]]) -> tuple[RustCall, ...]:
    """The calls that would reach the functions field initializers name: `destroy`,
    `destroy::<W>`, `Self::destroy`, `vtable::destroy`; not a local of the function
    they are in, nor a constant or a unit value (`None`, `MAX`)."""
    found: dict[tuple[str, str | None, str | None], RustCall] = {}
    for initializer, function in stored:
        value = initializer.child_by_field_name("value")
        if value is not None and value.type == "generic_function":
            value = value.child_by_field_name("function")
        if value is None:
            continue
        owner = module = None
        if value.type == "scoped_identifier":
            path = value.child_by_field_name("path")
            qualifier = text(path) if path is not None else ""
            if qualifier == "Self":
                qualifier = _impl_type(initializer) or ""
            if qualifier[:1].isupper():
                owner = qualifier.rsplit("::", 1)[-1]
            else:
                module = qualifier.rsplit("::", 1)[-1] or None
            value = value.child_by_field_name("name")
        if value is None or value.type != "identifier":
            continue
        name = text(value)
        if not name[:1].islower() or (owner is None and function is not None and name in function):
            continue  # `None`, `MAX`, or a local (`len: len`)
        key = (name, owner, module)
        found.setdefault(key, RustCall(name, owner, False, module=module))
    return tuple(found.values())


def _impl_type(node: Node) -> str | None:
    """The type of the `impl` block whose item (function, associated const) holds a node."""
    item = node
    while item.parent is not None and item.parent.type != "declaration_list":
        item = item.parent
    return impl_type_of(item)
