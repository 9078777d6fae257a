"""Progress on a terminal: stderr only, only on a TTY, only for long runs."""

from __future__ import annotations

import io
import json

import pytest

from interop_lint import progress as progress_module
from interop_lint.analyzer.config import Config
from interop_lint.analyzer.engine import RunOptions, run
from interop_lint.progress import TerminalProgress, progress_for
from interop_lint.rules.registry import all_rules
from tests.conftest import Project, run_cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _many_manifests(project: Project, count: int) -> None:
    for number in range(count):
        project.write(f"crates/c{number}/Cargo.toml", '[dependencies]\nlibc = "*"\n')


def test_engine_reports_both_passes_to_the_callback(project: Project) -> None:
    _many_manifests(project, 5)
    calls: list[tuple[str, int, int]] = []
    options = RunOptions(
        str(project.root),
        Config(),
        all_rules(),
        progress=lambda phase, done, total: calls.append((phase, done, total)),
    )
    run(options)
    assert [c for c in calls if c[0] == "index"] == [("index", n, 5) for n in range(1, 6)]
    assert [c for c in calls if c[0] == "check"] == [("check", n, 5) for n in range(1, 6)]
    assert calls.index(("index", 5, 5)) < calls.index(("check", 1, 5))


def test_small_runs_show_nothing() -> None:
    terminal = _Terminal()
    shown = TerminalProgress(terminal, min_files=300)
    for done in range(1, 100):
        shown("index", done, 99)
    shown.finish()
    assert terminal.getvalue() == ""


def test_long_runs_redraw_one_line_throttled_and_blank_it_at_the_end() -> None:
    terminal = _Terminal()
    now = [0.0]
    shown = TerminalProgress(terminal, min_files=10, interval=1.0, clock=lambda: now[0])
    shown("index", 1, 20)  # drawn
    shown("index", 2, 20)  # too soon
    now[0] = 2.0
    shown("index", 3, 20)  # drawn
    shown("check", 20, 20)  # the last file of a pass is always drawn
    output = terminal.getvalue()
    assert output.split("\r")[1:] == [
        "interop-lint: indexing 1/20 files",
        "interop-lint: indexing 3/20 files",
        "interop-lint: checking 20/20 files",
    ]
    assert "\n" not in output
    shown.finish()
    assert terminal.getvalue().endswith(
        "\r" + " " * len("interop-lint: checking 20/20 files") + "\r"
    )


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert progress_for(io.StringIO()) is None
    assert progress_for(_Terminal()) is not None
    monkeypatch.setenv("TERM", "dumb")
    assert progress_for(_Terminal()) is None


def test_cli_shows_no_progress_in_a_pipe(project: Project, monkeypatch) -> None:
    monkeypatch.setattr(progress_module, "MIN_FILES", 1)
    _many_manifests(project, 3)
    result = run_cli(["check", "--format", "json"], project.root)
    assert "indexing" not in result.stderr


def test_cli_progress_goes_to_stderr_never_into_the_report(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module, "MIN_FILES", 1)
    monkeypatch.setattr(progress_module, "_is_terminal", lambda stream: True)
    _many_manifests(project, 3)
    result = run_cli(["check", "--format", "json"], project.root)
    assert "interop-lint: checking 3/3 files" in result.stderr
    assert len(json.loads(result.stdout)["findings"]) == 3
