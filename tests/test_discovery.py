"""Which files the index covers: .gitignore, skipped directories, symlinks, size cap."""

from __future__ import annotations

import os

from interop_lint.analyzer.discovery import FileKind, classify, discover
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
        "target/debug/a.rs",
        "vendor/x/b.go",
        "node_modules/y/c.h",
        ".git/hooks/d.py",
        "crates/e/target/f.rs",
        "gen/g.rs",
        "src/h.rs",
    ):
        project.write(path, "")
    found = [f.path for f in discover(str(project.root), exclude=["gen/"]).files]
    assert found == ["src/h.rs"]


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
