"""Clippy lint levels a crate sets, for the rules that are clippy lints at the boundary.

RS108 is clippy's `missing_safety_doc` (in the group `clippy::style`)
restricted to exports, RS103 is `not_unsafe_ptr_arg_deref` (in
`clippy::correctness`) restricted to `pub extern` functions. With
`follow-clippy-allows = true` a crate that turns the clippy lint off has
decided the question, and the rule is off there too. `allow` and `expect`
turn a lint off, `warn`, `deny` and `forbid` on, also inside
`cfg_attr(cond, ..)` (the condition taken as true). `clippy::all` does not
count: a blanket allow says nothing about these lints in particular.

The nearest setting wins, as in rustc: the function's own attributes, then
each enclosing `impl`, trait or inline `mod` (its outer and its inner
`#![..]` attributes), then the file's inner attributes; above the file
(`RustIndex.lint_allowed_above`), the attributes of the `mod name;` that
declares it in its parent module, that file's inner attributes, and so on
up to the crate root (`lib.rs`, `main.rs`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from tree_sitter import Node

from interop_lint.analyzer.rust.attributes import attribute_bodies, attributes_of, split_arguments
from interop_lint.analyzer.source import SourceFile

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.index import RustIndex

# The clippy lint a rule is, then the group that holds it.
RS103_LINTS = ("clippy::not_unsafe_ptr_arg_deref", "clippy::correctness")
RS108_LINTS = ("clippy::missing_safety_doc", "clippy::style")
_KNOWN = frozenset((*RS103_LINTS, *RS108_LINTS))
_MARKERS = tuple({name.split("::")[1].encode() for name in _KNOWN})
_LEVELS = {"allow": True, "expect": True, "warn": False, "deny": False, "forbid": False}
_HOLDERS = frozenset({"impl_item", "trait_item", "mod_item"})

# Whether a file may set lints, asked for each of its items (`may_set_lints`).
_SETS_LINTS: WeakKeyDictionary[SourceFile, bool] = WeakKeyDictionary()
# (lint, whether it is allowed), in the order the attributes set them.
Settings = tuple[tuple[str, bool], ...]


def may_set_lints(data: bytes) -> bool:
    """Whether a file may set one of the lints (a cheap test of its bytes)."""
    return b"clippy" in data and any(marker in data for marker in _MARKERS)


def settings_of(attribute_items: Iterable[Node]) -> Settings:
    """The levels of the known lints that attributes set."""
    found = []
    for body in attribute_bodies(attribute_items):
        level = body.split("(", 1)[0].strip()
        if level not in _LEVELS or not body.endswith(")"):
            continue
        for lint in split_arguments(body[body.index("(") + 1 : -1]):
            name = lint.replace(" ", "")
            if name in _KNOWN:
                found.append((name, _LEVELS[level]))
    return tuple(found)


def level(settings: Settings, lints: tuple[str, ...]) -> bool | None:
    """Whether the last of `settings` that names one of `lints` allows it (None: none does)."""
    for name, allowed in reversed(settings):
        if name in lints:
            return allowed
    return None


def file_settings(root: Node) -> Settings:
    """The levels the file's inner attributes (`#![allow(..)]`) set."""
    return settings_of(c for c in root.children if c.type == "inner_attribute_item")


def module_declarations(root: Node) -> tuple[tuple[str, str, bool], ...]:
    """(module, lint, allowed) set on the `mod name;` declarations of a file."""
    found = []
    for child in root.children:
        if child.type != "mod_item" or child.child_by_field_name("body") is not None:
            continue
        name = child.child_by_field_name("name")
        if name is not None and name.text:
            module = name.text.decode("utf-8", errors="replace")
            found += [
                (module, lint, allowed) for lint, allowed in settings_of(attributes_of(child))
            ]
    return tuple(found)


def turned_off(item: Node, lints: tuple[str, ...], source: SourceFile, index: RustIndex) -> bool:
    """Whether the crate allows one of the lints for an item of `source`: by the item's
    attributes and those of what holds it, else by the module tree above the file."""
    sets = _SETS_LINTS.get(source)
    if sets is None:
        sets = _SETS_LINTS[source] = may_set_lints(source.data)
    allowed = allowed_in_file(item, lints) if sets else None
    return index.lint_allowed_above(source.path, lints) if allowed is None else allowed


def allowed_in_file(item: Node, lints: tuple[str, ...]) -> bool | None:
    """Whether the attributes of an item and of what holds it in its file, up to (not
    including) the file's inner attributes, allow one of the lints; None when none is set."""
    found = level(settings_of(attributes_of(item)), lints)
    current = item.parent
    while found is None and current is not None and current.type != "source_file":
        holder = current.parent if current.type == "declaration_list" else None
        if holder is not None and holder.type in _HOLDERS:
            inner = (c for c in current.children if c.type == "inner_attribute_item")
            found = level(settings_of((*attributes_of(holder), *inner)), lints)
            current = holder
        current = current.parent
    return found
