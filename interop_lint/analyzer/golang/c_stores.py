"""Go pointers stored into C memory (GO107), and C structs filled for one call.

`stored_go_pointers` finds `target = value` where the target is a field,
element or pointee of C memory or of a value of C type and the value (or an
element of the struct literal it is) is a Go pointer. A local C struct only
passed by value to C calls is a copy for the call (`by_value_argument_of`),
which `filled_argument_call` also answers for GO104.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.flow import value_uses
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.pointers import pins_memory, pins_value
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import (
    is_address_of,
    is_deref,
    keyed_value,
    literal_carrier,
    literal_of,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.types import Kind, is_c_pointer_type, is_c_type, underlying
from interop_lint.analyzer.golang.uses import Use, UseKind, classify
from interop_lint.analyzer.parsing import text

_MAX_ALIAS_DEPTH = 16
_ASSIGNMENT = frozenset({"assignment_statement"})


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
    `runtime.Pinner`, is the documented way to pass pinned Go pointers: left out; so
    is a pointer to an object the function pins, which C memory may hold.
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
            if place is None:
                continue
            if inference.memory(value) is not Memory.GO:
                # `*req = C.struct_req{data: unsafe.Pointer(&buf[0])}` stores its fields.
                value = _go_pointer_in_literal(inference, bare)  # type: ignore[assignment]
                if value is None:
                    continue
            if _copied_struct(inference, place, returned=True) and not _kept_for_callbacks(target):
                # filling a copy for one call (GO102's and GO104's ground), or for the
                # caller: mautrix/signal's `BytesToBuffer` returns the struct by value.
                continue
            if pins_memory(file, statement) and inference.object_memory(place) is Memory.GO:
                continue
            if pins_value(file, statement, value):
                continue  # a pinned object's pointer may be stored in C memory
            yield statement, target, value
            break


def callback_literal_pointers(inference: Inference) -> Iterator[tuple[Node, Node, Node]]:
    """(element, key, value) for each Go pointer put by a literal in a field that C hands
    back to callbacks (`_kept_for_callbacks`) of a C struct passed by value to C:
    `C.register_cb(C.cb_info{userdata1: unsafe.Pointer(&h)})`, or the literal kept in
    a local only so passed (webgpu.h's callback infos, which the library keeps)."""
    file = inference.file
    for keyed in file.syntax.parents(":", frozenset({"keyed_element"})):
        value = keyed_value(keyed)
        key_element = keyed.named_children[0]
        if value is None or not _CALLBACK_FIELD.fullmatch(text(key_element)):
            continue
        found = literal_of(value)
        if found is None or inference.memory(value) is not Memory.GO:
            continue
        literal = found[0]
        if not is_c_type(inference.type_of(literal)) or not _passed_by_value(inference, literal):
            continue
        if not pins_value(file, keyed, value):
            yield keyed, key_element, value


def _passed_by_value(inference: Inference, literal: Node) -> bool:
    """A C struct literal given to a C call as an argument, or kept in a local that is
    only ever so given."""
    file = inference.file
    carrier = literal_carrier(literal)
    if carrier != literal:
        return False  # `&C.T{..}`: GO102's ground
    use = classify(file, outer_paren(literal))
    if isinstance(use, Use) and use.kind == UseKind.ARGUMENT and use.call is not None:
        return file.c_function(use.call) is not None
    holder = outer_paren(literal).parent
    declared = holder.parent if holder is not None and holder.type == "expression_list" else None
    if declared is None or declared.type not in ("short_var_declaration", "var_spec"):
        return False
    names = declared.child_by_field_name("left") or declared.child_by_field_name("name")
    name = names.named_children[0] if names is not None and names.named_child_count else names
    if name is None or name.type != "identifier":
        return False
    return by_value_argument_of(inference, name) is not None


def _go_pointer_in_literal(inference: Inference, literal: Node) -> Node | None:
    """The first element of a composite literal (nested ones included: `{{p, n}}`)
    that is a Go pointer: `unsafe.Pointer(&buf[0])` of `C.struct_req{data: ..}`."""
    if literal.type != "composite_literal":
        return None
    pending = [literal.child_by_field_name("body")]
    while pending:
        body = pending.pop()
        for element in body.named_children if body is not None else ():
            if element.type == "keyed_element":
                element = element.child_by_field_name("value") or element
            value = element.named_children[0] if element.named_child_count else None
            if value is None or value.type == "nil":
                continue
            if value.type == "literal_value":
                pending.append(value)
            elif value.type == "composite_literal":
                pending.append(value.child_by_field_name("body"))
            elif inference.memory(value) is Memory.GO:
                return value
    return None


# Fields whose pointer C hands back to callbacks later (`cbs.userData = p` in a
# callbacks struct registered by value, webgpu.h's `info.userdata1`): kept, even
# when the struct is a copy.
_CALLBACK_FIELD = re.compile(
    r"(?i)(?:user|cb|callback|client)_?(?:data|ptr|arg|ctx|context|param)\d?|userp|opaque|cookie"
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
    copied = _copied_struct(inference, place, returned=False)
    return copied if isinstance(copied, Node) else None


def _copied_struct(inference: Inference, place: Node, *, returned: bool) -> Node | bool | None:
    """`by_value_argument_of`'s call; with `returned`, a struct that is also (or only)
    returned by value counts, and True stands for one that is never passed."""
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
    made = unparen(binding.value) if binding.value is not None else None
    if returned and made is not None and made.type != "composite_literal":
        returned = False  # `rv := C.BIO_new(..)` may be a pointer to C memory (`C.?`)
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
        if returned and isinstance(use, Use) and use.kind == UseKind.RETURNED:
            continue
        if not isinstance(use, Use) or use.kind != UseKind.ARGUMENT or use.call is None:
            return None
        if file.c_function(use.call) is None:
            return None
        call = call or use.call
    return call or returned


def filled_argument_call(inference: Inference, pointer: Node) -> str | None:
    """The C function a pointer reaches through a field of a local C struct passed to it
    by value (`alias.data = (*C.char)(unsafe.Pointer(&b[0])); C.f(alias)`), or through
    a struct literal that is passed to it, or whose address is
    (`ckey := &C.MDB_val{mv_data: unsafe.Pointer(&key[0])}; C.mdb_get(txn, dbi, ckey,
    ..)`), nested literals followed."""
    file = inference.file
    flow = value_uses(file, pointer)
    for _ in range(_MAX_ALIAS_DEPTH):
        for use in flow.of_kind(UseKind.FIELD, UseKind.ELEMENT):
            place = c_memory_place(inference, use.target) if use.target is not None else None
            call = by_value_argument_of(inference, place) if place is not None else None
            call = call or _struct_passed_by_address(inference, use.target)
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
        for alias in flow.aliases:  # `args := C.struct_args{..}; C.decode(&args)`
            call = _address_passed_to_c(inference, alias)
            if call is not None:
                return file.c_function(call)
    return None


def _struct_passed_by_address(inference: Inference, target: Node | None) -> Node | None:
    """The C call given the address of the local C struct a field (or a field's element)
    `target` is of: lazif's `args.data = (*C.uchar)(&data[0]); C.lazifDecode(&args)`."""
    root = unparen(target)
    while root is not None and root.type in ("selector_expression", "index_expression"):
        root = unparen(root.child_by_field_name("operand"))
    binding = (
        inference.file.binding(root) if root is not None and root.type == "identifier" else None
    )
    if binding is None or binding.is_parameter or binding.kind not in ("short", "var"):
        return None
    return _address_passed_to_c(inference, binding)


def _address_passed_to_c(inference: Inference, binding: Binding) -> Node | None:
    """The first C call given `&v` of a local C struct `v`."""
    file = inference.file
    t = underlying(inference.binding_type(binding), inference.lookup)
    if not is_c_type(t) or is_c_pointer_type(t) or t.kind == Kind.POINTER:
        return None
    for read in binding.reads:
        address = outer_paren(read).parent
        if not is_address_of(address):
            continue
        use = classify(file, outer_paren(address))  # type: ignore[arg-type]
        passed = isinstance(use, Use) and use.kind == UseKind.ARGUMENT and use.call is not None
        if passed and file.c_function(use.call) is not None:  # type: ignore[union-attr, arg-type]
            return use.call  # type: ignore[union-attr]
    return None
