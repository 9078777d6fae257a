"""Slices made over C memory the pre-Go 1.17 way, through their header (GO107).

    func allocNodeArr(n int) (out []C.struct_node) {
        s := (*reflect.SliceHeader)(unsafe.Pointer(&out))
        s.Data = uintptr(C.malloc(C.size_t(unsafe.Sizeof(C.struct_node{})) * C.size_t(n)))
        s.Len = n
        s.Cap = n
        return
    }

apache/arrow's cdata exports build their C arrays so: the elements of `out`
live where `Data` points, in C memory, as those of `unsafe.Slice((*T)(p), n)`
do. `header_data` finds the value given to `Data`; infer.py asks where it
points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import assigned_value, is_address_of, unparen
from interop_lint.analyzer.parsing import text

if TYPE_CHECKING:
    from interop_lint.analyzer.golang.infer import Inference

_HEADERS = frozenset({"reflect.SliceHeader", "reflect.StringHeader"})


def header_data(file: GoFile, binding: Binding) -> Node | None:
    """`X` of `h.Data = uintptr(X)` where `h := (*reflect.SliceHeader)(unsafe.Pointer(&s))`
    views the slice `s` of `binding`; None when no header of it is written so."""
    for read in binding.reads:
        header = _header_over(file, read)
        for use in header.reads if header is not None else ():
            selector = use.parent
            if selector is None or selector.type != "selector_expression":
                continue
            if text(selector.child_by_field_name("field")) != "Data":
                continue
            value = assigned_value(selector)
            converted = file.conversion(value)
            if converted is not None and converted[0].name == "uintptr":
                return unparen(converted[1])
    return None


def _header_over(file: GoFile, read: Node) -> Binding | None:
    """The local `h` of `h := (*reflect.SliceHeader)(unsafe.Pointer(&read))`."""
    address = read.parent
    if not is_address_of(address):
        return None
    pointer = address.parent.parent if address.parent is not None else None  # unsafe.Pointer(&s)
    converted = file.conversion(pointer)
    if converted is None or converted[0].name != "unsafe.Pointer":
        return None
    header = (
        pointer.parent.parent if pointer.parent is not None else None
    )  # (*H)(unsafe.Pointer(..))
    converted = file.conversion(header)
    if converted is None or converted[0].elem is None or converted[0].elem.name not in _HEADERS:
        return None
    listed = header.parent
    declaration = listed.parent if listed is not None else None
    if declaration is None or declaration.type != "short_var_declaration":
        return None
    left = declaration.child_by_field_name("left")
    names = left.named_children if left is not None else []
    return file.binding(names[0]) if len(names) == 1 else None


def header_data_through_pointer(inference: Inference, node: Node | None) -> bool:
    """Whether `node` is `h.Data` of `h` a `*reflect.SliceHeader` (or StringHeader): the
    field of a real slice's header, which the unsafe package lets code convert to and
    from `unsafe.Pointer` (its pattern 6). A header copied by value holds an integer."""
    node = unparen(node)
    if node is None or node.type != "selector_expression":
        return False
    if text(node.child_by_field_name("field")) != "Data":
        return False
    held = inference.type_of(node.child_by_field_name("operand"))
    return (
        held is not None
        and held.kind == "pointer"
        and held.elem is not None
        and held.elem.name in _HEADERS
    )
