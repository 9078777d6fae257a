"""What a package function does with its parameters that may carry C memory (GO101,
XL106): frees, keeps or hands on each one (`ParamFlow`, a package fact), so
that `freeCString(cs)` counts as a free and `newMatch(m)`, which only copies
fields out of `m`, does not keep it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import ParamFlow, TypeExpr
from interop_lint.analyzer.golang.flow import binding_uses, escapes, is_freed, receiver_uses
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.ownership import may_hold_c_memory
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.struct_holders import freed_fields, split_field_reads
from interop_lint.analyzer.golang.uses import UseKind
from interop_lint.analyzer.release_names import FREE_WORDS

# Parameter types that can carry C memory, or a `cgo.Handle` (GO105 follows a handle
# into the package function it is passed to): only these parameters get a flow.
# A type of the package's own (`type BinaryPointer unsafe.Pointer`, pam) may be
# declared in another file: its parameters are followed too, and what the type is
# is asked of the package where a flow is used (`_may_hold_c_memory`).
_C_MEMORY_TYPE = re.compile(
    r"\bC\.|unsafe\.Pointer|\buintptr\b|\bHandle\b"
    r"|^\*?(?!(?:bool|byte|rune|string|error|any|u?int(?:8|16|32|64)?|float(?:32|64)"
    r"|complex(?:64|128))$)[A-Za-z_]\w*$"
)


def param_flows(file: GoFile, function: Node) -> tuple[ParamFlow, ...]:
    """What a function does with each parameter, by position (for the package's facts)."""
    bindings = parameter_bindings(file, function, _C_MEMORY_TYPE.search)
    return tuple(ParamFlow() if b is None else _param_flow(file, b) for b in bindings)


def parameter_bindings(
    file: GoFile, function: Node, followed: Callable[[str], object]
) -> list[Binding | None]:
    """The variable of each parameter of a top-level function, by position (a variadic
    parameter is the last), where `followed` accepts its type as written; None where it
    does not, or the parameter is unnamed (`_` included: it has no reads)."""
    params = function.child_by_field_name("parameters")
    if file.syntax.top_function(function) is None or params is None:
        return []
    found: list[Binding | None] = []
    for declaration in params.named_children:
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        names = declaration.children_by_field_name("name") or [None]
        wanted = followed(file.syntax.text(declaration.child_by_field_name("type")))
        for name in names:
            scope = file.scope(function) if name is not None and wanted else None
            found.append(scope.binding_of(name) if scope is not None else None)  # type: ignore[arg-type]
    return found


def receiver_frees(file: GoFile, method: Node) -> tuple[bool, tuple[str, ...]]:
    """Whether a method frees the C memory its receiver points to, as a function frees
    a parameter (`func (v *Val) Free() { C.free(unsafe.Pointer(v)) }`), and the
    receiver's fields whose memory it frees (`C.free(unsafe.Pointer(b.data))` of a
    `type Buffer C.Buffer` a Rust export returns by value)."""
    body = method.child_by_field_name("body")
    words = ((body.text or b"") if body is not None else b"").lower()
    if not any(word.encode() in words for word in FREE_WORDS):
        return False, ()  # it frees nothing (by name, nor through a function named so)
    flow = receiver_uses(file, method)
    if flow is None:
        return False, ()
    # The receiver itself, not what its fields hold: `C.free(b.ptr)` frees another
    # allocation than the one `b` points to.
    rest, _ = split_field_reads(file, flow, None)
    return is_freed(file, rest) is not None, freed_fields(file, flow)


def _param_flow(file: GoFile, binding: Binding) -> ParamFlow:
    """What happens to a parameter, or to what one of its fields holds: a function given a
    C struct (`toError(r C.result_t)`) that releases `r.message` releases the memory the
    struct carries. Through a pointer (`m *C.match_t`), keeping what a field holds
    (`unsafe.Pointer(m.captures)`) does not keep the memory `m` points to."""
    flow, fields = split_field_reads(file, binding_uses(file, binding), None)
    through_pointer = binding.type_node is not None and binding.type_node.type == "pointer_type"
    kept = escapes(flow) is not None if through_pointer else None
    for part in fields:
        flow.uses += [use for use in part.uses if not _copied_as_value(file, use.node)]
    passed = tuple(
        (u.callee, u.index)
        for u in flow.uses
        if u.kind == UseKind.ARGUMENT and u.callee != "C.free" and u.index >= 0
    )
    return ParamFlow(
        frees=is_freed(file, flow) is not None,
        escapes=kept if kept is not None else escapes(flow) is not None,
        passed_to=passed,
    )


# Go types a field read converted to holds no pointer: `uint(m.id)` is a copy.
_VALUE_TYPES = frozenset(
    {"bool", "byte", "rune", "string", "int", "int8", "int16", "int32", "int64", "uint"}
    | {"uint8", "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128"}
)


def _copied_as_value(file: GoFile, node: Node) -> bool:
    """Whether a use of a parameter's field converts it to a Go value type: what the
    function does with the copy cannot keep the memory the parameter points to."""
    converted = file.conversion(node)
    return (
        converted is not None and converted[0].kind == "name" and converted[0].name in _VALUE_TYPES
    )


def followed_parameter(declared: TypeExpr | None, file: GoFile) -> bool:
    """Whether `param_flows` follows a parameter of this type (see `_C_MEMORY_TYPE`):
    one that may carry C memory, or a handle (`cgo.Handle`)."""
    return may_hold_c_memory(declared, file) or (
        declared is not None and declared.kind == "name" and declared.name.endswith("Handle")
    )
