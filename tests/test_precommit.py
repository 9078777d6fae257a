"""The pre-commit hook, installed by pre-commit itself into a temporary repository.

pre-commit builds a virtualenv and pip-installs this repository into it, the
way a user's `.pre-commit-config.yaml` would. The hook repository is a
snapshot of this working tree (committed or not), so the test checks what is
here now. `PRE_COMMIT_HOME` is shared by the whole session: the hook
environment is built once. Without a package index the environment cannot be
built, and the tests skip saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from interop_lint.analyzer.discovery import classify
from tests.conftest import ROOT

pytest.importorskip("pre_commit", reason="pre-commit is in the `test` extra")

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
# What pip says when it cannot reach an index: not a bug of this repository.
_OFFLINE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name "
    r"resolution|Network is unreachable|ConnectTimeout|ReadTimeout|ProxyError|"
    r"\(from versions: none\)|Could not fetch URL"
)
_GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def _pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_manifest_is_valid_and_its_pattern_matches_exactly_what_the_linter_reads() -> None:
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert hook["id"] == "interop-lint"
    assert hook["language"] == "python"
    assert hook["entry"] == "interop-lint check"
    assert hook["require_serial"] is True and hook["pass_filenames"] is True
    from pre_commit.clientlib import load_manifest

    load_manifest(str(MANIFEST))  # pre-commit's own validation
    pattern = re.compile(hook["files"])
    names = [
        "main.go", "lib.rs", "engine.h", "shim.c", "bindings.py", "Cargo.toml", "Cargo.lock",
        "go.mod", "go.sum", "rust-toolchain", "rust-toolchain.toml", "cbindgen.toml",
        "pyproject.toml", "README.md", "engine.hpp", "x.cc", "notgo.mod", "main.go.orig",
        "Makefile",
    ]  # fmt: skip
    for name in names:
        for path in (name, f"sub/dir/{name}"):
            assert bool(pattern.search(path)) == (classify(name) is not None), path


def test_docs_show_the_hook_and_the_same_file_pattern() -> None:
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    docs = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    parsed = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", docs, re.S)]
    blocks = [block for block in parsed if isinstance(block, dict)]
    remote = blocks[0]["repos"][0]
    assert remote["hooks"] == [{"id": "interop-lint"}] and remote["rev"].startswith("v")
    local = next(b for b in blocks if b.get("repos", [{}])[0].get("repo") == "local")
    assert local["repos"][0]["hooks"][0]["files"] == hook["files"]
    assert local["repos"][0]["hooks"][0]["entry"] == hook["entry"]


@dataclass(frozen=True)
class HookRepository:
    path: Path
    rev: str


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> HookRepository:
    """This working tree as a git repository pre-commit can clone at a fixed rev."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs git and a git checkout of interop-lint")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    wanted = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "interop_lint/")
    for name in listed.split("\0"):
        source = ROOT / name
        if name.startswith(wanted) and source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    env = {**os.environ, **_GIT_IDENTITY}
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", ".")
    _git(snapshot, "commit", "-q", "-m", "snapshot", env=env)
    return HookRepository(snapshot, _git(snapshot, "rev-parse", "HEAD").strip())


@pytest.fixture(scope="session")
def pre_commit_env(
    tmp_path_factory: pytest.TempPathFactory, hook_repository: HookRepository
) -> dict[str, str]:
    """The environment for pre-commit, with the hook's virtualenv built once."""
    env = {**os.environ, **_GIT_IDENTITY}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.pop("PRE_COMMIT_ALLOW_NO_CONFIG", None)
    warmup = _consumer(tmp_path_factory.mktemp("warmup"), hook_repository)
    installed = _pre_commit(warmup, env, "install-hooks")
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        if log.exists():
            output += log.read_text(encoding="utf-8", errors="replace")
        if _OFFLINE.search(output):
            pytest.skip("pre-commit could not build the hook's virtualenv: no package index")
        pytest.fail(f"pre-commit install-hooks failed:\n{output}")
    return env


def _consumer(directory: Path, hook_repository: HookRepository, args: tuple[str, ...] = ()) -> Path:
    """A user's repository with interop-lint in its .pre-commit-config.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    hook: dict[str, object] = {"id": "interop-lint"}
    if args:
        hook["args"] = list(args)
    config = {
        "repos": [{"repo": str(hook_repository.path), "rev": hook_repository.rev, "hooks": [hook]}]
    }
    _git(directory, "init", "-q")
    (directory / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return directory


@pytest.fixture
def consumer(
    tmp_path: Path, hook_repository: HookRepository, pre_commit_env: dict[str, str]
) -> Iterator[Path]:
    repository = _consumer(tmp_path / "repo", hook_repository)
    installed = _pre_commit(repository, pre_commit_env, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _commit_all(repository, pre_commit_env, "add the pre-commit config")
    yield repository


def _commit_all(
    repository: Path, env: dict[str, str], message: str
) -> subprocess.CompletedProcess[str]:
    """`git add -A && git commit`, with the installed pre-commit hook running."""
    _git(repository, "add", "-A")
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _write(repository: Path, path: str, text: str) -> None:
    target = repository / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_hook_fails_a_bad_commit_and_passes_a_clean_one(
    consumer: Path, pre_commit_env: dict[str, str]
) -> None:
    _write(consumer, "engine/Cargo.toml", '[package]\nname = "engine"\n\n[dependencies]\n')
    clean = _commit_all(consumer, pre_commit_env, "a clean crate")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"interop-lint\.+Passed", clean.stdout + clean.stderr)

    _write(
        consumer, "engine/Cargo.toml", '[package]\nname = "engine"\n\n[dependencies]\nlibc = "*"\n'
    )
    bad = _commit_all(consumer, pre_commit_env, "an unpinned dependency")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert re.search(r"interop-lint\.+Failed", output)
    assert "engine/Cargo.toml:5:1: DEP101" in output
    assert _git(consumer, "rev-list", "--count", "HEAD").strip() == "2"  # not committed


def test_hook_skips_commits_without_files_it_reads(
    consumer: Path, pre_commit_env: dict[str, str]
) -> None:
    _write(consumer, "engine/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    _git(consumer, "add", "-A")
    _git(consumer, "commit", "-q", "--no-verify", "-m", "an old finding", env=pre_commit_env)
    _write(consumer, "NOTES.md", "nothing to lint\n")
    committed = _commit_all(consumer, pre_commit_env, "docs only")
    output = committed.stdout + committed.stderr
    assert committed.returncode == 0, output
    assert re.search(r"interop-lint\.+\(no files to check\)Skipped", output)


def test_hook_reports_only_the_staged_files_and_takes_args(
    tmp_path: Path, hook_repository: HookRepository, pre_commit_env: dict[str, str]
) -> None:
    repository = _consumer(tmp_path / "repo", hook_repository, ("--select", "DEP102"))
    assert _pre_commit(repository, pre_commit_env, "install").returncode == 0
    # An old DEP101 elsewhere and a new one here: --select DEP102 ignores both.
    _write(repository, "old/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    _write(repository, "new/Cargo.toml", '[dependencies]\nserde = "*"\n')
    committed = _commit_all(repository, pre_commit_env, "selected rules only")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    _write(repository, "new/Cargo.toml", '[dependencies]\nx = { git = "https://e.com/x" }\n')
    failed = _commit_all(repository, pre_commit_env, "a git dependency")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "new/Cargo.toml:2:1: DEP102" in output and "old/Cargo.toml" not in output


ENGINE_RS = """\
#[no_mangle]
pub extern "C" fn engine_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}
"""
ENGINE_H = """\
#ifndef ENGINE_H
#define ENGINE_H

#include <stdint.h>

int32_t engine_add(int32_t a, int32_t b);

#endif
"""
MAIN_GO = """\
package main

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../engine/target/release -lengine
// #include "engine.h"
import "C"

import "fmt"

func main() {
	fmt.Println(C.engine_add(1, 2))
}
"""
CARGO_TOML = """\
[package]
name = "engine"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["staticlib"]
"""
CARGO_LOCK = """\
version = 3

[[package]]
name = "engine"
version = "0.1.0"
"""


def _go_rust_pair(repository: Path) -> None:
    """A crate exporting a function, a header declaring it, Go calling it."""
    _write(repository, "engine/Cargo.toml", CARGO_TOML)
    _write(repository, "engine/Cargo.lock", CARGO_LOCK)
    _write(repository, "engine/rust-toolchain.toml", '[toolchain]\nchannel = "1.82.0"\n')
    _write(repository, "engine/src/lib.rs", ENGINE_RS)
    _write(repository, "include/engine.h", ENGINE_H)
    _write(repository, "go.mod", "module example.com/app\n\ngo 1.22\n")
    _write(repository, "cmd/app/main.go", MAIN_GO)


def test_changing_only_the_rust_export_fails_on_the_c_side_it_breaks(
    consumer: Path, pre_commit_env: dict[str, str]
) -> None:
    _go_rust_pair(consumer)
    clean = _commit_all(consumer, pre_commit_env, "a Go+Rust pair that agrees")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    _write(consumer, "engine/src/lib.rs", ENGINE_RS.replace("i32", "i64"))
    staged = _git(consumer, "status", "--porcelain")
    assert staged.split() == ["M", "engine/src/lib.rs"]  # only the Rust side changes
    broken = _commit_all(consumer, pre_commit_env, "widen engine_add")
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert re.search(r"interop-lint\.+Failed", output)
    # Reported on the C declaration the Rust change no longer matches.
    (finding,) = [line for line in output.splitlines() if " XL101 " in line]
    assert finding.startswith("include/engine.h:6:"), finding
    assert "engine_add" in finding and "engine/src/lib.rs:2" in finding  # and names the Rust side
