"""The Rust part of the project index: facts grouped by crate, looked up by name."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.rust.facts import RustEnum, RustExport, RustFileFacts, RustStruct

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex

Crate = str | None  # the directory of the crate's Cargo.toml; None outside any crate


class RustIndex:
    def __init__(self, project: ProjectIndex) -> None:
        self._project = project

    @cached_property
    def files_by_crate(self) -> dict[Crate, list[tuple[str, RustFileFacts]]]:
        grouped: dict[Crate, list[tuple[str, RustFileFacts]]] = defaultdict(list)
        for facts in self._project.by_kind[FileKind.RUST]:
            if facts.rust is not None:
                grouped[self.crate_of(facts.path)].append((facts.path, facts.rust))
        return grouped

    def crate_of(self, path: str) -> Crate:
        return self._project.crate_dir_of(path)

    @cached_property
    def _exports_by_crate(self) -> dict[Crate, list[tuple[str, RustExport]]]:
        return {
            crate: [(path, e) for path, rust in files for e in rust.exports]
            for crate, files in self.files_by_crate.items()
        }

    def exports_in_crate(self, crate: Crate) -> list[tuple[str, RustExport]]:
        """(file, export) of every exported function of a crate."""
        return self._exports_by_crate.get(crate, [])

    @cached_property
    def exports_by_symbol(self) -> dict[str, list[tuple[str, RustExport]]]:
        """Every export of the project by linker symbol (several crates may share one)."""
        grouped: dict[str, list[tuple[str, RustExport]]] = defaultdict(list)
        for exports in self._exports_by_crate.values():
            for path, export in exports:
                grouped[export.symbol].append((path, export))
        return grouped

    @cached_property
    def _types_by_crate(self) -> dict[Crate, dict[str, tuple[str, RustStruct | RustEnum]]]:
        types: dict[Crate, dict[str, tuple[str, RustStruct | RustEnum]]] = defaultdict(dict)
        for crate, files in self.files_by_crate.items():
            for path, rust in files:
                for item in (*rust.structs, *rust.enums):
                    types[crate].setdefault(item.name, (path, item))
        return types

    def type_named(self, crate: Crate, name: str) -> tuple[str, RustStruct | RustEnum] | None:
        """The struct or enum of that name declared in the crate, with its file."""
        return self._types_by_crate.get(crate, {}).get(name)

    @cached_property
    def _aliases_by_crate(self) -> dict[Crate, dict[str, str]]:
        aliases: dict[Crate, dict[str, str]] = defaultdict(dict)
        for crate, files in self.files_by_crate.items():
            for _, rust in files:
                for alias in rust.aliases:
                    aliases[crate].setdefault(alias.name, alias.target)
                for rename in rust.renames:
                    aliases[crate].setdefault(rename.alias, rename.original)
        return aliases

    def resolve_name(self, crate: Crate, name: str) -> str:
        """Follow `type X = ..;` and `use .. as X;` from a type name (cycles stop)."""
        aliases = self._aliases_by_crate.get(crate, {})
        seen = set()
        while name in aliases and name not in seen:
            seen.add(name)
            name = aliases[name]
        return name
