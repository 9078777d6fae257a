"""The C part of the project index: units, includes, typedef scopes, declarations.

A *unit* is one file's C text: a header, a C source, or the cgo preamble of
a Go file (keyed by the Go file's path). A unit's *context* is itself and
the repository headers it includes, transitively: what a C compiler sees.
`#include "x.h"` resolves as a compiler would, relative to the including
file, then the preamble's `-I` directories; failing both, the repository
header of that name nearest to the includer stands in for it (the `-I` may
come from a build script). `<x.h>` is followed only where the build's `-I`
puts a repository header: the package's own directory for a cgo preamble
(`go build` compiles it with `-I` of the package directory, before the
preamble's flags), then the preamble's `-I` directories (`-I${SRCDIR}/include`
then `#include <engine.h>`); otherwise it is the system's.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.clang.facts import CFileFacts, CFunction, CKind, CStruct, CType
from interop_lint.analyzer.clang.linking import CrateLinks
from interop_lint.analyzer.clang.paths import directory_of, nearest_unique
from interop_lint.analyzer.discovery import FileKind

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex

_C_KINDS = (FileKind.C_HEADER, FileKind.C_SOURCE, FileKind.GO)


class CScope:
    """The typedefs and struct definitions visible in a unit: its own first, then its
    includes' in order."""

    def __init__(self, units: list[CFileFacts]) -> None:
        self._typedefs: dict[str, CType] = {}
        self._names_of: dict[str, set[str]] = defaultdict(set)
        self._structs: dict[str, CStruct] = {}
        self._int_enums: set[str] = set()
        for unit in units:
            self._int_enums.update(unit.int_enums)
            for struct in unit.structs:
                for name in struct.names:
                    self._structs.setdefault(name, struct)
            for typedef in unit.typedefs:
                self._typedefs.setdefault(typedef.name, typedef.type)
                target = typedef.type
                if target.kind is CKind.BASE and " " in target.name:
                    self._names_of[target.name].add(typedef.name)

    def typedef(self, name: str) -> CType | None:
        return self._typedefs.get(name)

    def typedef_names_of(self, spelled: str) -> frozenset[str]:
        return frozenset(self._names_of.get(spelled, ()))

    def struct(self, name: str) -> CStruct | None:
        """The definition of the struct or union going by `name` (tag or typedef name)."""
        return self._structs.get(name)

    def int_sized_enum(self, spelled: str) -> bool:
        """Whether the enum spelled `enum Mode` is `int`-sized for certain."""
        return spelled in self._int_enums


class CIndex:
    def __init__(self, project: ProjectIndex) -> None:
        self.project = project
        self._contexts: dict[str, tuple[str, ...]] = {}
        self._scopes: dict[str, CScope] = {}
        self._by_name: dict[str, dict[str, list[CFunction]]] = {}
        # Per-run answers of `analyzer.contract` (both sides' type models per unit),
        # kept here so that they go with the index.
        self.contract_cache: dict[object, object] = {}

    @cached_property
    def units(self) -> dict[str, CFileFacts]:
        """The C facts of every header, C source and Go file with a preamble, by path."""
        return {
            f.path: f.c for kind in _C_KINDS for f in self.project.by_kind[kind] if f.c is not None
        }

    def is_header(self, path: str) -> bool:
        return path.endswith(".h")

    def is_contract_header(self, path: str) -> bool:
        """A header the XL rules compare (every `.h`, unless `header-globs` narrows it)."""
        return self.is_header(path) and self.project.config.header_in_contract(path)

    def contract_unit(self, path: str) -> CFileFacts | None:
        """The C facts of a file that is part of the contract: a cgo preamble or a header."""
        unit = self.units.get(path)
        if unit is None or not (unit.is_preamble or self.is_contract_header(path)):
            return None
        return unit

    @cached_property
    def _headers_by_name(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for path in self.units:
            if self.is_header(path):
                found[posixpath.basename(path)].append(path)
        return found

    def includes_of(self, path: str) -> list[str]:
        """The repository headers a unit includes directly, resolved."""
        unit = self.units.get(path)
        if unit is None:
            return []
        directory = posixpath.dirname(path)
        found = []
        for include in unit.includes:
            if include.system:  # only where the `-I` of the build puts a repository header
                searched = (".", *unit.include_dirs) if unit.is_preamble else unit.include_dirs
                resolved = self._resolve_in(directory, searched, include.path)
            else:
                resolved = self._resolve(directory, unit.include_dirs, include.path)
            if resolved is not None and resolved != path:
                found.append(resolved)
        return found

    def _resolve(self, directory: str, include_dirs: tuple[str, ...], name: str) -> str | None:
        found = self._resolve_in(directory, (".", *include_dirs), name)
        if found is not None:
            return found
        suffix = "/" + name.lstrip("./")
        candidates = [
            p
            for p in self._headers_by_name.get(posixpath.basename(name), [])
            if p.endswith(suffix) or p == name
        ]
        return nearest_unique(directory, candidates, directory_of)

    def _resolve_in(self, directory: str, searched: tuple[str, ...], name: str) -> str | None:
        for search in searched:
            candidate = posixpath.normpath(posixpath.join(directory, search, name))
            if candidate in self.units:
                return candidate
        return None

    def context(self, path: str) -> tuple[str, ...]:
        """A unit and every repository header it includes, transitively, in include order."""
        cached = self._contexts.get(path)
        if cached is not None:
            return cached
        seen = {path: None}
        pending = [path]
        while pending:
            current = pending.pop(0)
            for included in self.includes_of(current):
                if included not in seen:
                    seen[included] = None
                    pending.append(included)
        result = self._contexts[path] = tuple(seen)
        return result

    def scope(self, path: str) -> CScope:
        scope = self._scopes.get(path)
        if scope is None:
            scope = self._scopes[path] = CScope(
                [self.units[p] for p in self.context(path) if p in self.units]
            )
        return scope

    def type_names(self, path: str) -> frozenset[str]:
        """Every type name a unit sees declared: typedefs, struct, union and enum tags."""
        return frozenset(
            name
            for unit in self.context(path)
            if unit in self.units
            for facts in (self.units[unit],)
            for name in (
                *(t.name for t in facts.typedefs),
                *(n for s in facts.structs for n in s.names),
                *facts.enums,
            )
        )

    def functions_in_context(self, path: str, name: str) -> list[tuple[str, CFunction]]:
        """Every declaration and definition of `name` a unit sees, with its unit."""
        return [
            (unit, function)
            for unit in self.context(path)
            for function in self._functions_by_name(unit).get(name, ())
        ]

    def _functions_by_name(self, path: str) -> dict[str, list[CFunction]]:
        found = self._by_name.get(path)
        if found is None:
            found = self._by_name[path] = defaultdict(list)
            unit = self.units.get(path)  # a Go file without a preamble has no C
            for function in unit.functions if unit is not None else ():
                found[function.name].append(function)
        return found

    @cached_property
    def definitions(self) -> dict[str, list[tuple[str, CFunction]]]:
        """Every C function definition with external linkage in the repository, by name."""
        found: dict[str, list[tuple[str, CFunction]]] = defaultdict(list)
        for path, unit in self.units.items():
            for function in unit.functions:
                if function.is_definition and not function.is_static:
                    found[function.name].append((path, function))
        return found

    @cached_property
    def includers(self) -> dict[str, list[str]]:
        """The units whose context contains a header, by header."""
        found: dict[str, list[str]] = defaultdict(list)
        for path in self.units:
            for included in self.context(path)[1:]:
                found[included].append(path)
        return found

    @cached_property
    def links(self) -> CrateLinks:
        """Which Rust crate each unit binds (see `clang.linking`)."""
        return CrateLinks(self.project, self)
