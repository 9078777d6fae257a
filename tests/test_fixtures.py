"""Every fixture case reports exactly its `expect:` annotations, in every format.

Each case under fixtures/<family>/<case>/ is run as its own project (the
current directory is the case), as design.md prescribes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import case_id, expectations, fixture_cases, run_cli

Span = tuple[str, int, int, str]  # (path, start line, end line, rule)

_TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]+\d+) ")
_GITHUB_LINE = re.compile(r"^::(?:error|warning|notice) (?P<props>[^:]*)::")


def _match(expected: set[tuple[str, int, str]], found: list[Span]) -> tuple[list, list]:
    """Pair findings with annotations one to one (an annotation inside a finding's lines)."""
    missing = sorted(expected)
    extra = []
    for path, start, end, rule in sorted(found):
        hit = next(
            (e for e in missing if e[0] == path and e[2] == rule and start <= e[1] <= end), None
        )
        if hit is None:
            extra.append((path, start, rule))
        else:
            missing.remove(hit)
    return missing, extra


def _spans_from_sarif(document: dict) -> list[Span]:
    spans = []
    for result in document["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        spans.append(
            (
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region.get("endLine", region["startLine"]),
                result["ruleId"],
            )
        )
    return spans


def _spans_from_json(document: dict) -> list[Span]:
    return [(f["path"], f["line"], f["end_line"], f["rule"]) for f in document["findings"]]


def _spans_from_text(output: str) -> list[Span]:
    spans = []
    for line in output.splitlines():
        match = _TEXT_LINE.match(line)
        if match:
            number = int(match["line"])
            spans.append((match["path"], number, number, match["rule"]))
    return spans


def _spans_from_github(output: str) -> list[Span]:
    spans = []
    for line in output.splitlines():
        match = _GITHUB_LINE.match(line)
        if not match:
            continue
        props = dict(p.split("=", 1) for p in match["props"].split(","))
        if "title" not in props:
            continue  # a failure notice, not a finding
        spans.append(
            (props["file"], int(props["line"]), int(props["endLine"]), props["title"].split()[0])
        )
    return spans


PARSERS = {
    "sarif": lambda out: _spans_from_sarif(json.loads(out)),
    "json": lambda out: _spans_from_json(json.loads(out)),
    "text": _spans_from_text,
    "github": _spans_from_github,
}


@pytest.mark.parametrize("output_format", sorted(PARSERS))
@pytest.mark.parametrize("case", fixture_cases(), ids=case_id)
def test_fixture_reports_exactly_its_annotations(case: Path, output_format: str) -> None:
    result = run_cli(["check", "--format", output_format], cwd=case)
    assert result.exit_code in (0, 1), result.output
    assert "could not be fully analysed" not in result.output, result.output
    missing, extra = _match(expectations(case), PARSERS[output_format](result.stdout))
    assert not missing and not extra, f"missing: {missing}\nextra: {extra}"
    want_findings = bool(expectations(case))
    assert result.exit_code == (1 if want_findings else 0)


def test_every_rule_has_positive_fixtures() -> None:
    from interop_lint.rules.registry import all_rules

    annotated = {rule for case in fixture_cases() for _, _, rule in expectations(case)}
    missing = [rule.id for rule in all_rules() if rule.id not in annotated]
    assert not missing, f"rules without an annotated fixture: {missing}"
