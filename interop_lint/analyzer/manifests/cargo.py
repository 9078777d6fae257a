"""Facts of a Cargo.toml: dependencies, crate types, panic strategies, workspace."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from msgspec import Struct

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.manifests.toml_lines import (
    KeyPath,
    key_lines,
    line_of,
    load_toml,
    malformed,
)
from interop_lint.analyzer.source import SourceFile

# The tables of a manifest that the checks read.
_TABLES = ("package", "lib", "workspace", "target", "profile", "patch")
_DEPENDENCY_TABLES = (
    "dependencies",
    "dev-dependencies",
    "build-dependencies",
    "dev_dependencies",
    "build_dependencies",
)
_COMPARATOR = re.compile(r"^\s*(?P<op>>=|<=|>|<|=|\^|~)?\s*(?P<version>\S*)\s*$")


def is_unbounded_requirement(requirement: str) -> bool:
    """A Cargo version requirement with no upper bound: `*`, `""`, `>= 1`, `> 0.3, >= 0.4`.

    Bare and caret (`1.2`, `^1.2`), tilde, exact, `<`, and partial wildcards
    (`1.*`) all bound the version from above.
    """
    comparators = requirement.split(",")
    for comparator in comparators:
        match = _COMPARATOR.match(comparator)
        if match is None or (len(comparators) > 1 and not comparator.strip()):
            return False  # not a requirement Cargo accepts; DEP101 stays silent
        op, version = match.group("op"), match.group("version")
        full_wildcard = version in ("", "*", "x", "X")
        if op in (">", ">="):
            continue
        if op is None and full_wildcard:
            continue
        return False
    return True


class CargoDependency(Struct, frozen=True):
    name: str  # the key in its table (a rename when `package` is set)
    table: str  # e.g. "dependencies", "target.cfg(unix).dependencies", "patch.crates-io"
    location: Location  # the dependency's line: `name = ...` or `[table.name]`
    version: str | None = None
    path: str | None = None
    git: str | None = None
    rev: str | None = None
    branch: str | None = None
    tag: str | None = None
    workspace: bool = False  # `name.workspace = true`

    @property
    def has_source(self) -> bool:
        """Built from a path, a git repository or the workspace, not a registry."""
        return bool(self.path or self.git or self.workspace)


class ProfilePanic(Struct, frozen=True):
    profile: str
    strategy: str  # "unwind" or "abort"
    location: Location


class CargoManifest(Struct, frozen=True):
    directory: str  # of the Cargo.toml, relative to the root ("" at the root)
    package: str | None  # `package.name`, None for a virtual workspace manifest
    is_workspace_root: bool  # has a `[workspace]` table
    workspace_path: str | None  # `package.workspace`, the explicit workspace root
    crate_types: tuple[str, ...]  # `lib.crate-type`
    crate_type_location: Location | None
    dependencies: tuple[CargoDependency, ...]
    panic_profiles: tuple[ProfilePanic, ...]
    lib_name: str | None = None  # `lib.name`, when it renames the library
    # `workspace.exclude`: paths of crates below a workspace root that are not members
    workspace_exclude: tuple[str, ...] = ()

    @property
    def library_name(self) -> str | None:
        return library_name(self.package, self.lib_name)

    @property
    def dependency_crates(self) -> frozenset[str]:
        """The names Rust code calls the dependencies by (`use engine_core::..` of
        `engine-core`)."""
        return frozenset(d.name.replace("-", "_") for d in self.dependencies)

    @property
    def links_into_go(self) -> bool:
        """An artifact Go links: a static or dynamic C library."""
        return bool({"staticlib", "cdylib"} & set(self.crate_types))


def library_name(package: str | None, lib_name: str | None) -> str | None:
    """The library's name as built (`lib<name>.so`) and as Rust code calls it: `[lib]
    name`, else the package's name with `-` as `_`."""
    if lib_name:
        return lib_name
    return package.replace("-", "_") if package else None


def manifest_library_name(data: Mapping[str, Any]) -> str | None:
    """`library_name` of a parsed Cargo.toml."""
    package, lib = _table(data.get("package")).get("name"), _table(data.get("lib")).get("name")
    return library_name(
        package if isinstance(package, str) else None, lib if isinstance(lib, str) else None
    )


def extract_cargo_manifest(source: SourceFile, facts: FileFacts) -> None:
    data = load_toml(source, facts, "Cargo.toml")
    if data is None:
        return
    lines = key_lines(source.text)

    def locate(path: KeyPath) -> Location:
        return source.lines.line_location(line_of(lines, path))

    for key in (*_TABLES, *_DEPENDENCY_TABLES):  # cargo refuses these; they are left unread
        if key in data and not isinstance(data[key], dict):
            message = f"Cargo.toml: `{key}` must be a table; it is left unread"
            malformed(source, facts, line_of(lines, (key,)), message)

    package = _table(data.get("package"))
    lib = _table(data.get("lib"))
    crate_types = lib.get("crate-type", lib.get("crate_type", []))
    crate_type_key = "crate-type" if "crate-type" in lib else "crate_type"
    if not _is_list(crate_types):
        message = f"Cargo.toml: `lib.{crate_type_key}` must be a list; it is left unread"
        malformed(source, facts, line_of(lines, ("lib", crate_type_key)), message)
        crate_types = []
    crate_types = tuple(t for t in crate_types if isinstance(t, str))
    workspace = package.get("workspace")
    facts.cargo = CargoManifest(
        directory=posixpath.dirname(source.path),
        package=package.get("name") if isinstance(package.get("name"), str) else None,
        is_workspace_root="workspace" in data,
        workspace_path=workspace if isinstance(workspace, str) else None,
        crate_types=crate_types,
        crate_type_location=locate(("lib", crate_type_key)) if crate_types else None,
        dependencies=tuple(
            _dependency(name, spec, ".".join(table), locate((*table, name)))
            for table, entries in _dependency_tables(data)
            for name, spec in entries.items()
        ),
        panic_profiles=tuple(
            ProfilePanic(name, profile["panic"], locate(("profile", name, "panic")))
            for name, profile in _table(data.get("profile")).items()
            if isinstance(profile, dict) and isinstance(profile.get("panic"), str)
        ),
        lib_name=lib.get("name") if isinstance(lib.get("name"), str) else None,
        workspace_exclude=_paths(_table(data.get("workspace")).get("exclude")),
    )


def _table(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _paths(value: Any) -> tuple[str, ...]:
    """A list of relative paths (`workspace.exclude`), normalized; () for anything else."""
    if not _is_list(value):
        return ()
    return tuple(
        posixpath.normpath(p.strip("/")) for p in value if isinstance(p, str) and p.strip("/")
    )


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _dependency_tables(data: Mapping[str, Any]) -> Iterator[tuple[KeyPath, Mapping[str, Any]]]:
    """Every table that holds dependencies, with its key path."""
    for name in _DEPENDENCY_TABLES:
        yield (name,), _table(data.get(name))
    for target, tables in _table(data.get("target")).items():
        for name in _DEPENDENCY_TABLES:
            yield ("target", target, name), _table(_table(tables).get(name))
    yield ("workspace", "dependencies"), _table(_table(data.get("workspace")).get("dependencies"))
    for registry, entries in _table(data.get("patch")).items():
        yield ("patch", registry), _table(entries)


def _dependency(name: str, spec: Any, table: str, location: Location) -> CargoDependency:
    if isinstance(spec, str):
        return CargoDependency(name, table, location, version=spec)
    spec = _table(spec)

    def string(key: str) -> str | None:
        value = spec.get(key)
        return value if isinstance(value, str) else None

    return CargoDependency(
        name,
        table,
        location,
        version=string("version"),
        path=string("path"),
        git=string("git"),
        rev=string("rev"),
        branch=string("branch"),
        tag=string("tag"),
        workspace=spec.get("workspace") is True,
    )
