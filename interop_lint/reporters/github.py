"""GitHub Actions workflow commands: one annotation per finding, grouped per file.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
`::warning file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`,
with the escaping of actions/toolkit (`escapeData`, `escapeProperty`). The
toolkit documents that `col` and `endColumn` cannot be sent when `line` and
`endLine` differ, so a finding over several lines is annotated by lines only.
File paths are relative to the project root, which in CI is the checkout.
"""

from __future__ import annotations

from itertools import groupby

from interop_lint.analyzer.findings import Finding
from interop_lint.reporters.base import (
    Rendered,
    Report,
    baseline_summary,
    count_by_level,
    plural,
    statistics_lines,
)

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
# GitHub turns at most this many annotations of each level of one step into
# annotations on the run and the diff; the rest stay in the log only.
ANNOTATIONS_SHOWN_PER_LEVEL = 10


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding, names: dict[str, str]) -> str:
    loc = finding.location
    properties: list[tuple[str, object]] = [("file", loc.path), ("line", loc.line)]
    if loc.end_line == loc.line:
        properties += [
            ("col", loc.column),
            ("endLine", loc.end_line),
            ("endColumn", loc.end_column),
        ]
    else:
        properties += [("endLine", loc.end_line)]
    properties.append(("title", f"{finding.rule_id} {names.get(finding.rule_id, '')}".strip()))
    encoded = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
    command = _COMMANDS[finding.level.value]
    return f"::{command} {encoded}::{_escape_data(finding.message)}"


def render_github(report: Report, *, statistics: bool = False) -> Rendered:
    names = {rule.id: rule.name for rule in report.rules}
    lines = []
    reported = report.reported
    for path, findings in groupby(reported, key=lambda f: f.location.path):
        lines.append(f"::group::{_escape_data(path)}")
        lines += [_annotation(finding, names) for finding in findings]
        lines.append("::endgroup::")
    for note in report.notifications:
        if note.kind.is_failure:
            where = f"file={_escape_property(note.path)}" + (
                f",line={note.line}" if note.line else ""
            )
            lines.append(f"::error {where}::{_escape_data(note.message)}")
    if statistics:
        lines += statistics_lines(report)
    levels = count_by_level(reported)
    if any(count > ANNOTATIONS_SHOWN_PER_LEVEL for count in levels.values()):
        lines.append(
            f"interop-lint: GitHub shows at most {ANNOTATIONS_SHOWN_PER_LEVEL} annotations of "
            "each level per step; every finding is in the groups above"
        )
    summary = f"interop-lint: {plural(len(reported), 'finding')}"
    baseline = baseline_summary(report)
    lines.append(". ".join([summary, " ".join(baseline)]) if baseline else summary)
    return Rendered("\n".join(lines) + "\n")
