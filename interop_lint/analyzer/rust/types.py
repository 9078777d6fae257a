"""Rust types at the C boundary: aliases resolved, C layout or not (RS102-RS104).

Types are read from the syntax tree of the signature; a name that is a
`type` alias or a `use .. as` rename of the crate is replaced by its target,
parsed on its own (once per distinct text). Offending types are reported on
the node in the signature, so a `Handle` that aliases `Vec<u8>` is reported
where `Handle` is written.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from msgspec import Struct
from tree_sitter import Node, Tree

from interop_lint.analyzer.parsing import Grammar, parse, text
from interop_lint.analyzer.rust.facts import RustEnum, RustStruct
from interop_lint.analyzer.rust.syntax import EXPORT_ABIS
from interop_lint.analyzer.typesys.rust import NO_C_LAYOUT, PRIMITIVES

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.index import Crate, RustIndex

_NAMED = frozenset({"type_identifier", "scoped_type_identifier", "generic_type"})
UNSIZED = frozenset({"str", "CStr", "OsStr", "Path"})  # behind a pointer: address and length
STANDARD_CRATES = frozenset({"std", "core", "alloc"})
STANDARD_MODULES = {"CStr": "ffi", "OsStr": "ffi", "Path": "path"}  # `use std::ffi;`
INTEGER_REPRS = frozenset(
    {"u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"}
)
_OPTION_OK = frozenset({"NonNull", "Box"})  # `Option` of these is a nullable pointer
_STANDARD_NAMES = PRIMITIVES.keys() | NO_C_LAYOUT | UNSIZED | _OPTION_OK | {"Option", "char"}


@cache
def _parsed_type(spelled: str) -> tuple[Tree, Node] | None:
    tree = parse(Grammar.RUST, f"type __T = {spelled};".encode())
    if tree.root_node.has_error or not tree.root_node.named_child_count:
        return None
    target = tree.root_node.named_children[0].child_by_field_name("type")
    return (tree, target) if target is not None else None


def parse_type(spelled: str) -> Node | None:
    """A type written as text (an alias target from the index), as a syntax node."""
    parsed = _parsed_type(spelled)
    return parsed[1] if parsed is not None else None


def base_name(node: Node) -> str:
    """`Vec` of `std::vec::Vec<u8>`; "" for types that have no name."""
    if node.type == "generic_type":
        node = node.child_by_field_name("type") or node
    if node.type == "scoped_type_identifier":
        node = node.child_by_field_name("name") or node
    return text(node) if node.type == "type_identifier" else ""


def type_arguments(node: Node) -> list[Node]:
    arguments = node.child_by_field_name("type_arguments") if node.type == "generic_type" else None
    if arguments is None:
        return []
    return [a for a in arguments.named_children if a.type not in ("lifetime", "type_binding")]


def function_type_abi(node: Node) -> str | None:
    """The ABI of a function pointer type (`extern "C" fn(..)`), None for Rust's."""
    for child in node.children:
        if child.type == "function_modifiers":
            for modifier in child.children:
                if modifier.type == "extern_modifier":
                    literal = next(
                        (c for c in modifier.children if c.type == "string_literal"), None
                    )
                    return text(literal).strip('"') if literal is not None else "C"
    return None


class TypeNames:
    """Names of one crate as types: aliases and renames followed, declarations found."""

    def __init__(self, index: RustIndex, crate: Crate) -> None:
        self._index = index
        self._crate = crate
        # Answers by the text of a type (a type's text is its syntax; the crate is fixed).
        self.pointers: dict[bytes, bool] = {}
        self.c_layout: set[bytes] = set()  # types `ffi_unsafe_type` found nothing in

    def expand(self, node: Node) -> Node:
        """The type a name stands for, aliases followed (the node itself otherwise)."""
        seen: set[str] = set()
        while node.type in ("type_identifier", "scoped_type_identifier"):
            name = base_name(node)
            if name in seen:
                break
            seen.add(name)
            target = self._index.resolve_name(self._crate, name)
            if target == name:
                break
            parsed = parse_type(target)
            if parsed is None:
                break
            node = parsed
        return node

    def declared(self, name: str) -> RustStruct | RustEnum | None:
        found = self._index.type_named(self._crate, name)
        return found[1] if found is not None else None

    def declarations(self, name: str) -> list[RustStruct | RustEnum]:
        """Every struct and enum of the crate going by `name` (modules may declare several)."""
        return [item for _, item in self._index.types_named(self._crate, name)]

    def is_standard(self, node: Node) -> bool:
        """Whether a named type is the standard library's (`Path` of `std::path`, not a
        handle of the crate or a dependency that is also called `Path`)."""
        if node.type == "scoped_type_identifier":  # `std::path::Path`, or `path::Path`
            segments = [segment.strip() for segment in text(node).split("::")]
            if segments[0] in STANDARD_CRATES:
                return True
            module = STANDARD_MODULES.get(segments[-1])
            return segments[:-1] == [module] and self._index.imports_standard(self._crate, module)
        if node.type != "type_identifier":
            return False  # `Path<Curves>`: the standard types named so take no arguments
        name = text(node)
        declared = self.declared(name) is not None
        return not declared and self._index.imports_standard(self._crate, name) is not False

    def pointee(self, node: Node) -> Node | None:
        """`T` of `*const T` / `*mut T` (aliases followed); None for other types."""
        expanded = self.expand(node)
        if expanded.type != "pointer_type":
            return None
        inner = expanded.child_by_field_name("type")
        return self.expand(inner) if inner is not None else None

    def is_raw_pointer(self, node: Node) -> bool:
        written = node.text or b""
        found = self.pointers.get(written)
        if found is None or node.has_error:
            found = self.expand(node).type == "pointer_type"
            if not node.has_error:
                self.pointers[written] = found
        return found


class UnsafeType(Struct, frozen=True):
    node: Node  # where it is written in the signature
    reason: str  # completes "`T` ..."


def ffi_unsafe_type(node: Node, names: TypeNames) -> UnsafeType | None:
    """The first part of a signature type that has no C layout, or None."""
    written = node.text or b""
    if written in names.c_layout and not node.has_error:
        return None
    found = _first_unsafe_part(node, names)
    if found is None and not node.has_error:
        names.c_layout.add(written)
    return found


def _first_unsafe_part(node: Node, names: TypeNames) -> UnsafeType | None:
    stack: list[tuple[Node, Node, bool]] = [(node, node, False)]  # (type, report at, via alias)
    while stack:
        current, at, via_alias = stack.pop()
        expanded = names.expand(current)
        via_alias = via_alias or expanded is not current
        reason = _by_value_problem(expanded, names)
        if reason is not None:
            return UnsafeType(at, reason)
        for inner in reversed(_types_passed_on(expanded, names)):
            stack.append((inner, at if via_alias else inner, via_alias))
    return None


def _types_passed_on(node: Node, names: TypeNames) -> list[Node]:
    """Types that cross by value inside a type that is fine itself: an extern fn's
    parameters and result, also inside `Option<extern "C" fn(..)>`."""
    if node.type == "generic_type" and base_name(node) == "Option":
        arguments = type_arguments(node)
        node = names.expand(arguments[0]) if arguments else node
    if node.type != "function_type":
        return []
    parameters = node.child_by_field_name("parameters")
    found = []
    for parameter in parameters.named_children if parameters is not None else ():
        # `fn(state: *const T)` names its parameter; `fn(*const T)` is the type itself
        # (whose own "type" field is the pointee)
        named = parameter.child_by_field_name("type") if parameter.type == "parameter" else None
        found.append(named or parameter)
    result = node.child_by_field_name("return_type")
    if result is not None:
        found.append(result)
    return [f for f in found if f.type not in ("variadic_parameter", "self_parameter")]


def _by_value_problem(node: Node, names: TypeNames) -> str | None:
    kind = node.type
    if kind == "primitive_type":
        return "is a Rust Unicode scalar value, not a C `char`" if text(node) == "char" else None
    if kind == "tuple_type":
        return "is a tuple, which has no C layout"
    if kind == "array_type":
        return "is an array passed by value, which C cannot do (pass a pointer)"
    if kind in ("pointer_type", "reference_type"):
        inner = node.child_by_field_name("type")
        return _fat_pointer(inner, names) if inner is not None else None
    if kind == "function_type":
        if function_type_abi(node) in EXPORT_ABIS:
            return None
        return 'uses the Rust calling convention (write `extern "C" fn`)'
    if kind in ("dynamic_type", "abstract_type"):
        return "is a trait object, which has no C layout"
    if kind in _NAMED:
        return _named_type_problem(node, names)
    return None


def _fat_pointer(pointee: Node, names: TypeNames) -> str | None:
    expanded = names.expand(pointee)
    unsized = (
        (expanded.type == "array_type" and expanded.child_by_field_name("length") is None)
        or expanded.type == "dynamic_type"
        or (expanded.type == "primitive_type" and text(expanded) == "str")
        or (base_name(expanded) in UNSIZED and names.is_standard(expanded))
    )
    if not unsized:
        return None
    return "is a fat pointer (address and length), which C cannot receive"


def _named_type_problem(node: Node, names: TypeNames) -> str | None:
    name = base_name(node)
    declared = names.declared(name)
    if declared is not None:
        # Which of several of that name the signature means is a question of module
        # paths, not asked here: one with C layout is taken to be it (precision first).
        if any(map(_has_c_layout, names.declarations(name))):
            return None
        if isinstance(declared, RustStruct):
            return "has no `#[repr(C)]` or `#[repr(transparent)]`, so its layout is unspecified"
        return "has no `#[repr(C)]` or integer `repr`, so its layout is unspecified"
    arguments = type_arguments(node)
    if name == "Option":
        inner = names.expand(arguments[0]) if arguments else None
        if inner is None or _nullable_pointer(inner, names) or _unknown_name(inner, names):
            return None
        return (
            "has no C layout (only `Option` of a reference, `Box`, `NonNull` "
            "or `extern fn` is a nullable pointer)"
        )
    if name in ("Box", "NonNull") and arguments:
        return _fat_pointer(arguments[0], names)
    if name in NO_C_LAYOUT:
        return "has no C layout"
    return None


def _has_c_layout(item: RustStruct | RustEnum) -> bool:
    if isinstance(item, RustStruct):
        return bool({"C", "transparent"} & set(item.repr))
    return "C" in item.repr or bool(INTEGER_REPRS & set(item.repr))


def _unknown_name(node: Node, names: TypeNames) -> bool:
    """A name the crate does not declare and the standard library does not give: an
    alias from another crate may be a function pointer (`Option<cblog::LogCallback>`)."""
    if node.type not in ("type_identifier", "scoped_type_identifier", "generic_type"):
        return False
    name = base_name(node)
    return name not in _STANDARD_NAMES and names.declared(name) is None


def _nullable_pointer(node: Node, names: TypeNames) -> bool:
    if node.type == "reference_type":
        inner = node.child_by_field_name("type")
        return inner is None or _fat_pointer(inner, names) is None
    if node.type == "function_type":
        return function_type_abi(node) in EXPORT_ABIS
    if base_name(node) in _OPTION_OK:
        arguments = type_arguments(node)
        return not arguments or _fat_pointer(arguments[0], names) is None
    return False
