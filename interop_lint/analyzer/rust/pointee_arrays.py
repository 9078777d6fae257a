"""Indexes of constants that cannot panic, for RS101 (`constant_in_bounds`): into a
local array, an array parameter, a slice of known length, and the fixed-size
array behind a pointer parameter.

Keys, hashes and transaction ids cross as `*const [u8; 32]`. An index of
constants into the array behind it is checked at compile time, like one into
a local array: `(*key)[0]`, and `t[0]` where `t` is the reference the
pointer's `as_ref()` gives, bound by `Some(t)` in a `match` arm or an `if
let`, or as the parameter of a closure handed to a method of that `Option`
(`key.as_ref().map_or(false, |k| k[31] == 1)`). So is one into a `static` or
`const` array of the file (`GLOBAL_EXNDATA[0]` of `static mut GLOBAL_EXNDATA:
[u32; 2]`), even from inside a macro's arguments, and one into the bytes of a
string constant (`VERSION.as_bytes()[0]` of `const VERSION: &str = "1.3"`).
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import lets_of, module_constant
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import callee, strip
from interop_lint.analyzer.rust.lengths import constant_value, index_extent, sliced_length
from interop_lint.analyzer.rust.ownership import local_binding

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
    declared = parameter_type(function, name)
    if declared is not None and declared.type in ("reference_type", "pointer_type"):
        declared = declared.child_by_field_name("type")
    if declared is None or declared.type != "array_type":
        return None
    # `[T]` is an array_type too: only `[T; N]` has a length to check against.
    return declared if declared.child_by_field_name("length") is not None else None


def parameter_type(function: Node, name: str) -> Node | None:
    """The declared type of the function's parameter `name`."""
    parameters = function.child_by_field_name("parameters")
    for parameter in parameters.named_children if parameters is not None else ():
        pattern = parameter.child_by_field_name("pattern")
        if pattern is not None and pattern.type == "identifier" and pattern.text == name.encode():
            return parameter.child_by_field_name("type")
    return None


def _some_of_array_parameter(binding: Located, name: str) -> Node | None:
    """The `[T; N]` of `Some(name)` matched against a parameter `p: Option<&[T; N]>`
    (`match p { Some(k) => k[31], .. }`, `if let Some(k) = p`)."""
    if binding.type == "match_arm":
        pattern = binding.field("pattern")
        scrutinee = binding.parent()
        scrutinee = scrutinee.parent() if scrutinee is not None else None  # the match
        value = scrutinee.field("value") if scrutinee is not None else None
    else:
        condition = binding.field("condition")
        if condition is None or condition.type != "let_condition":
            return None
        pattern, value = condition.field("pattern"), condition.field("value")
    if pattern is None or value is None or value.type != "identifier":
        return None
    if pattern.text.replace(" ", "") not in (f"Some({name})", f"Some(&{name})"):
        return None
    function = next((a for a in binding.ancestors() if a.type == "function_item"), None)
    declared = parameter_type(function.node, value.text) if function is not None else None
    if declared is None or declared.type != "generic_type":
        return None
    if not (declared.text or b"").startswith(b"Option<"):
        return None
    arguments = declared.child_by_field_name("type_arguments")
    inner = arguments.named_children[0] if arguments and arguments.named_children else None
    if inner is not None and inner.type == "reference_type":
        inner = inner.child_by_field_name("type")
    if inner is None or inner.type != "array_type":
        return None
    return inner if inner.child_by_field_name("length") is not None else None


def static_array(use: Located, name: str) -> Node | None:
    """The array type of a `static` or `const` of an enclosing module (`static mut
    DATA: [u32; 2]`, wasm-bindgen's `GLOBAL_EXNDATA` in its `mod __rt`)."""
    item = module_constant(use, name)
    declared = item.child_by_field_name("type") if item is not None else None
    return declared if declared is not None and declared.type == "array_type" else None


def string_constant_length(value: Located) -> int | None:
    """At least how many bytes `NAME.as_bytes()` has, where `NAME` is a string `const`
    or `static` of an enclosing module: `"1.3"`, `concat!("1.3.0-zlib-rs-",
    env!("CARGO_PKG_VERSION"))` (zlib-rs's version check reads its first byte)."""
    called = callee(value) if value.type == "call_expression" else None
    if called is None or called.name != "as_bytes" or called.receiver is None:
        return None
    name = called.receiver.text
    item = module_constant(value, name) if name.isupper() else None
    written = item.child_by_field_name("value") if item is not None else None
    if written is None:
        return None
    if (
        written.type == "macro_invocation"
        and text(written.child_by_field_name("macro")) == "concat"
    ):
        arguments = next((c for c in written.named_children if c.type == "token_tree"), None)
        pieces = arguments.named_children if arguments is not None else []
        return sum(_literal_bytes(p) for p in pieces if p.type == "string_literal")
    return _literal_bytes(written) if written.type == "string_literal" else None


def _literal_bytes(literal: Node) -> int:
    """The bytes of a string literal's plain text (each escape counts none: a lower bound)."""
    return sum(
        c.end_byte - c.start_byte for c in literal.named_children if c.type == "string_content"
    )


def constant_in_bounds(indexing: Located) -> bool:
    """`table[2]` where `let table = [a, b, c];` (or `[x; 8]`), or where `table` is a
    parameter of array type (`out: &mut [u8; 32]`): checked at compile time. Also
    `magic[2]` after `let magic = &header[..4];` (taking the slice is the panic).
    A range of constants within the length cannot panic either (`&buf[0..128]` of
    `[0u8; 256]`)."""
    index = indexing.node.named_children[-1]
    needed = index_extent(index)
    if needed is None:
        return False
    size = fixed_length(indexing)
    if size is None and index.type != "range_expression":
        # rustc rejects a constant element index past an array's length, named
        # constant or not (`unconditional_panic`): every one that compiles is within.
        # A range is a call: checked at run time.
        array = _indexed_array(indexing)
        return array is not None and array.child_by_field_name("length") is not None
    return size is not None and needed <= size


def fixed_length(indexing: Located) -> int | None:
    """The length of what an index expression indexes, when it is fixed: a local or
    parameter array, the array behind a pointer parameter, a `static` array, a
    slice taken with constant bounds, a string constant's bytes, a row of a fixed
    array of arrays (`field[0][0]` of `field: &[[bool; 10]; 40]`)."""
    value = indexing.node.named_children[0]
    if value.type == "call_expression":  # `VERSION.as_bytes()[0]` of a `const VERSION: &str`
        called = indexing.at(value)
        return string_constant_length(called) or number_bytes(indexing, called)  # type: ignore[arg-type]
    array = _indexed_array(indexing)
    if array is None:
        return None
    if array.type == "call_expression":  # `let b = len.to_le_bytes();`
        return number_bytes(indexing, indexing.at(array))  # type: ignore[arg-type]
    sliced = sliced_length(array)
    if sliced is not None:  # `let magic = &header[..4];`
        return sliced
    if array.type not in ("array_expression", "array_type"):
        return None
    length = array.child_by_field_name("length")
    return array.named_child_count if length is None else constant_value(length)


def _indexed_array(indexing: Located) -> Node | None:
    """What an index expression indexes, as declared: the array expression or type (or
    the value a local is bound to)."""
    value = indexing.node.named_children[0]
    if value.type == "identifier":
        name = (value.text or b"").decode()
        declaration = _array_declaration(indexing, name)
        if declaration is None:
            declaration = array_behind(indexing.at(value))  # type: ignore[arg-type]
        if declaration is None and name.isupper():
            declaration = static_array(indexing.at(value), name)  # type: ignore[arg-type]
        return declaration
    if value.type == "parenthesized_expression":  # `(*key)[0]`
        return array_behind(indexing.at(value))  # type: ignore[arg-type]
    if value.type == "index_expression":  # a row: the element type of the outer array
        outer = _indexed_array(indexing.at(value))  # type: ignore[arg-type]
        element = outer.child_by_field_name("element") if outer is not None else None
        return element if outer is not None and outer.type == "array_type" else None
    return value


def _array_declaration(use: Located, name: str) -> Node | None:
    """The array expression a local was bound to in an enclosing block (or the array
    type its `let` declares), or the array type of the function's parameter of that
    name (through one reference)."""
    for ancestor in use.ancestors():
        if ancestor.type == "function_item":
            return array_parameter(ancestor.node, name)
        if ancestor.type in ("match_arm", "if_expression"):
            bound = _some_of_array_parameter(ancestor, name)
            if bound is not None:
                return bound
        if ancestor.type != "block":
            continue
        for statement in lets_of(ancestor).get(name, ()):  # in order, computed once per block
            if statement.start_byte >= use.node.start_byte and ancestor.fragment is use.fragment:
                break
            pattern = statement.child_by_field_name("pattern")
            if pattern is not None and pattern.type == "identifier":  # the first plain `let`
                declared = statement.child_by_field_name("type")  # `let k: [u8; 64] = *p;`
                while declared is not None and declared.type == "reference_type":
                    declared = declared.child_by_field_name("type")  # `let k: &mut [u8; 64]`
                if declared is not None and declared.child_by_field_name("length") is not None:
                    return declared
                return statement.child_by_field_name("value")
    return None


_BYTE_ARRAYS = frozenset({"to_le_bytes", "to_be_bytes", "to_ne_bytes"})
# Bytes of a number type by its bits; `usize` has 4 on 32-bit targets, the least.
_WIDTHS = {"8": 1, "16": 2, "32": 4, "64": 8, "128": 16, "size": 4}
_WIDEST_NUMBER = 16


def number_bytes(indexing: Located, call: Located) -> int | None:
    """A length that bounds the array `n.to_le_bytes()` (`to_be_bytes`, `to_ne_bytes`)
    gives, for `indexing` of it. Its length is the width of `n`'s type, and rustc
    rejects a constant element index past it (`unconditional_panic`): every one that
    compiles is within it (asherah-cobhan's `let b = len.to_le_bytes(); b[0]`). A
    range is checked at run time: the width a parameter's type, a typed `let` or an
    `as` cast gives, else 1 (every number has a byte)."""
    called = callee(call)
    if called is None or not called.is_method or called.name not in _BYTE_ARRAYS:
        return None
    if indexing.node.named_children[-1].type != "range_expression":
        return _WIDEST_NUMBER
    receiver = called.receiver
    while receiver is not None and receiver.type == "parenthesized_expression":
        receiver = next(iter(receiver.named_children()), None)
    declared = _number_type(receiver) if receiver is not None else None
    kind = text(declared).rpartition("::")[2] if declared is not None else ""
    return _WIDTHS.get(kind[1:], 1) if kind[:1] in ("i", "u", "f") else 1


def _number_type(receiver: Located) -> Node | None:
    """The type written for a number: `x as u32`, or a typed local's or parameter's."""
    if receiver.type == "type_cast_expression":
        return receiver.node.child_by_field_name("type")
    local = local_binding(receiver)
    if local is not None:  # `let n: u16 = ..`; an untyped `let` says nothing
        return local[0].node if local[0] is not None else None
    function = next((a for a in receiver.ancestors() if a.type == "function_item"), None)
    if receiver.type != "identifier" or function is None:
        return None
    return parameter_type(function.node, receiver.text)
