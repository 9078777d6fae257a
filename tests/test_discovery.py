"""Which files the index covers: .gitignore, skipped directories, symlinks, size cap."""

from __future__ import annotations

import os
import time

import pytest

from interop_lint.analyzer import discovery as discovery_module
from interop_lint.analyzer.discovery import FileKind, TreeSnapshot, classify, discover
from interop_lint.analyzer.findings import NotificationKind
from tests.conftest import Project


def test_classify() -> None:
    assert classify("lib.rs") is FileKind.RUST
    assert classify("bind.go") is FileKind.GO
    assert classify("engine.h") is FileKind.C_HEADER
    assert classify("shim.c") is FileKind.C_SOURCE
    assert classify("bind.py") is FileKind.PYTHON
    assert classify("Cargo.toml") is FileKind.CARGO_TOML
    assert classify("Cargo.lock") is FileKind.CARGO_LOCK
    assert classify("go.mod") is FileKind.GO_MOD
    assert classify("go.sum") is FileKind.GO_SUM
    assert classify("rust-toolchain") is FileKind.RUST_TOOLCHAIN
    assert classify("rust-toolchain.toml") is FileKind.RUST_TOOLCHAIN
    assert classify("README.md") is None
    assert classify("pyproject.toml") is None


def test_gitignore_nested_and_negated(project: Project) -> None:
    project.write(".gitignore", "*.gen.go\nbuild/\n")
    project.write("pkg/.gitignore", "!keep.gen.go\nlocal.rs\n")
    for path in ("a.go", "x.gen.go", "build/b.go", "pkg/keep.gen.go", "pkg/local.rs", "pkg/c.rs"):
        project.write(path, "")
    found = [f.path for f in discover(str(project.root)).files]
    assert found == ["a.go", "pkg/c.rs", "pkg/keep.gen.go"]


def test_skipped_directories_and_excludes(project: Project) -> None:
    for path in (
        "Cargo.toml",
        "target/debug/a.rs",
        "vendor/x/b.go",
        "node_modules/y/c.h",
        ".git/hooks/d.py",
        "crates/e/Cargo.toml",
        "crates/e/target/f.rs",
        "builds/target/CACHEDIR.TAG",
        "builds/target/release/g.rs",
        "gen/g.rs",
        "src/h.rs",
    ):
        project.write(path, "")
    found = [f.path for f in discover(str(project.root), exclude=["gen/"]).files]
    assert found == ["Cargo.toml", "crates/e/Cargo.toml", "src/h.rs"]


def test_a_target_directory_that_is_no_cargo_output_is_source(project: Project) -> None:
    """symphony keeps its Go and Rust boundary under `providers/target/rust/`."""
    for path in ("providers/target/rust/rust.go", "providers/target/rust/core/Cargo.toml"):
        project.write(path, "")
    found = [f.path for f in discover(str(project.root)).files]
    assert found == ["providers/target/rust/core/Cargo.toml", "providers/target/rust/rust.go"]


def test_symlink_out_of_the_root_is_skipped_and_noted(project: Project, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.rs"
    outside.write_text("fn f() {}")
    os.symlink(outside, project.root / "link.rs")
    project.write("inside.rs", "")
    os.symlink(project.root / "inside.rs", project.root / "alias.rs")
    os.symlink(project.root, project.root / "self_dir")  # a directory loop, never followed
    discovery = discover(str(project.root))
    assert [f.path for f in discovery.files] == ["alias.rs", "inside.rs"]
    (note,) = discovery.notifications
    assert (note.path, note.kind) == ("link.rs", NotificationKind.SKIPPED)


def test_size_cap(project: Project) -> None:
    project.write("big.rs", "x" * 2000)
    project.write("small.rs", "x")
    discovery = discover(str(project.root), max_file_size=1000)
    assert [f.path for f in discovery.files] == ["small.rs"]
    (note,) = discovery.notifications
    assert note.message == "skipped: 2000 bytes is over the size cap of 1000"


# -- the snapshot a walk leaves for the next run ------------------------------------


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamps count as settled as soon as they are taken (the files here are new)."""
    monkeypatch.setattr(discovery_module, "SETTLED_NS", 0)


def _walked_tree(project: Project) -> TreeSnapshot:
    project.write(".gitignore", "gen/\n")
    for path in ("a.go", "gen/skip.go", "pkg/b.rs", "pkg/deep/c.h", "notes.md"):
        project.write(path, "x")
    os.symlink(project.root / "a.go", project.root / "alias.go")
    snapshot = discover(str(project.root)).snapshot
    assert snapshot is not None
    assert [rel for rel, _ in snapshot.directories] == ["", "pkg", "pkg/deep"]
    assert [rel for rel, _ in snapshot.gitignores] == [".gitignore"]
    return snapshot


def _no_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def walk(path: str) -> None:
        raise AssertionError(f"walked {path}")

    monkeypatch.setattr(discovery_module.os, "scandir", walk)


@pytest.mark.usefixtures("settled_at_once")
def test_an_unchanged_tree_is_not_walked_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = _walked_tree(project)
    walked = discover(str(project.root))
    project.write("a.go", "edited in place: the file's stamp changes, no directory's")
    _no_walk(monkeypatch)
    again = discover(str(project.root), previous=snapshot)
    assert [f.path for f in again.files] == ["a.go", "alias.go", "pkg/b.rs", "pkg/deep/c.h"]
    assert again.snapshot == snapshot
    assert again.files[0].stamp != walked.files[0].stamp  # stat'ed again


@pytest.mark.usefixtures("settled_at_once")
@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "pkg" / "deep" / "new.rs").write_text(""),
        lambda root: (root / "pkg" / "b.rs").unlink(),
        lambda root: (root / "pkg" / "b.rs").rename(root / "pkg" / "renamed.rs"),
        lambda root: (root / ".gitignore").write_text("gen/\npkg/\n"),
        lambda root: (root / "pkg" / ".gitignore").write_text("*.h\n"),
        lambda root: (root / "a.go").write_text("x" * 2000),  # over the size cap now
    ],
    ids=["added", "deleted", "renamed", "gitignore-edited", "gitignore-added", "grown"],
)
def test_a_changed_tree_is_walked_again(project: Project, change) -> None:  # type: ignore[no-untyped-def]
    snapshot = _walked_tree(project)
    time.sleep(0.01)  # a directory's new mtime must differ, whatever the clock's grain
    change(project.root)
    again = discover(str(project.root), max_file_size=1000, previous=snapshot)
    fresh = discover(str(project.root), max_file_size=1000)
    assert again == fresh
    assert again.snapshot != snapshot


@pytest.mark.usefixtures("settled_at_once")
def test_a_snapshot_is_for_the_settings_it_was_walked_with(project: Project) -> None:
    snapshot = _walked_tree(project)
    assert [f.path for f in discover(str(project.root), ["pkg/"], previous=snapshot).files] == [
        "a.go",
        "alias.go",
    ]


def test_no_snapshot_of_what_changed_too_recently_or_of_a_walk_with_problems(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("a.go", "")  # its directory was changed just now
    assert discover(str(project.root)).snapshot is None
    monkeypatch.setattr(discovery_module, "SETTLED_NS", 0)
    assert discover(str(project.root)).snapshot is not None
    os.symlink("/nonexistent/target.rs", project.root / "dangling.rs")
    walked = discover(str(project.root))
    assert walked.notifications and walked.snapshot is None
