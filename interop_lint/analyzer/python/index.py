"""The Python part of the project index: ctypes bindings linked to Rust crates.

One project may hold several crates that export the same names, so a
library handle is never compared with "any export of that name". Each
handle is linked to one crate:

1. By the library it loads: the literal file name (`./libengine.so`,
   `engine.dll`, `find_library("engine")`, the last literal part of a
   joined path) against each crate's library name (`[lib] name`, else the
   package's name with `-` as `_`). Among crates of that name, the nearest
   by path (most leading directories shared) wins.
2. Else by what it binds: the crates that export every function bound on
   the handle (when its path is computed: every one that some crate
   exports), the nearest by path among those that build a shared library.
   A tie links nothing.

A crate's library carries the exports of the crates it depends on by path
(a thin cdylib that re-exports an FFI crate with `pub use ffi::*`).

A function bound on a handle that its crate does not export is not
compared: it comes from somewhere else (libc, a C library loaded the same
way).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.clang.paths import directory_of, nearest_unique
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.python.facts import (
    CtypesBinding,
    CtypesStructure,
    CtypesType,
    PythonFileFacts,
)
from interop_lint.analyzer.rust.facts import RustExport

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex

Crate = str | None  # a crate's directory


_MAX_IMPORTS = 8
_MAX_DEPENDENCY_DEPTH = 3  # a cdylib re-exporting a crate that re-exports another


@dataclass
class _Uses:
    """Every file's bindings, by the library they bind once imports are followed."""

    bound: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    restyped: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    files: dict[tuple[tuple[str, int], str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    dynamic: set[tuple[str, int]] = field(default_factory=set)


def _normal(name: str) -> str:
    return name.replace("-", "_")


class PythonIndex:
    def __init__(self, project: ProjectIndex) -> None:
        self._project = project
        self._links: dict[tuple[str, int], Crate] = {}
        self._carried_memo: dict[Crate, list[Crate]] = {}

    @cached_property
    def files(self) -> dict[str, PythonFileFacts]:
        """The ctypes facts of every Python file that has them, by path."""
        return {
            f.path: f.python for f in self._project.by_kind[FileKind.PYTHON] if f.python is not None
        }

    # -- linking -------------------------------------------------------------------

    @cached_property
    def _crates_by_library_name(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for directory, manifest in self._project.cargo_manifests.items():
            name = manifest.library_name if manifest.package else None
            if name:
                found[_normal(name)].append(directory)
        return found

    def crate_of(self, path: str, library: int) -> Crate:
        """The crate a library handle of a Python file loads, or None."""
        key = (path, library)
        if key not in self._links:
            self._links[key] = self._link(path, library)
        return self._links[key]

    def _link(self, path: str, library: int) -> Crate:
        path, library = self.root_of(path, library)
        facts = self.files.get(path)
        if facts is None or library >= len(facts.libraries):
            return None
        if facts.libraries[library].loader == "instance":
            return None  # an attribute of an object whose class loads no library
        here = directory_of(path)
        named: list[str] = []
        name = facts.libraries[library].name
        if name:
            for candidate in dict.fromkeys((_normal(name), _normal(name.removeprefix("lib")))):
                named += self._crates_by_library_name.get(candidate, [])
            crate = nearest_unique(here, named, lambda c: c)
            if crate is not None:
                return crate
        symbols = self._uses.bound.get((path, library), set())
        exporting = self._crates_exporting_all(symbols, skip_unknown=not name)
        if named:
            exporting = [c for c in exporting if c in named]
        shared = [c for c in exporting if self._builds_shared_library(c)]
        return nearest_unique(here, shared or exporting, lambda c: c)

    def _crates_exporting_all(self, symbols: set[str], skip_unknown: bool) -> list[str]:
        """The crates whose library carries every bound symbol: exported by the crate
        or a crate it depends on by path, or generated by such a crate's macro. With
        `skip_unknown` (a library loaded from a computed path), a symbol no crate
        provides is left out (a stale name, libc through the same handle); a library
        named in the code that is no crate's must be one by every symbol."""
        crates: set[str] | None = None
        rust = self._project.rust
        for symbol in sorted(symbols):
            exporters = [rust.crate_of(p) for p, _ in rust.exports_by_symbol.get(symbol, [])]
            if skip_unknown and not exporters and not rust.crates_that_may_generate(symbol):
                continue
            exported = {
                dependent
                for crate in exporters or rust.crates_that_may_generate(symbol)
                if crate is not None
                for dependent in self._carried_by.get(crate, [crate])
            }
            crates = exported if crates is None else crates & exported
            if not crates:
                return []
        return sorted(crates or ())

    def _builds_shared_library(self, crate: str) -> bool:
        manifest = self._project.cargo_manifests.get(crate)
        return manifest is not None and bool({"cdylib", "dylib"} & set(manifest.crate_types))

    def _carried(self, crate: Crate) -> list[Crate]:
        """A crate and the crates it depends on by path, nearest first: a thin cdylib
        carries the exports of the crate it re-exports (`pub use ffi::*`). Asked once
        per binding: remembered per crate."""
        known = self._carried_memo.get(crate)
        if known is not None:
            return known
        found, pending = [crate], [crate]
        for _ in range(_MAX_DEPENDENCY_DEPTH):
            pending = [
                d
                for c in pending
                if c is not None
                for d in self._project.path_dependencies(c)
                if d not in found
            ]
            found += dict.fromkeys(pending)
        self._carried_memo[crate] = found
        return found

    @cached_property
    def _carried_by(self) -> dict[str, list[str]]:
        """Each crate with the crates whose library carries its exports (itself too)."""
        found: dict[str, list[str]] = defaultdict(list)
        for crate in self._project.cargo_manifests:
            for carried in self._carried(crate):
                if carried is not None:
                    found[carried].append(crate)
        return found

    @cached_property
    def _exports(self) -> dict[tuple[Crate, str], tuple[str, RustExport]]:
        found: dict[tuple[Crate, str], tuple[str, RustExport]] = {}
        for symbol, exports in self._project.rust.exports_by_symbol.items():
            for rust_path, export in exports:
                crate = self._project.rust.crate_of(rust_path)
                found.setdefault((crate, symbol), (rust_path, export))
        return found

    def export_for(self, path: str, binding: CtypesBinding) -> tuple[str, RustExport] | None:
        """The Rust export a binding binds: the linked crate's export of that symbol."""
        crate = self.crate_of(path, binding.library)
        if crate is None:
            return None
        for carried in self._carried(crate):
            found = self._exports.get((carried, binding.symbol))
            if found is not None:
                return found
        return None

    # -- handles imported from other modules ----------------------------------------

    @cached_property
    def _modules(self) -> dict[str, list[str]]:
        """Python files by each dotted name they may be imported as: `src/pkg/native.py`
        is `native`, `pkg.native` and `src.pkg.native`."""
        found: dict[str, list[str]] = defaultdict(list)
        for path in self.files:
            parts = path.removesuffix(".py").split("/")
            if parts[-1] == "__init__":
                parts.pop()
            for start in range(len(parts)):
                found[".".join(parts[start:])].append(path)
        return found

    def module_file(self, path: str, module: str) -> str | None:
        """The Python file (with ctypes facts) that `module` names where `path` imports it."""
        if module.startswith("."):
            directory = directory_of(path)
            for _ in range(len(module) - len(module.lstrip(".")) - 1):
                directory = directory_of(directory)
            rest = module.lstrip(".").replace(".", "/")
            base = f"{directory}/{rest}" if directory else rest
            candidates = [
                f"{base}.py",
                f"{base}/__init__.py" if rest else f"{directory}/__init__.py",
            ]
            return next((c.lstrip("/") for c in candidates if c.lstrip("/") in self.files), None)
        return nearest_unique(directory_of(path), self._modules.get(module, []), directory_of)

    def root_of(self, path: str, library: int) -> tuple[str, int]:
        """Where a library handle is loaded: an imported handle followed to its module."""
        for _ in range(_MAX_IMPORTS):
            facts = self.files.get(path)
            if facts is None or library >= len(facts.libraries):
                break
            origin = facts.libraries[library].origin
            module, _, name = origin.rpartition(":")
            target = self.module_file(path, module) if origin else None
            handle = (
                next((h for h in self.files[target].handles if h.name == name), None)
                if target is not None
                else None
            )
            if handle is None:
                break
            path, library = target, handle.library
        return path, library

    @cached_property
    def _uses(self) -> _Uses:
        uses = _Uses()
        for path, facts in self.files.items():
            for index, library in enumerate(facts.libraries):
                if library.dynamic:
                    uses.dynamic.add(self.root_of(path, index))
            for binding in facts.bindings:
                root = self.root_of(path, binding.library)
                uses.bound[root].add(binding.symbol)
                uses.files[(root, binding.symbol)].append(path)
                if binding.restypes:
                    uses.restyped[root].add(binding.symbol)
        return uses

    def reports_missing_restype(self, path: str, binding: CtypesBinding) -> bool:
        """Whether the file is where a function bound without any `restype` is reported:
        none is set in any module on that library, none may be under a computed name,
        and the file is the library's own module if it uses the function, else the
        first (by path) that does."""
        root = self.root_of(path, binding.library)
        uses = self._uses
        if root in uses.dynamic or binding.symbol in uses.restyped[root]:
            return False
        files = uses.files[(root, binding.symbol)]
        return path == (root[0] if root[0] in files else min(files))

    # -- names imported from other modules -----------------------------------------

    @cached_property
    def _definitions(self) -> dict[str, list[tuple[str, CtypesStructure | CtypesType]]]:
        found: dict[str, list[tuple[str, CtypesStructure | CtypesType]]] = defaultdict(list)
        for path, facts in self.files.items():
            for structure in facts.structures:
                found[structure.name].append((path, structure))
            for alias in facts.aliases:
                found[alias.name].append((path, alias.type))
        return found

    def named(self, path: str, name: str) -> CtypesStructure | CtypesType | None:
        """What a ctypes type name means in a file: its own structure, else the one
        definition of that name nearest to it in the project's Python files."""
        candidates = self._definitions.get(name, [])
        own = next((d for p, d in candidates if p == path), None)
        if own is not None:
            return own
        found = nearest_unique(directory_of(path), candidates, lambda c: directory_of(c[0]))
        return found[1] if found is not None else None
