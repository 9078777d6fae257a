"""The types of Go expressions, from the syntax of one package.

`ExpressionTypes.type_of(expr)` reads declared types, literals, conversions,
`new`/`make`/`append`, `unsafe.Slice`/`SliceData`, the results of C calls
(`C.CString` is a `*C.char`, any other C result some C type), fields of the
package's struct types, elements, the results of package functions, and the
byte slices well-known marshallers and readers of other packages return
(`json.Marshal`, `os.ReadFile`, `msg.Marshal()`); what cannot be known is
None. It is the base of infer.py's `Inference`: types are read from the
syntax alone, while the pointer provenance there (`memory`) is
built on top of them, so the two questions live apart.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import GoFuncDecl, TypeExpr
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.standard_types import (
    BYTE_RESULT_METHODS,
    BYTE_RESULTS,
    BYTE_SLICE,
)
from interop_lint.analyzer.golang.syntax import (
    is_address_of,
    is_deref,
    misread_dereference,
    unparen,
)
from interop_lint.analyzer.golang.types import (
    Kind,
    element_type,
    field_type,
    named,
    pointer_to,
    slice_of,
    type_expr,
    underlying,
)
from interop_lint.analyzer.parsing import text

MAX_DEPTH = 24  # how deep a question follows expressions and local assignments


class ExpressionTypes:
    """The types of the expressions of one file (answers are cached by node)."""

    def __init__(self, file: GoFile) -> None:
        self.file = file
        self.lookup = file.package.lookup_type
        self._types: dict[int, TypeExpr | None] = {}

    # -- types -------------------------------------------------------------------

    def type_of(self, expr: Node | None, depth: int = 0) -> TypeExpr | None:
        expr = unparen(expr)
        if expr is None or depth > MAX_DEPTH:
            return None
        if expr.id not in self._types:
            self._types[expr.id] = None  # a cycle reads as unknown
            self._types[expr.id] = self._type_of(expr, depth + 1)
        return self._types[expr.id]

    def _type_of(self, expr: Node, depth: int) -> TypeExpr | None:
        kind = expr.type
        if kind == "identifier":
            binding = self.file.binding(expr)
            if binding is not None and binding.kind == "switch":
                return self._case_type(expr, binding.scope)
            if binding is not None:
                return self.binding_type(binding, depth)
            variable = self.file.package.variables.get(text(expr))
            return variable.type if variable is not None else None
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return named("string")
        if kind == "composite_literal":
            return type_expr(expr.child_by_field_name("type"), self.file.constant)
        if kind == "unary_expression":
            operand = expr.child_by_field_name("operand")
            if is_address_of(expr):
                inner = self.type_of(operand, depth)
                return pointer_to(inner) if inner is not None else None
            if is_deref(expr):
                pointer = underlying(self.type_of(operand, depth), self.lookup)
                return pointer.elem if pointer.kind == Kind.POINTER else None
            return self.type_of(operand, depth)
        if kind == "selector_expression":
            operand = expr.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier" and self._is_package(operand):
                return named(text(expr)) if text(operand) == "C" else None
            name = text(expr.child_by_field_name("field"))
            return field_type(self.type_of(operand, depth), name, self.lookup)
        if kind == "index_expression":
            return element_type(
                self.type_of(expr.child_by_field_name("operand"), depth), self.lookup
            )
        if kind == "slice_expression":
            base = underlying(self.type_of(expr.child_by_field_name("operand"), depth), self.lookup)
            if base.kind == Kind.POINTER:
                base = underlying(base.elem, self.lookup)
            if base.kind in (Kind.SLICE, Kind.ARRAY):
                return slice_of(base.elem)
            return base if base.kind == Kind.NAME and base.name == "string" else None
        if kind == "type_assertion_expression":
            return type_expr(expr.child_by_field_name("type"), self.file.constant)
        if kind in ("call_expression", "type_conversion_expression"):
            read_as = misread_dereference(expr)
            if read_as is not None:  # `*(*T)(p)`: a T
                pointer = underlying(type_expr(read_as, self.file.constant), self.lookup)
                return pointer.elem if pointer.kind == Kind.POINTER else None
            return self._call_type(expr, depth)
        if kind == "func_literal":
            return TypeExpr(Kind.FUNC)
        return None

    def _call_type(self, call: Node, depth: int) -> TypeExpr | None:
        converted = self.file.conversion(call)
        if converted is not None:
            return converted[0]
        file = self.file
        args = file.syntax.arguments(call)
        if file.builtin_call(call, "new") and args:
            return pointer_to(type_expr(args[0], file.constant))
        if file.builtin_call(call, "make") and args:
            return type_expr(args[0], file.constant)
        if file.builtin_call(call, "append") and args:
            return self.type_of(args[0], depth)
        if file.calls(call, "unsafe", "Slice") and args:
            pointer = underlying(self.type_of(args[0], depth), self.lookup)
            return slice_of(pointer.elem) if pointer.kind == Kind.POINTER else None
        if file.calls(call, "unsafe", "SliceData") and args:
            return pointer_to(element_type(self.type_of(args[0], depth), self.lookup))
        name = file.c_function(call)
        if name is not None:
            if name == "CString":
                return pointer_to(named("C.char"))
            if name in ("GoString", "GoStringN"):
                return named("string")
            if name == "GoBytes":
                return slice_of(named("byte"))
            if file.c_returns_pointer(name):
                return pointer_to(named("C.?"))  # a pointer to some C type
            return named("C.?")  # some C type
        function = self.called_function(call, depth)
        if function is not None and function.results:
            return function.results[0]
        return self._library_result(call)

    def called_function(self, call: Node, depth: int = 0) -> GoFuncDecl | None:
        """The package function or method a call calls. A method name several types
        of the package declare (`decoders.get(d)`, `encoders.get(e)`) is told apart
        by the type of the receiver operand."""
        package = self.file.package
        function = package.function_for(self.file.syntax.spelled_callee(call))
        if function is not None:
            return function
        callee = self.file.syntax.callee(call)
        if callee is None or callee.kind != "selector_expression" or callee.local is None:
            return None
        receiver = _receiver_name(self.type_of(callee.local, depth))
        return package.method_of(receiver, callee.name) if receiver else None

    def binding_type(self, binding: Binding, depth: int = 0) -> TypeExpr | None:
        if binding.type_node is not None:
            declared = type_expr(binding.type_node, self.file.constant)
            return slice_of(declared) if binding.variadic else declared
        if binding.value is not None:
            return self.type_of(binding.value, depth + 1)
        if binding.kind == "range" and binding.source is not None:
            ranged = self.type_of(binding.source, depth + 1)
            u = underlying(ranged, self.lookup)
            if binding.source_index == 0:
                return u.elem if u.kind == Kind.CHAN else named("int")
            return element_type(ranged, self.lookup)
        source = unparen(binding.source)
        if source is not None and source.type == "type_assertion_expression":
            # `v, ok := x.(T)`: v is a T, ok a bool
            if binding.source_index == 0:
                return type_expr(source.child_by_field_name("type"), self.file.constant)
            return named("bool")
        if binding.source is not None and binding.source.type == "call_expression":
            function = self.called_function(binding.source, depth + 1)
            if function is not None and binding.source_index < len(function.results):
                return function.results[binding.source_index]
            if function is None and binding.source_index == 0:
                return self._library_result(binding.source)
        return None

    def _case_type(self, use: Node, switch: Node) -> TypeExpr | None:
        """The type of a type switch's variable where it is used: the case's type when
        the case names one (`case []float32:`), else unknown (the switched value's)."""
        current = use.parent
        while current is not None and current.id != switch.id:
            if current.type == "type_case" and current.parent is not None:
                if current.parent.id != switch.id:
                    return None
                types = current.children_by_field_name("type")
                return type_expr(types[0], self.file.constant) if len(types) == 1 else None
            current = current.parent
        return None

    def _library_result(self, call: Node) -> TypeExpr | None:
        """The first result of a call of another package's function or method that is
        known to be a byte slice (`json.Marshal(v)`, `msg.Marshal()`); else None."""
        callee = self.file.syntax.callee(call)
        if callee is None or callee.kind != "selector_expression" or callee.local is None:
            return None
        if callee.local.type == "identifier" and self._is_package(callee.local):
            path = self.file.imports.get(callee.qualifier)
            return BYTE_SLICE if (path, callee.name) in BYTE_RESULTS else None
        if callee.name in BYTE_RESULT_METHODS and callee.name not in self.file.package.methods:
            return BYTE_SLICE  # no method of the package goes by that name
        return None

    def _is_package(self, identifier: Node) -> bool:
        name = text(identifier)
        return (name == "C" or name in self.file.imports) and self.file.binding(identifier) is None


def _receiver_name(t: TypeExpr | None) -> str:
    """The type name a method call on a value of type `t` looks up: `T` for a `T` or a
    `*T` (as a method's `receiver` is written), "" for any other type."""
    if t is not None and t.kind == Kind.POINTER:
        t = t.elem
    return t.name if t is not None and t.kind == Kind.NAME else ""
