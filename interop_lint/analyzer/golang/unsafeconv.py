"""`unsafe` conversions that hide pointers or fake slices: GO103 and GO108.

GO103 has two halves. A Go pointer turned into an integer
(`uintptr(unsafe.Pointer(p))`) is invisible to the garbage collector once
it is kept in a variable, a field, or handed to C; the same conversion used
inside one expression (`unsafe.Pointer(uintptr(p) + off)`) is the allowed
pattern. And `unsafe.Pointer(u)` of a uintptr that was made elsewhere (a
parameter, a field, a variable of unknown origin) turns an integer back
into a pointer the collector may already have moved or freed.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.flow import Assigned, UseKind, classify
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import operator, outer_paren, unparen
from interop_lint.analyzer.golang.types import Kind, is_integer_type, is_uintptr, underlying
from interop_lint.analyzer.parsing import descendants_of_type, text, walk

# Functions that only print or format an address (an integer to them).
_FORMATTING = ("fmt.", "log.", "print", "println", "strconv.")
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>"})
_STORED = {
    UseKind.FIELD: "stored in a field",
    UseKind.ELEMENT: "stored in an element",
    UseKind.COMPOSITE: "stored in a composite literal",
    UseKind.GLOBAL: "stored in a package variable",
}
_INTEGER_READS = frozenset({"identifier", "selector_expression", "index_expression"})
_HUGE_ARRAY = 1 << 20
_MAX_ALIASES = 32


def conversions(file: GoFile, target: str) -> Iterator[tuple[Node, Node]]:
    """(conversion, operand) of every conversion to `uintptr` or `unsafe.Pointer`."""
    for node in file.syntax.typed_candidates((target.rsplit(".", 1)[-1],)):
        converted = file.conversion(node)
        if converted is not None and _is_named(converted[0], target):
            yield node, converted[1]


def _is_named(t: TypeExpr, name: str) -> bool:
    return t.kind == Kind.NAME and t.name == name


def hidden_go_pointer(inference: Inference, conversion: Node, operand: Node) -> str | None:
    """For `uintptr(unsafe.Pointer(p))` of a Go pointer `p`: where the integer is kept
    ("stored in `addr`", "passed to `C.f`"), or None when it is used in one expression."""
    file = inference.file
    inner = file.conversion(operand)
    if inner is None or not _is_named(inner[0], "unsafe.Pointer"):
        return None
    if inference.memory(inner[1]) is not Memory.GO:
        return None
    top = _through_arithmetic(file, conversion)
    if _converted_back(file, top):
        return None
    use = classify(file, top)
    if isinstance(use, Assigned):
        binding = file.binding(use.target)
        if binding is None:
            return f"stored in the package variable `{text(use.target)}`"
        if _used_as_integer_only(file, binding):
            return None
        return f"stored in `{binding.name}`"
    if use is None:
        return None
    stored = _STORED.get(use.kind)
    if stored is not None:
        return stored
    if use.kind == UseKind.ARGUMENT and use.call is not None:
        name = file.c_function(use.call)
        return f"passed to `C.{name}`" if name is not None else None
    return None


def _through_arithmetic(file: GoFile, node: Node) -> Node:
    """Up through parentheses, integer conversions and arithmetic on the value."""
    current = outer_paren(node)
    for _ in range(64):
        parent = current.parent
        if parent is None:
            return current
        if parent.type == "binary_expression":
            op = parent.child_by_field_name("operator")
            if op is None or text(op) not in _ARITHMETIC:
                return current
            current = outer_paren(parent)
            continue
        call = parent.parent if parent.type == "argument_list" else None
        converted = file.conversion(call) if call is not None else None
        if converted is None or _is_named(converted[0], "unsafe.Pointer"):
            return current
        current = outer_paren(call)  # type: ignore[arg-type]
    return current


def _converted_back(file: GoFile, top: Node) -> bool:
    parent = top.parent
    call = parent.parent if parent is not None and parent.type == "argument_list" else None
    converted = file.conversion(call) if call is not None else None
    return converted is not None and _is_named(converted[0], "unsafe.Pointer")


def _used_as_integer_only(file: GoFile, binding: Binding) -> bool:
    """A variable holding an address that is only compared, computed with or printed
    (an alignment check): it is never turned back into a pointer or kept."""
    work = [binding]
    seen: set[int] = set()
    while work:
        current = work.pop()
        if id(current) in seen or len(seen) > _MAX_ALIASES:
            continue
        seen.add(id(current))
        for read in current.reads:
            top = _through_arithmetic(file, read)
            if _converted_back(file, top):
                return False
            use = classify(file, top)
            if isinstance(use, Assigned):
                alias = file.binding(use.target)
                if alias is None:
                    return False
                work.append(alias)
            elif use is not None and use.kind == UseKind.ARGUMENT:
                if not use.callee.startswith(_FORMATTING):
                    return False
            elif use is not None and use.kind not in (UseKind.OTHER, UseKind.DISCARDED):
                return False
    return True


def integer_made_elsewhere(inference: Inference, operand: Node) -> Node | None:
    """For `unsafe.Pointer(x)`: the uintptr in `x` that did not come from a pointer in
    the same expression (a parameter, field, global, or call result), or None."""
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
        elif node.type == "call_expression":
            converted = file.conversion(node)
            if converted is not None and _is_named(converted[0], "uintptr"):
                inner = file.strip_conversions(converted[1])
                if not is_integer_type(inference.type_of(inner)):
                    return None  # `uintptr(p) + off`: made in this expression
        elif node.type in _INTEGER_READS and is_uintptr(inference.type_of(node)):
            candidates.append(node)
    for node in candidates:
        if _made_elsewhere(inference, node):
            return node
    return None


def _made_elsewhere(inference: Inference, node: Node) -> bool:
    file = inference.file
    binding = file.binding(node) if node.type == "identifier" else None
    if binding is None or binding.is_parameter:
        return True  # a field, a global, a parameter: made who knows where
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


# -- GO108 -----------------------------------------------------------------------------------


def huge_array_casts(file: GoFile) -> Iterator[Node]:
    """Conversions to a pointer to an array of 1<<20 or more elements: `(*[1 << 30]T)(p)`,
    or to a pointer to a package type declared as such an array."""
    for node in file.syntax.typed_candidates(("*",)):
        converted = file.conversion(node)
        if converted is None or converted[0].kind != Kind.POINTER:
            continue
        array = underlying(converted[0].elem, file.package.lookup_type)
        if array.kind != Kind.ARRAY:
            continue
        length = array.length
        if length is None:
            length = _shifted_length(node)
        if length is not None and length >= _HUGE_ARRAY:
            yield node


def _shifted_length(conversion: Node) -> int | None:
    """A length the package constants cannot give, read from a `1 << k` in it."""
    written = conversion.child_by_field_name("type") or conversion.child_by_field_name("function")
    for array in descendants_of_type(written, "array_type") if written is not None else ():
        length = array.child_by_field_name("length")
        for shift in descendants_of_type(length, "binary_expression") if length else ():
            op = shift.child_by_field_name("operator")
            right = shift.child_by_field_name("right")
            if op is not None and text(op) == "<<" and right is not None:
                try:
                    return 1 << int(text(right), 0)
                except ValueError:
                    continue
    return None
