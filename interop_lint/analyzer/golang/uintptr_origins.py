"""Where a uintptr turned back into a pointer came from (GO103's second half).

`unsafe.Pointer(u)` of a uintptr that was made elsewhere (a parameter, a
field, a variable of unknown origin) turns an integer back into a pointer the
collector may already have moved or freed. Not so for the address of C
memory, which never moves: made from a C pointer in the function, a
parameter of an `//export` function (C calls it with its own addresses), or
a parameter of an unexported function that every call in the file gives
such an address (portaudio's `silence(uintptr(buf), n)` from its callback;
git2go's `sptr(p)` with `p` stepped over a C array).
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import passed_for
from interop_lint.analyzer.golang.handles import holds_handle
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.slice_headers import header_data_through_pointer
from interop_lint.analyzer.golang.syntax import assignment_to, exported_to_c, operator, unparen
from interop_lint.analyzer.golang.types import Kind, is_integer_type, is_uintptr
from interop_lint.analyzer.parsing import walk

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>"})
_INTEGER_READS = frozenset({"identifier", "selector_expression", "index_expression"})


def integer_made_elsewhere(inference: Inference, operand: Node) -> Node | None:
    """For `unsafe.Pointer(x)`: the uintptr in `x` that did not come from a pointer in
    the same expression (a parameter, field, global, or call result), or a
    `cgo.Handle` (an integer that never was an address), or None."""
    file = inference.file
    operand = unparen(operand)
    if operand is None:
        return None
    candidates = []
    stack = [operand]
    while stack:  # the operands of the arithmetic, not what they are made of
        node = unparen(stack.pop())
        if node is None:
            continue
        if node.type == "binary_expression" and operator(node) in _ARITHMETIC:
            stack.extend(node.named_children)
        elif holds_handle(file, node):
            candidates.append(node)
        elif node.type == "call_expression":
            converted = file.conversion(node)
            if converted is not None and is_uintptr(converted[0]):
                inner = file.strip_conversions(converted[1])
                if not is_integer_type(inference.type_of(inner)):
                    return None  # `uintptr(p) + off`: made in this expression
        elif (
            node.type in _INTEGER_READS
            and is_uintptr(inference.type_of(node))
            and not header_data_through_pointer(inference, node)
        ):
            candidates.append(node)
    for node in candidates:
        if _made_elsewhere(inference, node):
            return node
    return None


def _made_elsewhere(inference: Inference, node: Node) -> bool:
    file = inference.file
    if holds_handle(file, node):
        return True  # a `cgo.Handle`: an integer, never an address
    binding = file.binding(node) if node.type == "identifier" else None
    if binding is not None and binding.is_parameter and not binding.writes:
        # C calls an `//export` function: it passes its own memory's address (or a Go
        # pointer it was given, pinned for the call), as FSEvents callbacks do.
        return not exported_to_c(binding.scope) and not _given_c_addresses(inference, binding)
    if binding is not None and binding.kind == "param" and _only_stepped(binding):
        return not _given_c_addresses(inference, binding)  # `p++` over a C buffer
    if binding is None:
        return True  # a field, a global: made who knows where
    value = binding.value_at(node.start_byte)
    if value is None:
        return True
    found = inference.arithmetic_memory(value)
    # Go: reported where it was hidden; C memory does not move; none: an offset.
    return found is Memory.UNKNOWN and not _is_offset(inference, value)


def _is_offset(inference: Inference, value: Node) -> bool:
    """`uintptr(i) * size` and friends: an integer computed from integers."""
    for node in walk(value, prune=("func_literal",)):
        if node.type == "call_expression":
            converted = inference.file.conversion(node)
            if converted is None:
                return False
    return True


def _given_c_addresses(inference: Inference, parameter: Binding) -> bool:
    """Every call in the file of the parameter's unexported function passes the
    address of C memory for it: made from a C pointer, or an `//export` function's
    own parameter (`silence(uintptr(buf), n)` in a callback C calls with `buf`)."""
    passed = passed_for(inference.file, parameter)
    return passed is not None and all(_c_address(inference, value) for value in passed)


def _c_address(inference: Inference, value: Node) -> bool:
    if inference.arithmetic_memory(value) is Memory.C:
        return True
    file = inference.file
    inner = file.strip_conversions(unparen(value))
    binding = file.binding(inner) if inner is not None and inner.type == "identifier" else None
    if binding is not None and binding.kind != "param" and _only_stepped(binding):
        # `for p := uintptr(unsafe.Pointer(arr.strings)); ..; p += size { sptr(p) }`
        start = binding.value
        return start is not None and (
            inference.arithmetic_memory(start) is Memory.C or _c_field(inference, start)
        )
    return (
        binding is not None
        and binding.kind == "param"
        and not binding.writes
        and exported_to_c(binding.scope)
    )


def _c_field(inference: Inference, value: Node) -> bool:
    """`uintptr(unsafe.Pointer(arr.strings))` of a C struct's pointer field: what C
    filled in (a Go pointer stored there is GO107's finding)."""
    inner = unparen(inference.file.strip_conversions(unparen(value)))
    operand = inner.child_by_field_name("operand") if inner is not None else None
    if inner is None or inner.type != "selector_expression" or operand is None:
        return False
    held = inference.type_of(operand)
    if held is not None and held.kind == Kind.POINTER and held.elem is not None:
        held = held.elem
    return held is not None and held.kind == Kind.NAME and held.name.startswith("C.")


def _only_stepped(binding: Binding) -> bool:
    """Whether every write of a variable steps it (`p++`, `p += size`): an address
    that stays in the memory it started in."""
    for target, _ in binding.writes:
        stepped = target.parent is not None and target.parent.type in _STEPS
        statement = assignment_to(target)
        if not stepped and (statement is None or operator(statement) not in ("+=", "-=")):
            return False
    return True


_STEPS = frozenset({"inc_statement", "dec_statement"})
