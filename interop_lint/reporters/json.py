"""A JSON document: the findings with root-relative paths, notifications, a summary."""

from __future__ import annotations

import json
from typing import Any

from interop_lint.analyzer.findings import Finding, Notification
from interop_lint.analyzer.locations import Location
from interop_lint.reporters.base import Rendered, Report, count_by_level, count_by_rule


def _location(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def _finding(finding: Finding, names: dict[str, str]) -> dict[str, Any]:
    return {
        "rule": finding.rule_id,
        "name": names.get(finding.rule_id, ""),
        "level": finding.level.value,
        "message": finding.message,
        **_location(finding.location),
        "fingerprint": finding.fingerprint,
        "related": [{**_location(r.location), "message": r.message} for r in finding.related],
    }


def _notification(note: Notification) -> dict[str, Any]:
    return {
        "path": note.path,
        "line": note.line,
        "kind": note.kind.value,
        "level": note.level.value,
        "message": note.message,
        "rule": note.rule_id or None,
    }


def render_json(report: Report) -> Rendered:
    names = {rule.id: rule.name for rule in report.rules}
    reported = report.reported
    document = {
        "tool": {"name": "interop-lint", "version": report.version},
        "root": report.root,
        "findings": [_finding(f, names) for f in reported],
        "notifications": [_notification(n) for n in report.notifications],
        "summary": {
            "findings": len(reported),
            "by_level": dict(sorted(count_by_level(reported).items())),
            "by_rule": dict(sorted(count_by_rule(reported).items())),
            "suppressed": len(report.findings) - len(reported),
            "baseline_matched": report.baseline_matched,
            "baseline_stale": report.baseline_stale,
            "files": report.files_indexed,
            "successful": report.successful,
        },
    }
    return Rendered(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
