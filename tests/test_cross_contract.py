"""The contract checked end to end: a generated header against its crate, both sides reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli, run_sarif

LARGE = FIXTURES / "cross" / "cbindgen-large"


def _xl_findings(root: Path) -> list[dict]:
    result = run_cli(["check", "--format", "json", "--select", "XL"], cwd=root)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


@pytest.fixture
def large_copy(tmp_path: Path) -> Path:
    target = tmp_path / "telemetry"
    shutil.copytree(LARGE, target)
    return target


def test_a_generated_header_of_hundreds_of_lines_matches_its_crate_in_one_run() -> None:
    header = (LARGE / "include" / "telemetry.h").read_text(encoding="utf-8")
    assert "Generated with cbindgen" in header
    assert header.count("\n") >= 300
    assert _xl_findings(LARGE) == []


def test_changing_one_rust_parameter_type_makes_exactly_one_xl101(large_copy: Path) -> None:
    lib = large_copy / "src" / "lib.rs"
    source = lib.read_text(encoding="utf-8")
    before = "fn telemetry_record_network(telemetry: Option<&mut Telemetry>, value: u64)"
    assert before in source
    lib.write_text(source.replace(before, before.replace("value: u64", "value: u32")), "utf-8")

    findings = _xl_findings(large_copy)

    assert [f["rule"] for f in findings] == ["XL101"]
    (finding,) = findings
    header_line = _line_of(large_copy / "include" / "telemetry.h", "telemetry_record_network(")
    rust_line = _line_of(lib, "fn telemetry_record_network(")
    assert (finding["path"], finding["line"]) == ("include/telemetry.h", header_line)
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("src/lib.rs", rust_line)]
    assert finding["message"] == (
        "parameter 2 (`value`) of `telemetry_record_network` is `uint64_t` here "
        f"but `u32` in src/lib.rs:{rust_line}"
    )


def test_sarif_of_a_cross_language_finding_carries_both_sides(large_copy: Path) -> None:
    lib = large_copy / "src" / "lib.rs"
    source = lib.read_text(encoding="utf-8")
    lib.write_text(source.replace("-> isize {", "-> i32 {", 1), "utf-8")

    document = run_sarif(large_copy, "--select", "XL")

    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "XL101"
    primary = result["locations"][0]["physicalLocation"]
    assert primary["artifactLocation"]["uri"] == "include/telemetry.h"
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "src/lib.rs"
    rust_line = related["physicalLocation"]["region"]["startLine"]
    # Code scanning links the other side only from the message.
    assert f"[src/lib.rs:{rust_line}]({related['id']})" in result["message"]["text"]


def test_constness_alone_is_a_warning(large_copy: Path) -> None:
    header = large_copy / "include" / "telemetry.h"
    text = header.read_text(encoding="utf-8")
    before = "telemetry_import_1(struct Telemetry *telemetry, uint8_t *data"
    assert before in text
    # Rust takes `*mut u8` and may write where C callers pass read-only memory.
    header.write_text(text.replace(before, before.replace("uint8_t", "const uint8_t")), "utf-8")

    (finding,) = _xl_findings(large_copy)

    assert (finding["rule"], finding["level"]) == ("XL101", "warning")
    assert finding["message"].endswith("only the constness differs")


def test_a_parameter_c_declares_less_const_than_rust_reads_is_fine(large_copy: Path) -> None:
    header = large_copy / "include" / "telemetry.h"
    text = header.read_text(encoding="utf-8")
    # Rust takes `*const c_char`: C callers may pass a writable buffer.
    header.write_text(text.replace("const char *data", "char *data", 1), "utf-8")

    assert _xl_findings(large_copy) == []


def test_the_cross_fixtures_report_the_same_as_one_project_as_case_by_case() -> None:
    """Every case of fixtures/cross shares symbols with others: linking keeps them apart."""
    together = {(f["path"], f["line"], f["rule"]) for f in _xl_findings(FIXTURES / "cross")}
    one_by_one = {
        (f"{case.name}/{f['path']}", f["line"], f["rule"])
        for case in sorted((FIXTURES / "cross").iterdir())
        if case.is_dir()
        for f in _xl_findings(case)
    }
    assert together == one_by_one


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
