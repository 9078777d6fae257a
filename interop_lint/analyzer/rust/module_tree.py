"""What the module tree sets for a file, up from its `mod` declaration to the crate root.

Mixed into `RustIndex`: a clippy lint allowed on `mod ffi;` or in `ffi.rs`'s inner
attributes holds for the whole file (RS103, RS108), and a `mod` documented
`cbindgen:ignore` hides its files from the header (XL104).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from interop_lint.analyzer.rust.lints import level

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex
    from interop_lint.analyzer.rust.facts import RustFileFacts
    from interop_lint.analyzer.rust.index import Crate


class ModuleTreeQueries:
    """The module-tree part of `RustIndex`, reading its files through `self`."""

    files_by_crate: dict[Crate, list[tuple[str, RustFileFacts]]]
    crate_of: Callable[[str], Crate]
    _project: ProjectIndex

    def __init__(self) -> None:
        self._allowed_above: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._file_modules: dict[Crate, dict[str, tuple[str, str]]] = {}

    def lint_allowed_above(self, path: str, lints: tuple[str, ...]) -> bool:
        """Whether the module tree allows one of the lints for a whole file: the file's
        inner attributes, the `mod` declaration that names it in its parent module, that
        module's inner attributes, and so up to the crate root (rust.lints); the
        nearest setting wins."""
        if self.crate_of(path) not in self._crates_setting_lints:
            return False
        key = (path, lints)
        found = self._allowed_above.get(key)
        if found is None:
            found = self._allowed_above[key] = self._module_level(path, lints) is True
        return found

    def file_modules(self, crate: Crate) -> dict[str, tuple[str, str]]:
        """The crate's files that a `#[path = ".."] mod m;` names, each with the file
        declaring it and `m`: the path is relative to the declaring file's folder."""
        found = self._file_modules.get(crate)
        if found is None:
            found = self._file_modules[crate] = {
                posixpath.normpath(posixpath.join(posixpath.dirname(path), file)): (path, module)
                for path, rust in self.files_by_crate.get(crate, [])
                for module, file in rust.module_paths
            }
        return found

    def cbindgen_skips_file(self, path: str) -> bool:
        """Whether cbindgen never reads the file: a `mod` declaration on the way up the
        module tree to the crate root is documented `cbindgen:ignore`."""
        files, crate = self._project.files, self.crate_of(path)
        current, seen = path, {path}
        while (parent := self._parent_module(current)) is not None:
            current, module = parent
            rust = files[current].rust
            if current in seen or self.crate_of(current) != crate or rust is None:
                return False
            if module in rust.cbindgen_skipped_modules:
                return True
            seen.add(current)
        return False

    @cached_property
    def _crates_setting_lints(self) -> frozenset[Crate]:
        return frozenset(
            crate
            for crate, files in self.files_by_crate.items()
            if any(rust.lint_settings or rust.module_lint_settings for _, rust in files)
        )

    def _module_level(self, path: str, lints: tuple[str, ...]) -> bool | None:
        files, crate = self._project.files, self.crate_of(path)
        current, seen = path, {path}
        while True:
            rust = files[current].rust if current in files else None
            found = level(rust.lint_settings, lints) if rust is not None else None
            if found is not None:
                return found
            parent = self._parent_module(current)
            if parent is None or parent[0] in seen or self.crate_of(parent[0]) != crate:
                return None
            current, module = parent
            seen.add(current)
            rust = files[current].rust
            declared = (
                tuple((n, a) for m, n, a in rust.module_lint_settings if m == module)
                if rust
                else ()
            )
            found = level(declared, lints)
            if found is not None:
                return found

    def _parent_module(self, path: str) -> tuple[str, str] | None:
        """The file declaring a file's module, and the module's name: by a `#[path]`
        declaration, else by where the file is (`_parent_module`)."""
        declared = self.file_modules(self.crate_of(path)).get(path)
        return declared or _parent_module(path, self._project.files.__contains__)


_OWN_ROOTS = frozenset({"bin", "examples", "tests", "benches"})  # each file there is a crate root


def _parent_module(path: str, exists: Callable[[str], bool]) -> tuple[str, str] | None:
    """The file of the module that declares a file's module, and that module's name:
    `src/a/b.rs` -> (`src/a/mod.rs` or `src/a.rs`, `b`); `src/a.rs` -> (`src/lib.rs`,
    `a`). None for a crate root. `lib.rs` is taken before `main.rs` when both exist."""
    directory, name = posixpath.split(path)
    if name in ("lib.rs", "main.rs") or not name.endswith(".rs"):
        return None
    if name == "mod.rs":
        directory, module = posixpath.split(directory)
    else:
        if posixpath.basename(directory) in _OWN_ROOTS:
            return None
        module = name[: -len(".rs")]
    if not module:
        return None
    candidates = [posixpath.join(directory, "mod.rs")] if directory else []
    if directory:
        candidates.append(directory + ".rs")
    candidates += [posixpath.join(directory, "lib.rs"), posixpath.join(directory, "main.rs")]
    return next(((c, module) for c in candidates if c != path and exists(c)), None)
