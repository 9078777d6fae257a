"""What a file's `use` declarations say: renames, imports from other crates, re-exports."""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.parsing import text, walk
from interop_lint.analyzer.rust.facts import RustUseRename
from interop_lint.analyzer.rust.types import STANDARD_CRATES, STANDARD_MODULES, UNSIZED

# A `use` that may rename a name, or import one that is also an unsized standard type's.
_IMPORTS_KEPT = UNSIZED | set(STANDARD_MODULES.values())
_MAY_RENAME = re.compile(rb"\bas\b|\b(?:" + b"|".join(n.encode() for n in _IMPORTS_KEPT) + rb")\b")
_USE_ITEM_HOLDERS = frozenset({"use_declaration", "use_list"})
# A `use` that may import a type from another crate: a capitalised name under a
# path that is not the standard library's nor the crate's own.
_MAY_IMPORT = re.compile(rb"\buse\s+(?!(?:::)?(?:std|core|alloc|crate|self|super)\b)[^;]*\b[A-Z]")
_LOCAL_ROOTS = STANDARD_CRATES | {"crate", "self", "super"}
# A `use` that may import a function: a path ending in a lower-case name.
_MAY_IMPORT_FUNCTION = re.compile(rb"::\s*(?:\{[^;]*)?\b[a-z_]\w*\s*[,;}]")
# Crates whose functions are imports from C (declarations of libc, the OS), never
# exports of this library, whatever a `pub use` makes of them.
_BINDING_CRATES = frozenset({"libc", "winapi", "windows", "windows_sys", "nix"})


def sort_use_clauses(
    data: bytes,
    declaration: Node,
    renames: list[RustUseRename],
    imports: list[RustUseRename],
    functions: list[RustUseRename],
) -> None:
    """Sort a use declaration's clauses, with their full paths: `x as y` clauses and
    plain imports of the names of unsized standard types and their modules (`use
    fcmps::Path;` names the crate's own `Path`, `use std::path;` makes `path::Path`
    the standard one: RS104) into `renames`; plain imports of capitalised names from
    other crates (`use blockstore::BlockHeight;`, an alias a workspace crate
    declares) into `imports`."""
    start, end = declaration.start_byte, declaration.end_byte
    if not (
        _MAY_RENAME.search(data, start, end)
        or _MAY_IMPORT.search(data, start, end)
        or _MAY_IMPORT_FUNCTION.search(data, start, end)
    ):
        return
    for clause in walk(declaration):
        if clause.type == "use_as_clause":
            path = text(clause.child_by_field_name("path"))
            alias = text(clause.child_by_field_name("alias"))
        elif clause.type == "scoped_identifier" and clause.parent.type in _USE_ITEM_HOLDERS:
            path, alias = text(clause), text(clause.child_by_field_name("name"))
        elif clause.type == "identifier" and clause.parent.type == "use_list":
            path = alias = text(clause)
        else:
            continue
        if not (alias and path):
            continue
        prefix = _use_list_prefix(clause)
        imported = RustUseRename(alias, f"{prefix}::{path}" if prefix else path)
        if clause.type == "use_as_clause" or alias in _IMPORTS_KEPT:
            renames.append(imported)
        elif alias[:1].isupper() and imported.path.split("::", 1)[0] not in _LOCAL_ROOTS:
            imports.append(imported)
        if alias[:1].islower() and "::" in imported.path and alias != "self":
            functions.append(imported)  # `use std::str::from_utf8;`, `use crate::text::parse;`


def foreign_reexports(declaration: Node) -> list[tuple[str, str]]:
    """(first path segment, name) of what a `pub use` may re-export from another
    crate, name `*` for a glob: a dependency's `#[no_mangle]` functions so
    re-exported are linked into this library and exported by it (wgpu-native's
    `pub use wgpu_core::command::{compute_ffi::*, render_ffi::*}`). Whether the
    segment names a dependency, not a module of the crate, is the index's to say."""
    visibility = declaration.children[0] if declaration.children else None
    argument = declaration.child_by_field_name("argument")
    if visibility is None or visibility.type != "visibility_modifier" or argument is None:
        return []
    if text(visibility) != "pub":
        return []  # `pub(crate)` re-exports nothing out of the crate
    root = text(argument).lstrip(":").split("::", 1)[0].split("{", 1)[0]
    if root in _LOCAL_ROOTS or root in _BINDING_CRATES or root.endswith("_sys"):
        return []
    names: list[tuple[str, str]] = []
    for clause in walk(declaration, prune=("use_wildcard", "use_as_clause")):
        if clause.type == "use_wildcard":
            names.append((root, "*"))
        elif clause.type == "use_as_clause":
            # The symbol keeps its `#[no_mangle]` name, whatever the alias.
            names.append((root, text(clause.child_by_field_name("path")).rsplit("::", 1)[-1]))
        elif clause.type == "scoped_identifier" and clause.parent.type in _USE_ITEM_HOLDERS:
            names.append((root, text(clause.child_by_field_name("name"))))
        elif clause.type == "identifier" and clause.parent.type == "use_list":
            names.append((root, text(clause)))
    return names


def _use_list_prefix(clause: Node) -> str:
    """`std::os::raw` for a clause inside `use std::os::raw::{c_char as cchar}`."""
    prefixes = []
    parent = clause.parent
    while parent is not None and parent.type != "use_declaration":
        if parent.type == "scoped_use_list":
            path = parent.child_by_field_name("path")
            if path is not None:
                prefixes.append(text(path))
        parent = parent.parent
    return "::".join(reversed(prefixes))
