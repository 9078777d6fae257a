"""Fixtures are real code: crates compile, Go modules vet, headers parse.

A rule proven on code that does not compile proves nothing. Each check is
skipped, with the reason, where its toolchain is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest

from interop_lint.analyzer.clang.preprocess import is_cplusplus
from tests.conftest import FIXTURES, walk_files


class FixtureCrate(NamedTuple):
    root: Path  # the library's root file
    name: str | None  # the crate's name (None: rustc's, from the file name)
    edition: str
    proc_macro: bool
    dependencies: tuple[tuple[str, Path], ...]  # (crate name, directory) of path dependencies


def _manifest_crate(manifest: Path) -> FixtureCrate | None:
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    package = data.get("package")
    if not isinstance(package, dict):
        return None
    lib = data.get("lib", {})
    root = manifest.parent / lib.get("path", "src/lib.rs")
    if not root.exists():
        return None
    dependencies = tuple(
        (name.replace("-", "_"), (manifest.parent / spec["path"]).resolve())
        for name, spec in data.get("dependencies", {}).items()
        if isinstance(spec, dict) and "path" in spec
    )
    name = str(lib.get("name", package.get("name", ""))).replace("-", "_") or None
    edition = str(package.get("edition", "2015"))
    return FixtureCrate(root, name, edition, bool(lib.get("proc-macro")), dependencies)


def _crates() -> list[FixtureCrate]:
    """Every fixture crate (with its path dependencies), and loose lib.rs files."""
    crates = []
    claimed = set()
    for manifest in sorted(FIXTURES.rglob("Cargo.toml")):
        crate = _manifest_crate(manifest)
        if crate is not None:
            crates.append(crate)
            claimed.add(manifest.parent)
    for lib in sorted(FIXTURES.rglob("lib.rs")):
        if not any(parent in claimed for parent in lib.parents):
            crates.append(FixtureCrate(lib, None, "2021", False, ()))
    return crates


def _compile(rustc: str, crate: FixtureCrate, out: Path) -> subprocess.CompletedProcess[str]:
    """rustc on the crate, its path dependencies built first into `out` (a DEP fixture
    may name a directory that is not there: that one is left out)."""
    externs = []
    for name, directory in crate.dependencies:
        if not (directory / "Cargo.toml").is_file():
            continue
        dependency = _manifest_crate(directory / "Cargo.toml")
        assert dependency is not None, f"{directory}: no crate"
        built = _compile(rustc, dependency, out)
        assert built.returncode == 0, built.stderr
        kind = "proc-macro" if dependency.proc_macro else "lib"
        artifacts = sorted(out.glob(f"lib{name}.*"))
        assert artifacts, f"{name}: rustc --crate-type {kind} wrote nothing"
        externs += ["--extern", f"{name}={artifacts[0]}"]
    if crate.proc_macro:  # as cargo does: the compiler's own crate is not in the prelude
        externs += ["--extern", "proc_macro"]
    kind = "proc-macro" if crate.proc_macro else "lib"
    command = [rustc, "--crate-type", kind, "--edition", crate.edition, "--out-dir", str(out)]
    if crate.name is not None:
        command += ["--crate-name", crate.name]
    return subprocess.run(
        [*command, "-L", str(out), *externs, str(crate.root)], capture_output=True, text=True
    )


def _go_modules() -> list[Path]:
    modules = []
    for gomod in sorted(FIXTURES.rglob("go.mod")):
        directory = gomod.parent
        if any(p.suffix == ".go" for p in walk_files(directory)):
            modules.append(directory)
    return modules


def _headers() -> list[Path]:
    return [p for p in walk_files(FIXTURES) if p.suffix == ".h"]


def _rel(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"`{tool}` is not installed: fixture code is not compiled on this machine")
    return found


@pytest.mark.parametrize("crate", _crates(), ids=lambda crate: _rel(crate.root))
def test_fixture_crate_compiles(crate: FixtureCrate, tmp_path: Path) -> None:
    rustc = _require("rustc")
    completed = _compile(rustc, crate, tmp_path)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("module", _go_modules(), ids=_rel)
def test_fixture_go_module_vets(module: Path, tmp_path: Path) -> None:
    go = _require("go")
    env = {
        **os.environ,
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOWORK": "off",
    }
    # Type-check everything, but leave out the two analyzers that report the
    # very bugs the GO fixtures exist to contain (Go pointers to C, uintptr).
    completed = subprocess.run(
        [go, "vet", "-cgocall=false", "-unsafeptr=false", "./..."],
        cwd=module,
        capture_output=True,
        text=True,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("header", _headers(), ids=_rel)
def test_fixture_header_parses(header: Path) -> None:
    # A C++ wrapper header (which interop-lint leaves alone) is real C++ instead.
    if is_cplusplus(header.read_bytes()):
        command = [_require("g++"), "-fsyntax-only", "-std=c++17", "-Wall", "-x", "c++"]
    else:
        command = [_require("gcc"), "-fsyntax-only", "-std=c11", "-Wall", "-x", "c"]
    # `#include <codec/port.h>` is found as a build would find it: `-I` of the
    # `include/` directory the header is under.
    includes = [f"-I{d}" for d in header.parents if d.name == "include" and FIXTURES in d.parents]
    completed = subprocess.run([*command, *includes, str(header)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
