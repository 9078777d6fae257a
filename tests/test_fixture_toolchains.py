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

import pytest

from tests.conftest import FIXTURES, walk_files


def _crate_roots() -> list[tuple[Path, str]]:
    """(library root file, edition) of every fixture crate, and of loose lib.rs files."""
    roots = []
    claimed = set()
    for manifest in sorted(FIXTURES.rglob("Cargo.toml")):
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        package = data.get("package")
        if not isinstance(package, dict):
            continue
        lib = data.get("lib", {})
        root = manifest.parent / lib.get("path", "src/lib.rs")
        if root.exists():
            roots.append((root, str(package.get("edition", "2015"))))
            claimed.add(manifest.parent)
    for lib in sorted(FIXTURES.rglob("lib.rs")):
        if not any(parent in claimed for parent in lib.parents):
            roots.append((lib, "2021"))
    return roots


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


@pytest.mark.parametrize(
    ("root", "edition"), _crate_roots(), ids=lambda v: _rel(v) if isinstance(v, Path) else v
)
def test_fixture_crate_compiles(root: Path, edition: str, tmp_path: Path) -> None:
    rustc = _require("rustc")
    completed = subprocess.run(
        [rustc, "--crate-type", "lib", "--edition", edition, "--out-dir", str(tmp_path), str(root)],
        capture_output=True,
        text=True,
    )
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
    gcc = _require("gcc")
    completed = subprocess.run(
        [gcc, "-fsyntax-only", "-std=c11", "-Wall", "-x", "c", str(header)],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
