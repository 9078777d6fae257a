"""Pointers that certainly point to memory Go allocated (GO109).

`Inference.memory` answers "Go or C?" from types as well, which is right for
what a pointer may reach but too weak to call a `free` of it a bug: a
`*Buffer` parameter may hold `C.malloc` memory cast to a Go type. Here a
pointer counts as Go's only when the code shows where it came from:

- the address of a variable (`&x`, `&x.f`, `&arr[i]` of an array variable),
  of a composite literal (`&T{..}`), or of a field or element of such a value;
- `new(T)`, and the array of a slice made by `make`, a literal, `[]byte(s)` or
  `C.GoBytes`, or appended to one (`append([]byte(s), 0)`) (`&buf[0]`,
  `unsafe.SliceData(buf)`), or of a string (`unsafe.StringData`);
- a local variable every assignment of which gives one of those.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.syntax import is_address_of, unparen
from interop_lint.analyzer.golang.types import Kind, underlying
from interop_lint.analyzer.parsing import text

_MAX_STEPS = 16


def go_object(inference: Inference, pointer: Node | None) -> str | None:
    """What Go memory `pointer` certainly points to, described for a message
    (`the variable \\`blockHeight\\``), or None when the code does not show it."""
    file = inference.file
    pending = [(pointer, 0)]
    found: str | None = None
    while pending:
        node, steps = pending.pop()
        node = unparen(file.strip_conversions(node))
        if node is None or steps > _MAX_STEPS:
            return None
        if is_address_of(node):
            described = _addressed(inference, node.child_by_field_name("operand"))
        elif node.type == "call_expression":
            described = _made(inference, node)
        elif node.type == "identifier":
            values = _local_values(inference, node)
            if values is None:
                return None
            pending.extend((value, steps + 1) for value in values)
            continue
        else:
            return None
        if described is None:
            return None
        found = found or described
    return found


def _addressed(inference: Inference, operand: Node | None) -> str | None:
    """Where `&operand` points, when that is certainly Go memory."""
    node = unparen(operand)
    for _ in range(_MAX_STEPS):
        if node is None:
            return None
        if node.type == "identifier":
            binding = inference.file.binding(node)
            return f"the variable `{text(node)}`" if binding is not None else None
        if node.type == "composite_literal":
            return "a composite literal"
        if node.type not in ("selector_expression", "index_expression"):
            return None
        base = unparen(node.child_by_field_name("operand"))
        kind = underlying(inference.type_of(base), inference.lookup).kind
        if node.type == "index_expression" and kind == Kind.SLICE:
            return _slice_array(inference, base)
        if kind == Kind.POINTER and node.type == "selector_expression" and base is not None:
            return _pointed_go_struct(inference, base)
        if kind not in (Kind.STRUCT, Kind.ARRAY):
            return None  # through a pointer: wherever it points
        node = base
    return None


# Kinds whose values are, or hold, Go pointers (cgo forbids them in C memory).
_GO_POINTER_KINDS = frozenset({Kind.SLICE, Kind.MAP, Kind.CHAN, Kind.FUNC, Kind.INTERFACE})
_GO_NAMED = frozenset({"string", "error", "any"})


def _pointed_go_struct(inference: Inference, base: Node) -> str | None:
    """For `&p.f`: the struct `p` points to when it is certainly Go's: a local every
    value of which is (`s := &Decoder{}`), or a struct of the package with a field
    that holds Go pointers, which cgo forbids C memory to hold (an ffmpeg binding's
    `func (s *Decoder) Free() { C.free(unsafe.Pointer(&s.id)) }`, `err error` beside)."""
    if base.type == "identifier":
        values = _local_values(inference, base)
        if values and all(go_object(inference, value) for value in values):
            return f"the struct that `{text(base)}` points to"
    pointer = underlying(inference.type_of(base), inference.lookup)
    pointee = pointer.elem
    struct = underlying(pointee, inference.lookup) if pointee is not None else None
    if pointee is None or struct is None or struct.kind != Kind.STRUCT:
        return None
    for field in struct.fields:
        held = underlying(field.type, inference.lookup)
        if held.kind in _GO_POINTER_KINDS or (held.kind == Kind.NAME and held.name in _GO_NAMED):
            return (
                f"a field of the `{pointee.name or 'struct'}` that `{text(base)}` points to "
                f"(its field `{field.name}` holds a Go pointer, so it lives in Go memory)"
            )
    return None


def _made(inference: Inference, call: Node) -> str | None:
    """`new(T)`, `unsafe.SliceData(s)` of a Go slice, `unsafe.StringData(s)`."""
    file = inference.file
    arguments = file.syntax.arguments(call)
    if file.builtin_call(call, "new"):
        return "a value made by `new`"
    if file.calls(call, "unsafe", "StringData"):
        return "the bytes of a Go string"
    if file.calls(call, "unsafe", "SliceData") and arguments:
        return _slice_array(inference, arguments[0])
    return None


def _slice_array(inference: Inference, slice_: Node | None) -> str | None:
    """The array of a slice that Go allocated: `make([]T, n)`, `[]T{..}`, `[]byte(s)`,
    through local variables every assignment of which is one."""
    pending = [(slice_, 0)]
    name = text(slice_) if slice_ is not None else ""
    seen: set[int] = set()
    file = inference.file
    while pending:
        node, steps = pending.pop()
        node = unparen(node)
        if node is None or steps > _MAX_STEPS:
            return None
        if node.id in seen:
            continue  # `b = append(b, 0)`: what `b` held is asked already
        seen.add(node.id)
        if node.type == "identifier":
            values = _local_values(inference, node)
            if values is None:
                return None
            pending.extend((value, steps + 1) for value in values)
        elif node.type == "slice_expression":
            pending.append((node.child_by_field_name("operand"), steps + 1))
        elif file.builtin_call(node, "append") and file.syntax.arguments(node):
            # the array of what is appended to, or a new one Go allocates
            pending.append((file.syntax.arguments(node)[0], steps + 1))
        elif not _allocates_slice(inference, node):
            return None
    return f"the array of the Go slice `{name}`"


def _local_values(inference: Inference, name: Node) -> list[Node] | None:
    """Every value a local variable is given (`var p T` alone is nil, freed harmlessly),
    or None when it is a parameter, unknown, or given one by a multi-value call."""
    binding = inference.file.binding(name)
    if binding is None or binding.is_parameter or binding.kind not in ("var", "short"):
        return None
    writes = binding.writes
    if any(value is None for _, value in writes):
        return None  # `p, err = f()`
    if binding.value is None and binding.source is not None:
        return None  # `p, err := f()`
    values = [value for _, value in writes if value is not None]
    if binding.value is not None:
        values.append(binding.value)
    return values or None


def _allocates_slice(inference: Inference, node: Node) -> bool:
    """`[]T{..}`, `make([]T, n)`, `[]byte(s)` (a copy of the string) or `C.GoBytes(p, n)`."""
    if node.type == "composite_literal":
        return True
    if node.type == "call_expression" and inference.file.builtin_call(node, "make"):
        return True
    if inference.file.calls(node, "C", "GoBytes"):
        return True  # a Go copy of C memory
    converted = inference.file.conversion(node)
    if converted is None:
        return False
    target = underlying(converted[0], inference.lookup)
    return target.kind == Kind.SLICE and target.elem is not None and target.elem.name == "byte"
