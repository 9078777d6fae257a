"""GitHub Actions workflow commands: one annotation per finding, grouped per file.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from itertools import groupby

from interop_lint.reporters.base import Rendered, Report, plural

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> Rendered:
    names = {rule.id: rule.name for rule in report.rules}
    lines = []
    reported = report.reported
    for path, findings in groupby(reported, key=lambda f: f.location.path):
        lines.append(f"::group::{_escape_data(path)}")
        for finding in findings:
            loc = finding.location
            properties = ",".join(
                f"{key}={_escape_property(str(value))}"
                for key, value in (
                    ("file", loc.path),
                    ("line", loc.line),
                    ("col", loc.column),
                    ("endLine", loc.end_line),
                    ("endColumn", loc.end_column),
                    ("title", f"{finding.rule_id} {names.get(finding.rule_id, '')}".strip()),
                )
            )
            command = _COMMANDS[finding.level.value]
            lines.append(f"::{command} {properties}::{_escape_data(finding.message)}")
        lines.append("::endgroup::")
    for note in report.notifications:
        if note.kind.is_failure:
            where = f"file={_escape_property(note.path)}" + (
                f",line={note.line}" if note.line else ""
            )
            lines.append(f"::error {where}::{_escape_data(note.message)}")
    lines.append(f"interop-lint: {plural(len(reported), 'finding')}")
    return Rendered("\n".join(lines) + "\n")
