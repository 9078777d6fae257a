"""`unsafe` conversions that hide pointers or fake slices: GO103 and GO108.

GO103 has two halves. A Go pointer turned into an integer
(`uintptr(unsafe.Pointer(p))`) is invisible to the garbage collector once
it is kept in a variable, a field, or handed to C; the same conversion used
inside one expression (`unsafe.Pointer(uintptr(p) + off)`) is the allowed
pattern. The other half, `unsafe.Pointer(u)` of a uintptr made elsewhere, is
golang.uintptr_origins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.pointers import pins_value
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.slice_headers import header_data_through_pointer
from interop_lint.analyzer.golang.syntax import (
    evaluate_int,
    is_address_of,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.types import Kind, underlying
from interop_lint.analyzer.golang.uses import Assigned, Use, UseKind, classify
from interop_lint.analyzer.parsing import descendants_of_type, text

# Functions that only print or format an address (an integer to them).
_FORMATTING = ("fmt.", "log.", "print", "println", "strconv.")
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>"})
_STORED = {
    UseKind.FIELD: "stored in a field",
    UseKind.ELEMENT: "stored in an element",
    UseKind.COMPOSITE: "stored in a composite literal",
    UseKind.GLOBAL: "stored in a package variable",
}
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
    if _converted_back(file, top) or _pointer_difference(file, conversion, top):
        return None
    use = classify(file, top)
    if _kept_in_function(file, use) and pins_value(file, conversion, inner[1]):
        return None  # pinned (`p.Pin(buf)`): it stays put and alive until `Unpin`
    if (
        isinstance(use, Use)
        and use.kind == UseKind.FIELD
        and header_data_through_pointer(inference, use.target)
    ):
        return None  # `sh.Data = uintptr(unsafe.Pointer(&b[0]))` of a real slice's header
    if isinstance(use, Assigned):
        binding = file.binding(use.target)
        if binding is None:
            return f"stored in the package variable `{text(use.target)}`"
        if binding.kind == "result":  # returned with the function's other results
            return _returned(file, inner[1])
        if _used_as_integer_only(file, binding):
            return None
        return f"stored in `{binding.name}`"
    if use is None:
        return None
    stored = _STORED.get(use.kind)
    if stored is not None:
        return stored
    if use.kind == UseKind.RETURNED:
        return _returned(file, inner[1])
    if use.kind == UseKind.ARGUMENT and use.call is not None:
        name = file.c_function(use.call)
        return f"passed to `C.{name}`" if name is not None else None
    return None


def _kept_in_function(file: GoFile, use: Use | Assigned | None) -> bool:
    """Whether the integer stays within the function: in a local, an element of a
    local slice, or an argument to C; not returned or stored where it outlives the
    function's `Unpin`."""
    if isinstance(use, Assigned):
        binding = file.binding(use.target)
        return binding is not None and binding.kind in _LOCAL_KINDS
    if use is None or use.kind not in (UseKind.ELEMENT, UseKind.ARGUMENT):
        return False
    if use.kind == UseKind.ARGUMENT:
        return use.call is not None and file.c_function(use.call) is not None
    container = use.target.child_by_field_name("operand") if use.target is not None else None
    binding = file.binding(unparen(container)) if container is not None else None
    return binding is not None and binding.kind in _LOCAL_KINDS


def _returned(file: GoFile, pointer: Node) -> str | None:
    local = _local_object(file, pointer)
    return f"returned while it points to the local `{local}`" if local else None


def _local_object(file: GoFile, pointer: Node) -> str | None:
    """The local variable whose own storage `pointer` addresses (`&s`, `&s.f`, `&buf[0]`
    of a local struct or array, a local `p := new(T)`), or None: nothing but the
    integer would keep it alive once the function returns (glfw's
    `return uintptr(unsafe.Pointer(&surface))`). A slice or pointer variable may
    share an object the caller holds, and is no such local."""
    pointer = unparen(pointer)
    if pointer.type == "identifier":
        binding = file.binding(pointer)
        if binding is None or binding.kind not in _LOCAL_KINDS or binding.value is None:
            return None
        made = unparen(binding.value)
        return binding.name if made is not None and file.builtin_call(made, "new") else None
    if not is_address_of(pointer):
        return None
    target = unparen(pointer.child_by_field_name("operand"))  # type: ignore[arg-type]
    whole = target.type == "identifier"
    while target.type in ("selector_expression", "index_expression"):
        target = unparen(target.child_by_field_name("operand"))  # type: ignore[arg-type]
    binding = file.binding(target) if target.type == "identifier" else None
    if binding is None or binding.kind not in _LOCAL_KINDS:
        return None
    if whole or _holds_its_value(binding):
        return binding.name
    return None


_LOCAL_KINDS = frozenset({"var", "short"})


def _holds_its_value(binding: Binding) -> bool:
    """Whether a local holds a struct or array value, not a reference: `var s T` of a
    non-pointer, non-slice type, or `s := T{..}` / `[N]T{..}`."""
    if binding.type_node is not None:
        return binding.type_node.type in ("type_identifier", "qualified_type", "array_type")
    value = unparen(binding.value) if binding.value is not None else None
    if value is None or value.type != "composite_literal":
        return False
    kind = value.child_by_field_name("type")
    return kind is not None and kind.type != "slice_type"


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


def _pointer_difference(file: GoFile, conversion: Node, top: Node) -> bool:
    """Whether the value is subtracted from, or subtracts, another address on its way to
    `top`: `uintptr(unsafe.Pointer(p)) - uintptr(unsafe.Pointer(&buf[0]))` is a byte
    count (how far C advanced a stream's cursor), not an address to hide."""
    current = conversion
    while current != top and current.parent is not None:
        parent = current.parent
        operator = (
            parent.child_by_field_name("operator") if parent.type == "binary_expression" else None
        )
        if operator is not None and text(operator) == "-":
            other = parent.child_by_field_name(
                "right" if parent.child_by_field_name("left") == current else "left"
            )
            if _address_as_integer(file, other):
                return True
        current = parent
    return False


def _address_as_integer(file: GoFile, node: Node | None) -> bool:
    """`uintptr(unsafe.Pointer(x))`, through parentheses."""
    converted = file.conversion(unparen(node)) if node is not None else None
    if converted is None or not _is_named(converted[0], "uintptr"):
        return False
    inner = file.conversion(unparen(converted[1]))
    return inner is not None and _is_named(inner[0], "unsafe.Pointer")


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
            if is_address_of(outer_paren(read).parent):
                return False  # `&addr`: the integer itself is shared (with C, say)
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


# -- GO108 -----------------------------------------------------------------------------------


def huge_array_casts(file: GoFile) -> Iterator[Node]:
    """Conversions to a pointer to an array of 1<<20 or more elements: `(*[1 << 30]T)(p)`,
    to a pointer to a package type declared as such an array, or to a package type
    declared as such a pointer (`cMemPtr(p)`). A length the package
    constants do not give is computed with the function's own constants
    (`const maxLen = 1 << 30`) and `unsafe.Sizeof` (`(math.MaxInt32 - 1) /
    unsafe.Sizeof(x)`, see `_size_of`), or read from a `1 << k` in it; one no constant
    gives is huge when the array is sliced to a count (`_sliced_to_a_count`)."""
    lookup = file.package.lookup_type
    for node in file.syntax.typed_candidates(("*", *file.package.pointer_type_names)):
        # `*(*[1 << 30]T)(p)[:n]` dereferences the conversion (gopacket's pcap)
        converted = file.conversion(node) or file.misread_conversion(node)
        # `cMemPtr(p)` of `type cMemPtr *[1 << 30]byte` (gozstd)
        target = underlying(converted[0], lookup) if converted is not None else None
        if target is None or target.kind != Kind.POINTER:
            continue
        array = underlying(target.elem, lookup)
        if array.kind != Kind.ARRAY:
            continue
        length = array.length
        written = _written_length(node)
        if written is not None:
            local = _local_constants(file, node)
            if length is None or local:  # a local constant shadows the package's
                length = _computed_length(file, written, local)
        if length is None:
            length = _shifted_length(node)
        if (length is not None and length >= _HUGE_ARRAY) or (
            length is None and _sliced_to_a_count(file, node)
        ):
            yield node


def _sliced_to_a_count(file: GoFile, conversion: Node) -> bool:
    """`(*[maxLen]T)(p)[:n:n]` with a length no constant of the package gives
    (`1<<valSizeBits - 1` of another package's constant, `1 << 30 / unsafe.Sizeof(C.T{})`
    through a named constant): sliced to a count that is no constant, the array is a
    view of memory of any length, the idiom itself."""
    parent = conversion.parent
    while parent is not None and parent.type == "parenthesized_expression":
        conversion, parent = parent, parent.parent
    if parent is None or parent.type != "slice_expression":
        return False
    operand, end = parent.child_by_field_name("operand"), parent.child_by_field_name("end")
    return (
        operand is not None
        and operand.id == conversion.id
        and end is not None
        and file.constant(end) is None
    )


def _written_length(conversion: Node) -> Node | None:
    """The length expression of the array type a conversion writes."""
    written = conversion.child_by_field_name("type") or conversion.child_by_field_name("function")
    array = next(descendants_of_type(written, "array_type"), None) if written else None
    return array.child_by_field_name("length") if array is not None else None


def _computed_length(file: GoFile, length: Node, local: dict[str, int | None]) -> int | None:
    """The value of an array length with the function's constants `local` and
    `unsafe.Sizeof` (`_size_of`)."""
    known = {**file.package.constants, **local}
    inference = Inference.of(file)

    def size_of(call: Node) -> int | None:
        args = file.syntax.arguments(call)
        if not file.calls(call, "unsafe", "Sizeof") or len(args) != 1:
            return None
        return _size_of(inference, args[0])

    return evaluate_int(length, known, size_of)


def _local_constants(file: GoFile, node: Node) -> dict[str, int | None]:
    """The integer constants declared in the function of `node` before it, in a block
    around it (`const maxLen = 1 << 30`), by name; a later one shadows an earlier."""
    function = file.syntax.top_function(node)
    keywords = file.syntax.tokens.tokens("const", within=function) if function else []
    known = dict(file.package.constants) if keywords else {}
    found: dict[str, int | None] = {}
    for token in keywords:
        declaration = token.parent
        if declaration is None or declaration.type != "const_declaration":
            continue
        block = declaration.parent
        if declaration.start_byte > node.start_byte or block is None:
            break
        if not block.start_byte <= node.start_byte < block.end_byte:
            continue
        for spec in declaration.named_children:
            values = spec.child_by_field_name("value") if spec.type == "const_spec" else None
            items = values.named_children if values is not None else []
            for i, name in enumerate(spec.children_by_field_name("name")):
                value = evaluate_int(items[i], known) if i < len(items) else None
                known[text(name)] = found[text(name)] = value
    return found


# Sizes of Go's and cgo's basic types (64-bit targets).
_SIZES = {
    **dict.fromkeys(("bool", "byte", "int8", "uint8", "C.char", "C.schar", "C.uchar"), 1),
    **dict.fromkeys(("int16", "uint16", "C.short", "C.ushort"), 2),
    **dict.fromkeys(("int32", "uint32", "rune", "float32", "C.int", "C.uint", "C.float"), 4),
    **dict.fromkeys(("int", "uint", "int64", "uint64", "uintptr", "float64", "unsafe.Pointer"), 8),
    **dict.fromkeys(("C.long", "C.ulong", "C.longlong", "C.ulonglong", "C.double"), 8),
    **dict.fromkeys(("C.size_t", "C.ssize_t", "C.uintptr_t", "C.intptr_t"), 8),
    "string": 16,
}
_SIZED_TYPEDEF = re.compile(r"^C\.u?int(8|16|32|64)_t$")


def _size_of(inference: Inference, operand: Node) -> int:
    """`unsafe.Sizeof(operand)` on a 64-bit target, where the type of `operand` tells:
    basic types, pointers (`(*C.value)(nil)`), slices, maps, chans, funcs,
    interfaces, arrays of them. Anything else (a struct) counts as 1: the length is
    then the byte count it divides, which is what the idiom spells
    (`(1<<31 - 1) / unsafe.Sizeof(T{})`: as many elements as fit in 2 GiB)."""
    converted = inference.file.conversion(operand)
    t = converted[0] if converted is not None else inference.type_of(operand)
    return _size_of_type(inference, t)


def _size_of_type(inference: Inference, t: TypeExpr | None, depth: int = 0) -> int:
    u = underlying(t, inference.lookup)
    if u.kind in (Kind.POINTER, Kind.MAP, Kind.CHAN, Kind.FUNC):
        return 8
    if u.kind == Kind.SLICE:
        return 24
    if u.kind == Kind.INTERFACE:
        return 16
    if u.kind == Kind.NAME:
        sized = _SIZED_TYPEDEF.match(u.name)
        return int(sized.group(1)) // 8 if sized else _SIZES.get(u.name, 1)
    if u.kind == Kind.ARRAY and u.length is not None and depth < 8:
        return max(1, u.length * _size_of_type(inference, u.elem, depth + 1))
    return 1


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
