"""The type a method call's receiver has, where the function's own text tells.

RS101 and RS105 follow `x.f()` to the methods of `x`'s type when it is known,
and to every crate method named `f` when it is not. Known here: `self`, a
parameter (`engine: &mut Engine`, `(*handle).run()` with `handle: *mut
Engine`), a local whose `let` names its type (`let e: Engine`, `let e =
Engine { .. }`, `let e = Engine::new(..)?`), and a field of one of those
(`(*l).inner.set_on()`), spelled `light.inner` for the index, which knows the
crate's structs, and a `static` or `const` of the module (`static ENGINES:
OnceLock<HandleMap>`: a standard type whose `get` is not the crate's).
"""

from __future__ import annotations

from collections.abc import Container

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import binding_let, is_shadowed, module_constant
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.syntax import pointer_owner
from interop_lint.analyzer.rust.types import base_name, type_arguments

NOT_A_CRATE_TYPE = "<std>"
# Types whose methods include their content's, through `Deref`.
_SMART_POINTERS = frozenset({"Box", "Arc", "Rc", "Lazy", "LazyLock", "LazyCell"})
_STD_TYPES = frozenset(
    {"String", "Vec", "Option", "Result", "HashMap", "HashSet", "BTreeMap", "str", "CStr"}
)
# Associated functions that make a value of their type (`Engine::new(..)`), when
# their result is used as it is, unwrapped or with `?`.
_CONSTRUCTORS = frozenset({"new", "default", "create", "open", "init"})
_UNWRAPS = frozenset({"unwrap", "expect"})


def receiver_type(
    receiver: Located,
    impl_type: str | None,
    parameters: dict[str, Node],
    generics: set[str],
    bound: Container[str] | None = None,
) -> str | None:
    """The type of a method's receiver; NOT_A_CRATE_TYPE for a pointer the call does
    not dereference, a primitive or a standard type; None when unknown. `*Handle`
    for `(*handle).run()` with `handle: Handle`, an alias the index resolves;
    `light.inner` for a field of a `light` (callgraph.CrateCalls resolves it)."""
    fields: list[str] = []
    current, derefs = _dereferenced(receiver)
    while current is not None and current.type == "field_expression":
        field = current.node.child_by_field_name("field")
        if field is None:
            return None
        fields.append("*" * derefs + text(field))
        value = current.field("value")
        if value is None:
            return None
        current, derefs = _dereferenced(value)
    if current is None:
        return None
    if current.type == "self":
        base = impl_type  # `(*self).f()` too: `self` is a reference to the impl's type
    elif current.type == "identifier":
        base = _named_type(current, derefs, impl_type, parameters, generics, bound)
    else:
        return None
    if not fields:
        return base
    if base is None or (not base[:1].isalpha() and not base.startswith("*")):
        return None  # a field of an unknown, standard or pointer type
    return ".".join((base, *reversed(fields)))


def _dereferenced(expression: Located) -> tuple[Located | None, int]:
    """The expression inside parentheses and `*`, and how many `*` it is under."""
    current: Located | None = expression
    derefs = 0
    while current is not None and current.type in ("parenthesized_expression", "unary_expression"):
        if current.type == "unary_expression":
            if current.node.children[0].type != "*":
                return None, 0
            derefs += 1
        current = next(iter(current.named_children()), None)
    return current, derefs


def _named_type(
    name: Located,
    derefs: int,
    impl_type: str | None,
    parameters: dict[str, Node],
    generics: set[str],
    bound: Container[str] | None,
) -> str | None:
    """The type of the identifier `name`: a parameter's, or a local's by its `let`."""
    declared = parameters.get(name.text)
    if declared is not None and not is_shadowed(name.text, name, bound=bound):
        return _declared_type(declared, derefs, generics)
    if bound is not None and name.text not in bound:
        return _static_type(name, derefs, generics)  # no pattern of the function binds it
    statement = binding_let(name)
    if statement is None:
        return _static_type(name, derefs, generics)
    written = statement.node.child_by_field_name("type")
    if written is not None:
        return _declared_type(written, derefs, generics)
    value = statement.field("value")
    made = _made_type(value, impl_type) if value is not None and derefs == 0 else None
    return None if made is None or made in generics else made


def _static_type(name: Located, derefs: int, generics: set[str]) -> str | None:
    """The written type of a `static` or `const` of an enclosing module named `name`
    (`static ENGINES: OnceLock<HandleMap>`: `ENGINES.get()` is `OnceLock::get`)."""
    item = module_constant(name, name.text)
    written = item.child_by_field_name("type") if item is not None else None
    return _declared_type(written, derefs, generics) if written is not None else None


def _declared_type(declared: Node | None, derefs: int, generics: set[str]) -> str | None:
    while declared is not None and declared.type in ("reference_type", "pointer_type"):
        if declared.type == "pointer_type":
            if derefs == 0:  # `p.add(1)`, or a crate trait's `impl ToStr for *const c_char`
                return pointer_owner(declared) or NOT_A_CRATE_TYPE
            derefs -= 1
        declared = declared.child_by_field_name("type")
    if declared is None:
        return None
    if declared.type == "primitive_type":
        return text(declared)  # `x.ext_len()` reaches only a crate trait's `impl Ext for u32`
    name = base_name(declared)
    if name in _SMART_POINTERS:
        arguments = type_arguments(declared)
        name = base_name(arguments[0]) if arguments else ""
    if name in generics or declared.type in ("dynamic_type", "abstract_type"):
        return None
    if not name or name in _STD_TYPES:
        return NOT_A_CRATE_TYPE
    # `(*ctx).run()` with `ctx: Handle` where the crate may say `type Handle = *mut
    # Engine;`: the derefs left are kept for the index, which knows the alias.
    return "*" * derefs + name if declared.type == "type_identifier" else name


def _made_type(value: Located, impl_type: str | None) -> str | None:
    """The crate type a `let`'s value makes: `Engine { .. }`, a unit struct `Engine`,
    `Engine::new(..)` as it is, unwrapped or with `?`."""
    current: Located | None = value
    while current is not None and current.type in ("try_expression", "call_expression"):
        if current.type == "call_expression":
            function = current.field("function")
            if function is None or function.type != "field_expression":
                break
            if text(function.node.child_by_field_name("field")) not in _UNWRAPS:
                return None
            current = function.field("value")
        else:
            current = next(iter(current.named_children()), None)
    if current is None:
        return None
    if current.type == "struct_expression":
        named = current.node.child_by_field_name("name")
        written = text(named) if named is not None else ""
    elif current.type == "identifier" and not current.text.isupper():
        written = current.text  # a unit struct (a constant is in capitals)
    elif current.type == "call_expression":
        function = current.field("function")
        if function is None or function.type != "scoped_identifier":
            return None
        if text(function.node.child_by_field_name("name")) not in _CONSTRUCTORS:
            return None
        path = function.node.child_by_field_name("path")
        written = text(path) if path is not None else ""
    else:
        return None
    written = written.split("<", 1)[0].rsplit("::", 1)[-1]
    if written == "Self":
        return impl_type
    if not written[:1].isupper() or written in _SMART_POINTERS or written in _STD_TYPES:
        return None
    return written
