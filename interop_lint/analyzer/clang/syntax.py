"""Reading C types out of tree-sitter-c declarations.

A C declaration splits a type in two: the specifier (`const char`) and the
declarator chain around the name (`*const *names`, `(*cb)(int)`). The chain
is read from the outside in: each pointer, array or function declarator
wraps the type built so far, so `int *f(void)` is a function returning
`int *` and `int (*f)(void)` a pointer to a function returning `int`.
"""

from __future__ import annotations

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.clang.facts import CKind, CParam, CType
from interop_lint.analyzer.parsing import text

UNKNOWN = CType(CKind.BASE)
# Declarators nest at most this deep before a type is given up as unknown:
# real code stays far below it, and the walk never recurses without bound.
MAX_DEPTH = 32

_POINTERS = frozenset({"pointer_declarator", "abstract_pointer_declarator"})
_FUNCTIONS = frozenset({"function_declarator", "abstract_function_declarator"})
_ARRAYS = frozenset({"array_declarator", "abstract_array_declarator"})
_PARENTHESIZED = frozenset({"parenthesized_declarator", "abstract_parenthesized_declarator"})
_NAMES = frozenset({"identifier", "field_identifier", "type_identifier"})
_RECORDS = {"struct_specifier": "struct", "union_specifier": "union", "enum_specifier": "enum"}
_SIZE_WORDS = frozenset({"signed", "unsigned", "short", "long", "int", "char", "double", "float"})


class Declared(Struct, frozen=True):
    """What one declarator declares: a name (None when abstract) and its type."""

    name: Node | None
    type: CType
    params: tuple[CParam, ...] = ()  # of the declared function itself, when it is one


def is_const(node: Node) -> bool:
    """Whether a declaration or pointer declarator carries a `const` qualifier."""
    return any(c.type == "type_qualifier" and text(c) == "const" for c in node.children)


def has_storage(node: Node, keyword: str) -> bool:
    return any(c.type == "storage_class_specifier" and text(c) == keyword for c in node.children)


def specifier_name(node: Node | None, anonymous_as: str = "") -> str:
    """The canonical spelling of a type specifier: `long unsigned int` -> `unsigned long`.

    An anonymous struct, union or enum is named `anonymous_as` (its typedef name).
    """
    if node is None:
        return ""
    if node.type in _RECORDS:
        name = node.child_by_field_name("name")
        tag = text(name) if name is not None else anonymous_as
        return f"{_RECORDS[node.type]} {tag}" if tag else ""
    if node.type == "sized_type_specifier":  # an export macro may be read into it
        return _sized([w for w in text(node).split() if not _is_macro_name(w)])
    if node.type in ("primitive_type", "type_identifier"):
        return text(node)
    return ""


def _sized(words: list[str]) -> str:
    if not set(words) <= _SIZE_WORDS:
        return ""
    sign = "unsigned " if "unsigned" in words else ""
    longs = words.count("long")
    if "char" in words:
        return "signed char" if "signed" in words else f"{sign}char"
    if "double" in words:
        return "long double" if longs else "double"
    if "short" in words:
        return f"{sign}short"
    if longs:
        return f"{sign}{'long long' if longs > 1 else 'long'}"
    return f"{sign}int"


def base_type(declaration: Node, anonymous_as: str = "") -> CType:
    """The specifier part of a declaration, parameter, field or typedef."""
    specifier = declaration.child_by_field_name("type")
    name = specifier_name(specifier, anonymous_as)
    if specifier is not None and specifier.type == "type_identifier" and _is_macro_name(name):
        name = _type_after_macro(declaration, specifier) or name
    return CType(CKind.BASE, name=name, const=is_const(declaration))


def _is_macro_name(name: str) -> bool:
    return len(name) > 1 and name.isupper()


def _type_after_macro(declaration: Node, macro: Node) -> str:
    """The type after an export macro: `ENGINE_API int32_t f(void);`.

    tree-sitter-c takes the macro for the type and the real type for an error;
    the real one is the error's words.
    """
    error = next(
        (c for c in declaration.children if c.type == "ERROR" and c.start_byte > macro.end_byte),
        None,
    )
    if error is None:
        return ""
    words = [text(c) for c in error.children]
    if not words or any(not w.replace("_", "").isalnum() for w in words):
        return ""
    if set(words) <= _SIZE_WORDS:
        return _sized(words)
    return words[0] if len(words) == 1 else ""


def declared(declarator: Node | None, base: CType, depth: int = 0) -> Declared:
    """The name and full type of one declarator applied to `base`."""
    current = base
    own_params: tuple[CParam, ...] = ()
    node = declarator
    steps = 0
    while node is not None:
        steps += 1
        if steps + depth > MAX_DEPTH:
            return Declared(None, UNKNOWN)
        kind = node.type
        if kind in _NAMES:
            return Declared(node, current, own_params)
        if kind in _POINTERS:
            current = CType(CKind.POINTER, of=current, const=is_const(node))
        elif kind in _FUNCTIONS:
            current, own_params = function_type(
                node.child_by_field_name("parameters"), current, depth + steps
            )
        elif kind in _ARRAYS:
            current = CType(CKind.ARRAY, of=current, length=_literal(node))
        elif kind not in _PARENTHESIZED:
            return Declared(None, UNKNOWN)
        node = node.child_by_field_name("declarator") or _first_declarator(node)
    return Declared(None, current, own_params)


def _first_declarator(node: Node) -> Node | None:
    """The declarator inside a parenthesized declarator (it has no field name)."""
    return next((c for c in node.named_children if c.type != "attribute_specifier"), None)


def _literal(array: Node) -> int | None:
    size = array.child_by_field_name("size")
    if size is None or size.type != "number_literal":
        return None
    digits = text(size).rstrip("uUlL")
    try:
        return int(digits, 0)
    except ValueError:
        return None


def function_type(
    parameters: Node | None, returns: CType, depth: int
) -> tuple[CType, tuple[CParam, ...]]:
    """A FUNCTION type from a parameter list, and its named parameters."""
    if parameters is None or depth > MAX_DEPTH:
        return CType(CKind.FUNCTION, of=returns, prototype=False), ()
    params: list[CParam] = []
    variadic = False
    # `f()` leaves the parameters open, and so does a K&R `f(a, b) int a; ...`.
    prototype = any(c.type == "parameter_declaration" for c in parameters.named_children)
    for child in parameters.named_children:
        if child.type == "variadic_parameter":
            variadic = True
        elif child.type == "parameter_declaration":
            one = declared(child.child_by_field_name("declarator"), base_type(child), depth + 1)
            params.append(CParam(text(one.name), decayed(one.type)))
        elif child.type == "identifier":
            prototype = False
    if len(params) == 1 and _is_void(params[0].type):
        params = []  # `f(void)`
    signature = CType(
        CKind.FUNCTION,
        of=returns,
        params=tuple(p.type for p in params),
        variadic=variadic,
        prototype=prototype,
    )
    return signature, tuple(params) if prototype else ()


def decayed(parameter: CType) -> CType:
    """A parameter's type as passed: arrays become pointers, functions function pointers."""
    if parameter.kind is CKind.ARRAY:
        return CType(CKind.POINTER, of=parameter.of)
    if parameter.kind is CKind.FUNCTION:
        return CType(CKind.POINTER, of=parameter)
    return parameter


def _is_void(t: CType) -> bool:
    return t.kind is CKind.BASE and t.name == "void"


def spell(t: CType) -> str:
    """A C spelling of a type for messages: `const char *`, `int32_t (*)(void *)`."""
    prefix, suffix = _spell_parts(t, 0)
    return f"{prefix}{suffix}".strip()


def _spell_parts(t: CType, depth: int) -> tuple[str, str]:
    """The text before and after the (absent) declarator name."""
    if depth > MAX_DEPTH or (t.of is None and t.kind is not CKind.BASE):
        return "?", ""
    if t.kind is CKind.BASE:
        return (f"const {t.name} " if t.const else f"{t.name} "), ""
    assert t.of is not None
    inner_prefix, inner_suffix = _spell_parts(t.of, depth + 1)
    if t.kind is CKind.POINTER:
        star = "*const " if t.const else "*"
        if t.of.kind in (CKind.FUNCTION, CKind.ARRAY):
            return f"{inner_prefix}({star}", f"){inner_suffix}"
        return f"{inner_prefix}{star}", inner_suffix
    if t.kind is CKind.ARRAY:
        length = "" if t.length is None else str(t.length)
        return inner_prefix, f"[{length}]{inner_suffix}"
    params = [spell(p) for p in t.params]
    if t.variadic:
        params.append("...")
    listed = ", ".join(params) if t.prototype else ""
    return inner_prefix, f"({listed or ('void' if t.prototype else '')}){inner_suffix}"
