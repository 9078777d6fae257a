"""Unexported struct fields of the package that only ever hold C memory.

A binding keeps a C buffer in a field of its own struct and views it as a Go
slice (golibrsync's `job`):

    j.orig = C.malloc(n)
    j.out = (*[n]byte)(j.orig)[:]

By its type, `j.out` is a Go slice, so `&j.out[0]` would be Go memory; but every
value the package gives the field points into the C buffer. Each file records
what it stores in such fields (`field_stores`: `T.f` and where the value points:
"c", "go", or "field:T.g" for a view of another field), and the package decides
(`GoPackage.c_memory_fields`): a field is C memory when it is given a value
somewhere and every value is C memory or a view of such a field. Only unexported
fields count (another package may set an exported one), and any store the file
cannot read (a positional literal, `&j.out` handed to a function) counts as Go.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.syntax import (
    arguments,
    is_address_of,
    keyed_value,
    literal_of,
    operator,
    unparen,
)
from interop_lint.analyzer.golang.types import Kind, underlying
from interop_lint.analyzer.parsing import text

_MAX_STEPS = 16
# Kinds of field that may point into a buffer.
_POINTING = frozenset({Kind.SLICE, Kind.POINTER})


def field_stores(inference: Inference) -> tuple[tuple[str, str], ...]:
    """("T.f", where the value points) for every value the file gives an unexported
    pointer-like field of a struct type of the package (sorted: the facts of equal
    files are equal)."""
    fields = _candidate_fields(inference)
    found: list[tuple[str, str]] = []
    syntax = inference.file.syntax
    for name in sorted({f.rsplit(".", 1)[1] for f in fields}):
        for token in syntax.tokens.tokens(name):
            found += _stores_at(inference, token, fields)
    for type_name in sorted({f.rsplit(".", 1)[0] for f in fields}):
        for token in syntax.tokens.tokens(type_name):
            if _positional_literal(token):  # `Job{b, orig, out}`: values not read
                found += [(f, "go") for f in sorted(fields) if f.startswith(f"{type_name}.")]
    return tuple(sorted(found))


def _positional_literal(type_name: Node) -> bool:
    literal = type_name.parent
    if literal is None or literal.type != "composite_literal":
        return False
    body = literal.child_by_field_name("body")
    return body is not None and any(c.type == "literal_element" for c in body.named_children)


def _candidate_fields(inference: Inference) -> set[str]:
    found = set()
    for declared in inference.file.package.files:
        for decl in declared.types:
            if decl.type.kind != Kind.STRUCT:
                continue
            for field in decl.type.fields:
                held = underlying(field.type, inference.lookup)
                pointing = held.kind in _POINTING or held.name == "unsafe.Pointer"
                if field.name[:1].islower() and not field.embedded and pointing:
                    found.add(f"{decl.name}.{field.name}")
    return found


def _stores_at(inference: Inference, token: Node, fields: set[str]) -> Iterator[tuple[str, str]]:
    """The store a field name `token` takes part in: `x.f = v`, `T{f: v}`, `&x.f`."""
    parent = token.parent
    if parent is None:
        return
    if parent.type == "selector_expression" and parent.child_by_field_name("field") == token:
        field = inference.struct_field(parent)
        if field not in fields:
            return
        holder = parent.parent
        if holder is not None and is_address_of(holder):
            yield field, "go"  # `&x.f` may be written through
        elif holder is not None and holder.type == "expression_list":
            statement = holder.parent
            assigns = statement is not None and statement.type == "assignment_statement"
            if assigns and statement.child_by_field_name("left") == holder:  # type: ignore[union-attr]
                origin = _assigned(inference, statement, holder, parent)  # type: ignore[arg-type]
                if origin is not None:
                    yield field, origin
    elif parent.type == "literal_element" and parent.parent is not None:
        keyed = parent.parent
        value = keyed_value(keyed) if keyed.named_children[0] == parent else None
        found = literal_of(value) if value is not None else None
        if value is None or found is None:
            return
        field = f"{_type_name(found[0].child_by_field_name('type'))}.{found[1]}"
        origin = _origin(inference, value) if field in fields else None
        if origin is not None:
            yield field, origin


def _assigned(inference: Inference, statement: Node, left: Node, target: Node) -> str | None:
    right = statement.child_by_field_name("right")
    values = right.named_children if right is not None else []
    if len(values) != len(left.named_children):
        return "go"  # `j.out, err = f()`: not read
    if operator(statement) != "=":
        return "go"  # `j.n += ..` is no pointer
    return _origin(inference, values[left.named_children.index(target)])


def _origin(inference: Inference, value: Node) -> str | None:
    """Where a stored value points: "c", "go", "field:T.g" for a view of a field, or
    None for nil."""
    file = inference.file
    value = unparen(value) or value
    node = value
    for _ in range(_MAX_STEPS):
        node = unparen(file.strip_conversions(node, pointers=True))
        if node is None:
            break
        if node.type == "slice_expression":
            node = node.child_by_field_name("operand")
        elif file.calls(node, "unsafe", "Slice") and arguments(node):
            node = arguments(node)[0]
        else:
            break
    field = (
        inference.struct_field(node)
        if node is not None and node.type == "selector_expression"
        else None
    )
    if field is not None:
        return f"field:{field}"
    if value.type == "nil":
        return None
    return "c" if inference.memory(value) is Memory.C else "go"


def _type_name(type_node: Node | None) -> str:
    return text(type_node) if type_node is not None and type_node.type == "type_identifier" else ""
