"""Go pointers at the C boundary: what a C call receives, and what C memory holds.

The questions of GO102 (does the Go memory an argument points to hold Go
pointers?) and GO107 (is a Go pointer stored into C memory?), answered with
`Inference`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.flow import value_uses
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import (
    arguments,
    assigned_value,
    is_address_of,
    is_deref,
    literal_carrier,
    literal_of,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.types import (
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
from interop_lint.analyzer.golang.uses import Use, UseKind, classify
from interop_lint.analyzer.parsing import text

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
    if contains_go_pointers(t, inference.lookup):
        return describe(t)
    if is_array(t, inference.lookup) and inference.element_memory(obj) is Memory.GO:
        return f"{describe(t)} whose elements are assigned Go pointers"
    field = _initialized_with_go_pointer(inference, obj)
    if field is not None:
        return f"{describe(t)} whose {field} is initialized with a Go pointer"
    if obj.type == "identifier" and _holds_go_pointer(inference, obj, t):
        return f"{describe(t)} made from a Go pointer"
    return None


def _holds_go_pointer(inference: Inference, variable: Node, declared: TypeExpr | None) -> bool:
    """A local of C pointer type (or `unsafe.Pointer`) that holds a Go pointer where it
    is read: iconv-go's `in := (*C.char)(unsafe.Pointer(&input[0]))` before
    `C.iconv(cd, &in, ..)`. Its address is a Go pointer to a Go pointer. Only a
    pointer shown to be Go's counts: the address of a variable, or of an element of
    a Go-typed slice (`[]C.T` is often a view of C memory) or array."""
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
    return is_slice(held, inference.lookup) and element is not None and not is_c_type(element)


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
    for read in binding.reads:
        place = outer_paren(read).parent
        while place is not None and place.type == "selector_expression":
            value = assigned_value(place)
            if value is not None and inference.memory(value) is Memory.GO:
                return True
            place = place.parent
    return False


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


def pins_memory(file: GoFile, node: Node) -> bool:
    """Whether the function of `node` pins with a `runtime.Pinner` (`.Pin(x)`)."""
    scope = file.scope(node)
    if scope is None:
        return False
    for call in file.syntax.calls_named("Pin", within=scope.function):
        if file.syntax.spelled_callee(call).endswith(".Pin") and len(arguments(call)) == 1:
            return True
    return False


# -- GO107 ---------------------------------------------------------------------------------


def c_memory_place(inference: Inference, target: Node) -> Node | None:
    """For an assignment target that is a field, element or pointee of a value of C
    type or in C memory (`cs.name`, `arr[i]` of a C array view, `*pp`), that value."""
    node = unparen(target)
    for _ in range(_MAX_ALIAS_DEPTH):
        if node is None:
            return None
        if node.type == "selector_expression" or node.type == "index_expression":
            base = node.child_by_field_name("operand")
        elif is_deref(node):
            base = node.child_by_field_name("operand")
            if _is_c_valued(inference, base, pointer=True):
                return base
            return None
        else:
            return None
        if _is_c_valued(inference, base, pointer=False):
            return base
        node = unparen(base)
    return None


def _is_c_valued(inference: Inference, base: Node | None, *, pointer: bool) -> bool:
    base = unparen(base)
    if base is None:
        return False
    if base.type == "identifier" and text(base) == "C" and inference.file.binding(base) is None:
        return False  # `C.x` is a name of the C package, not a field
    t = inference.type_of(base)
    u = underlying(t, inference.lookup)
    if is_c_type(t) or is_c_pointer_type(u) or is_c_type(u):
        return True
    if u.kind in (Kind.POINTER, Kind.SLICE) or pointer:
        return inference.memory(base) is Memory.C
    return False


def stored_go_pointers(inference: Inference) -> Iterator[tuple[Node, Node, Node]]:
    """(assignment, target, value) for each `target = value` that stores a Go pointer
    (not a `cgo.Handle`, which is an integer) into C memory or a value of C type.

    A C-typed value that lives in Go memory, in a function that pins with a
    `runtime.Pinner`, is the documented way to pass pinned Go pointers: left out.
    """
    file = inference.file
    for statement in file.syntax.parents("=", _ASSIGNMENT):
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
        if left is None or right is None or left.named_child_count != right.named_child_count:
            continue
        for target, value in zip(left.named_children, right.named_children, strict=True):
            bare = unparen(value)
            if bare is None or bare.type == "nil":
                continue
            place = c_memory_place(inference, target)
            if place is None or inference.memory(value) is not Memory.GO:
                continue
            if by_value_argument_of(inference, place) is not None and not _kept_for_callbacks(
                target
            ):
                continue  # filling a copy for one call: GO102's and GO104's ground
            if pins_memory(file, statement) and inference.object_memory(place) is Memory.GO:
                continue
            yield statement, target, value
            break


# Fields whose pointer C hands back to callbacks later (`cbs.userData = p` in a
# callbacks struct registered by value): kept, even when the struct is a copy.
_CALLBACK_FIELD = re.compile(
    r"(?i)(?:user|cb|callback|client)_?(?:data|ptr|arg|ctx|context|param)|userp|opaque|cookie"
)


def _kept_for_callbacks(target: Node) -> bool:
    """Whether an assignment's target is a field C passes back to callbacks."""
    field = target.child_by_field_name("field") if target.type == "selector_expression" else None
    return field is not None and _CALLBACK_FIELD.fullmatch(text(field)) is not None


def by_value_argument_of(inference: Inference, place: Node) -> Node | None:
    """The C call that gets a local C struct by value, when that is all its function
    does with it: `s := C.struct_x{}` (or `var s C.struct_x`), its fields assigned and
    read, and `C.f(s)`; never `&s`, `&s.f`, assigned, returned, stored or used in a
    closure. The struct is then the argument of that call (its first, if several), and
    a Go pointer stored in one of its fields is passed to it, not kept in C memory."""
    file = inference.file
    root = unparen(place)
    while root is not None and root.type == "selector_expression":
        root = unparen(root.child_by_field_name("operand"))
    binding = file.binding(root) if root is not None and root.type == "identifier" else None
    if binding is None or binding.is_parameter or binding.kind not in ("short", "var"):
        return None
    t = underlying(inference.binding_type(binding), inference.lookup)
    scope = file.scope(binding.ident)
    if not is_c_type(t) or is_c_pointer_type(t) or t.kind == Kind.POINTER or scope is None:
        return None
    if binding.writes:
        return None
    call = None
    for read in binding.reads:
        if scope.closures_around(read):
            return None
        carrier = outer_paren(read)
        parent = carrier.parent
        if parent is not None and parent.type == "selector_expression":
            if not is_address_of(outer_paren(parent).parent):
                continue  # a field read or written
            return None
        use = classify(file, carrier)
        if not isinstance(use, Use) or use.kind != UseKind.ARGUMENT or use.call is None:
            return None
        if file.c_function(use.call) is None:
            return None
        call = call or use.call
    return call


def filled_argument_call(inference: Inference, pointer: Node) -> str | None:
    """The C function a pointer reaches through a field of a local C struct passed to it
    by value (`alias.data = (*C.char)(unsafe.Pointer(&b[0])); C.f(alias)`), or through
    a struct literal that is passed to it, or whose address is
    (`ckey := &C.MDB_val{mv_data: unsafe.Pointer(&key[0])}; C.mdb_get(txn, dbi, ckey,
    ..)`), nested literals followed."""
    file = inference.file
    flow = value_uses(file, pointer)
    for _ in range(_MAX_ALIAS_DEPTH):
        for use in flow.of_kind(UseKind.FIELD):
            place = c_memory_place(inference, use.target) if use.target is not None else None
            call = by_value_argument_of(inference, place) if place is not None else None
            if call is not None:
                return file.c_function(call)
        literal = next(
            (found for u in flow.of_kind(UseKind.COMPOSITE) if (found := literal_of(u.node))),
            None,
        )
        if literal is None:
            return None
        flow = value_uses(file, literal_carrier(literal[0]))
        for use in flow.of_kind(UseKind.ARGUMENT):
            name = file.c_function(use.call) if use.call is not None else None
            if name is not None:
                return name
    return None
