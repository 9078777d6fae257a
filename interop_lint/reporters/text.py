"""`path:line:col: ID message`, one finding per line, then a one-line summary."""

from __future__ import annotations

import click

from interop_lint.reporters.base import (
    PathStyle,
    Rendered,
    Report,
    baseline_summary,
    count_by_level,
    plural,
    statistics_lines,
)

_LEVEL_COLOURS = {"error": "red", "warning": "yellow", "note": "cyan"}


def render_text(
    report: Report, display_path: PathStyle, *, colour: bool = False, statistics: bool = False
) -> Rendered:
    lines = []
    for finding in report.reported:
        loc = finding.location
        where = f"{display_path(loc.path)}:{loc.line}:{loc.column}:"
        rule = finding.rule_id
        if colour:
            where = click.style(where, bold=True)
            rule = click.style(rule, fg=_LEVEL_COLOURS[finding.level.value], bold=True)
        lines.append(f"{where} {rule} {finding.message}")
    if statistics:
        lines += statistics_lines(report)
    lines.append(_summary(report))
    return Rendered("\n".join(lines) + "\n")


def _summary(report: Report) -> str:
    reported = report.reported
    parts = []
    if reported:
        levels = count_by_level(reported)
        detail = ", ".join(
            plural(levels[level], level) for level in ("error", "warning", "note") if levels[level]
        )
        parts.append(f"Found {plural(len(reported), 'finding')} ({detail}).")
    else:
        parts.append("All checks passed.")
    suppressed = len(report.findings) - len(reported)
    if suppressed:
        parts.append(f"{suppressed} suppressed in source.")
    parts += baseline_summary(report)
    failures = [n for n in report.notifications if n.kind.is_failure]
    if failures:
        parts.append(f"{plural(len(failures), 'file')} could not be fully analysed.")
    return " ".join(parts)
