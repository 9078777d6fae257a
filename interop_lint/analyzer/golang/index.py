"""The Go part of the project index: files grouped by package directory."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.golang.facts import GoFileFacts
from interop_lint.analyzer.golang.package import GoPackage

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex


class GoIndex:
    def __init__(self, project: ProjectIndex) -> None:
        self._project = project
        self._packages: dict[str, GoPackage] = {}

    @cached_property
    def packages(self) -> dict[str, list[tuple[str, GoFileFacts]]]:
        """(file, facts) of every Go file, by package directory."""
        grouped: dict[str, list[tuple[str, GoFileFacts]]] = defaultdict(list)
        for facts in self._project.by_kind[FileKind.GO]:
            if facts.go is not None:
                grouped[posixpath.dirname(facts.path)].append((facts.path, facts.go))
        return grouped

    @cached_property
    def exported_to_c(self) -> frozenset[str]:
        """The functions Go files export to C (`//export Name`): callbacks a crate
        imports, which a shared header may declare beside the crate's exports."""
        return frozenset(
            name for files in self.packages.values() for _, go in files for name in go.c_exports
        )

    def package_files(self, path: str) -> list[tuple[str, GoFileFacts]]:
        """The files of the package `path` belongs to (itself included)."""
        return self.packages.get(posixpath.dirname(path), [])

    def is_cgo_package(self, directory: str) -> bool:
        """Whether a file of the Go package in `directory` imports "C"."""
        return any(go.imports_c for _, go in self.packages.get(directory, ()))

    def package_of(self, path: str) -> GoPackage:
        """The package of the Go file at `path`: its types, functions, handle releases.

        Test files (`_test.go`) of an external test package (`package x_test`)
        share the directory but not the package; files are grouped by both.
        """
        directory = posixpath.dirname(path)
        facts = self._project.files.get(path)
        own = facts.go if facts is not None and facts.kind is FileKind.GO else None
        mine = own.package if own is not None else None
        key = f"{directory}\0{mine}"
        package = self._packages.get(key)
        if package is None:
            members = [(p, go) for p, go in self.packages.get(directory, ()) if go.package == mine]
            package = self._packages[key] = GoPackage(
                [go for _, go in members], self._c_ownership(directory, [p for p, _ in members])
            )
        return package

    @cached_property
    def _c_sources(self) -> dict[str, list[str]]:
        """The C source files of the project, by directory."""
        found: dict[str, list[str]] = defaultdict(list)
        for facts in self._project.by_kind[FileKind.C_SOURCE]:
            found[posixpath.dirname(facts.path)].append(facts.path)
        return found

    def _c_ownership(self, directory: str, paths: list[str]) -> set[tuple[str, int]]:
        """What the C functions of the package's headers and C files take ownership of:
        those the preambles include, and the C files cgo compiles with the package
        (those of its directory)."""
        c = self._project.c
        units = [u for p in paths if p in c.units for u in c.context(p)[1:]]
        units += self._c_sources.get(directory, [])
        found: set[tuple[str, int]] = set()
        for unit in dict.fromkeys(units):
            if unit in c.units:
                found.update(c.units[unit].ownership)
        return found
