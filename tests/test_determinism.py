"""The same tree gives byte-identical SARIF and JSON, however it is run.

Whatever `-j` (the processes a run forks, forced here even on small trees),
the order in which the file system lists directories, and whether the cache
is cold, warm, or warm from another run's scope.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interop_lint.analyzer import engine, one_file
from tests.conftest import case_id, fixture_cases, run_cli
from tests.generated import planted_corpus

FORMATS = ("sarif", "json")


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even for a handful of files, where a real run would not bother."""
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 2)


def _reports(root: Path, *args: str, formats: tuple[str, ...] = FORMATS) -> dict[str, str]:
    found = {}
    for output_format in formats:
        result = run_cli(["check", "--format", output_format, *args], root)
        assert result.exit_code in (0, 1), result.output
        found[output_format] = result.stdout
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planted_corpus(tmp_path_factory.mktemp("corpus"), files=150, boundary=0.5)


@pytest.mark.parametrize("case", fixture_cases(), ids=case_id)
def test_a_fixture_is_reported_the_same_whatever_the_jobs(case: Path, always_fork: None) -> None:
    # SARIF holds everything JSON does (test_output_formats); the corpus tests compare both.
    parallel = _reports(case, "--no-cache", "-j", "2", formats=("sarif",))
    assert parallel == _reports(case, "--no-cache", "-j", "1", formats=("sarif",))


def test_a_corpus_is_reported_the_same_whatever_the_jobs(corpus: Path, always_fork: None) -> None:
    serial = _reports(corpus, "--no-cache", "-j", "1")
    assert '"ruleId": "RS101"' in serial["sarif"]
    assert _reports(corpus, "--no-cache", "-j", "2") == serial
    assert _reports(corpus, "--no-cache", "-j", "3")["json"] == serial["json"]


def test_the_corpus_really_runs_in_several_processes(corpus: Path, always_fork: None) -> None:
    from interop_lint.analyzer.config import Config
    from interop_lint.rules.registry import all_rules

    result = engine.run(engine.RunOptions(str(corpus), Config(), all_rules(), jobs=2))
    assert result.statistics["processes"] == 2


def test_a_cold_and_a_warm_cache_report_the_same(
    corpus: Path, tmp_path: Path, always_fork: None
) -> None:
    cache = str(tmp_path / "cache")
    cold = _reports(corpus, "--cache-dir", cache, "-j", "2")
    assert _reports(corpus, "--no-cache") == cold
    assert _reports(corpus, "--cache-dir", cache) == cold  # warm: nothing checked again
    assert _reports(corpus, "--cache-dir", cache, "-j", "1") == cold


def test_changed_files_mode_reports_the_same_cold_or_warm(
    corpus: Path, tmp_path: Path, always_fork: None
) -> None:
    everything = _reports(corpus, "--no-cache")
    for path in (
        sorted(corpus.glob("crates/*/src/ffi_0.rs"))[0],
        sorted(corpus.glob("go/*/bind_0.go"))[0],
    ):
        shown = str(path.relative_to(corpus))
        expected = _reports(corpus, "--no-cache", shown, "-j", "2")
        cache = str(tmp_path / f"cache-{path.name}")
        assert _reports(corpus, "--cache-dir", cache, shown) == expected  # cold
        assert _reports(corpus, "--cache-dir", cache, shown) == expected  # warm
        assert _reports(corpus, "--cache-dir", cache) == everything  # from a partial record
        assert _reports(corpus, "--cache-dir", cache, shown) == expected  # from a full one


def test_the_file_system_order_does_not_matter(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_fork: None
) -> None:
    forward = _reports(corpus, "--no-cache", "-j", "1")
    real_scandir = os.scandir

    def reversed_scandir(path):  # type: ignore[no-untyped-def]
        return iter(sorted(real_scandir(path), key=lambda e: e.name, reverse=True))

    monkeypatch.setattr(os, "scandir", reversed_scandir)
    cache = str(tmp_path / "cache")
    assert _reports(corpus, "--cache-dir", cache, "-j", "2") == forward
    assert _reports(corpus, "--cache-dir", cache) == forward


def test_a_run_leaves_nothing_of_its_files_behind(corpus: Path) -> None:
    """Per-file caches (trees, models) are dropped: memory stays flat across runs."""
    import gc
    import sys
    import weakref

    from interop_lint.analyzer.config import Config
    from interop_lint.rules.registry import all_rules

    def caches() -> list[weakref.WeakKeyDictionary]:  # type: ignore[type-arg]
        return [
            value
            for name, module in list(sys.modules.items())
            if name.startswith("interop_lint.") and module is not None
            for value in vars(module).values()
            if isinstance(value, weakref.WeakKeyDictionary)
        ]

    engine.run(engine.RunOptions(str(corpus), Config(), all_rules()))  # every module loaded
    gc.collect()
    before = [len(cache) for cache in caches()]  # what other tests may have left
    engine.run(engine.RunOptions(str(corpus), Config(), all_rules()))
    gc.collect()
    assert before and [len(cache) for cache in caches()] == before


def test_a_worker_that_dies_costs_time_not_results(
    corpus: Path, always_fork: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interop_lint.analyzer import workers
    from interop_lint.analyzer.config import Config
    from interop_lint.rules.registry import all_rules

    serial = engine.run(engine.RunOptions(str(corpus), Config(), all_rules()))
    real = one_file.check_file

    def dying(*args, **kwargs):  # type: ignore[no-untyped-def]
        if workers.in_child():
            os._exit(3)  # as a segfault in a parser would
        return real(*args, **kwargs)

    monkeypatch.setattr(one_file, "check_file", dying)
    parallel = engine.run(engine.RunOptions(str(corpus), Config(), all_rules(), jobs=2))
    assert parallel.statistics["redone after a worker failed"] > 0
    assert (parallel.findings, parallel.notifications) == (serial.findings, serial.notifications)


def test_a_small_project_runs_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the threshold forking costs more than it saves (bench/): never for a fixture."""
    from interop_lint.analyzer.config import Config
    from interop_lint.rules.registry import all_rules

    def no_fork() -> int:
        raise AssertionError("forked for a small project")

    monkeypatch.setattr(os, "fork", no_fork)
    for case in fixture_cases("cross")[:5]:
        result = engine.run(engine.RunOptions(str(case), Config(), all_rules(), jobs=8))
        assert "processes" not in result.statistics
