"""Go pointers at the C boundary: what a C call receives, and what C memory holds.

The question of GO102 (does the Go memory an argument points to hold Go
pointers?), answered with `Inference`; GO107's (is a Go pointer stored into C
memory?) is c_stores.py's.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.lengths import normal
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import (
    FUNCTION_TYPES,
    arguments,
    assigned_value,
    is_address_of,
    operator,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.types import (
    BUILTIN_TYPES,
    Kind,
    contains_go_pointers,
    describe,
    element_type,
    holds_address,
    is_array,
    is_c_pointer_type,
    is_c_type,
    is_slice,
    slice_of,
    underlying,
)
from interop_lint.analyzer.parsing import descendants_of_type, text

_MAX_ALIAS_DEPTH = 16
_ASSIGNMENT = frozenset({"assignment_statement"})


def c_function_calls(file: GoFile) -> Iterator[tuple[Node, str]]:
    """(call, name) of every call of a C function (conversions to C types left out)."""
    yield from file.syntax.c_function_calls()


def pointer_origin(file: GoFile, expr: Node | None) -> Node | None:
    """The expression that made a pointer: through parentheses, conversions and
    local variables (`p := unsafe.Pointer(&x)` ... `C.f(p)` gives `&x`)."""
    node = file.strip_conversions(expr, pointers=True)
    for _ in range(_MAX_ALIAS_DEPTH):
        if node is None or node.type != "identifier":
            return node
        binding = file.binding(node)
        if binding is None or binding.is_parameter:
            return node
        value = binding.value_at(node.start_byte)
        if value is None:
            return node
        node = file.strip_conversions(value, pointers=True)
    return node


# -- GO102 ---------------------------------------------------------------------------------


def nested_go_pointers(inference: Inference, argument: Node) -> str | None:
    """When `argument` is a Go pointer to Go memory that holds Go pointers, what that
    memory is (`[]string`, `Config`, "elements assigned Go pointers"); else None."""
    found = _nested_at_origin(inference, argument)
    if found is not None:
        return found
    # `var value *Value` assigned in a type switch (`value = v.value()`, v8go): what made
    # it is not known, but a variable of Go memory is as its declared type says.
    variable = inference.file.strip_conversions(argument, pointers=True)
    if variable is None or variable.type != "identifier":
        return None
    if variable == pointer_origin(inference.file, argument):
        return None  # already asked
    if inference.memory(variable) is not Memory.GO:
        return None
    return _pointee_description(inference, inference.type_of(variable))


def _nested_at_origin(inference: Inference, argument: Node) -> str | None:
    file = inference.file
    origin = pointer_origin(file, argument)
    if origin is None:
        return None
    if is_address_of(origin):
        obj = unparen(origin.child_by_field_name("operand"))
        if obj is None or inference.object_memory(obj) is not Memory.GO:
            return None
        if obj.type == "index_expression":
            return _elements_with_pointers(inference, obj.child_by_field_name("operand"))
        return _value_with_pointers(inference, obj)
    if origin.type == "call_expression":
        args = file.syntax.arguments(origin)
        if file.calls(origin, "unsafe", "SliceData") and args:
            if inference.memory(args[0]) is Memory.C:
                return None
            return _elements_with_pointers(inference, args[0])
        if file.builtin_call(origin, "new") and args:
            t = inference.type_of(origin)
            return _pointee_description(inference, t)
        return None
    if origin.type in ("identifier", "selector_expression"):
        if inference.memory(origin) is not Memory.GO:
            return None
        return _pointee_description(inference, inference.type_of(origin))
    return None


def _pointee_description(inference: Inference, pointer: object) -> str | None:
    t = underlying(pointer, inference.lookup)  # type: ignore[arg-type]
    if t.kind != Kind.POINTER or is_c_pointer_type(t):
        return None
    return describe(t.elem) if contains_go_pointers(t.elem, inference.lookup) else None


def _value_with_pointers(inference: Inference, obj: Node) -> str | None:
    t = inference.type_of(obj)
    if obj.type == "identifier" and _nil_at(inference, obj, t):
        return None
    if contains_go_pointers(t, inference.lookup):
        return describe(t)
    if is_array(t, inference.lookup) and inference.element_memory(obj) is Memory.GO:
        return f"{describe(t)} whose elements are assigned Go pointers"
    field = _initialized_with_go_pointer(inference, obj)
    if field is not None:
        return f"{describe(t)} whose {field} is initialized with a Go pointer"
    field = _go_struct_field_assigned(inference, obj, t)
    if field is not None:
        return f"{describe(t)} whose field {field} is assigned a Go pointer"
    if obj.type == "identifier" and _holds_go_pointer(inference, obj, t):
        return f"{describe(t)} made from a Go pointer"
    return None


# Kinds whose zero value is nil: nothing can be stored inside one before it is set.
_NIL_KINDS = frozenset({Kind.POINTER, Kind.SLICE, Kind.MAP, Kind.CHAN, Kind.FUNC, Kind.INTERFACE})


def _nil_at(inference: Inference, variable: Node, declared: TypeExpr | None) -> bool:
    """A variable of a nil-able type still nil where it is read holds no Go pointer:
    `var refs *unsafe.Pointer` (or a named result) whose address C fills in."""
    resolved = underlying(declared, inference.lookup)
    if resolved.kind not in _NIL_KINDS and not holds_address(resolved):
        return False
    binding = inference.file.binding(variable)
    return binding is not None and binding.zero_at(variable)


def _holds_go_pointer(inference: Inference, variable: Node, declared: TypeExpr | None) -> bool:
    """A local of C pointer type (or `unsafe.Pointer`) that holds a Go pointer where it
    is read: iconv-go's `in := (*C.char)(unsafe.Pointer(&input[0]))` before
    `C.iconv(cd, &in, ..)`. Its address is a Go pointer to a Go pointer. Only a
    pointer shown to be Go's counts: the address of a variable, or of an element of
    a Go-typed slice (`[]C.T` is often a view of C memory: only one the function
    makes counts) or array."""
    if not holds_address(underlying(declared, inference.lookup)):
        return False
    origin = pointer_origin(inference.file, variable)
    if origin is None or not is_address_of(origin) or inference.memory(variable) is not Memory.GO:
        return False
    obj = unparen(origin.child_by_field_name("operand"))
    if obj is not None and obj.type == "identifier":
        return inference.file.binding(obj) is not None  # a variable of the function
    if obj is None or obj.type != "index_expression":
        return False
    container = obj.child_by_field_name("operand")
    held = inference.type_of(container)
    if is_array(held, inference.lookup):
        return container is not None and container.type == "identifier"
    element = element_type(held, inference.lookup)
    if not is_slice(held, inference.lookup) or element is None:
        return False
    if not is_c_type(element):
        return True
    # `buf := make([]C.uchar, n)`: a local the function made in Go memory (gossl's
    # `i2d_ECPrivateKey(k, &pkey)` panicked so); a parameter may view C memory.
    binding = inference.file.binding(container) if container is not None else None
    return (
        binding is not None
        and not binding.is_parameter
        and inference.memory(container) is Memory.GO  # type: ignore[arg-type]
    )


def _initialized_with_go_pointer(inference: Inference, obj: Node) -> str | None:
    """For a struct literal (`C.MDB_val{mv_data: unsafe.Pointer(&key[0])}`), or a local
    variable that holds one where `obj` reads it, the element that initializes it with a
    Go pointer ("field mv_data", "element 2"). A struct of C type holds no Go pointer
    by its type; one made from a literal does by its values. A variable that also gets
    a Go pointer by assignment (`req.data = p`) is GO107's: that rule reports the store."""
    file = inference.file
    literal = obj
    binding = None
    if obj.type == "identifier":
        binding = file.binding(obj)
        if binding is None or binding.is_parameter:
            return None
        literal = unparen(binding.value_at(obj.start_byte))
    if literal is not None and literal.type == "call_expression" and binding is not None:
        made = inference.called_function(literal)  # `ckey := Wrap(key)`
        if made is None or not made.go_pointer_field or _assigned_go_pointer(inference, binding):
            return None
        return f"{made.go_pointer_field} (in {made.name})"
    if literal is None or literal.type != "composite_literal":
        return None
    if underlying(inference.type_of(literal), inference.lookup).kind not in (
        Kind.STRUCT,
        Kind.NAME,
    ):
        return None  # a slice or array literal: its elements are GO102's other question
    found = _go_pointer_field(inference, literal.child_by_field_name("body"))
    if found is None or (binding is not None and _assigned_go_pointer(inference, binding)):
        return None
    return found


def may_be_struct(results: tuple[TypeExpr | None, ...]) -> bool:
    """Whether a function's first result may be a struct value by its written type: a
    named type other than a builtin one (`Val`, `C.MDB_val`), or a struct literal."""
    first = results[0] if results else None
    if first is None:
        return False
    return first.kind == Kind.STRUCT or (
        first.kind == Kind.NAME and first.name not in BUILTIN_TYPES
    )


def returned_go_pointer_field(inference: Inference, function: Node) -> str:
    """The element of a struct literal a function returns first that is a Go pointer on
    some `return` (`return Val(C.MDB_val{mv_data: unsafe.Pointer(&p[0])})`: "field
    mv_data"); "" when none is."""
    file = inference.file
    body = function.child_by_field_name("body")
    if body is None:
        return ""
    for statement in descendants_of_type(body, "return_statement", prune=FUNCTION_TYPES):
        values = statement.named_children[0] if statement.named_children else None
        first = values.named_children[0] if values is not None and values.named_children else None
        literal = file.strip_conversions(first) if first is not None else None
        if literal is not None and literal.type == "composite_literal":
            found = _go_pointer_field(inference, literal.child_by_field_name("body"))
            if found is not None:
                return found
    return ""


def _go_pointer_field(inference: Inference, body: Node | None) -> str | None:
    """The first element of a struct literal's body (`{mv_data: unsafe.Pointer(&k[0])}`)
    that is a Go pointer, as "field mv_data" or "element 2"."""
    for position, element in enumerate(body.named_children if body is not None else ()):
        value = element.named_children[-1] if element.type == "keyed_element" else element
        if value.type == "literal_element":
            value = value.named_children[0] if value.named_children else value
        if inference.memory(value) is Memory.GO:
            key = element.named_children[0] if element.type == "keyed_element" else None
            return f"field {text(key)}" if key is not None else f"element {position + 1}"
    return None


def _assigned_go_pointer(inference: Inference, binding: Binding) -> bool:
    """Whether a field of the local struct `binding` is assigned a Go pointer
    (`req.data = unsafe.Pointer(&b[0])`): a store GO107 reports."""
    return _go_pointer_assignment(inference, binding, None) is not None


def _go_pointer_assignment(
    inference: Inference, binding: Binding, before: int | None
) -> Node | None:
    """The first field of the local struct `binding` assigned a Go pointer (before byte
    `before`, when given)."""
    for read in binding.reads:
        if before is not None and read.start_byte >= before:
            break
        place = outer_paren(read).parent
        while place is not None and place.type == "selector_expression":
            value = assigned_value(place)
            if value is not None and inference.memory(value) is Memory.GO:
                return place.child_by_field_name("field")
            place = place.parent
    return None


def _go_struct_field_assigned(
    inference: Inference, obj: Node, declared: TypeExpr | None
) -> str | None:
    """For a local of a Go struct type, the field assigned a Go pointer before `obj`
    reads it (`var c desc; c.buf = unsafe.Pointer(&b[0]); C.take(unsafe.Pointer(&c))`).
    A C struct's field so assigned is GO107's store."""
    if obj.type != "identifier" or is_c_type(declared):
        return None
    if underlying(declared, inference.lookup).kind != Kind.STRUCT:
        return None
    binding = inference.file.binding(obj)
    if binding is None or binding.is_parameter:
        return None
    field = _go_pointer_assignment(inference, binding, obj.start_byte)
    return text(field) if field is not None else None


def _elements_with_pointers(inference: Inference, container: Node | None) -> str | None:
    t = inference.type_of(container)
    element = element_type(t, inference.lookup)
    if contains_go_pointers(element, inference.lookup):
        return describe(slice_of(element)) if is_slice(t, inference.lookup) else describe(t)
    if inference.element_memory(container) is Memory.GO:
        return f"{describe(t)} whose elements are assigned Go pointers"
    field = _struct_elements_with_go_pointer(inference, container, element)
    if field is not None:
        return f"{describe(t)} whose elements are literals with a Go pointer in {field}"
    return None


def _struct_elements_with_go_pointer(
    inference: Inference, container: Node | None, element: object
) -> str | None:
    """For a local slice or array of structs (`[]C.struct_iovec`) one of whose elements
    is a literal with a Go pointer in a field (`iovs = append(iovs,
    C.struct_iovec{iov_base: unsafe.Pointer(&b[0])})`, `{{data: p}}` in its
    initializer, `xs[i] = C.T{...}`), that field."""
    if underlying(element, inference.lookup).kind not in (Kind.STRUCT, Kind.NAME):  # type: ignore[arg-type]
        return None
    binding = inference.file.binding(unparen(container)) if container is not None else None
    if binding is None or binding.is_parameter:
        return None
    for value in inference.element_stores(binding):
        body = value if value.type == "literal_value" else None
        if value.type == "composite_literal":
            body = value.child_by_field_name("body")
        found = _go_pointer_field(inference, body)
        if found is not None:
            return found
    return None


def pins_memory(file: GoFile, node: Node, argument: Node | None = None) -> bool:
    """Whether the function of `node` pins with a `runtime.Pinner` (`.Pin(x)`) what
    may be the inner pointers of `argument`: anything but the passed value itself
    (`p.Pin(d)` then `C.run(unsafe.Pointer(d))` leaves `d.buf` unpinned). Pinning
    `tmp` pins what `tmp` points to, so it does pin the inner pointer of `&tmp`
    (turbojpeg's `C.compress(&tmp, ..)` after `p.Pin(tmp)`)."""
    pinned = _pinned_values(file, node)
    if argument is None:
        return next(pinned, None) is not None
    passed, depth = _pinned_value(file, argument)
    return any(value != passed or through < depth for value, through in pinned)


def pins_value(file: GoFile, node: Node, value: Node) -> bool:
    """Whether the function of `node` pins the object `value` points to
    (`pinner.Pin(&b[0])`, then `iovs[i].iov_base = unsafe.Pointer(&b[0])`): "a pointer
    to a pinned object can be directly stored in C memory" (runtime.Pinner)."""
    wanted = _pinned_value(file, value)
    return any(pinned == wanted for pinned in _pinned_values(file, node))


def _pinned_values(file: GoFile, node: Node) -> Iterator[tuple[str, int]]:
    """What each `x.Pin(v)` of the function of `node` pins, as `_pinned_value` reads v."""
    scope = file.scope(node)
    if scope is None:
        return
    for call in file.syntax.calls_named("Pin", within=scope.function):
        pinned = arguments(call)
        if file.syntax.spelled_callee(call).endswith(".Pin") and len(pinned) == 1:
            yield _pinned_value(file, pinned[0])


def _pinned_value(file: GoFile, expression: Node) -> tuple[str, int]:
    """The value a pointer expression points to, as written, and how many `&` it
    takes the address through: `d` of `d` and `unsafe.Pointer(d)` is `("d", 0)`,
    of `&d` `("d", 1)`."""
    current = unparen(file.strip_conversions(expression))
    depth = 0
    while current is not None and current.type == "unary_expression" and operator(current) == "&":
        current = unparen(current.child_by_field_name("operand"))
        depth += 1
    return (normal(current) if current is not None else ""), depth


# -- GO107 ---------------------------------------------------------------------------------
