"""What the crate's names stand for, asked by crate: aliases, renames, imports.

Mixed into `RustIndex`. `type Handle = *mut Engine;` and `use .. as X;` in any
file of a crate rename a type for the whole crate (rules.md: aliases and
renames are resolved wherever a rule looks at a type); a plain `use` of a
name that is also an unsized standard type's tells which one a file means.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.rust.facts import RustStruct
from interop_lint.analyzer.rust.types import STANDARD_CRATES

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex
    from interop_lint.analyzer.rust.facts import RustEnum, RustFileFacts
    from interop_lint.analyzer.rust.index import Crate

_AMBIGUOUS = "_"  # an alias's target that differs by `#[cfg]`: compared with nothing
# The type a written type names first: `HashMap` of `&mut HashMap<u32, String>`.
_TYPE_BASE = re.compile(r"[&\s]*(?:'\w+\s+)?(?:mut\s+)?([A-Za-z_][\w:]*)")
_CRATE_HOPS = 4  # path dependencies followed from one name (a cycle ends there)


class CrateNameQueries:
    """The name part of `RustIndex`, reading its files through `self`."""

    files_by_crate: dict[Crate, list[tuple[str, RustFileFacts]]]
    _project: ProjectIndex

    @cached_property
    def _aliases_by_crate(self) -> dict[Crate, dict[str, str]]:
        aliases: dict[Crate, dict[str, str]] = defaultdict(dict)
        for crate, files in self.files_by_crate.items():
            targets: dict[str, set[str]] = defaultdict(set)
            for _, rust in files:
                for alias in rust.aliases:
                    aliases[crate].setdefault(alias.name, alias.target)
                    targets[alias.name].add(alias.target)
                for rename in rust.renames:
                    if rename.alias != rename.original:
                        aliases[crate].setdefault(rename.alias, rename.original)
            for name, written in targets.items():
                if len(written) > 1:  # `#[cfg]`-gated widths (`type CLabel = u32;` or `usize`)
                    aliases[crate][name] = _AMBIGUOUS
        return aliases

    @cached_property
    def _imported_paths(self) -> dict[Crate, dict[str, set[str]]]:
        found: dict[Crate, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for crate, files in self.files_by_crate.items():
            for _, rust in files:
                for rename in rust.renames:
                    found[crate][rename.alias].add(rename.path)
        return found

    def imports_standard(self, crate: Crate, name: str) -> bool | None:
        """Whether the crate's `use` declarations import `name` from `std`, `core` or
        `alloc` only (`use std::path::Path;`), or from elsewhere too (`use
        fcmps::Path;`); None when none imports it. Kept for the names of unsized
        standard types and their modules (rust.extract `_use_clauses`)."""
        imported = self._imported_paths.get(crate, {}).get(name)
        if not imported:
            return None
        return all(path.split("::", 1)[0] in STANDARD_CRATES for path in imported)

    @cached_property
    def _imported_from_crates(self) -> dict[Crate, dict[str, str]]:
        """By crate, the path each name is imported by from another crate (`use ..`)."""
        found: dict[Crate, dict[str, str]] = defaultdict(dict)
        for crate, files in self.files_by_crate.items():
            for _, rust in files:
                for imported in (*rust.imports, *rust.renames):
                    found[crate].setdefault(imported.alias, imported.path.lstrip(":"))
        return found

    def resolve_name(self, crate: Crate, name: str, hops: int = _CRATE_HOPS) -> str:
        """Follow `type X = ..;` and `use .. as X;` from a type name (cycles stop), and
        into the crate of the project a `use` imports it from."""
        aliases = self._aliases_by_crate.get(crate, {})
        imported = self._imported_from_crates.get(crate, {})
        path = imported.get(name)  # what the name's `use` imports, kept through its rename
        seen = set()
        while name in aliases and name not in seen:
            seen.add(name)
            name = aliases[name]
            if path is None or path.rsplit("::", 1)[-1] != name:
                path = imported.get(name)
        if hops and path is not None and name[:1].isupper():
            dependency = self._project.path_dependencies_by_name(crate).get(path.split("::")[0])
            if dependency is not None:
                resolved = self.resolve_name(dependency, name, hops - 1)
                if resolved != name:
                    return resolved
        return name

    @cached_property
    def _types_by_name(self) -> dict[Crate, dict[str, list[tuple[str, RustStruct | RustEnum]]]]:
        found: dict[Crate, dict[str, list[tuple[str, RustStruct | RustEnum]]]] = {}
        for crate, files in self.files_by_crate.items():
            by_name: dict[str, list[tuple[str, RustStruct | RustEnum]]] = defaultdict(list)
            for path, rust in files:
                for item in (*rust.structs, *rust.enums):
                    by_name[item.name].append((path, item))
            found[crate] = dict(by_name)
        return found

    def types_named(self, crate: Crate, name: str) -> list[tuple[str, RustStruct | RustEnum]]:
        """(file, item) of every struct and enum of that name in the crate, in file order:
        modules may declare several (an FFI mirror `ffi::Mode` beside the engine's
        `enc::Mode`)."""
        return self._types_by_name.get(crate, {}).get(name, [])

    def type_named(self, crate: Crate, name: str) -> tuple[str, RustStruct | RustEnum] | None:
        """The first struct or enum of that name declared in the crate, with its file."""
        found = self.types_named(crate, name)
        return found[0] if found else None

    def field_type(self, crate: Crate, kind: str, field: str) -> str | None:
        """The type of the field `field` of the crate's struct `kind` as written; None
        when no struct or several of that name have it, or it is a type parameter."""
        found = {
            f.type
            for _, item in self.types_named(crate, kind)
            if isinstance(item, RustStruct)
            for f in item.fields
            if f.name == field and f.type not in item.generics
        }
        if len(found) == 1:
            return found.pop()
        # Structs of one name in several modules: when no field type is one of the
        # crate's (`HashMap<u32, String>` here, `Vec<String>` there), none has its methods.
        if found and not any(self._names_crate_type(crate, written) for written in found):
            return min(found)
        return None

    def _names_crate_type(self, crate: Crate, written: str) -> bool:
        base = _TYPE_BASE.match(written)
        name = base.group(1).rsplit("::", 1)[-1] if base is not None else ""
        return not name or bool(self.types_named(crate, self.resolve_name(crate, name)))

    def call_owner(self, crate: Crate, qualifier: str | None, self_type: str | None) -> str | None:
        """The type whose functions a call's qualifier names (`Self` in an `impl` of
        `self_type`, aliases resolved); None for a module or no qualifier."""
        owner = self_type if qualifier == "Self" else qualifier
        return self.resolve_name(crate, owner) if owner and owner[:1].isupper() else None
