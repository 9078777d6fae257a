"""What the crate's names stand for, asked by crate: aliases, renames, imports.

Mixed into `RustIndex`. `type Handle = *mut Engine;` and `use .. as X;` in any
file of a crate rename a type for the whole crate (rules.md: aliases and
renames are resolved wherever a rule looks at a type); a plain `use` of a
name that is also an unsized standard type's tells which one a file means.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.rust.types import STANDARD_CRATES

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.facts import RustFileFacts
    from interop_lint.analyzer.rust.index import Crate

_AMBIGUOUS = "_"  # an alias's target that differs by `#[cfg]`: compared with nothing


class CrateNameQueries:
    """The name part of `RustIndex`, reading its files through `self`."""

    files_by_crate: dict[Crate, list[tuple[str, RustFileFacts]]]

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
        standard types and their modules (rust.extract `_renames`)."""
        imported = self._imported_paths.get(crate, {}).get(name)
        if not imported:
            return None
        return all(path.split("::", 1)[0] in STANDARD_CRATES for path in imported)

    def resolve_name(self, crate: Crate, name: str) -> str:
        """Follow `type X = ..;` and `use .. as X;` from a type name (cycles stop)."""
        aliases = self._aliases_by_crate.get(crate, {})
        seen = set()
        while name in aliases and name not in seen:
            seen.add(name)
            name = aliases[name]
        return name

    def call_owner(self, crate: Crate, qualifier: str | None, self_type: str | None) -> str | None:
        """The type whose functions a call's qualifier names (`Self` in an `impl` of
        `self_type`, aliases resolved); None for a module or no qualifier."""
        owner = self_type if qualifier == "Self" else qualifier
        return self.resolve_name(crate, owner) if owner and owner[:1].isupper() else None
