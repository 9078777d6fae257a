"""A warm run tells an unchanged tree from the files' stamps, without reading them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from interop_lint.analyzer import discovery
from interop_lint.analyzer.config import Config
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.rules.registry import all_rules
from tests.conftest import FIXTURES

CASE = FIXTURES / "cross" / "handwritten-header"
HEADER = "include/engine.h"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(CASE, root, ignore=shutil.ignore_patterns(".interop-lint-cache"))
    return root


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled as soon as they are written (a test cannot wait 2 s)."""
    monkeypatch.setattr(discovery, "SETTLED_NS", 0)


def _run(root: Path, cache: Path | None) -> RunResult:
    cache_dir = None if cache is None else str(cache)
    return run(RunOptions(str(root), Config(), all_rules(), cache_dir=cache_dir))


def _outcome(result: RunResult) -> tuple[list, list]:
    return result.findings, result.notifications


def test_an_unchanged_tree_is_not_read_again(
    tree: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cold = _run(tree, tmp_path / "cache")
    assert cold.statistics["files read"] == cold.files_indexed > 0
    warm = _run(tree, tmp_path / "cache")
    assert warm.statistics["files read"] == 0
    assert warm.files_indexed == cold.files_indexed
    assert warm.statistics["findings from cache"] > 0
    assert _outcome(warm) == _outcome(cold) and cold.findings


def test_a_rewrite_keeping_size_and_mtime_is_still_seen(
    tree: Path, tmp_path: Path, settled_at_once: None
) -> None:
    cold = _run(tree, tmp_path / "cache")
    header = tree / HEADER
    before = header.stat()
    text = header.read_text()
    # Same size, same modification time: only the inode's change time tells.
    header.write_text(text.replace("int64_t engine_total(", "int32_t engine_total(", 1))
    os.utime(header, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert header.stat().st_size == before.st_size
    assert header.stat().st_mtime_ns == before.st_mtime_ns
    edited = _run(tree, tmp_path / "cache")
    assert edited.statistics["files read"] > 0
    assert _outcome(edited) == _outcome(_run(tree, None))
    assert _outcome(edited) != _outcome(cold)


def test_a_new_file_is_seen(tree: Path, tmp_path: Path, settled_at_once: None) -> None:
    _run(tree, tmp_path / "cache")
    (tree / "include" / "extra.h").write_text("long engine_total(void *engine);\n")
    again = _run(tree, tmp_path / "cache")
    assert again.statistics["files read"] > 0
    assert _outcome(again) == _outcome(_run(tree, None))


def test_files_changed_just_now_are_read_but_findings_still_come_from_the_cache(
    tree: Path, tmp_path: Path
) -> None:
    # Just copied: too recent for a stamp to stand for the content (coarse clocks).
    cold = _run(tree, tmp_path / "cache")
    warm = _run(tree, tmp_path / "cache")
    assert warm.statistics["files read"] == cold.files_indexed
    assert warm.statistics["findings from cache"] > 0
    assert _outcome(warm) == _outcome(cold)
