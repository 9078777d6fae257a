"""How the expression around a value consumes it: one step of a value's flow.

`carrier(file, node)` is the outermost expression that still carries the
value of `node` (the same memory): through parentheses, conversions
(`unsafe.Pointer(p)`, `(*C.char)(p)`, `C.uintptr_t(h)`), `unsafe.Slice`,
`unsafe.Add` and slicing. `classify(file, top)` says how that carrier's parent
consumes it: a `Use` (passed to a call, returned, stored in a field, an
element, a map key or a global, sent on a channel, put in a composite literal,
or discarded), or `Assigned` to a name, which `flow` follows as an alias.

`flow.value_uses` takes these steps across a whole function; GO101 and the Go
analyses (`pointers`, `unsafeconv`) also take single steps of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tree_sitter import Node

from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import misread_dereference, unparen
from interop_lint.analyzer.parsing import text

# `unsafe.X(p, ...)` whose result points to the memory `p` points to.
SAME_MEMORY_UNSAFE = frozenset({"Slice", "String", "Add", "SliceData", "StringData"})


class UseKind(StrEnum):
    ARGUMENT = "argument"  # passed to a call: callee, index
    RECEIVER = "receiver"  # `v.Method(...)`: callee is the method name
    RETURNED = "returned"  # returned, or assigned to a named result
    FIELD = "field"  # `x.f = v`, `*p = v`
    ELEMENT = "element"  # `x[i] = v`, `append(x, v)`
    GLOBAL = "global"  # assigned to a package-level variable
    COMPOSITE = "composite"  # an element of a composite literal `T{f: v}`
    SENT = "sent"  # `ch <- v`
    CAPTURED = "captured"  # used in a closure that is returned, stored or sent
    DISCARDED = "discarded"  # `_ = v`, or a call statement whose result is dropped
    OTHER = "other"  # read in an expression (comparison, arithmetic, field access)


# The uses through which a value outlives the function (rules.md: "escapes").
ESCAPING = frozenset(
    {
        UseKind.RETURNED,
        UseKind.FIELD,
        UseKind.ELEMENT,
        UseKind.GLOBAL,
        UseKind.COMPOSITE,
        UseKind.SENT,
        UseKind.CAPTURED,
    }
)


@dataclass(frozen=True, eq=False)
class Use:
    kind: UseKind
    node: Node  # the expression that carries the value, conversions included
    call: Node | None = None  # ARGUMENT, RECEIVER: the call expression
    callee: str = ""  # ARGUMENT: the callee as written (`C.free`); RECEIVER: the method
    index: int = -1  # ARGUMENT: the argument's position
    target: Node | None = None  # FIELD, ELEMENT, GLOBAL: the left-hand side


def carrier(file: GoFile, node: Node) -> Node:
    """The outermost expression that still carries `node`'s value (the same memory):
    through parentheses, conversions (`unsafe.Pointer(x)`, `(*C.char)(x)`,
    `C.uintptr_t(x)`), `unsafe.Slice(x, n)`/`unsafe.Add(x, n)`, and slicing `x[:n]`."""
    return carrier_and_parent(file, node)[0]


def carrier_and_parent(file: GoFile, node: Node) -> tuple[Node, Node | None]:
    """`carrier`, and its parent (each parent is looked up once: tree-sitter finds a
    node's parent walking down from the root)."""
    current, parent = _outside_parentheses(node)
    for _ in range(64):
        if parent is None:
            return current, None
        if (
            parent.type == "type_conversion_expression" and misread_dereference(parent) is None
        ) or (
            parent.type == "slice_expression" and parent.child_by_field_name("operand") == current
        ):
            current, parent = _outside_parentheses(parent)
            continue
        first = _first_element_address(parent, current)
        if first is not None:  # `&view[0]` is the pointer the slice `view` was made of
            current, parent = _outside_parentheses(first)
            continue
        call = parent.parent if parent.type == "argument_list" else None
        if call is None or not _carries(file, call, current):
            return current, parent
        current, parent = _outside_parentheses(call)
    return current, current.parent


def _first_element_address(index: Node, operand: Node) -> Node | None:
    """`&v[0]` when `index` is `v[0]` of `operand` `v` under a `&`."""
    if index.type != "index_expression" or index.child_by_field_name("operand") != operand:
        return None
    position = index.child_by_field_name("index")
    if position is None or position.type != "int_literal" or position.text != b"0":
        return None
    address = index.parent
    while address is not None and address.type == "parenthesized_expression":
        address = address.parent
    if address is None or address.type != "unary_expression" or address.children[0].type != "&":
        return None
    return address


def _outside_parentheses(node: Node) -> tuple[Node, Node | None]:
    """The outermost parentheses around `node` (itself without any), and their parent."""
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    return node, parent


def _carries(file: GoFile, call: Node, argument: Node) -> bool:
    converted = file.conversion(call)
    if converted is not None:
        return unparen(converted[1]) == unparen(argument)
    args = file.syntax.arguments(call)
    return bool(args) and args[0] == argument and file.calls(call, "unsafe", SAME_MEMORY_UNSAFE)


@dataclass(frozen=True, eq=False)
class Assigned:
    """A value assigned to a name (`x := v`, `x = v`, `var x = v`): a local alias or a
    package variable, whichever the name resolves to."""

    node: Node
    target: Node


def classify(file: GoFile, top: Node, parent: Node | None = None) -> Use | Assigned | None:
    """How the expression `top` (a value's carrier) is consumed by its parent (`parent`,
    when the caller knows it); None when it is not a read (the left side of an
    assignment, a literal's key)."""
    if parent is None:
        parent = top.parent
    if parent is None:
        return None
    kind = parent.type
    call = parent.parent if kind == "argument_list" else None
    if call is not None:
        args = file.syntax.arguments(call)
        index = args.index(top) if top in args else -1
        if file.builtin_call(call, "append") and index >= 1:
            return Use(UseKind.ELEMENT, top, call=call, target=args[0])
        return Use(
            UseKind.ARGUMENT, top, call=call, callee=file.syntax.spelled_callee(call), index=index
        )
    if kind == "expression_list":
        return _classify_list(file, top, parent)
    if kind == "var_spec":
        return _classify_spec(file, top, parent)
    if kind == "range_clause" and parent.child_by_field_name("right") == top:
        # `for _, x := range v`: x holds v's elements (a C pointer of a slice of them).
        left = parent.child_by_field_name("left")
        targets = left.named_children if left is not None else []
        return Assigned(top, targets[1]) if len(targets) > 1 else Use(UseKind.OTHER, top)
    if kind == "send_statement" and parent.child_by_field_name("value") == top:
        return Use(UseKind.SENT, top)
    if kind == "literal_element":
        keyed = parent.parent
        if (
            keyed is not None
            and keyed.type == "keyed_element"
            and keyed.named_children[0] == parent
        ):
            return None  # a key, not a stored value
        return Use(UseKind.COMPOSITE, top)
    if kind == "expression_statement":
        return Use(UseKind.DISCARDED, top)
    if kind == "selector_expression" and parent.child_by_field_name("operand") == top:
        call = parent.parent
        if call is not None and call.child_by_field_name("function") == parent:
            method = text(parent.child_by_field_name("field"))
            return Use(UseKind.RECEIVER, top, call=call, callee=method)
    if kind == "index_expression" and _is_stored_key(top, parent):
        return Use(UseKind.ELEMENT, top, target=parent)  # `m[v] = x`: kept as a map key
    return Use(UseKind.OTHER, top)


def _is_stored_key(top: Node, index: Node) -> bool:
    """`m[v] = x`: the index of an element that is assigned."""
    left = index.parent
    statement = left.parent if left is not None else None
    return (
        statement is not None
        and statement.type == "assignment_statement"
        and index.child_by_field_name("index") == top
        and statement.child_by_field_name("left") == left
    )


def _classify_list(file: GoFile, top: Node, values: Node) -> Use | Assigned | None:
    statement = values.parent
    if statement is None:
        return None
    if statement.type == "return_statement":
        return Use(UseKind.RETURNED, top)
    if statement.type == "var_spec":
        return _classify_spec(file, top, statement)
    if statement.type not in ("assignment_statement", "short_var_declaration"):
        return Use(UseKind.OTHER, top)
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    if left is None or right != values:
        return None  # on the left: written, not read
    target = unparen(_target_of(file, top, left.named_children, values.named_children))
    if target is None:
        return Use(UseKind.OTHER, top)
    if target.type == "identifier":
        if text(target) == "_":
            return Use(UseKind.DISCARDED, top)
        return Assigned(top, target)
    if target.type == "index_expression":
        return Use(UseKind.ELEMENT, top, target=target)
    return Use(UseKind.FIELD, top, target=target)  # `x.f = v`, `*p = v`


def _classify_spec(file: GoFile, top: Node, spec: Node) -> Use | Assigned | None:
    values = spec.child_by_field_name("value")
    names = spec.children_by_field_name("name")
    if values is None or (top.parent != values and top.parent != spec):
        return None
    target = _target_of(file, top, names, values.named_children)
    if target is None:
        return Use(UseKind.OTHER, top)
    if text(target) == "_":
        return Use(UseKind.DISCARDED, top)
    return Assigned(top, target)


def _target_of(file: GoFile, top: Node, targets: list[Node], sources: list[Node]) -> Node | None:
    """What `top`, one of the values on the right of an assignment, is assigned to:
    its counterpart, the first of two targets of a C call's two-value form
    (`mem, err := C.calloc(n, size)`: the result and errno), or the target of the C
    allocation a package function returns (`cs, err := serialize(v)`). None when not
    known."""
    if top not in sources:
        return None
    if len(targets) == len(sources):
        return targets[sources.index(top)]
    call = unparen(top)
    if len(sources) != 1 or call is None or call.type != "call_expression":
        return None
    if len(targets) == 2 and file.c_function(call) is not None:
        return targets[0]
    # `p, err := helper(x)` of a package function returning a C allocation at a position
    declared = file.package.functions.get(file.syntax.spelled_callee(call))
    allocated = declared.allocated_result if declared is not None else None
    if allocated is not None and len(targets) == len(declared.results):
        return targets[allocated[1]]
    return None
