"""The SARIF contract of design.md, one test per point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from interop_lint import __version__
from interop_lint.analyzer.findings import Finding, Level
from interop_lint.analyzer.locations import Location, RelatedLocation
from interop_lint.reporters import sarif as sarif_reporter
from interop_lint.rules.registry import all_rules
from tests.conftest import FIXTURES, Project, report_with, run_cli, run_sarif

UNPINNED = FIXTURES / "deps" / "staticlib-unpinned"
VERSIONS = FIXTURES / "deps" / "cargo-versions"


@pytest.fixture(scope="module")
def versions_sarif() -> dict:
    return run_sarif(VERSIONS)


def test_validates_against_the_official_schema(sarif_validator, versions_sarif) -> None:
    errors = sorted(sarif_validator.iter_errors(versions_sarif), key=str)
    assert not errors, errors[:3]
    assert versions_sarif["version"] == "2.1.0"


def test_every_fixture_case_validates(sarif_validator) -> None:
    for case in sorted((FIXTURES / "deps").iterdir()):
        document = run_sarif(case)
        assert not list(sarif_validator.iter_errors(document)), case.name


def test_driver_names_the_tool(versions_sarif) -> None:
    driver = versions_sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "interop-lint"
    assert driver["version"] == __version__
    assert driver["semanticVersion"] == __version__
    assert driver["informationUri"].startswith("https://")


def test_driver_lists_every_enabled_rule_with_its_documentation(versions_sarif) -> None:
    rules = versions_sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.id for rule in all_rules()]
    for descriptor, rule in zip(rules, all_rules(), strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary()
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["markdown"] == rule.documentation()
        assert "## Why is this bad?" in descriptor["help"]["text"]
        assert descriptor["helpUri"].endswith(f"docs/rules/{rule.id}.md")
        assert descriptor["defaultConfiguration"]["level"] == rule.level.value
        assert descriptor["properties"]["precision"] in ("very-high", "high", "medium", "low")
        tags = descriptor["properties"]["tags"]
        assert all(f"external/cwe/cwe-{n}" in tags for n in rule.cwe)
        if rule.security_severity is not None:
            assert "security" in tags
            assert float(descriptor["properties"]["security-severity"]) == rule.security_severity


def test_only_enabled_rules_are_listed() -> None:
    document = run_sarif(VERSIONS, "--select", "DEP101,DEP102")
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["DEP101", "DEP102"]


def test_result_has_rule_level_message_and_location(versions_sarif) -> None:
    run = versions_sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["results"]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] == "warning"
        assert result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "Cargo.toml", "uriBaseId": "%SRCROOT%"}
        region = location["physicalLocation"]["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_uris_are_relative_to_the_root_not_the_current_directory(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(UNPINNED, case)
    document = run_sarif(case / "src", "--root", str(case))
    run = document["runs"][0]
    assert run["results"] == []  # PATHS default to ".", here src/: nothing there
    document = run_sarif(tmp_path, "--root", str(case), str(case))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {"Cargo.toml"}
    base = document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == case.resolve().as_uri() + "/"


def test_column_kind_and_automation_details(versions_sarif) -> None:
    run = versions_sarif["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["automationDetails"]["id"] == "interop-lint/"
    custom = run_sarif(VERSIONS, "--category", "backend")["runs"][0]
    assert custom["automationDetails"]["id"] == "backend/"


def test_invocation_reports_success_and_notifications(project: Project) -> None:
    project.write("Cargo.toml", "[package\nname = 'broken'\n")
    project.write("ok/Cargo.toml", '[package]\nname = "ok"\n[dependencies]\nx = "*"\n')
    document = run_sarif(project.root)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True  # a malformed manifest is not a failure
    (note,) = invocation["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Cargo.toml"
    assert "not valid TOML" in note["message"]["text"]
    assert [r["ruleId"] for r in document["runs"][0]["results"]] == ["DEP101"]


def test_fingerprint_is_stable_when_unrelated_lines_move(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(VERSIONS, case)
    before = _fingerprints(run_sarif(case))
    manifest = case / "Cargo.toml"
    manifest.write_text("# a comment\n\n" + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    after = _fingerprints(run_sarif(case))
    assert before == after
    assert len(set(before.values())) == len(before)  # one per finding


def _fingerprints(document: dict) -> dict[str, str]:
    return {
        r["message"]["text"]: r["partialFingerprints"]["primaryLocationLineHash"]
        for r in document["runs"][0]["results"]
    }


def test_equal_lines_get_distinct_fingerprints(project: Project) -> None:
    project.write("a/Cargo.toml", '[dependencies]\nx = "*"\n[dev-dependencies]\nx = "*"\n')
    results = run_sarif(project.root)["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(hashes) == 2 and hashes[0] != hashes[1]
    assert hashes[0].split(":")[0] == hashes[1].split(":")[0]


def test_output_is_byte_identical_across_runs() -> None:
    first = run_cli(["check", "--format", "sarif"], VERSIONS).stdout
    second = run_cli(["check", "--format", "sarif"], VERSIONS).stdout
    assert first == second
    invocation = json.loads(first)["runs"][0]["invocations"][0]
    assert not {"startTimeUtc", "endTimeUtc", "machine", "processId"} & set(invocation)


def test_results_are_sorted_by_path_line_column_rule(versions_sarif) -> None:
    keys = []
    for result in versions_sarif["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        keys.append(
            (
                physical["artifactLocation"]["uri"],
                physical["region"]["startLine"],
                physical["region"]["startColumn"],
                result["ruleId"],
            )
        )
    assert keys == sorted(keys)


def test_suppressed_findings_are_omitted_unless_asked_for(project: Project) -> None:
    project.write(
        "Cargo.toml",
        '[dependencies]\nx = "*"  # interop-lint: ignore[DEP101]\ny = "*"\n',
    )
    default = run_sarif(project.root)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in default] == [3]
    assert all("suppressions" not in r for r in default)
    included = run_sarif(project.root, "--include-suppressed")["runs"][0]["results"]
    suppressed = [r for r in included if r.get("suppressions")]
    assert len(included) == 2 and len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [{"kind": "inSource"}]


def _only_result(finding: Finding, sarif_validator) -> dict:
    """The SARIF result of a report holding only `finding`, checked against the schema."""
    document = json.loads(sarif_reporter.render_sarif(report_with([finding])).text)
    assert not list(sarif_validator.iter_errors(document))
    (result,) = document["runs"][0]["results"]
    return result


def test_related_locations_are_linked_from_the_message(sarif_validator) -> None:
    c_side = Location("include/engine.h", 12, 1, 12, 30)
    finding = Finding(
        "DEP107",
        Level.WARNING,
        "declared differently at include/engine.h:12 [see header]",
        Location("src/lib.rs", 3, 8, 3, 20),
        (RelatedLocation(c_side, "the C declaration"),),
        "abc:1",
    )
    result = _only_result(finding, sarif_validator)
    assert result["message"]["text"] == (
        "declared differently at [include/engine.h:12](1) \\[see header\\]"
    )
    (related,) = result["relatedLocations"]
    assert related["id"] == 1
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "include/engine.h"
    assert related["message"]["text"] == "the C declaration"


def test_a_place_named_by_several_related_locations_is_linked_once(sarif_validator) -> None:
    # Two panic sites on line 14 and one on line 1: no nested link, no `lib.rs:1` in `:14`.
    related = tuple(
        RelatedLocation(Location("src/lib.rs", line, column, line, column + 4), "panics here")
        for line, column in ((14, 5), (14, 20), (1, 1))
    )
    finding = Finding(
        "RS101",
        Level.ERROR,
        "`sum` can panic (indexing `s[0]` at src/lib.rs:14, `s[1]` at src/lib.rs:14, "
        "`.unwrap()` at src/lib.rs:1)",
        Location("src/lib.rs", 10, 8, 10, 11),
        related,
        "abc:2",
    )
    result = _only_result(finding, sarif_validator)
    assert result["message"]["text"] == (
        "`sum` can panic (indexing `s\\[0\\]` at [src/lib.rs:14](1), `s\\[1\\]` at "
        "src/lib.rs:14, `.unwrap()` at [src/lib.rs:1](3))"
    )


def test_results_are_cut_to_code_scanning_limits(monkeypatch) -> None:
    monkeypatch.setattr(sarif_reporter, "MAX_RESULTS", 3)
    findings = [
        Finding("DEP101", Level.WARNING, f"m{i}", Location("Cargo.toml", i, 1, i, 2), (), f"h{i}:1")
        for i in range(1, 6)
    ]
    rendered = sarif_reporter.render_sarif(report_with(findings))
    document = json.loads(rendered.text)
    assert len(document["runs"][0]["results"]) == 3
    assert rendered.warnings and "25000" not in rendered.warnings[0]
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("left out" in n["message"]["text"] for n in notes)


def test_oversized_report_is_cut_below_the_size_limit(monkeypatch) -> None:
    import gzip

    # Room for some results beyond what every report carries (the rules' documentation).
    empty = sarif_reporter.render_sarif(report_with([])).text.encode()
    limit = len(gzip.compress(empty)) + 10_000
    monkeypatch.setattr(sarif_reporter, "MAX_GZIPPED_BYTES", limit)
    findings = [
        Finding(
            "DEP101",
            Level.WARNING,
            f"message {i} " + "x" * (i % 97) + str(i * 7919),
            Location("Cargo.toml", i, 1, i, 2),
            (),
            f"{i:016x}:1",
        )
        for i in range(1, 2000)
    ]
    rendered = sarif_reporter.render_sarif(report_with(findings))
    assert len(gzip.compress(rendered.text.encode())) <= limit
    assert rendered.warnings and "10 MB" in rendered.warnings[0]


def test_related_locations_are_cut_to_what_code_scanning_shows(sarif_validator) -> None:
    many = tuple(
        RelatedLocation(Location(f"go/call{i}.go", i, 1, i, 9), f"call {i}") for i in range(1, 151)
    )
    message = "called from go/call1.go:1 and go/call150.go:150"
    finding = Finding(
        "DEP101", Level.WARNING, message, Location("src/lib.rs", 3, 1, 3, 9), many, "h:1"
    )
    rendered = sarif_reporter.render_sarif(report_with([finding]))
    document = json.loads(rendered.text)
    assert not list(sarif_validator.iter_errors(document))
    (result,) = document["runs"][0]["results"]
    assert len(result["relatedLocations"]) == sarif_reporter.MAX_RELATED_LOCATIONS == 100
    # Only written locations are linked: no link to an id that is not there.
    assert result["message"]["text"] == "called from [go/call1.go:1](1) and go/call150.go:150"
    (warning,) = rendered.warnings
    assert "1 result had more than 100 related locations" in warning


def test_cuts_keep_the_most_severe_results(monkeypatch) -> None:
    monkeypatch.setattr(sarif_reporter, "MAX_RESULTS", 2)
    levels = [Level.NOTE, Level.ERROR, Level.WARNING, Level.ERROR]
    findings = [
        Finding("DEP101", level, f"m{i}", Location("Cargo.toml", i, 1, i, 2), (), f"h{i}:1")
        for i, level in enumerate(levels, start=1)
    ]
    rendered = sarif_reporter.render_sarif(report_with(findings))
    results = json.loads(rendered.text)["runs"][0]["results"]
    assert [(r["level"], r["message"]["text"]) for r in results] == [
        ("error", "m2"),
        ("error", "m4"),
    ]
    assert "the 2 least severe were left out" in rendered.warnings[0]


def test_cli_warns_on_stderr_when_results_are_cut(project: Project, monkeypatch) -> None:
    monkeypatch.setattr(sarif_reporter, "MAX_RESULTS", 1)
    project.write("Cargo.toml", '[dependencies]\nx = "*"\ny = "*"\n')
    result = run_cli(["check", "--format", "sarif"], project.root)
    assert result.exit_code == 1
    assert "warning: SARIF: 2 results, code scanning accepts 1 per run" in result.stderr
    assert len(json.loads(result.stdout)["runs"][0]["results"]) == 1


def test_stays_within_code_scanning_limits_on_runs_rules_and_tags(versions_sarif) -> None:
    # docs.github.com: 20 runs per file, 25,000 rules per run, 20 tags per rule
    # (10 shown). One run, and few enough tags that all are shown.
    (run,) = versions_sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) <= 25_000
    assert all(len(rule["properties"]["tags"]) <= 10 for rule in rules)
