"""Questions about Rust syntax trees that several rules and extractors ask.

"Exported function" (rules.md): a `fn` with a C-family ABI (`extern "C"`, a
bare `extern`, `"C-unwind"`, `"system"`; also the platforms' C conventions,
`"stdcall"`, `"win64"`, ..) exported under a symbol by
`#[no_mangle]`, `#[unsafe(no_mangle)]`, `#[export_name = ".."]` or
`#[unsafe(export_name = "..")]` (the name may be a macro's: `concat!(..)`,
zlib-rs's `prefix!(crc32)`) — also inside `#[cfg_attr(cond, ..)]`,
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
from interop_lint.analyzer.rust.attributes import (
    attribute_bodies,
    attributes_of,
    split_arguments,
)

# The nodes of a function's parameter list that take a position (attributes and
# comments among them do not).
PARAMETER_KINDS = frozenset({"parameter", "self_parameter", "variadic_parameter"})

# C and the platforms' C calling conventions: a Windows DLL's `extern "stdcall"`
# exports are called from `ctypes.WinDLL` as `extern "C"` ones are from `CDLL`.
_PLATFORM_ABIS = ("stdcall", "cdecl", "fastcall", "vectorcall", "thiscall", "win64", "sysv64")
EXPORT_ABIS = frozenset(
    {"C", "system", "aapcs", "efiapi", *_PLATFORM_ABIS}
    | {f"{abi}-unwind" for abi in ("C", "system", "aapcs", *_PLATFORM_ABIS)}
)
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
    # Its return type is written as a word of the macro (`-> Binary`), not a type.
    return_unknown: bool = False
    symbol_guessed: bool = False  # `export_name = prefix!(..)` (ExportSymbol.guessed)
    # Made by a crate macro that writes `pub` / `unsafe` itself (ExportMacro).
    made_pub: bool = False
    made_unsafe: bool = False


_EXPORT_NAME = re.compile(r'^export_name\s*=\s*"(?P<symbol>[^"]*)"$')
# `export_name = prefix!(crc32)` (zlib-rs, libbz2-rs-sys), `= concat!("lib_", "crc32")`
_EXPORT_NAME_MACRO = re.compile(
    r"^export_name\s*=\s*(?P<macro>[\w:]+)\s*!\s*[(\[{](?P<arguments>.*)[)\]}]$", re.S
)
_STRINGIFIED = re.compile(r'^(?:"(?P<literal>[^"\\]*)"|stringify\s*!\s*\(\s*(?P<word>\w+)\s*\))$')


class ExportSymbol(Struct, frozen=True):
    symbol: str
    guessed: bool = False  # a macro spells it: taken to be the function's name


def export_symbol(function: Node) -> str | None:
    """The symbol a function is exported under, or None when it is not exported."""
    found = exported_as(function)
    return found.symbol if found is not None else None


def exported_as(function: Node) -> ExportSymbol | None:
    """How a function is exported, or None when it is not. An `export_name` a macro
    spells is evaluated for `concat!` of literals and `stringify!`; another macro's
    (`prefix!(crc32)`, which may add a configured prefix) is taken to give the
    function's name, a guess (the crate then may export symbols no fact names).
    With both attributes rustc ignores `no_mangle`: `export_name` names the symbol."""
    no_mangle = False
    for body in attribute_bodies(attributes_of(function)):
        if body == "no_mangle":
            no_mangle = True
            continue
        match = _EXPORT_NAME.match(body)
        if match:
            return ExportSymbol(match.group("symbol"))
        match = _EXPORT_NAME_MACRO.match(body)
        if match:
            spelled = _spelled_symbol(match.group("macro"), match.group("arguments"))
            if spelled is not None:
                return ExportSymbol(spelled)
            return ExportSymbol(text(function.child_by_field_name("name")), guessed=True)
    return ExportSymbol(text(function.child_by_field_name("name"))) if no_mangle else None


def _spelled_symbol(macro: str, arguments: str) -> str | None:
    """The string `concat!`/`stringify!` make of literal arguments, else None."""
    if macro.endswith("stringify"):
        word = arguments.strip()
        return word if word.isidentifier() else None
    if not macro.endswith("concat"):
        return None
    parts = []
    for argument in split_arguments(arguments):
        match = _STRINGIFIED.match(argument)
        if match is None:
            return None
        literal = match.group("literal")
        parts.append(literal if literal is not None else match.group("word"))
    return "".join(parts)


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
    exported = exported_as(function)
    if exported is None or not exported.symbol:
        return None
    return ExportedFunction(function, exported.symbol, abi, symbol_guessed=exported.guessed)


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
    """The arguments of an item's `#[repr(...)]` attributes: ("C",), ("u8",), ("C", "packed");
    also under `cfg_attr(feature = "ffi", repr(C))`, its condition taken as true (a crate
    built for C and for Rust alone gives its C layout with the feature that exports)."""
    found: list[str] = []
    for body in attribute_bodies(attributes_of(item)):
        if body.startswith("repr") and body.endswith(")"):
            arguments = body[4:].lstrip()
            if arguments.startswith("("):
                found += [a for a in split_arguments(arguments[1:-1]) if _REPR_WORD.fullmatch(a)]
    return tuple(found)


_REPR_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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


# Bounds that name no trait whose functions a call could mean.
_MARKER_TRAITS = frozenset(
    {"Sized", "Send", "Sync", "Copy", "Clone", "Unpin", "Default", "Debug", "Eq", "PartialEq"}
)


def trait_bounds(function: Node) -> dict[str, str]:
    """The trait each type parameter of a function is bound by, its first that is no
    marker (`F` -> `BoxCastPtr` of `<F: BoxCastPtr + Send>` or `where F: ..`)."""
    found: dict[str, str] = {}
    declared = function.child_by_field_name("type_parameters")
    bounded = [
        (p.child_by_field_name("name"), p.child_by_field_name("bounds"))
        for p in (declared.named_children if declared is not None else ())
    ]
    for holder in function.named_children:
        if holder.type == "where_clause":
            bounded += [
                (p.child_by_field_name("left"), p.child_by_field_name("bounds"))
                for p in holder.named_children
            ]
    for name, bounds in bounded:
        traits = [_type_name(b) for b in (bounds.named_children if bounds is not None else ())]
        named = next((t for t in traits if t and t not in _MARKER_TRAITS), None)
        if name is not None and named is not None:
            found.setdefault(text(name), named)
    return found


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


def signature_types(
    function: Node, wrapper: str = "", *, with_return: bool = True
) -> list[tuple[str, Node]]:
    """(role, type) of each typed parameter and of the return type:
    ("parameter `name`", ..), ("return type", ..); the inside of a return type
    wrapped in `wrapper<..>` (ExportMacro.return_wrapper); no return type without
    `with_return` (ExportedFunction.return_unknown)."""
    parameters = function.child_by_field_name("parameters")
    found = []
    for parameter in parameters.named_children if parameters is not None else ():
        kind = parameter.child_by_field_name("type")
        if parameter.type == "parameter" and kind is not None:
            found.append((f"parameter `{text(parameter.child_by_field_name('pattern'))}`", kind))
    returns = function.child_by_field_name("return_type") if with_return else None
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


def enclosing_module(node: Node) -> str | None:
    """The name of the innermost inline `mod name { .. }` around `node`, if any."""
    outer = node.parent
    while outer is not None and outer.type != "mod_item":
        outer = outer.parent
    name = outer.child_by_field_name("name") if outer is not None else None
    return text(name) if name is not None else None
