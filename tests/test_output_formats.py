"""`--format github` against GitHub's workflow-command rules, and `--statistics` in every format."""

from __future__ import annotations

import json

from interop_lint.analyzer.findings import Finding, Level
from interop_lint.analyzer.locations import Location
from interop_lint.reporters.github import render_github
from tests.conftest import Project, report_with, run_cli

MANIFEST = '[dependencies]\nlibc = "*"\nserde = "*"\n[build-dependencies]\ncc = "*"\n'


def _finding(line: int, end_line: int, message: str = "m", level: Level = Level.WARNING):
    return Finding("DEP101", level, message, Location("src/a,b:c.rs", line, 3, end_line, 7))


def test_annotation_escapes_properties_and_data_as_the_toolkit_does() -> None:
    lines = render_github(report_with([_finding(2, 2, "50% off\nnext line")])).text.splitlines()
    assert lines[1] == (
        "::warning file=src/a%2Cb%3Ac.rs,line=2,col=3,endLine=2,endColumn=7,"
        "title=DEP101 cargo-unpinned-version::50%25 off%0Anext line"
    )


def test_annotation_over_several_lines_has_no_columns() -> None:
    # actions/toolkit: col and endColumn cannot be sent when line and endLine differ.
    lines = render_github(report_with([_finding(2, 4)])).text.splitlines()
    assert lines[1].startswith("::warning file=src/a%2Cb%3Ac.rs,line=2,endLine=4,title=DEP101")


def test_notes_are_notices_and_errors_errors() -> None:
    findings = [_finding(1, 1, level=Level.NOTE), _finding(2, 2, level=Level.ERROR)]
    lines = render_github(report_with(findings)).text.splitlines()
    assert lines[1].startswith("::notice ") and lines[2].startswith("::error ")


def test_says_when_github_will_not_show_every_annotation() -> None:
    many = [_finding(line, line) for line in range(1, 12)]
    text = render_github(report_with(many)).text
    assert "GitHub shows at most 10 annotations of each level per step" in text
    assert "at most 10" not in render_github(report_with(many[:10])).text


def test_github_summary_has_the_baseline_counts() -> None:
    report = report_with([_finding(1, 1)], baseline_matched=3, baseline_stale=1)
    last = render_github(report).text.splitlines()[-1]
    assert last == (
        "interop-lint: 1 finding. 3 in the baseline. 1 baseline entry no longer found (stale)."
    )


def test_statistics_in_text_and_github_output(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    for output_format in ("text", "github"):
        result = run_cli(["check", "--statistics", "--format", output_format], project.root)
        assert "3\tDEP101\tcargo-unpinned-version" in result.stdout.splitlines(), output_format
        assert "DEP101" not in result.stderr


def test_statistics_never_enter_machine_readable_output(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    for output_format in ("json", "sarif"):
        result = run_cli(["check", "--statistics", "--format", output_format], project.root)
        json.loads(result.stdout)  # still one JSON document
        assert result.stderr.splitlines() == ["3\tDEP101\tcargo-unpinned-version"]


def test_json_summary_counts_findings_per_rule(project: Project) -> None:
    project.write("Cargo.toml", MANIFEST)
    summary = json.loads(run_cli(["check", "--format", "json"], project.root).stdout)["summary"]
    assert summary["by_rule"] == {"DEP101": 3}
