"""The project index: every file's facts, and the questions rules ask of them.

Built once per run from the facts of every discovered file. Everything a
rule asks is answered through dictionaries built on first use, never by
scanning all files per question.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property

from interop_lint.analyzer.clang.index import CIndex
from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.golang.index import GoIndex
from interop_lint.analyzer.manifests.cargo import CargoManifest
from interop_lint.analyzer.manifests.gomod import GoMod
from interop_lint.analyzer.manifests.toolchain import RustToolchain
from interop_lint.analyzer.python.index import PythonIndex
from interop_lint.analyzer.rust.index import RustIndex


def parent_directories(directory: str) -> Iterator[str]:
    """`a/b` -> `a/b`, `a`, `` (the root)."""
    while True:
        yield directory
        if not directory:
            return
        directory = posixpath.dirname(directory)


class ProjectIndex:
    def __init__(self, root: str, facts: Iterable[FileFacts], config: Config | None = None):
        self.root = root
        self.config = config or Config()
        self.files: dict[str, FileFacts] = {f.path: f for f in facts}
        self._crate_of: dict[str, str | None] = {}
        self._path_dependency_names: dict[str | None, dict[str, str]] = {}

    def exists(self, path: str) -> bool:
        """Whether the index covers a file at `path` (ignored files do not count)."""
        return path in self.files

    @cached_property
    def by_kind(self) -> dict[FileKind, list[FileFacts]]:
        grouped: dict[FileKind, list[FileFacts]] = defaultdict(list)
        for facts in self.files.values():
            grouped[facts.kind].append(facts)
        return grouped

    def go_module_of(self, path: str) -> GoMod | None:
        """The go.mod nearest above a file: the module it belongs to."""
        for directory in parent_directories(posixpath.dirname(path)):
            facts = self.files.get(join_path(directory, "go.mod"))
            if facts is not None:
                return facts.gomod
        return None

    # -- Cargo ---------------------------------------------------------------

    @cached_property
    def cargo_manifests(self) -> dict[str, CargoManifest]:
        """Every parsed Cargo.toml, by its directory."""
        return {f.cargo.directory: f.cargo for f in self.by_kind[FileKind.CARGO_TOML] if f.cargo}

    def crate_dir_of(self, path: str) -> str | None:
        """The directory of the Cargo.toml nearest above `path`.

        Without one (Bazel, Buck), the nearest directory above holding a crate
        root (`lib.rs`, `main.rs`; `src/` counts as any), else the file's own
        directory: files of unrelated crates never share a crate (calls are
        followed by name within one).
        """
        directory = posixpath.dirname(path)
        if directory in self._crate_of:
            return self._crate_of[directory]
        found = next(
            (d for d in parent_directories(directory) if self.exists(join_path(d, "Cargo.toml"))),
            None,
        )
        if found is None:
            found = next(
                (
                    d
                    for d in parent_directories(directory)
                    if self.exists(join_path(d, "lib.rs")) or self.exists(join_path(d, "main.rs"))
                ),
                directory,
            )
        self._crate_of[directory] = found
        return found

    def workspace_root_of(self, manifest: CargoManifest) -> CargoManifest | None:
        """The manifest with `[workspace]` that governs a crate (itself included)."""
        if manifest.workspace_path is not None:
            directory = posixpath.normpath(join_path(manifest.directory, manifest.workspace_path))
            return self.cargo_manifests.get("" if directory == "." else directory)
        for directory in parent_directories(manifest.directory):
            candidate = self.cargo_manifests.get(directory)
            workspace = candidate is not None and candidate.is_workspace_root
            if workspace and not _excluded(candidate, manifest.directory):  # type: ignore[arg-type]
                return candidate
        return None

    def path_dependencies(self, crate: str) -> list[str]:
        """The directories of the project's crates a crate depends on by path (its
        `[dependencies]`, directly or through `workspace = true`), nearest first."""
        return list(dict.fromkeys(self.path_dependencies_by_name(crate).values()))

    def path_dependencies_by_name(self, crate: str | None) -> dict[str, str]:
        """Those directories by the names the crate's code calls them (`use
        block_store::..`): the dependency's key, its package's and its library's
        name, `-` read as `_`."""
        found = self._path_dependency_names.get(crate)
        if found is not None:
            return found
        found = self._path_dependency_names[crate] = {}
        manifest = self.cargo_manifests.get(crate) if crate is not None else None
        if manifest is None:
            return found
        workspace = self.workspace_root_of(manifest)
        shared = {
            d.name: d
            for d in (workspace.dependencies if workspace is not None else ())
            if d.table == "workspace.dependencies" and d.path
        }
        for dependency in manifest.dependencies:
            if dependency.table != "dependencies":
                continue
            base, path = manifest.directory, dependency.path
            if dependency.workspace and dependency.name in shared and workspace is not None:
                base, path = workspace.directory, shared[dependency.name].path
            if path:
                directory = posixpath.normpath(join_path(base, path))
                directory = "" if directory == "." else directory
                target = self.cargo_manifests.get(directory)
                if target is not None and directory != crate:
                    for name in (dependency.name, target.package, target.lib_name):
                        if name:
                            found.setdefault(name.replace("-", "_"), directory)
        return found

    def crates_governed_by(self, manifest: CargoManifest) -> list[CargoManifest]:
        """The crates whose profiles a manifest sets: itself, and its members if a workspace."""
        governed = [manifest] if manifest.package else []
        if manifest.is_workspace_root:
            governed += [
                m
                for m in self.cargo_manifests.values()
                if m is not manifest and m.package and self.workspace_root_of(m) is manifest
            ]
        return governed

    def nearest_toolchain(self, directory: str) -> RustToolchain | None:
        """The toolchain file rustup would use for a crate in `directory`."""
        for candidate in parent_directories(directory):
            for name in ("rust-toolchain.toml", "rust-toolchain"):
                facts = self.files.get(join_path(candidate, name))
                if facts is not None:
                    return facts.toolchain
        return None

    # -- Families ------------------------------------------------------------

    @cached_property
    def rust(self) -> RustIndex:
        return RustIndex(self)

    @cached_property
    def go(self) -> GoIndex:
        return GoIndex(self)

    @cached_property
    def c(self) -> CIndex:
        return CIndex(self)

    @cached_property
    def python(self) -> PythonIndex:
        return PythonIndex(self)


def join_path(directory: str, name: str) -> str:
    """`name` in `directory`, where "" is the root."""
    return f"{directory}/{name}" if directory else name


def _excluded(workspace: CargoManifest, directory: str) -> bool:
    """Whether a workspace's `exclude` leaves out the crate in `directory` (cargo then
    looks further up for the crate's workspace: it is no member of this one)."""
    if workspace.directory == directory:
        return False
    relative = posixpath.relpath(directory, workspace.directory or ".")
    return any(relative == e or relative.startswith(e + "/") for e in workspace.workspace_exclude)
