"""Types and pointer provenance of Go expressions, from the syntax of one package.

`Inference.of(file)` answers both: `type_of(expr)` (expression_types.py, its
base) reads the types; `memory(expr)` says where a pointer value points, following
rules.md's definition of a Go pointer and its provenance rule: `&x`,
`&s[i]`, `unsafe.SliceData(s)` and values of Go pointer, slice, string, map,
chan, func or interface type point to Go memory; values of C types and
results of C calls point to C memory, unless converted from a Go pointer in
the same function (`p := (*C.uchar)(unsafe.Pointer(&buf[0]))`); a slice of C
pointers whose elements are assigned Go pointers holds Go pointers. Local
assignments are followed (to a bounded depth); what cannot be known is
UNKNOWN and rules stay silent on it.
"""

from __future__ import annotations

from enum import StrEnum
from weakref import WeakKeyDictionary

from tree_sitter import Node

from interop_lint.analyzer.golang.expression_types import MAX_DEPTH, ExpressionTypes
from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.model import GO_RESULT_C_FUNCTIONS, GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.slice_headers import header_data
from interop_lint.analyzer.golang.syntax import (
    arguments,
    is_address_of,
    is_deref,
    misread_dereference,
    operator,
    unparen,
)
from interop_lint.analyzer.golang.types import (
    Kind,
    element_type,
    holds_address,
    is_c_pointer_type,
    is_c_type,
    is_go_pointer_type,
    named,
    underlying,
)
from interop_lint.analyzer.parsing import text, walk

# unsafe functions whose result points where their first argument does.
_SAME_MEMORY = frozenset({"Slice", "String", "Add"})
# Builtins whose result is new Go memory.
_NEW_GO_MEMORY = frozenset({"new", "make", "append"})


_INFERENCES: WeakKeyDictionary[GoFile, Inference] = WeakKeyDictionary()


class Memory(StrEnum):
    GO = "go"  # points to Go memory
    C = "c"  # points to C memory
    UNKNOWN = "unknown"
    NONE = "none"  # not a pointer: an integer, a struct value, nil


class Inference(ExpressionTypes):
    """Type and provenance questions about the expressions of one file."""

    @classmethod
    def of(cls, file: GoFile) -> Inference:
        """The file's inference, shared by the rules that check it (answers are cached)."""
        found = _INFERENCES.get(file)
        if found is None:
            found = _INFERENCES[file] = cls(file)
        return found

    def __init__(self, file: GoFile) -> None:
        super().__init__(file)
        self._memory: dict[int, Memory] = {}
        self._element_stores: dict[int, list[Node]] = {}
        # Asked of every binding's memory: whether the file can build a slice's header.
        self._writes_headers = b"SliceHeader" in file.source.data
        self._c_fields = file.package.c_memory_fields

    # -- provenance --------------------------------------------------------------------

    def memory(self, expr: Node | None, depth: int = 0) -> Memory:
        """Where the pointer value of `expr` points (GO, C, UNKNOWN, or NONE)."""
        expr = unparen(expr)
        if expr is None or depth > MAX_DEPTH:
            return Memory.UNKNOWN
        if expr.id not in self._memory:
            self._memory[expr.id] = Memory.UNKNOWN
            self._memory[expr.id] = self._memory_of(expr, depth + 1)
        return self._memory[expr.id]

    def is_go_pointer(self, expr: Node | None) -> bool:
        return self.memory(expr) is Memory.GO

    def _memory_of(self, expr: Node, depth: int) -> Memory:
        kind = expr.type
        if kind == "nil":
            return Memory.NONE
        if kind == "identifier":
            binding = self.file.binding(expr)
            if binding is None:
                return self.by_type(self.type_of(expr, depth))
            return self.binding_memory(binding, expr.start_byte, depth)
        if is_address_of(expr):
            return self.object_memory(expr.child_by_field_name("operand"), depth)
        if kind in ("call_expression", "type_conversion_expression"):
            if misread_dereference(expr) is not None:  # `*(*T)(p)`: a value of type T
                return self._read_through(expr.child_by_field_name("operand"), expr, depth)
            return self._call_memory(expr, depth)
        if kind == "index_expression":
            return self.element_memory(expr.child_by_field_name("operand"), depth)
        if kind == "slice_expression":
            return self._data_memory(expr.child_by_field_name("operand"), depth)
        if kind == "unary_expression" and operator(expr) == "*":
            return self._read_through(expr.child_by_field_name("operand"), expr, depth)
        if kind in ("func_literal", "interpreted_string_literal", "raw_string_literal"):
            return Memory.GO
        if kind == "composite_literal":
            t = underlying(self.type_of(expr, depth), self.lookup)
            return Memory.GO if t.kind in (Kind.SLICE, Kind.MAP) else Memory.NONE
        if (
            kind == "selector_expression"
            and self._c_fields
            and self.struct_field(expr) in self._c_fields
        ):
            return Memory.C  # a field the package only ever points into C memory
        return self.by_type(self.type_of(expr, depth))

    def struct_field(self, selector: Node) -> str | None:
        """`T.f` for a selector `x.f` where `x` is a `T` or `*T` of the package."""
        operand, field = (
            selector.child_by_field_name("operand"),
            selector.child_by_field_name("field"),
        )
        t = self.type_of(operand) if operand is not None and field is not None else None
        if t is not None and t.kind == Kind.POINTER:
            t = t.elem
        if t is None or t.kind != Kind.NAME or not self.file.package.is_type_name(t.name):
            return None
        return f"{t.name}.{text(field)}"

    def by_type(self, t: TypeExpr | None) -> Memory:
        """What a value of type `t` points to, by its type alone."""
        if t is None or t.kind == Kind.UNKNOWN:
            return Memory.UNKNOWN
        pointee = t.elem if t.kind == Kind.POINTER and t.elem is not None else None
        if pointee is not None and pointee.name in self.file.package.c_mirror_types:
            return Memory.C  # a Go mirror of a C struct, only ever made by C
        if is_go_pointer_type(t, self.lookup):
            return Memory.GO
        if is_c_pointer_type(t) or (t.kind == Kind.NAME and t.name == "C.?"):
            return Memory.C
        u = underlying(t, self.lookup)
        if u.kind == Kind.POINTER:
            return Memory.C  # a pointer to a package type over a C type
        if u.kind == Kind.NAME and u.name in ("unsafe.Pointer",):
            return Memory.UNKNOWN
        return Memory.NONE

    def binding_memory(self, binding: Binding, position: int, depth: int = 0) -> Memory:
        # `(*reflect.SliceHeader)(unsafe.Pointer(&s)).Data = ..`
        data = header_data(self.file, binding) if self._writes_headers else None
        if data is not None and self.memory(data, depth + 1) is Memory.C:
            return Memory.C
        if binding.is_parameter:
            return self.by_type(self.binding_type(binding, depth))
        value = binding.value_at(position)
        if value is not None:
            found = self.memory(value, depth + 1)
            if found is not Memory.UNKNOWN:
                return found
        if binding.kind == "range" and binding.source is not None and binding.source_index == 1:
            return self.element_memory(binding.source, depth + 1)
        if (
            binding.source is not None
            and binding.kind == "short"
            and binding.source_index == 0
            and self.file.c_function(binding.source) is not None
        ):
            return Memory.C  # `p, err := C.f()`
        if binding.source is not None and self._c_memory_result(
            binding.source, binding.source_index
        ):
            return Memory.C  # `arr, err := allocArray(n)`
        return self.by_type(self.binding_type(binding, depth))

    def _call_memory(self, call: Node, depth: int) -> Memory:
        file = self.file
        converted = file.conversion(call)
        if converted is not None:
            target, operand = converted
            if target.kind == Kind.NAME and target.name == "unsafe.Pointer":
                operand = unparen(operand)
                if operand is not None and operand.type == "binary_expression":
                    return self.arithmetic_memory(operand, depth)
            u = underlying(target, self.lookup)
            if holds_address(u):
                return self.memory(operand, depth)
            if u.kind == Kind.SLICE and u.elem is not None and u.elem.name in ("byte", "rune"):
                return Memory.GO  # []byte(s) copies
            return self.by_type(target)
        args = file.syntax.arguments(call)
        if file.calls(call, "unsafe", "SliceData") or file.calls(call, "unsafe", "StringData"):
            base = self.memory(args[0], depth) if args else Memory.UNKNOWN
            return Memory.C if base is Memory.C else Memory.GO
        if file.calls(call, "unsafe", _SAME_MEMORY) and args:
            return self.memory(args[0], depth)
        if file.builtin_call(call, _NEW_GO_MEMORY):
            return Memory.GO
        name = file.c_function(call)
        if name is not None:
            return Memory.GO if name in GO_RESULT_C_FUNCTIONS else Memory.C
        if self._c_memory_result(call, 0):
            return Memory.C  # a helper's C array (golang/c_results.py)
        return self.by_type(self.type_of(call, depth))

    def _read_through(self, pointer: Node | None, read: Node, depth: int) -> Memory:
        """What the value `*pointer` points to: by its type, or for a string's or
        slice's data pointer read from its header (`*(**C.char)(unsafe.Pointer(&s))`,
        the old spelling of `unsafe.StringData(s)`, go-mecab) where that data is."""
        address = self.file.strip_conversions(pointer)
        if is_address_of(address):
            held = unparen(address.child_by_field_name("operand"))  # type: ignore[union-attr]
            t = underlying(self.type_of(held, depth), self.lookup)
            if t.kind == Kind.SLICE or t.name == "string":
                return Memory.C if self.memory(held, depth) is Memory.C else Memory.GO
        return self.by_type(self.type_of(read, depth))

    def _c_memory_result(self, call: Node, position: int) -> bool:
        declared = self.called_function(call) if call.type == "call_expression" else None
        return declared is not None and position in declared.c_memory_results

    def arithmetic_memory(self, expr: Node, depth: int = 0) -> Memory:
        """Where `unsafe.Pointer(<arithmetic>)` points: the pointer converted to uintptr
        in the expression (`uintptr(p) + off`), or a uintptr variable's origin."""
        for node in walk(expr, prune=("call_expression", "func_literal")):
            converted = self.file.conversion(node) if node.type == "call_expression" else None
            if converted is not None and converted[0].name == "uintptr":
                inner = self.file.strip_conversions(converted[1])
                if inner is not None and self.type_of(inner) != named("uintptr"):
                    return self.memory(inner, depth + 1)
            if node.type == "identifier":
                binding = self.file.binding(node)
                value = binding.value_at(node.start_byte) if binding is not None else None
                if value is not None and not binding.is_parameter:  # type: ignore[union-attr]
                    found = self.arithmetic_memory(value, depth + 1) if depth < 8 else None
                    if found not in (None, Memory.UNKNOWN, Memory.NONE):
                        return found  # type: ignore[return-value]
        return Memory.UNKNOWN

    def object_memory(self, obj: Node | None, depth: int = 0) -> Memory:
        """Where the variable, field or element `obj` lives (the memory `&obj` points to)."""
        obj = unparen(obj)
        if obj is None or depth > MAX_DEPTH:
            return Memory.UNKNOWN
        kind = obj.type
        if kind == "selector_expression":
            operand = obj.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier" and self._is_package(operand):
                return Memory.C if text(operand) == "C" else Memory.GO
            base = underlying(self.type_of(operand, depth), self.lookup)
            if base.kind == Kind.POINTER or is_c_pointer_type(base):
                return self._pointee(operand, depth)
            return self.object_memory(operand, depth + 1)
        if kind == "index_expression":
            operand = obj.child_by_field_name("operand")
            if underlying(self.type_of(operand, depth), self.lookup).kind == Kind.ARRAY:
                return self.object_memory(operand, depth + 1)
            return self._data_memory(operand, depth)
        if is_deref(obj):
            return self._pointee(obj.child_by_field_name("operand"), depth)
        return Memory.GO

    def _pointee(self, pointer: Node | None, depth: int) -> Memory:
        found = self.memory(pointer, depth + 1)
        return Memory.C if found is Memory.C else Memory.GO

    def _data_memory(self, operand: Node | None, depth: int) -> Memory:
        """The memory of the elements of a slice, array or pointer to array."""
        t = underlying(self.type_of(operand, depth), self.lookup)
        if t.kind == Kind.ARRAY:
            return self.object_memory(operand, depth + 1)
        return self._pointee(operand, depth)

    def element_memory(self, container: Node | None, depth: int = 0) -> Memory:
        """What the elements of a slice, array or map point to: Go memory when a Go
        pointer is stored into one of them in the function, else by element type."""
        container = unparen(container)
        if container is None or depth > MAX_DEPTH:
            return Memory.UNKNOWN
        binding = self.file.binding(container)
        if binding is not None:
            stored = [self.memory(v, depth + 1) for v in self.element_stores(binding)]
            if Memory.GO in stored:
                return Memory.GO
        element = element_type(self.type_of(container, depth), self.lookup)
        found = self.by_type(element)
        if found is Memory.NONE and element is not None and is_c_type(element):
            return Memory.NONE
        return found

    def element_stores(self, binding: Binding) -> list[Node]:
        """Values stored into elements of a local slice/array/map: `x[i] = v`,
        `x = append(x, v)`, and the elements of its composite literal initializer."""
        key = id(binding)
        if key not in self._element_stores:
            self._element_stores[key] = self._collect_element_stores(binding)
        return self._element_stores[key]

    def _collect_element_stores(self, binding: Binding) -> list[Node]:
        values: list[Node] = []
        for _, value in binding.definitions():
            value = unparen(value)
            if value is None:
                continue
            if value.type == "composite_literal":
                body = value.child_by_field_name("body")
                for element in body.named_children if body is not None else ():
                    item = (
                        element.named_children[-1] if element.type == "keyed_element" else element
                    )
                    values += (
                        [c for c in item.named_children]
                        if item.type == "literal_element"
                        else [item]
                    )
            elif self.file.builtin_call(value, "append"):
                values += arguments(value)[1:]
        for read in binding.reads:
            index = read.parent
            if index is None or index.type != "index_expression":
                continue
            if index.child_by_field_name("operand") != read:
                continue
            statement = index.parent.parent if index.parent is not None else None
            if statement is None or statement.type != "assignment_statement":
                continue
            left = statement.child_by_field_name("left")
            right = statement.child_by_field_name("right")
            if left is None or right is None or index.parent != left:
                continue
            targets, sources = left.named_children, right.named_children
            if len(targets) == len(sources) and index in targets:
                values.append(sources[targets.index(index)])
        return values
