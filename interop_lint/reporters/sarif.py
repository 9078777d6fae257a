"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om.

The contract (design.md): every enabled rule in `tool.driver.rules` with its
documentation as help; results with root-relative URIs under `%SRCROOT%`,
UTF-16 columns, related locations linked from the message, and a
`primaryLocationLineHash`; notifications for every file that could not be
analysed; byte-identical output for the same tree; within code scanning's
limits (docs.github.com, "SARIF results exceed limits"): 25,000 results per
run, 1,000 locations per result of which 100 are shown, 10 MB gzipped per
file. When results must go, the least severe go first, as code scanning
itself prioritises by severity; every cut is a warning.
"""

from __future__ import annotations

import gzip
import json
import pathlib
import re
from typing import Any

import attr
import sarif_om as om

from interop_lint import HOMEPAGE
from interop_lint.analyzer.findings import Finding, Notification, RuleDescription
from interop_lint.analyzer.locations import COLUMN_KIND, Location
from interop_lint.reporters.base import Rendered, Report, plural

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000
MAX_GZIPPED_BYTES = 10 * 1024 * 1024
MAX_RELATED_LOCATIONS = 100  # code scanning shows no more (and rejects over 1,000)
_SEVERITY_RANK = {"error": 0, "warning": 1, "note": 2}
_ALWAYS_KEPT = frozenset({"level"})  # dropping it would turn a result back into the default
_BRACKET = re.compile(r"([\[\]])")


def _to_json(value: Any) -> Any:
    """sarif-om objects to JSON values, with the schema's property names."""
    if attr.has(type(value)):
        encoded = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            default = field.default
            if isinstance(default, attr.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if item is None or (item == default and field.name not in _ALWAYS_KEPT):
                continue
            encoded[field.metadata["schema_property_name"]] = _to_json(item)
        return encoded
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    return value


def _region(location: Location) -> om.Region:
    return om.Region(
        start_line=location.line,
        start_column=location.column,
        end_line=location.end_line,
        end_column=location.end_column,
    )


def _physical(location: Location) -> om.PhysicalLocation:
    return om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=location.path, uri_base_id=SRCROOT),
        region=_region(location),
    )


def _rule_descriptor(rule: RuleDescription) -> om.ReportingDescriptor:
    properties: dict[str, Any] = {"tags": list(rule.tags), "precision": rule.precision}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=_first_section(rule.documentation)),
        help=om.MultiformatMessageString(text=rule.documentation, markdown=rule.documentation),
        help_uri=rule.help_uri,
        default_configuration=om.ReportingConfiguration(level=rule.level.value),
        properties=properties,
    )


def _first_section(documentation: str) -> str:
    body = documentation.split("## What it does", 1)[-1]
    return " ".join(body.split("\n## ", 1)[0].split())


def linked_message(finding: Finding) -> str:
    """The message, with each related location it names turned into `[path:line](id)`.

    Code scanning links a related location only from the message. Rules name
    the other side as `path:line`; here that text becomes a SARIF link.
    Literal brackets are escaped so they are not read as links. Only the
    related locations that are written are linked (no dangling ids).
    """
    message = _BRACKET.sub(r"\\\1", finding.message)
    numbers: dict[str, int] = {}  # several related locations on one line: the first one
    for number, related in enumerate(finding.related[:MAX_RELATED_LOCATIONS], start=1):
        numbers.setdefault(related.location.place, number)
    if not numbers:
        return message
    # Longest first, and a whole `path:line` only: `lib.rs:1` is no part of `lib.rs:14`.
    places = "|".join(re.escape(p) for p in sorted(numbers, key=len, reverse=True))
    linked: set[str] = set()

    def link(match: re.Match[str]) -> str:
        place = match.group(0)
        if place in linked:
            return place  # linked once: a link may not hold another (SARIF 3.11.6)
        linked.add(place)
        return f"[{place}]({numbers[place]})"

    return re.sub(rf"(?<![\w./-])(?:{places})(?!\d)", link, message)


def _result(finding: Finding, rule_index: int, include_suppressed: bool) -> om.Result:
    result = om.Result(
        rule_id=finding.rule_id,
        rule_index=rule_index,
        level=finding.level.value,
        message=om.Message(text=linked_message(finding)),
        locations=[om.Location(physical_location=_physical(finding.location))],
        partial_fingerprints={"primaryLocationLineHash": finding.fingerprint},
    )
    if finding.related:
        result.related_locations = [
            om.Location(
                id=number,
                physical_location=_physical(related.location),
                message=om.Message(text=related.message),
            )
            for number, related in enumerate(finding.related[:MAX_RELATED_LOCATIONS], start=1)
        ]
    if include_suppressed and finding.suppressed:
        result.suppressions = [om.Suppression(kind="inSource")]
    return result


def _notification(note: Notification) -> om.Notification:
    notification = om.Notification(
        message=om.Message(text=note.message),
        level=note.level.value,
        descriptor=om.ReportingDescriptorReference(id=note.kind.value),
    )
    if note.path:
        region = om.Region(start_line=note.line) if note.line else None
        notification.locations = [
            om.Location(
                physical_location=om.PhysicalLocation(
                    artifact_location=om.ArtifactLocation(uri=note.path, uri_base_id=SRCROOT),
                    region=region,
                )
            )
        ]
    if note.rule_id:
        notification.associated_rule = om.ReportingDescriptorReference(id=note.rule_id)
    return notification


def render_sarif(
    report: Report, *, category: str = "interop-lint/", include_suppressed: bool = False
) -> Rendered:
    findings = [f for f in report.findings if include_suppressed or not f.suppressed]
    # Most severe first (stable: path order within a level), so cuts drop notes first.
    ranked = sorted(findings, key=lambda f: _SEVERITY_RANK[f.level.value])
    warnings = []
    if len(ranked) > MAX_RESULTS:
        warnings.append(
            f"SARIF: {len(ranked)} results, code scanning accepts {MAX_RESULTS} per run; "
            f"the {len(ranked) - MAX_RESULTS} least severe were left out"
        )
        ranked = ranked[:MAX_RESULTS]
    crowded = sum(1 for f in ranked if len(f.related) > MAX_RELATED_LOCATIONS)
    if crowded:
        warnings.append(
            f"SARIF: {plural(crowded, 'result')} had more than {MAX_RELATED_LOCATIONS} related "
            f"locations, more than code scanning shows; only the first {MAX_RELATED_LOCATIONS} "
            "of each were written"
        )
    keep = len(ranked)
    size_warnings: list[str] = []
    while True:
        kept = sorted(ranked[:keep], key=lambda f: f.sort_key)
        text = _render(report, kept, category, include_suppressed, warnings + size_warnings)
        size = len(gzip.compress(text.encode(), compresslevel=6, mtime=0))
        if size <= MAX_GZIPPED_BYTES or keep == 0:
            break
        keep = keep * MAX_GZIPPED_BYTES // size * 9 // 10
        size_warnings = [
            f"SARIF: the report exceeds code scanning's 10 MB (gzipped) limit; only the "
            f"{keep} most severe of {len(ranked)} results were written"
        ]
    return Rendered(text, warnings + size_warnings)


def _render(
    report: Report,
    findings: list[Finding],
    category: str,
    include_suppressed: bool,
    warnings: list[str],
) -> str:
    rule_index = {rule.id: number for number, rule in enumerate(report.rules)}
    notifications = [_notification(n) for n in report.notifications]
    notifications += [
        om.Notification(
            message=om.Message(text=w),
            level="warning",
            descriptor=om.ReportingDescriptorReference(id="truncated"),
        )
        for w in warnings
    ]
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="interop-lint",
                version=report.version,
                semantic_version=report.version,
                information_uri=HOMEPAGE,
                rules=[_rule_descriptor(rule) for rule in report.rules],
            )
        ),
        automation_details=om.RunAutomationDetails(
            id=category if category.endswith("/") else category + "/"
        ),
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(uri=pathlib.Path(report.root).as_uri().rstrip("/") + "/")
        },
        column_kind=COLUMN_KIND,
        invocations=[
            om.Invocation(
                execution_successful=report.successful,
                tool_execution_notifications=notifications or None,
            )
        ],
        results=[_result(f, rule_index.get(f.rule_id, -1), include_suppressed) for f in findings],
    )
    log = om.SarifLog(schema_uri=SCHEMA_URI, version="2.1.0", runs=[run])
    return json.dumps(_to_json(log), indent=2, ensure_ascii=False) + "\n"
