"""Go types that mirror C structs: their pointers only ever point to C memory.

A binding often declares a Go struct with the layout of a C struct and views
the C library's objects through it (go-sdl2's `PixelFormat`):

    func AllocFormat(f uint) *PixelFormat {
        return (*PixelFormat)(unsafe.Pointer(C.SDL_AllocFormat(C.uint32_t(f))))
    }
    func (format *PixelFormat) Free() {
        C.SDL_FreeFormat((*C.SDL_PixelFormat)(unsafe.Pointer(format)))
    }

A `*PixelFormat` parameter or receiver is then C memory, whatever Go pointers
the mirror's fields seem to hold. A package type `T` is such a mirror when
the package converts C memory to `*T` (`(*T)(unsafe.Pointer(C.f(..)))`), never
converts anything else to `*T`, and never names `T` other than as `*T`: no
`T{..}`, `&T{..}`, `new(T)`, `var x T`, `[]T`, field or parameter of type `T`
(any of them makes Go memory of type `T` that a `*T` may point to). A `T{}`
only measured (`C.malloc(C.size_t(unsafe.Sizeof(T{})))`) makes nothing.

Each file records both sides (`GoFileFacts.c_pointer_types`,
`go_pointer_types`); `GoPackage.c_mirror_types` is the difference over the
package's files.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.types import Kind
from interop_lint.analyzer.parsing import Grammar, captures

# Where a type name is no value of that type: a pointer to it, its declaration,
# another package's type (`C.T`).
_NOT_A_VALUE = frozenset({"pointer_type", "qualified_type"})
# Every type name of a file: one pass over the tree in C, not a walk in Python.
_TYPE_NAMES = "(type_identifier) @name"


def pointer_types(file: GoFile, inference: Inference) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(types `T` that C memory is converted to `*T`, types named as values or that
    other memory is converted to `*T`), each sorted (see the module docstring)."""
    from_c: set[str] = set()
    from_go = _named_as_values(file)
    # A conversion to a pointer type spells `*` in its type: `(*T)(x)`.
    for node in file.syntax.typed_candidates(("*",)):
        name = _converted_to_pointer(file, node)
        if name is None:
            continue
        converted = file.conversion(node)
        operand = converted[1] if converted is not None else None
        (from_c if inference.memory(operand) is Memory.C else from_go).add(name)
    return tuple(sorted(from_c)), tuple(sorted(from_go))


def _named_as_values(file: GoFile) -> set[str]:
    """The type names the file spells other than as `*T`, `pkg.T` or in `type T`."""
    found: set[str] = set()
    for node in captures(Grammar.GO, _TYPE_NAMES, file.root).get("name", ()):
        parent = node.parent
        if parent is None or parent.type in _NOT_A_VALUE:
            continue
        if (
            parent.type in ("type_spec", "type_alias")
            and parent.child_by_field_name("name") == node
        ):
            continue
        if parent.type == "composite_literal" and _only_measured(parent):
            continue
        found.add(file.syntax.text(node))
    return found


_MEASURING = frozenset({b"unsafe.Sizeof", b"unsafe.Alignof", b"unsafe.Offsetof"})


def _only_measured(literal: Node) -> bool:
    """`T{}` of `unsafe.Sizeof(T{})`, `unsafe.Offsetof(T{}.f)`: measured, never made
    (`(*T)(C.malloc(C.size_t(unsafe.Sizeof(T{}))))` allocates `T` in C memory)."""
    current = literal.parent
    while current is not None and current.type in (
        "parenthesized_expression",
        "selector_expression",
    ):
        current = current.parent
    call = current.parent if current is not None and current.type == "argument_list" else None
    function = call.child_by_field_name("function") if call is not None else None
    return function is not None and function.text in _MEASURING


def _converted_to_pointer(file: GoFile, node: Node) -> str | None:
    """`T` of a conversion `(*T)(x)` to a pointer to an unqualified named type."""
    converted = file.conversion(node)
    if converted is None:
        return None
    target = converted[0]
    if target.kind != Kind.POINTER or target.elem is None or target.elem.kind != Kind.NAME:
        return None
    name = target.elem.name
    return name if "." not in name else None
