"""Ownership kinds: memory a function hands to C, and memory it takes back (RS105, XL105, XL106).

Kinds (the strings stored in the facts, see facts.py):

- `"cstring"`: `CString::into_raw` / `.into_raw()`; back with `CString::from_raw`.
- `"box:T"`: `Box::into_raw` / `Box::leak` of a `Box<T>`; back with
  `Box::from_raw` of a `*mut T`. `"box"` when `T` cannot be told.
- `"vec:T"`: a `Vec<T>` (or `String`, `T` = `u8`) whose pointer is handed out
  after `mem::forget` / `ManuallyDrop::new`, `Vec::leak`, or a boxed slice
  (`Box::into_raw(v.into_boxed_slice())`); back with `Vec::from_raw_parts`,
  `String::from_raw_parts` or `Box::from_raw(slice::from_raw_parts_mut(..))`.
  `"vec"` when `T` cannot be told.

`T` is the type as written (last path segment, no generics): an alias such as
`Handle` is resolved by the index (`RustIndex.canonical_kind`).

`allocations.allocation_sites` finds the calls that hand memory out and
`releases.release_sites` those that take it back, each as an `OwnershipSite`;
this module holds what both read: the kinds, the site, and the types written
around a call (`Box::<T>::`, `let b: Box<T>`, the `let` of a local).
"""

from __future__ import annotations

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import binds_before
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.types import base_name, type_arguments


def describe_kind(kind: str, what: str = "") -> str:
    """A kind in words, for messages: "a `CString`", "a `Box<Engine>`", "a `Vec<u8>` buffer".

    `what` is the call that gave the memory up: a `"vec"` handed out by
    `Box::into_raw` / `Box::leak` is a boxed slice, not a `Vec`.
    """
    family, _, written = kind.partition(":")
    if family == "cstring":
        return "a `CString`"
    if family == "box":
        return f"a `Box<{written}>`" if written else "a `Box`"
    if what in ("Box::into_raw", "Box::leak"):
        return f"a boxed slice (`Box<[{written}]>`)" if written else "a boxed slice"
    return f"a `Vec<{written}>` buffer" if written else "a `Vec` buffer"


# The `field` of a site that gives back an element of the array a pointer points
# to, not a field of its pointee (`CString::from_raw(*names.add(i))`).
ELEMENT = "[]"


class OwnershipSite(Struct, frozen=True):
    kind: str
    what: str  # `CString::into_raw`, `mem::forget`
    call: Located
    # The expressions that carry the memory out: the call itself, or for a
    # forgotten `Vec` the `v.as_mut_ptr()` calls on it.
    carriers: tuple[Located, ...] = ()
    pointer: str | None = None  # for a release: the name given back (`p` of `from_raw(p)`)
    field: str | None = None  # ... and the field of it that holds the pointer (`buf.data`)


def turbofish(call: Located) -> str | None:
    """`T` of `Box::<T>::into_raw(..)`."""
    function = call.node.child_by_field_name("function")
    path = function.child_by_field_name("path") if function is not None else None
    if path is not None and path.type == "generic_type":
        arguments_ = type_arguments(path)
        return type_name(arguments_[0]) if arguments_ else None
    return None


def type_name(node: Node | None) -> str | None:
    """`Engine` of `Engine`, `crate::engine::Engine`, `Engine<'a>`; `[u8]` of `[u8]`."""
    if node is None:
        return None
    if node.type == "array_type" and node.child_by_field_name("length") is None:
        return type_name(node.child_by_field_name("element"))
    if node.type == "primitive_type":
        return text(node)
    name = base_name(node)
    return name or None


def local_declaration(name: str, at: Located) -> Located | None:
    """The `let` of `name` in force at `at` (asked once per name and place: a released
    pointer is looked up for its type, then for its value)."""
    return at.fragment.remember(("local", name, at.node.id), lambda: _local_declaration(name, at))


def local_binding(expression: Located) -> tuple[Located | None, Located | None] | None:
    """The written type and the value of the `let` of the local an expression is
    (either may be None); None when it is no local's name."""
    if expression.type != "identifier":
        return None
    declaration = local_declaration(expression.text, expression)
    if declaration is None:
        return None
    return declaration.field("type"), declaration.field("value")


def _local_declaration(name: str, at: Located) -> Located | None:
    for ancestor in at.ancestors():
        if ancestor.type == "function_item":
            return None
        if ancestor.type == "block":
            statement = next(
                (s for s in ancestor.named_children() if s.start <= at.start <= s.end), None
            )
            if statement is not None:
                found = binds_before(ancestor, statement, name)
                if found is not None:
                    return found
    return None


def annotated(declaration: Located | None, wrapper: str) -> str | None:
    """`T` of `let b: Box<T> = ..` (wrapper `Box`)."""
    annotation = declaration.field("type") if declaration is not None else None
    if annotation is None or base_name(annotation.node) != wrapper:
        return None
    arguments_ = type_arguments(annotation.node)
    return type_name(arguments_[0]) if arguments_ else None


def pointee_name(type_node: Node | None, depth: int = 1) -> str | None:
    """`Engine` of `*mut Engine` (depth 1) or of `*mut *mut Engine` (depth 2).

    Only pointer types written as such count (resolve the file's aliases
    first): a named type may be a struct that carries the pointer in a field.
    """
    current = type_node
    for _ in range(depth):
        if current is None or current.type != "pointer_type":
            return None
        current = current.child_by_field_name("type")
    name = type_name(current)
    return None if name == "c_void" else name


def named_type(type_node: Node | None) -> str | None:
    """`Buffer` of `Buffer`, `&Buffer`, `*mut Buffer`: the named type behind references."""
    current = type_node
    while current is not None and current.type in ("reference_type", "pointer_type"):
        current = current.child_by_field_name("type")
    return base_name(current) or None if current is not None else None


def cast_type(expression: Located) -> str | None:
    """`T` of `p as *mut T` or `p.cast::<T>()`."""
    current = expression
    while current.type == "parenthesized_expression" and current.node.named_child_count:
        current = current.named_children()[0]
    if current.type == "type_cast_expression":
        target = current.field("type")
        if target is not None and target.type == "pointer_type":
            return type_name(target.node.child_by_field_name("type"))
    function = current.field("function") if current.type == "call_expression" else None
    method = function.field("function") if function is not None else None
    if function is None or function.type != "generic_function" or method is None:
        return None
    named = method.field("field") if method.type == "field_expression" else None
    if named is None or named.text not in ("cast", "cast_mut"):
        return None
    listed = function.node.child_by_field_name("type_arguments")
    cast_to = listed.named_children if listed is not None else []
    return type_name(cast_to[0]) if len(cast_to) == 1 else None


def declared_pointee(argument: Located) -> str | None:
    """`T` of a local declared a pointer to it: `let p: *mut T = engine.cast();`."""
    current = argument
    while current.type == "parenthesized_expression" and current.node.named_child_count:
        current = current.named_children()[0]
    if current.type != "identifier":
        return None
    declaration = local_declaration(current.text, current)
    written = declaration.field("type") if declaration is not None else None
    if written is None or written.type != "pointer_type":
        return None
    return type_name(written.node.child_by_field_name("type"))
