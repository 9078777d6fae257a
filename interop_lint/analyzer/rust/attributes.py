"""What a Rust item's attributes and doc comments say, read from their text.

`attribute_bodies` opens the wrappers an attribute may hide in
(`unsafe(no_mangle)`, `cfg_attr(cond, ..)`), so that every question about
exports, layouts, derives and lints asks one spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from tree_sitter import Node

from interop_lint.analyzer.parsing import text

_ATTRIBUTE_SIBLINGS = frozenset({"attribute_item", "line_comment", "block_comment"})
_SPACES = re.compile(r"\s+")


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
            if attribute is not None and value is not None and attribute_name(attribute) == "doc":
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


def attribute_name(attribute: Node) -> str:
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
            if parts and _wasm_only(parts[0]):
                return  # not on any target cgo or ctypes loads a library for
            for part in parts[1:]:
                yield from _opened(part, depth + 1)
            return
    yield body


# `target_arch = "wasm32"`, `target_family = "wasm"`: a WebAssembly build only.
_WASM = re.compile(r'^target_(?:arch\s*=\s*"wasm(?:32|64)"|family\s*=\s*"wasm")$')


def _wasm_only(condition: str) -> bool:
    """Whether a `cfg` condition holds only when building for WebAssembly
    (`target_arch = "wasm32"`, or `all(..)` of such a part)."""
    inner = _call_arguments(condition, "all")
    if inner is not None:
        return any(_wasm_only(part) for part in split_arguments(inner))
    return _WASM.match(condition) is not None


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


_LINK_NAME = re.compile(r'^link_name\s*=\s*"([^"]+)"$')


def foreign_function_symbols(block: Node) -> list[str]:
    """The symbols of the functions an `extern "C" { .. }` block imports: a function's
    name, or its `#[link_name = ".."]`."""
    found = []
    body = block.child_by_field_name("body")
    for item in body.named_children if body is not None else ():
        name = item.child_by_field_name("name") if item.type == "function_signature_item" else None
        if name is None:
            continue
        linked = (_LINK_NAME.match(b) for b in attribute_bodies(attributes_of(item)))
        found.append(next((m.group(1) for m in linked if m is not None), text(name)))
    return found


_PATH = re.compile(r'^path\s*=\s*"([^"]+)"$')


def module_paths(root: Node) -> tuple[tuple[str, str], ...]:
    """(module, file) of the file's top-level `#[path = "file.rs"] mod module;`
    declarations: the module's items live in that file, whatever its name (one
    module may name two files, under `cfg_attr`)."""
    found = []
    for child in root.children:
        if child.type != "mod_item" or child.child_by_field_name("body") is not None:
            continue
        name = child.child_by_field_name("name")
        for body in attribute_bodies(attributes_of(child)) if name is not None else ():
            if (path := _PATH.match(body)) is not None:
                found.append((text(name), path.group(1)))
    return tuple(found)
