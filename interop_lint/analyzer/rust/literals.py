"""Conversions of string literals that cannot fail (RS101).

`CString::new("text")` fails only when its bytes hold a NUL, and
`CStr::from_bytes_with_nul(b"text\\0")` only when they do not end in exactly one:
with a literal the answer is known when compiling, so `.unwrap()` on it is no
panic source. The argument may be the literal itself or the literal made owned
(`"text".to_string()`, `b"text".to_vec()`, `String::from("text")`), directly or
through an immutable local bound to it (`let message = "text";`) or a constant
of the module (`const MESSAGE: &str = "text";`). So is JSON
text (`serde_json::to_string(&v)?`, `json!(..).to_string()`): serde_json escapes a
NUL; and the text of a number parameter (`value.to_string()` of `value:
c_int`), also through an immutable local; and text with every NUL replaced
by NUL-free text (`s.replace('\\0', "?")`). Anything else (a `format!`, a
variable) may fail. `NonZeroU32::new(83)` of a literal other than 0 is `Some` too.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.rust.bindings import module_constant, unwrapped_from
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import (
    arguments,
    block_tail,
    callee,
    invocation_name,
    strip,
)
from interop_lint.analyzer.rust.lengths import constant_value
from interop_lint.analyzer.rust.ownership import local_declaration
from interop_lint.analyzer.rust.pointee_arrays import parameter_type

_OWNING_METHODS = frozenset({"to_string", "to_owned", "to_vec", "into"})
_UNWRAPS = frozenset({"unwrap", "expect", "unwrap_or_default"})
_JSON_SERIALIZERS = frozenset({"serde_json::to_string", "serde_json::to_string_pretty"})
_OWNING_TYPES = frozenset({"String", "Vec"})  # `String::from("..")`
_NUL_ESCAPE = re.compile(rb"\\(?:0|x00|u\{[0_]+\})")


def infallible_conversion(call: Located) -> bool:
    """Whether `call` (what `.unwrap()`/`.expect()` is called on) is a conversion of
    a literal that cannot fail: `CString::new("no NUL")`,
    `CStr::from_bytes_with_nul(b"one trailing NUL\\0")`."""
    if call.type != "call_expression":
        return False
    called = callee(call)
    arguments = call.field("arguments")
    if called is None or called.is_method or arguments is None:
        return False
    given = arguments.node.named_children
    if len(given) != 1:
        return False
    if called.qualified == "CString::new":
        return nul_free_text(call.at(given[0]))  # type: ignore[arg-type]
    if called.qualified == "CStr::from_bytes_with_nul":
        found = _nuls(given[0])
        return found == (1, True)
    if called.name == "new" and (called.qualifier or "").startswith("NonZero"):
        value = constant_value(_bound_value(call.at(given[0])))  # type: ignore[arg-type]
        return value is not None and value != 0  # `NonZeroU32::new(83)`
    return False


def nul_free_text(argument: Located, depth: int = 0) -> bool:
    """Whether an expression is text that holds no NUL: a literal without one (or
    made owned), JSON text, the text of a number; also through an immutable local
    bound to one (`let s = x.to_string(); CString::new(s)`)."""
    bound = _bound_value(argument)
    found = _nuls(_literal(bound))
    text_of = argument.at(bound)
    if found is not None and found[0] == 0:
        return True
    return (
        _json_text(text_of, depth)
        or _number_text(text_of)  # type: ignore[arg-type]
        or _nul_replaced(text_of, depth)  # type: ignore[arg-type]
    )


def text_parameter(call: Located) -> int | None:
    """For `CString::new(msg)` (what `.unwrap()` is called on) of a parameter `msg`
    of the function (also `msg.to_string()`, `String::from(msg)`): its position,
    `self` not counted. The conversion fails only if a caller passes a NUL there
    (bitgrain's `set_last_error(code, msg: &'static str)`, given literals)."""
    called = callee(call) if call.type == "call_expression" else None
    given = call.field("arguments")
    if called is None or called.qualified != "CString::new" or given is None:
        return None
    if given.node.named_child_count != 1:
        return None
    inner = _literal(given.node.named_children[0])
    if inner is None or inner.type != "identifier" or inner.text is None:
        return None
    name = inner.text.decode()
    if local_declaration(name, call) is not None:
        return None  # a local of that name shadows the parameter
    for ancestor in call.ancestors():
        if ancestor.type == "closure_expression":
            listed = ancestor.field("parameters")
            if listed is not None and name in listed.text:
                return None  # maybe the closure's own parameter
        if ancestor.type == "function_item":
            return _parameter_position(ancestor.node, name)
    return None


def _parameter_position(function: Node, name: str) -> int | None:
    listed = function.child_by_field_name("parameters")
    position = 0
    for parameter in listed.named_children if listed is not None else ():
        if parameter.type not in ("parameter", "variadic_parameter"):
            continue  # `self` is the receiver, not an argument; comments
        pattern = parameter.child_by_field_name("pattern")
        if pattern is not None and pattern.text == name.encode():
            return position
        if pattern is None or pattern.text != b"self":
            position += 1
    return None


def _json_text(argument: Located | None, depth: int = 0) -> bool:
    """Whether an argument is JSON text, which holds no NUL (serde_json writes control
    characters as `\\u0000`): a JSON result (`_json_result`) unwrapped, tried, unwrapped
    with NUL-free text to fall back on (`.unwrap_or_else(|_| "[]".to_string())`) or
    taken out by a pattern (`Ok(json) =>`, `if let Ok(s) = ..`, `.map(|s| ..)`);
    `value.to_string()` of a `json!(..)` value."""
    if argument is None or depth > _MAX_DEPTH:
        return False
    current = strip(argument)
    if current.type == "identifier":
        return _json_result(unwrapped_from(current), depth + 1)
    if current.type == "try_expression":
        return _json_result(current.named_children()[0], depth + 1)
    called = callee(current) if current.type == "call_expression" else None
    if called is None or called.receiver is None:
        return False
    if called.name in _UNWRAPS:
        return _json_result(called.receiver, depth + 1)
    if called.name in _FALLBACKS:
        given = arguments(current)
        fallback = given[0] if len(given) == 1 else None
        if fallback is not None and called.name == "unwrap_or_else":
            fallback = _closure_value(fallback)  # `|_| "[]".to_string()`
        return (
            fallback is not None
            and _nul_free(fallback, depth + 1)
            and _json_result(called.receiver, depth + 1)
        )
    return called.name == "to_string" and _json_value(strip(called.receiver))


_FALLBACKS = frozenset({"unwrap_or", "unwrap_or_else"})
_PASSING_ERRORS = frozenset({"ok", "map_err", "context", "with_context", "ok_or", "ok_or_else"})
_MAX_DEPTH = 8


def _json_result(value: Located | None, depth: int) -> bool:
    """Whether an `Option` or `Result` holds JSON text when it holds a value:
    `serde_json::to_string(&v)`, also through `.ok()` or `.map_err(..)`, and
    `.and_then(|v| <a JSON result>)`, `.map(|v| <NUL-free text>)` of anything."""
    current = strip(value) if value is not None else None
    while current is not None and depth <= _MAX_DEPTH:
        called = callee(current) if current.type == "call_expression" else None
        if called is None:
            return False
        if called.receiver is None:
            return called.qualified in _JSON_SERIALIZERS
        if called.name in _PASSING_ERRORS:
            current, depth = strip(called.receiver), depth + 1
            continue
        given = arguments(current)
        made = _closure_value(given[-1]) if given and called.name in ("and_then", "map") else None
        if made is None:
            return False
        if called.name == "map":
            return _nul_free(made, depth + 1)
        current, depth = strip(made), depth + 1
    return False


def _nul_replaced(text_of: Located, depth: int) -> bool:
    """`text.replace('\\0', "?")`: every NUL replaced by NUL-free text (pqsio's
    error text)."""
    current = strip(text_of)
    called = callee(current) if current.type == "call_expression" else None
    given = arguments(current) if called is not None and called.name == "replace" else []
    if len(given) != 2 or called is None or called.receiver is None:
        return False
    pattern = given[0].node
    if _NUL_LITERAL.fullmatch(pattern.text or b"") is None:
        return False
    return _nul_free(given[1], depth + 1)


_NUL_LITERAL = re.compile(rb"""(['"])\\(?:0|x00|u\{[0_]+\})\1""")


def _closure_value(closure: Located) -> Located | None:
    """What a closure gives back: its body, or the value of a block body."""
    if closure.type != "closure_expression":
        return None
    body = closure.field("body")
    if body is not None and body.type == "block":
        return block_tail(body)
    return body


def _nul_free(text_of: Located, depth: int) -> bool:
    """`nul_free_text` at a depth of this search."""
    return depth <= _MAX_DEPTH and nul_free_text(text_of, depth)


# Types whose `to_string()` is digits, a sign, a point, `inf`/`NaN` or `true`/`false`.
_NUMBER_TYPES = frozenset(
    {f"{sign}{bits}" for sign in "iu" for bits in ("8", "16", "32", "64", "128", "size")}
    | {"f32", "f64", "bool"}
    | {f"c_{name}" for name in ("int", "uint", "long", "ulong", "short", "ushort", "float")}
    | {"c_double", "c_longlong", "c_ulonglong", "c_char", "c_schar", "c_uchar"}
)


def _number_text(argument: Located) -> bool:
    """`value.to_string()` of a parameter of a number type (`value: c_int`): decimal
    text holds no NUL (crav1e's `rav1e_config_parse_int`)."""
    current = strip(argument)
    called = callee(current) if current.type == "call_expression" else None
    if called is None or not called.is_method or called.name != "to_string":
        return False
    receiver = strip(called.receiver) if called.receiver is not None else None
    if receiver is None or receiver.type != "identifier":
        return False
    if local_declaration(receiver.text, receiver) is not None:
        return False  # a local of that name shadows the parameter
    function = next((a for a in receiver.ancestors() if a.type == "function_item"), None)
    declared = parameter_type(function.node, receiver.text) if function is not None else None
    if declared is None or declared.text is None:
        return False
    return declared.text.decode().rpartition("::")[2] in _NUMBER_TYPES


def _json_value(value: Located) -> bool:
    """`json!(..)`, or a local bound to one."""
    if value.type == "identifier":
        declaration = local_declaration(value.text, value)
        bound = declaration.field("value") if declaration is not None else None
        value = strip(bound) if bound is not None else value
    return value.type == "macro_invocation" and invocation_name(value) == "json"


def _bound_value(argument: Located) -> Node:
    """What an immutable local is bound to (`let text = "literal";`), or a constant of
    an enclosing module (`const MESSAGE: &str = "literal";`), else the argument."""
    if argument.type != "identifier":
        return argument.node
    declaration = local_declaration(argument.text, argument)
    if declaration is None:
        item = module_constant(argument, argument.text)
        value = item.child_by_field_name("value") if item is not None else None
        if item is not None and any(c.type == "mutable_specifier" for c in item.children):
            return argument.node  # `static mut`
        return value if value is not None else argument.node
    pattern = declaration.field("pattern") if declaration is not None else None
    value = declaration.field("value") if declaration is not None else None
    if pattern is None or pattern.type != "identifier" or value is None:
        return argument.node
    if any(c.type == "mutable_specifier" for c in declaration.node.children):  # type: ignore[union-attr]
        return argument.node  # `let mut song = String::from(".."); song.push_str(..)`
    return strip(value).node


def _literal(argument: Node) -> Node | None:
    """The literal an argument is, or is made owned from: `"x"`, `"x".to_string()`,
    `String::from("x")`."""
    if argument.type != "call_expression":
        return argument
    function = argument.child_by_field_name("function")
    arguments = argument.child_by_field_name("arguments")
    if function is None or arguments is None:
        return None
    if function.type == "field_expression":
        field = function.child_by_field_name("field")
        if arguments.named_child_count or field is None or field.text is None:
            return None
        return (
            function.child_by_field_name("value")
            if field.text.decode() in _OWNING_METHODS
            else None
        )
    if function.type != "scoped_identifier" or arguments.named_child_count != 1:
        return None
    path, name = function.child_by_field_name("path"), function.child_by_field_name("name")
    if path is None or name is None or name.text != b"from" or path.text is None:
        return None
    return arguments.named_children[0] if path.text.decode() in _OWNING_TYPES else None


def _nuls(literal: Node | None) -> tuple[int, bool] | None:
    """How many NULs a string or byte-string literal holds and whether it ends in
    one; None when it is no such literal (a `c".."` literal is not a `&str`)."""
    if literal is None or literal.type not in ("string_literal", "raw_string_literal"):
        return None
    if (literal.text or b"").startswith(b"c"):
        return None
    count, last = 0, False
    for part in literal.named_children:
        data = part.text or b""
        if part.type == "escape_sequence":
            nul = _NUL_ESCAPE.fullmatch(data) is not None
            count, last = count + nul, nul
        elif part.type == "string_content" and data:
            count, last = count + data.count(b"\0"), data.endswith(b"\0")
    return count, last
