"""Indexing that cannot panic because what is indexed is a `serde_json::Value`.

`Value` implements `Index<&str>` and `Index<usize>` by returning `&Value::Null`
for a missing key, an index out of range or a value of another kind: `v["id"]`
and `v["items"][0]` never panic (only `IndexMut` on a non-object does, which
`v["id"] = ..` is). RS101 asks `indexes_json_value` of each `v[..]` it sees.

A value is known to be one when it is a local written `let v: Value = ..` (or
`serde_json::Value`) or made by `json!(..)`, or a parameter of that type
(through a reference); a bare `Value` counts only in a file that names
serde_json, since other crates (toml, rmpv) have a `Value` of their own.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import invocation_name, strip
from interop_lint.analyzer.rust.ownership import local_binding
from interop_lint.analyzer.rust.pointee_arrays import parameter_type

_MAX_DEPTH = 16
_ASSIGNING = frozenset({"assignment_expression", "compound_assignment_expr"})


def indexes_json_value(index: Located) -> bool:
    """Whether an index expression reads a `serde_json::Value` (not as a place that is
    assigned, where `IndexMut` may panic)."""
    if b"Value" not in _file_data(index):
        return False  # most files: no question to ask of the tree
    parent = index.parent()
    assigned = parent.field("left") if parent is not None and parent.type in _ASSIGNING else None
    if assigned is not None and assigned.node == index.node:
        return False
    root: Located | None = index
    for _ in range(_MAX_DEPTH):
        if root is None or root.type != "index_expression":
            break
        indexed = root.named_children()[0] if root.node.named_child_count else None
        root = strip(indexed) if indexed is not None else None
    if root is None or root.type != "identifier":
        return False
    names_serde = b"serde_json" in _file_data(index)
    binding = local_binding(root)
    if binding is not None:
        written, value = binding
        if written is not None:
            return _is_value_type(written.node, names_serde)
        value = strip(value) if value is not None else None
        return (
            value is not None
            and value.type == "macro_invocation"
            and (invocation_name(value) == "json" and names_serde)
        )
    function = next((a.node for a in index.ancestors() if a.type == "function_item"), None)
    declared = parameter_type(function, root.text) if function is not None else None
    return declared is not None and _is_value_type(declared, names_serde)


def _is_value_type(written: Node, names_serde: bool) -> bool:
    current: Node | None = written
    while current is not None and current.type == "reference_type":
        current = current.child_by_field_name("type")
    spelled = current.text.decode() if current is not None and current.text else ""
    return spelled == "serde_json::Value" or (spelled == "Value" and names_serde)


def _file_data(at: Located) -> bytes:
    fragment = at.fragment
    while fragment.parent is not None:
        fragment = fragment.parent
    return fragment.data
