"""Baselines: `--write-baseline` accepts today's findings, `--baseline` reports only new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interop_lint.analyzer.baseline import (
    BaselineEntry,
    BaselineError,
    apply_baseline,
    parse_baseline,
)
from interop_lint.analyzer.findings import Finding, Level
from interop_lint.analyzer.locations import Location
from tests.conftest import Project, run_cli

MANIFEST = '[package]\nname = "engine"\n\n[dependencies]\nlibc = "*"\nserde = ">= 1"\n'


def _write_baseline(project: Project, *args: str) -> Path:
    target = project.root / "interop-lint-baseline.json"
    result = run_cli(["check", "--write-baseline", str(target), *args], project.root)
    assert result.exit_code == 0, result.output
    return target


def test_written_baseline_lists_the_findings_for_humans_and_machines(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    target = project.root / "baseline.json"
    result = run_cli(["check", "--write-baseline", str(target)], project.root)
    assert result.exit_code == 0  # everything found is now accepted
    assert f"wrote 2 findings to the baseline {target}" in result.stderr
    assert result.stdout.splitlines()[-1] == "All checks passed. 2 in the baseline."
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert [(e["rule"], e["path"], e["line"]) for e in document["entries"]] == [
        ("DEP101", "Cargo.toml", 5),
        ("DEP101", "Cargo.toml", 6),
    ]
    assert all(e["fingerprint"].endswith(":1") and e["message"] for e in document["entries"])


def test_baseline_survives_lines_inserted_above_and_a_new_finding_still_fails(
    project: Project,
) -> None:
    project.write("Cargo.toml", MANIFEST)
    baseline = _write_baseline(project)
    project.write("Cargo.toml", "# The engine.\n\n[workspace]\n\n" + MANIFEST)
    accepted = run_cli(["check", "--baseline", str(baseline)], project.root)
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout == "All checks passed. 2 in the baseline.\n"

    project.write("Cargo.toml", "# The engine.\n\n" + MANIFEST + 'rand = "*"\n')
    new = run_cli(["check", "--baseline", str(baseline)], project.root)
    assert new.exit_code == 1
    lines = new.stdout.splitlines()
    assert [line.split(": DEP101 ")[0] for line in lines[:-1]] == ["Cargo.toml:9:1"]
    assert "`rand`" in lines[0]
    assert lines[-1] == "Found 1 finding (1 warning). 2 in the baseline."


def test_one_entry_accepts_one_of_two_identical_findings(project: Project) -> None:
    project.write("Cargo.toml", '[dependencies]\nlibc = "*"\n')
    baseline = _write_baseline(project)
    project.write("Cargo.toml", '[dependencies]\nlibc = "*"\n[build-dependencies]\nlibc = "*"\n')
    result = run_cli(["check", "--baseline", str(baseline), "--format", "json"], project.root)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert len(document["findings"]) == 1
    assert document["summary"]["baseline_matched"] == 1


def test_stale_entries_are_counted_in_the_summary(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    baseline = _write_baseline(project)
    project.write("Cargo.toml", MANIFEST.replace('libc = "*"', 'libc = "0.2"'))
    result = run_cli(["check", "--baseline", str(baseline)], project.root)
    assert result.exit_code == 0
    assert result.stdout == (
        "All checks passed. 1 in the baseline. 1 baseline entry no longer found (stale).\n"
    )
    document = json.loads(
        run_cli(["check", "--baseline", str(baseline), "--format", "json"], project.root).stdout
    )
    assert document["summary"]["baseline_stale"] == 1


def test_entries_outside_the_named_paths_or_rules_are_not_stale(project: Project) -> None:
    project.write("a/Cargo.toml", MANIFEST)
    project.write("b/Cargo.toml", MANIFEST)
    baseline = _write_baseline(project)
    only_a = run_cli(["check", "--baseline", str(baseline), "a"], project.root)
    assert only_a.stdout == "All checks passed. 2 in the baseline.\n"
    other_rule = run_cli(["check", "--baseline", str(baseline), "--select", "DEP102"], project.root)
    assert other_rule.stdout == "All checks passed.\n"


def test_rewriting_the_baseline_prunes_stale_entries(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    baseline = _write_baseline(project)
    project.write("Cargo.toml", MANIFEST.replace('serde = ">= 1"', 'serde = "1"'))
    result = run_cli(
        ["check", "--baseline", str(baseline), "--write-baseline", str(baseline)], project.root
    )
    assert result.exit_code == 0
    assert "1 baseline entry no longer found (stale)" in result.stdout
    entries = json.loads(baseline.read_text(encoding="utf-8"))["entries"]
    assert [e["line"] for e in entries] == [5]


def test_suppressed_findings_are_not_written_to_the_baseline(project: Project) -> None:
    project.write("Cargo.toml", '[dependencies]\nlibc = "*"  # interop-lint: ignore[DEP101]\n')
    baseline = _write_baseline(project)
    assert json.loads(baseline.read_text(encoding="utf-8"))["entries"] == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"version": 1}', "not an interop-lint baseline"),
        ('{"version": 7, "entries": []}', "unsupported baseline version 7"),
        ('{"version": 1, "entries": [{"rule": "DEP101"}]}', "entry 1: `path`"),
    ],
)
def test_missing_or_malformed_baseline_is_one_line_and_exit_2(
    project: Project, content: str | None, reason: str
) -> None:
    project.write("Cargo.toml", MANIFEST)
    if content is not None:
        project.write("baseline.json", content)
    result = run_cli(["check", "--baseline", "baseline.json"], project.root)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("interop-lint: error: --baseline baseline.json: ")
    assert reason in line


def test_unwritable_baseline_is_a_clear_error(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    target = project.root / "no" / "such" / "baseline.json"
    result = run_cli(["check", "--write-baseline", str(target)], project.root)
    assert result.exit_code == 2
    assert "--write-baseline" in result.stderr and "cannot write" in result.stderr


def _finding(line: int, fingerprint: str, *, suppressed: bool = False) -> Finding:
    location = Location("Cargo.toml", line, 1, line, 5)
    return Finding("DEP101", Level.WARNING, "m", location, (), fingerprint, suppressed)


def test_matching_is_a_multiset_on_rule_path_and_fingerprint() -> None:
    entries = [
        BaselineEntry("DEP101", "Cargo.toml", "h:1"),
        BaselineEntry("DEP101", "Cargo.toml", "h:1"),
        BaselineEntry("DEP102", "Cargo.toml", "h:1"),  # another rule: no match
        BaselineEntry("DEP101", "other/Cargo.toml", "h:1"),  # another path: no match
    ]
    findings = [_finding(3, "h:1"), _finding(9, "h:1"), _finding(12, "h:1"), _finding(1, "g:1")]
    outcome = apply_baseline(findings, entries, judged=lambda e: e.rule == "DEP101")
    assert outcome.matched == 2
    assert [f.location.line for f in outcome.findings] == [12, 1]
    assert [e.path for e in outcome.stale] == ["other/Cargo.toml"]


def test_suppressed_findings_neither_match_nor_count_as_new() -> None:
    entries = [BaselineEntry("DEP101", "Cargo.toml", "h:1")]
    outcome = apply_baseline([_finding(3, "h:1", suppressed=True)], entries)
    assert outcome.matched == 0
    assert [f.suppressed for f in outcome.findings] == [True]
    assert len(outcome.stale) == 1


def test_parse_rejects_entries_that_are_not_objects() -> None:
    with pytest.raises(BaselineError, match="entry 2 is not an object"):
        parse_baseline(
            '{"version": 1, "entries": [{"rule": "A", "path": "p", "fingerprint": "f"}, 3]}'
        )
