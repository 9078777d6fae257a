"""The fixed-size array behind a pointer parameter, where it is indexed (RS101).

Keys, hashes and transaction ids cross as `*const [u8; 32]`. An index of
constants into the array behind it is checked at compile time, like one into
a local array: `(*key)[0]`, and `t[0]` where `t` is the reference the
pointer's `as_ref()` gives, bound by `Some(t)` in a `match` arm or an `if
let`, or as the parameter of a closure handed to a method of that `Option`
(`key.as_ref().map_or(false, |k| k[31] == 1)`). So is one into a `static` or
`const` array of the file (`GLOBAL_EXNDATA[0]` of `static mut GLOBAL_EXNDATA:
[u32; 2]`).
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import callee, strip

_AS_REFERENCE = frozenset({"as_ref", "as_mut"})


def array_behind(value: Located) -> Node | None:
    """The `[T; N]` type behind what is indexed, when it is a pointer parameter's
    pointee (`(*p)`, or a reference taken from `p.as_ref()`); None otherwise."""
    current = strip(value)
    if current.type == "unary_expression" and current.node.children[0].type == "*":
        operand = current.named_children()[0] if current.node.named_child_count else None
        if operand is not None and operand.type == "identifier":
            return parameter_array(value, operand.text)
        return None
    if current.type != "identifier":
        return None
    pointer = _pointer_referenced(current, current.text)
    return parameter_array(value, pointer) if pointer is not None else None


def _pointer_referenced(use: Located, name: str) -> str | None:
    """The pointer `p` when `name` is bound from `p.as_ref()` around `use`."""
    child = use
    for ancestor in use.ancestors():
        kind = ancestor.type
        if kind == "function_item":
            return None
        if kind == "match_arm" and child == ancestor.field("value"):
            block = ancestor.parent()
            match = block.parent() if block is not None else None
            if match is not None and _binds_some(ancestor.field("pattern"), name):
                return _referenced_pointer(match.field("value"))
        if kind == "if_expression" and child == ancestor.field("consequence"):
            condition = ancestor.field("condition")
            if (
                condition is not None
                and condition.type == "let_condition"
                and _binds_some(condition.field("pattern"), name)
            ):
                return _referenced_pointer(condition.field("value"))
        if kind == "closure_expression":
            return _closure_over_reference(ancestor, name)
        child = ancestor
    return None


def _binds_some(pattern: Located | None, name: str) -> bool:
    """`Some(name)` (or `Some(ref name)`)."""
    if pattern is None:
        return False
    flat = "".join(pattern.text.split())
    return flat in (f"Some({name})", f"Some(ref{name})", f"Some(mut{name})")


def _referenced_pointer(value: Located | None) -> str | None:
    """`p` of `p.as_ref()`, `unsafe { p.as_ref() }` is not followed."""
    if value is None:
        return None
    current = strip(value)
    if current.type != "call_expression":
        return None
    called = callee(current)
    if called is None or called.name not in _AS_REFERENCE or called.receiver is None:
        return None
    receiver = strip(called.receiver)
    return receiver.text if receiver.type == "identifier" else None


def _closure_over_reference(closure: Located, name: str) -> str | None:
    """`p` when `closure` is `|name| ..` handed to a method of `p.as_ref()`."""
    parameters = closure.field("parameters")
    if parameters is None or [p.text for p in parameters.named_children()] != [name]:
        return None
    arguments = closure.parent()
    call = arguments.parent() if arguments is not None else None
    if call is None or call.type != "call_expression":
        return None
    called = callee(call)
    return _referenced_pointer(called.receiver) if called is not None else None


def parameter_array(at: Located, name: str) -> Node | None:
    """The `[T; N]` a parameter (by name) of the function around `at` points or refers to."""
    function = next((a.node for a in at.ancestors() if a.type == "function_item"), None)
    return array_parameter(function, name) if function is not None else None


def array_parameter(function: Node, name: str) -> Node | None:
    """The `[T; N]` type of the function's parameter `name` (`[T; N]`, through one
    reference or pointer); None for any other parameter."""
    parameters = function.child_by_field_name("parameters")
    for parameter in parameters.named_children if parameters is not None else ():
        pattern = parameter.child_by_field_name("pattern")
        if pattern is None or pattern.type != "identifier" or pattern.text != name.encode():
            continue
        declared = parameter.child_by_field_name("type")
        if declared is not None and declared.type in ("reference_type", "pointer_type"):
            declared = declared.child_by_field_name("type")
        if declared is None or declared.type != "array_type":
            return None
        # `[T]` is an array_type too: only `[T; N]` has a length to check against.
        return declared if declared.child_by_field_name("length") is not None else None
    return None


def static_array(use: Node, name: str) -> Node | None:
    """The array type of a `static` or `const` of an enclosing module (`static mut
    DATA: [u32; 2]`, wasm-bindgen's `GLOBAL_EXNDATA` in its `mod __rt`)."""
    scope = use.parent
    while scope is not None:
        if scope.type in ("source_file", "declaration_list"):
            for item in scope.named_children:
                if item.type not in ("static_item", "const_item"):
                    continue
                named = item.child_by_field_name("name")
                if named is not None and named.text == name.encode():
                    declared = item.child_by_field_name("type")
                    return (
                        declared if declared is not None and declared.type == "array_type" else None
                    )
        scope = scope.parent
    return None
