"""A value kept in a field of a local struct variable, and the reads of that field.

XL106 asks it of a result that leaves its function only by being stored in a struct
(`line := titled{title: C.doc_title(d.ptr)}`, `r.ptr = v`): when the struct itself
never leaves (only its fields are read: it is not passed, returned, stored, captured,
its address taken or a method called on it), the result is kept only if one of the
reads of that field lets it go. The question is one about a local variable's uses
(`selector`s over its reads, the literal a value is an element of), not about C
memory, so it lives here rather than in ownership.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from tree_sitter import Node

from interop_lint.analyzer.golang.flow import ValueFlow, is_freed, value_uses
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import (
    assignment_to,
    is_address_of,
    is_deref,
    literal_carrier,
    literal_of,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.uses import ESCAPING, Assigned, Use, UseKind, carrier, classify
from interop_lint.analyzer.parsing import text


def held_in_local_struct(
    file: GoFile, flow: ValueFlow, frees: Callable[[str], bool] | None = None
) -> tuple[str, list[ValueFlow]] | None:
    """When every use through which a value leaves is a store into one field of one local
    struct variable (`r.ptr = v`, `r := result{ptr: v}`, `r := &result{ptr: v}`), and
    that variable is only ever read for its fields (not passed, returned, stored,
    captured, its address taken or a method called on it): the field as written
    (`r.ptr`) and the flows of the reads of that field. The value then leaves the
    function only if one of those reads lets it. None otherwise. With `frees`, the
    struct's address may also be handed to a C call that `frees` does not accept (an
    argument struct filled for one call: `C.encode(name, unsafe.Pointer(&arg))`)."""
    holder: tuple[Binding, str] | None = None
    for use in flow.uses:
        if use.kind not in ESCAPING:
            continue
        found = _local_holder(file, use)
        if found is None or (holder is not None and found != holder):
            return None
        holder = found
    if holder is None:
        return None
    binding, name = holder
    if frees is not None and (binding.writes or not _fresh(file, binding.value)):
        return None  # `p := &shared` or a later `arg = other`: C memory may outlive it
    reads = _field_reads(file, binding, name, frees)
    if reads is None:
        return None
    return f"{binding.name}.{name}", [value_uses(file, read) for read in reads]


def _local_holder(file: GoFile, use: Use) -> tuple[Binding, str] | None:
    """(local struct variable, field) a FIELD or COMPOSITE use stores the value in."""
    if use.kind == UseKind.FIELD:
        target = unparen(use.target)
        if is_deref(target):  # `*(**C.char)(unsafe.Pointer(&obj.value[0])) = v`
            target = _written_field(file, target.child_by_field_name("operand"))  # type: ignore[union-attr]
        if target is None or target.type != "selector_expression":
            return None
        return _local_variable(file, target.child_by_field_name("operand"), target)
    found = literal_of(use.node) if use.kind == UseKind.COMPOSITE else None
    if found is None or not found[1]:
        return None  # not a literal's keyed field
    assigned = classify(file, carrier(file, literal_carrier(found[0])))
    if not isinstance(assigned, Assigned):
        return None
    return _local_variable(file, assigned.target, None, found[1])


def _local_variable(
    file: GoFile, operand: Node | None, selector: Node | None, field: str = ""
) -> tuple[Binding, str] | None:
    operand = unparen(operand)
    if operand is None or operand.type != "identifier":
        return None
    scope = file.scope(operand)
    binding = scope.binding_of(operand) if scope is not None else None
    if binding is None or binding.kind not in ("short", "var"):
        return None
    if selector is not None:
        field = text(selector.child_by_field_name("field"))
    return binding, field


def _field_reads(
    file: GoFile, binding: Binding, field: str, frees: Callable[[str], bool] | None = None
) -> list[Node] | None:
    """The reads `v.field` of a local struct variable, when it is read for nothing but
    its fields (or, with `frees`, its address handed to C and its size); None when it
    is used any other way."""
    reads = _reads_in_function(file, binding)
    if reads is None:
        return None
    found = []
    for read in reads:
        selected = _selected_field(read)
        if selected is None and frees is not None and _whole_for_c(file, read, frees):
            continue
        if selected is None and _written_through(file, read):
            continue  # `&obj.value[0]` only written through: the store itself
        if selected is None:
            return None  # not a field, a method call (it may release the field) or `&v.f`
        if assignment_to(selected[0]) is not None:
            continue  # `v.f = ..`: a store, not a read
        if selected[1] == field:
            found.append(selected[0])
    return found


def _reads_in_function(file: GoFile, binding: Binding) -> list[Node] | None:
    """A local variable's reads, or None when a closure other than the one that declares
    it reads it (it may run later: gohttplib's handler closure declares its own)."""
    scope = file.scope(binding.ident)
    if scope is None:
        return None
    declared_in = scope.closures_around(binding.ident)
    if any(scope.closures_around(read) != declared_in for read in binding.reads):
        return None
    return binding.reads


def _selected_field(read: Node) -> tuple[Node, str] | None:
    """(`v.f`, `f`) when a read of `v` selects a field of it that is not called as a
    method nor has its address taken (`&v.f` may be written through)."""
    read = outer_paren(read)
    selector = read.parent
    if selector is None or selector.type != "selector_expression":
        return None
    if selector.child_by_field_name("operand") != read:
        return None
    outer = outer_paren(selector)
    parent = outer.parent
    if parent is not None and parent.child_by_field_name("function") == outer:
        return None
    if is_address_of(parent):
        return None
    return outer, text(selector.child_by_field_name("field"))


def _read_of_field(use: Use) -> tuple[Node, str] | None:
    """(`v.f`, `f`) when a use reads a field of the value (not a method call, not its
    address taken, not a store to it)."""
    if use.kind != UseKind.OTHER:
        return None
    selected = _selected_field(use.node)
    if selected is None or assignment_to(selected[0]) is not None:
        return None
    return selected


def split_field_reads(
    file: GoFile, flow: ValueFlow, fields: tuple[str, ...] | None
) -> tuple[ValueFlow, list[ValueFlow]]:
    """A struct value's flow (a C struct a Rust export returns by value) taken apart at
    its field reads: the flow without them, and the flows of the reads of `fields` (the
    fields that hold the memory; None for every field). A read of another field
    (`r.status`) copies a scalar and is no use of the memory. cgo spells a field named
    for a Go keyword with `_`."""
    wanted = None if fields is None else set(go_field_names(fields))
    rest = ValueFlow(flow.origin, aliases=flow.aliases, early_reads=flow.early_reads)
    reads = []
    for use in flow.uses:
        found = _read_of_field(use)
        if found is None:
            rest.uses.append(use)
        elif wanted is None or found[1] in wanted:
            reads.append(value_uses(file, found[0]))
    return rest, reads


def freed_fields(file: GoFile, flow: ValueFlow) -> tuple[str, ...]:
    """The fields of a struct value whose reads are freed (`C.free(unsafe.Pointer(b.data))`),
    as the flow of the value spells them."""
    found: list[str] = []
    for use in flow.uses:
        read = _read_of_field(use)
        if read is None or read[1] in found:
            continue
        if is_freed(file, value_uses(file, read[0])) is not None:
            found.append(read[1])
    return tuple(found)


def go_field_names(fields: Iterable[str]) -> tuple[str, ...]:
    """C struct fields as Go spells them: cgo renames one named for a Go keyword `_f`."""
    return tuple(f"_{f}" if f in _GO_KEYWORDS else f for f in fields)


# Go's keywords: cgo renames a C field so named with a leading `_`.
_GO_KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if "  # noqa: SIM905
    "import interface map package range return select struct switch type var".split()
)


def held_in_local_array(
    file: GoFile, flow: ValueFlow, frees: Callable[[str], bool]
) -> tuple[str, list[ValueFlow]] | None:
    """When every use through which a value leaves is a store into an element of one
    local array or slice (`args[0] = unsafe.Pointer(C.CString(s))`, or a field of one:
    `leaves[i].name = cs`, sonic-mgmt-common) that is only written,
    read by element (`args[1]`), measured (`len(args)`) or handed to a C call by its
    first element's address (`&args[0]`, to one that `frees` does not accept): the array as
    written and the flows of its element reads. The value then leaves only if one of
    those lets it. None otherwise (a range over it, a closure, a Go callee: not followed)."""
    holder: Binding | None = None
    for use in flow.uses:
        if use.kind not in ESCAPING:
            continue
        target = unparen(use.target) if use.kind in (UseKind.ELEMENT, UseKind.FIELD) else None
        if (
            target is not None
            and use.kind == UseKind.FIELD
            and target.type == "selector_expression"
        ):
            target = unparen(target.child_by_field_name("operand"))  # `arr[i].name = v`
        if target is not None and target.type == "identifier":  # `args = append(args, v)`
            grown = _self_append(file, use.call, target)
            found = _local_variable(file, target, None) if grown else None
        elif target is None or target.type != "index_expression":
            return None  # another escape
        else:
            found = _local_variable(file, target.child_by_field_name("operand"), None)
        if found is None or (holder is not None and found[0] is not holder):
            return None
        holder = found[0]
    if holder is None or not _fresh(file, holder.value):
        return None
    if not all(_self_append(file, unparen(value), holder.ident) for _, value in holder.writes):
        return None  # a later `args = other` may alias another array
    reads = _element_reads(file, holder, frees)
    return None if reads is None else (holder.name, [value_uses(file, r) for r in reads])


def _self_append(file: GoFile, call: Node | None, slice_: Node) -> bool:
    """`args = append(args, v)`: the call's value goes back into the slice it grows."""
    if call is None or not file.builtin_call(call, "append"):
        return False
    given = file.syntax.arguments(call)
    grown = text(slice_)
    return bool(given) and text(unparen(given[0])) == grown and _sole_assignment(call, grown)


def _sole_assignment(value: Node, name: str) -> bool:
    """Whether `value` is all an assignment to `name` alone stores (`name = value`)."""
    values = outer_paren(value).parent
    statement = values.parent if values is not None else None
    left = statement.child_by_field_name("left") if statement is not None else None
    return (
        statement is not None
        and statement.type == "assignment_statement"
        and statement.child_by_field_name("right") == values
        and values.named_child_count == 1  # type: ignore[union-attr]
        and left is not None
        and [text(n) for n in left.named_children] == [name]
    )


def _fresh(file: GoFile, value: Node | None) -> bool:
    """A start that aliases nothing: none (`var a [2]T`), `make(..)`, `T{..}` or `&T{..}`."""
    value = unparen(value)
    if value is not None and is_address_of(value):
        value = unparen(value.child_by_field_name("operand"))
    if value is None or value.type == "composite_literal":
        return True
    return value.type == "call_expression" and file.builtin_call(value, "make")


def _element_reads(
    file: GoFile, binding: Binding, frees: Callable[[str], bool]
) -> list[Node] | None:
    reads = _reads_in_function(file, binding)
    if reads is None:
        return None
    found = []
    for read in reads:
        outer = outer_paren(read)
        parent = outer.parent
        call = parent.parent if parent is not None and parent.type == "argument_list" else None
        if call is not None and file.builtin_call(call, _MEASURING):
            continue  # `len(a)`
        if _self_append(file, call, binding.ident) and file.syntax.arguments(call)[0] == outer:
            continue  # `a = append(a, ..)`: it grows, and stays where it was
        if _sole_assignment(read, "_"):
            continue  # `_ = a`
        if parent is None or parent.type != "index_expression":
            return None
        if parent.child_by_field_name("operand") != outer:
            return None
        element = outer_paren(parent)
        if assignment_to(element) is not None:
            continue  # `a[i] = ..`: a store
        selector = element.parent
        if selector is not None and selector.type == "selector_expression":
            element = outer_paren(selector)  # `a[i].name`: what the field holds goes on
            if assignment_to(element) is not None:
                continue  # `a[i].name = ..`: a store
        if is_address_of(element.parent):
            if not _handed_to_c(file, element.parent, frees):  # type: ignore[arg-type]
                return None  # a Go function, or a C one that may free the elements
            continue
        found.append(element)
    return found


def _handed_to_c(file: GoFile, address: Node, frees: Callable[[str], bool]) -> bool:
    """Whether an address (`&a[0]`, `&v`) is an argument of a C call that does not free."""
    use = classify(file, carrier(file, address))
    if not isinstance(use, Use) or use.kind != UseKind.ARGUMENT:
        return False
    return use.callee.startswith("C.") and not frees(use.callee)


def _whole_for_c(file: GoFile, read: Node, frees: Callable[[str], bool]) -> bool:
    """`&v` or `v` (a C struct passed by value: C gets a copy of its pointers for the
    call) handed to a C call that does not free, or `unsafe.Sizeof(v)`."""
    outer = outer_paren(read)
    parent = outer.parent
    if is_address_of(parent):
        return _handed_to_c(file, parent, frees)  # type: ignore[arg-type]
    call = parent.parent if parent is not None and parent.type == "argument_list" else None
    if call is not None and file.calls(call, "unsafe", "Sizeof"):
        return True
    return call is not None and _handed_to_c(file, outer, frees)


class CallLiteral(NamedTuple):
    """A field of a composite literal written in a C call's arguments."""

    field: str  # `name`
    literal_type: str  # `C.opts`
    callee: str  # `C.apply`


def held_in_call_literal(
    file: GoFile, flow: ValueFlow, frees: Callable[[str], bool]
) -> CallLiteral | None:
    """When every use through which a value leaves is one keyed field of one composite
    literal written as an argument of a C call that `frees` does not accept, or whose
    address is (`C.apply(&C.opts{name: C.CString(s)})`, `C.applyv(C.opts{..})`): the
    literal lives for the call only, so the value is passed to C and nothing else."""
    found: tuple[int, CallLiteral] | None = None
    for use in flow.uses:
        if use.kind not in ESCAPING:
            continue
        literal = literal_of(use.node) if use.kind == UseKind.COMPOSITE else None
        if literal is None or not literal[1]:
            return None
        argument = classify(file, carrier(file, literal_carrier(literal[0])))
        if not isinstance(argument, Use) or argument.kind != UseKind.ARGUMENT:
            return None
        if not argument.callee.startswith("C.") or frees(argument.callee):
            return None
        written = text(literal[0].child_by_field_name("type"))
        here = (literal[0].id, CallLiteral(literal[1], written, argument.callee))
        if found is not None and found != here:
            return None
        found = here
    return found[1] if found is not None else None


_MEASURING = frozenset({"len", "cap"})


def _written_field(file: GoFile, pointer: Node | None) -> Node | None:
    """`obj.value` of a pointer to it (or to its first byte), under conversions and
    through a local it was put in: cgo gives a C union a byte array, and Go writes a
    member through `*(**C.char)(unsafe.Pointer(&obj.value[0])) = s` (the Dart_CObject
    idiom)."""
    pointer = file.strip_conversions(pointer, pointers=True)
    if pointer is not None and pointer.type == "identifier":
        binding = file.binding(pointer)
        value = binding.value_at(pointer.start_byte) if binding is not None else None
        pointer = file.strip_conversions(value, pointers=True)
    if not is_address_of(pointer):
        return None
    place = unparen(pointer.child_by_field_name("operand"))  # type: ignore[union-attr]
    if place is not None and place.type == "index_expression":
        place = unparen(place.child_by_field_name("operand"))
    return place if place is not None and place.type == "selector_expression" else None


def _written_through(file: GoFile, read: Node) -> bool:
    """Whether a read of a local struct is the `&obj.value[0]` a store writes through
    (inline or by a local `ptr` every read of which is such a store)."""
    selector = outer_paren(read).parent
    address = selector.parent if selector is not None else None
    if address is not None and address.type == "index_expression":
        address = address.parent
    if not is_address_of(address):
        return False
    stores = [address]
    assigned = classify(file, carrier(file, address))  # type: ignore[arg-type]
    if isinstance(assigned, Assigned):
        binding = file.binding(assigned.target)
        if binding is None or binding.kind != "short" or not binding.reads:
            return False
        stores = binding.reads
    return all(_stored_through(file, place) for place in stores)


def _stored_through(file: GoFile, pointer: Node) -> bool:
    """`*(**C.char)(pointer) = v`: the pointer is only the target of a store."""
    outer = carrier(file, pointer)
    deref = outer_paren(outer).parent
    return is_deref(deref) and assignment_to(outer_paren(deref)) is not None  # type: ignore[arg-type]
