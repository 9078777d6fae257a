"""Questions about Rust syntax trees that several rules and extractors ask.

"Exported function" (rules.md): a `fn` with a C-family ABI (`extern "C"`, a
bare `extern`, `"C-unwind"`, `"system"`) exported under a symbol by
`#[no_mangle]`, `#[unsafe(no_mangle)]`, `#[export_name = ".."]` or
`#[unsafe(export_name = "..")]` — also inside `#[cfg_attr(cond, ..)]`,
whatever the condition (`cfg_attr(not(test), no_mangle)` leaves out only
test builds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.parsing import text

EXPORT_ABIS = frozenset({"C", "C-unwind", "system", "system-unwind"})
_ATTRIBUTE_SIBLINGS = frozenset({"attribute_item", "line_comment", "block_comment"})
_SPACES = re.compile(r"\s+")
_LIFETIME = re.compile(r"'[A-Za-z_][A-Za-z0-9_]*\s*")
_TIGHT_AFTER = re.compile(r"([<(&\[]) ")
_TIGHT_BEFORE = re.compile(r" ([>)\],;])")


class ExportedFunction(Struct, frozen=True):
    """A function item that is exported to C, with what makes it so."""

    node: Node  # the function_item
    symbol: str  # the linker symbol: `export_name`, else the function's name
    abi: str
    return_wrapper: str = ""  # the export returns the inside of this (ExportMacro)


def attributes_of(item: Node) -> list[Node]:
    """The `attribute_item`s directly before an item (doc comments may sit between)."""
    found = []
    sibling = item.prev_sibling
    while sibling is not None and sibling.type in _ATTRIBUTE_SIBLINGS:
        if sibling.type == "attribute_item":
            found.append(sibling)
        sibling = sibling.prev_sibling
    found.reverse()
    return found


def doc_comments_of(item: Node) -> list[str]:
    """The text of the `///` and `/** */` doc comments (and `#[doc = ".."]`) of an item."""
    found = []
    sibling = item.prev_sibling
    while sibling is not None and sibling.type in _ATTRIBUTE_SIBLINGS:
        if sibling.type in ("line_comment", "block_comment"):
            doc = sibling.child_by_field_name("doc")
            if doc is not None and sibling.child_by_field_name("outer") is not None:
                found.append(text(doc))
        else:
            attribute = sibling.named_children[0] if sibling.named_children else None
            value = attribute.child_by_field_name("value") if attribute else None
            if attribute is not None and value is not None and _attribute_name(attribute) == "doc":
                found.append(text(value).strip('"'))
        sibling = sibling.prev_sibling
    found.reverse()
    return found


# Attributes of the language and the standard tools: never a user's attribute macro.
_BUILTIN_ATTRIBUTES = frozenset(
    {
        "allow", "cfg", "cfg_attr", "cold", "deny", "deprecated", "derive", "doc",
        "expect", "export_name", "forbid", "ignore", "inline", "link_name", "link_section",
        "must_use", "no_mangle", "repr", "target_feature", "test", "track_caller",
        "unsafe", "used", "warn",
    }
)  # fmt: skip


def attribute_macros(item: Node) -> tuple[str, ...]:
    """The paths of the attributes before an item that may be attribute macros
    (`relay_ffi::catch_unwind`, `ffi_export`): the built-in ones left out."""
    found: tuple[str, ...] = ()
    sibling = item.prev_sibling
    while sibling is not None and sibling.type in _ATTRIBUTE_SIBLINGS:
        if sibling.type == "attribute_item":
            found = _attribute_macro(sibling.text or b"") + found
        sibling = sibling.prev_sibling
    return found


@lru_cache(maxsize=1024)
def _attribute_macro(written: bytes) -> tuple[str, ...]:
    """The path an attribute item (`#[relay_ffi::catch_unwind]`) names, if it may be
    an attribute macro; by its text: the same few are written on every export."""
    inner = written.removeprefix(b"#").removeprefix(b"!").strip().removeprefix(b"[")
    name = _ATTRIBUTE_PATH.match(inner.decode("utf-8", "replace"))
    path = name.group(0).replace(" ", "") if name is not None else ""
    if not path or path in _BUILTIN_ATTRIBUTES or path.startswith(("clippy::", "rustfmt::")):
        return ()
    return (path,)


_ATTRIBUTE_PATH = re.compile(r"\s*(?:::)?[A-Za-z_][A-Za-z0-9_]*(?:\s*::\s*[A-Za-z_][A-Za-z0-9_]*)*")


def _attribute_name(attribute: Node) -> str:
    first = attribute.named_children[0] if attribute.named_children else None
    return text(first) if first is not None else ""


def attribute_bodies(attribute_items: Iterable[Node]) -> Iterator[str]:
    """What attributes say, as written inside `#[..]` / `#![..]` with spaces collapsed:
    `unsafe(no_mangle)` unwrapped to `no_mangle`, and `cfg_attr(cond, a, b)` opened to
    `a` and `b` — its condition taken as true (it usually leaves out only tests)."""
    for item in attribute_items:
        for attribute in item.named_children:
            if attribute.type == "attribute":
                yield from _said(text(attribute))


@lru_cache(maxsize=1024)
def _said(written: str) -> tuple[str, ...]:
    """What one attribute says (`attribute_bodies`), by its text: the same few are
    written on every export."""
    return tuple(_opened(_SPACES.sub(" ", written).strip()))


def _opened(body: str, depth: int = 0) -> Iterator[str]:
    for wrapper in ("unsafe", "cfg_attr"):
        inner = _call_arguments(body, wrapper)
        if inner is None:
            continue
        parts = split_arguments(inner)
        if wrapper == "unsafe" and len(parts) == 1:
            body = parts[0]  # `unsafe(no_mangle)` -> `no_mangle`
        elif wrapper == "cfg_attr" and depth < 4:
            for part in parts[1:]:
                yield from _opened(part, depth + 1)
            return
    yield body


def _call_arguments(body: str, name: str) -> str | None:
    """`a, b` of `name(a, b)`; None when `body` is not that."""
    if not body.startswith(name) or not body.endswith(")"):
        return None
    rest = body[len(name) :].lstrip()
    return rest[1:-1] if rest.startswith("(") else None


def split_arguments(arguments: str) -> list[str]:
    """`a, b(c, d), "e,f"` -> [`a`, `b(c, d)`, `"e,f"`]: the comma-separated parts at the
    top level, stripped (empty parts left out)."""
    parts, depth, start, quoted, escaped = [], 0, 0, False, False
    for i, char in enumerate(arguments):
        if quoted:
            escaped, quoted = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(arguments[start:i].strip())
            start = i + 1
    parts.append(arguments[start:].strip())
    return [part for part in parts if part]


_EXPORT_NAME = re.compile(r'^export_name\s*=\s*"(?P<symbol>[^"]*)"$')


def export_symbol(function: Node) -> str | None:
    """The symbol a function is exported under, or None when it is not exported."""
    for body in attribute_bodies(attributes_of(function)):
        if body == "no_mangle":
            return text(function.child_by_field_name("name"))
        match = _EXPORT_NAME.match(body)
        if match:
            return match.group("symbol")
    return None


def function_abi(function: Node) -> str | None:
    """The ABI of a function item: "C" for a bare `extern`, None without `extern`."""
    for child in function.children:
        kind = child.type
        if kind == "fn":
            return None  # modifiers come before `fn`
        if kind != "function_modifiers":
            continue
        for modifier in child.children:
            if modifier.type == "extern_modifier":
                literal = next((c for c in modifier.children if c.type == "string_literal"), None)
                if literal is None:
                    return "C"
                return text(literal).strip('"')
    return None


def has_modifier(function: Node, keyword: str) -> bool:
    """`unsafe`, `async`, `const` in a function's modifiers."""
    for child in function.children:
        kind = child.type
        if kind == "function_modifiers":
            return any(modifier.type == keyword for modifier in child.children)
        if kind == "fn":
            return False  # modifiers come before `fn`
    return False


def is_pub(item: Node) -> bool:
    for child in item.children:  # noqa: SIM110 (asked of every item: a loop, not a generator)
        if child.type == "visibility_modifier":
            return True
    return False


def as_exported(function: Node) -> ExportedFunction | None:
    """The export a function item is, or None when it is not an exported function."""
    abi = function_abi(function)
    if abi not in EXPORT_ABIS:
        return None
    symbol = export_symbol(function)
    return ExportedFunction(function, symbol, abi) if symbol else None


def normalize_type(node: Node | None) -> str:
    """A type's text in one canonical spelling: `& 'a mut  Foo` -> `&mut Foo`."""
    if node is None:
        return "()"
    return _normalized(text(node))


@lru_cache(maxsize=4096)
def _normalized(written: str) -> str:
    spelled = _SPACES.sub(" ", _LIFETIME.sub("", written)).strip()
    spelled = _TIGHT_BEFORE.sub(r"\1", _TIGHT_AFTER.sub(r"\1", spelled))
    return spelled.replace(",", ", ").replace(",  ", ", ")


def repr_of(item: Node) -> tuple[str, ...]:
    """The arguments of an item's `#[repr(...)]` attributes: ("C",), ("u8",), ("C", "packed")."""
    found: list[str] = []
    for attribute_item in attributes_of(item):
        for attribute in attribute_item.named_children:
            if attribute.type != "attribute" or _attribute_name(attribute) != "repr":
                continue
            arguments = attribute.child_by_field_name("arguments")
            if arguments is not None:
                found += [
                    text(n)
                    for n in arguments.named_children
                    if n.type in ("identifier", "primitive_type")
                ]
    return tuple(found)


def is_public(item: Node) -> bool:
    """Plain `pub` (not `pub(crate)`, `pub(super)`)."""
    return any(
        child.type == "visibility_modifier" and text(child) == "pub" for child in item.children
    )


def impl_type_of(function: Node) -> str | None:
    """The type name of the `impl` (or trait) block a function is declared in."""
    parent = function.parent
    holder = parent.parent if parent is not None and parent.type == "declaration_list" else None
    if holder is None:
        return None
    if holder.type == "trait_item":
        return text(holder.child_by_field_name("name")) or None
    if holder.type != "impl_item":
        return None
    return _type_name(holder.child_by_field_name("type"))


def _type_name(kind: Node | None) -> str | None:
    """`Buf` of `Buf`, `Buf<T>` or `crate::io::Buf`; `<*const c_char>` of a raw pointer."""
    if kind is not None and kind.type == "pointer_type":
        return pointer_owner(kind)
    while kind is not None and kind.type in ("generic_type", "scoped_type_identifier"):
        kind = kind.child_by_field_name("type" if kind.type == "generic_type" else "name")
    return text(kind) or None if kind is not None else None


def pointer_owner(pointer: Node) -> str | None:
    """How the methods of a raw pointer type are owned (`impl ToStr for *const c_char`
    and a call `name.to_str()` on a `name: *const std::ffi::c_char` meet on
    `<*const c_char>`): the pointee by its last segment, in angle brackets (no `*`
    in front, which the call graph reads as a dereference). None for a pointer to
    anything but a named or primitive type."""
    pointee = pointer.child_by_field_name("type")
    while pointee is not None and pointee.type in ("generic_type", "scoped_type_identifier"):
        pointee = pointee.child_by_field_name("type" if pointee.type == "generic_type" else "name")
    if pointee is None or pointee.type not in ("type_identifier", "primitive_type"):
        return None
    constness = "mut" if any(c.type == "mutable_specifier" for c in pointer.children) else "const"
    return f"<*{constness} {text(pointee)}>"


def implemented_trait(impl: Node) -> tuple[str, str] | None:
    """(type, trait) of `impl Trait for Type { .. }`; None for an inherent `impl`."""
    trait = _type_name(impl.child_by_field_name("trait"))
    kind = _type_name(impl.child_by_field_name("type"))
    return (kind, trait) if trait and kind else None


def derives_of(item: Node) -> list[str]:
    """The macros an item's `#[derive(..)]` attributes name, by their last segment:
    `#[derive(Clone, my_crate::DropFields)]` -> ["Clone", "DropFields"]."""
    found = []
    for body in attribute_bodies(attributes_of(item)):
        if body.startswith("derive") and body.endswith(")") and "(" in body:
            arguments = body[body.index("(") + 1 : -1]
            found += [name.rsplit("::", 1)[-1].strip() for name in split_arguments(arguments)]
    return found


def impl_trait_of(function: Node) -> str | None:
    """The trait a function implements for a type: `Clone` in `impl Clone for Buf`,
    `From` in `impl From<Vec<u8>> for Buf`; None outside `impl Trait for ..` blocks."""
    parent = function.parent
    holder = parent.parent if parent is not None and parent.type == "declaration_list" else None
    if holder is None or holder.type != "impl_item":
        return None
    return _type_name(holder.child_by_field_name("trait"))


def is_test_code(function: Node) -> bool:
    """A `#[test]` function, or one inside a `#[cfg(test)]` module."""
    tests = ("#[test]", "#[cfg(test)]")
    if any(_SPACES.sub("", text(a)) in tests for a in attributes_of(function)):
        return True
    parent = function.parent
    while parent is not None:
        if parent.type == "mod_item" and any(
            _SPACES.sub("", text(a)) == "#[cfg(test)]" for a in attributes_of(parent)
        ):
            return True
        parent = parent.parent
    return False


def public_extern_functions(items: Iterable[Node]) -> Iterator[Node]:
    """Every `pub` function with a C-family ABI among items, exported under a symbol or
    not (a callback handed to C is as public as an export)."""
    for node in items:
        if node.type == "function_item" and is_public(node) and function_abi(node) in EXPORT_ABIS:
            yield node


def signature_types(function: Node, wrapper: str = "") -> list[tuple[str, Node]]:
    """(role, type) of each typed parameter and of the return type:
    ("parameter `name`", ..), ("return type", ..); the inside of a return type
    wrapped in `wrapper<..>` (ExportMacro.return_wrapper)."""
    parameters = function.child_by_field_name("parameters")
    found = []
    for parameter in parameters.named_children if parameters is not None else ():
        kind = parameter.child_by_field_name("type")
        if parameter.type == "parameter" and kind is not None:
            found.append((f"parameter `{text(parameter.child_by_field_name('pattern'))}`", kind))
    returns = function.child_by_field_name("return_type")
    if returns is not None and wrapper:
        returns = unwrapped_type(returns, wrapper)
    if returns is not None:
        found.append(("return type", returns))
    return found


def unwrapped_type(kind: Node, wrapper: str) -> Node | None:
    """The first type argument of `wrapper<..>` (`Result<T>` -> `T`); the type itself
    when it is no such generic."""
    name = kind.child_by_field_name("type") if kind.type == "generic_type" else None
    arguments = kind.child_by_field_name("type_arguments") if name is not None else None
    if name is None or arguments is None or text(name).rsplit("::", 1)[-1] != wrapper:
        return kind
    return next((a for a in arguments.named_children if a.type != "lifetime"), kind)
