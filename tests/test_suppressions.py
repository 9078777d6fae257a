"""Inline suppressions as rules.md defines them."""

from __future__ import annotations

from interop_lint.analyzer.suppressions import Suppressions
from tests.conftest import Project, run_cli


def test_same_line_and_standalone_line_above() -> None:
    data = (
        b"a = 1 // interop-lint: ignore[RS101]\n"  # 1: covers line 1 only
        b"b = 2\n"  # 2
        b"    // interop-lint: ignore[GO101, GO102]\n"  # 3: covers 3 and 4
        b"c = 3\n"  # 4
        b"# interop-lint: ignore\n"  # 5: every rule on 5 and 6
        b"d = 4\n"  # 6
        b"/* interop-lint: ignore[rs1] */\n"  # 7: prefix, case-insensitive
        b"e = 5\n"  # 8
    )
    suppressions = Suppressions.scan(data)
    assert suppressions.covers("RS101", 1)
    assert not suppressions.covers("RS101", 2)  # a trailing comment is about its own line
    assert not suppressions.covers("RS102", 1)
    assert suppressions.covers("GO101", 4) and suppressions.covers("GO102", 3)
    assert not suppressions.covers("GO103", 4)
    assert suppressions.covers("XL101", 6) and suppressions.covers("DEP101", 5)
    assert not suppressions.covers("XL101", 7 + 2)
    assert suppressions.covers("RS105", 8) and not suppressions.covers("GO101", 8)


def test_text_without_marker_is_not_a_suppression() -> None:
    assert not Suppressions.scan(b'msg = "interop-lint: ignore"\n').covers("RS101", 1)


def test_suppressed_findings_leave_report_and_exit_status(project: Project) -> None:
    project.write(
        "Cargo.toml",
        '[dependencies]\n# interop-lint: ignore[DEP101]\nlibc = "*"\n'
        'serde = "*" # interop-lint: ignore\n',
    )
    result = run_cli(["check"], project.root)
    assert result.exit_code == 0
    assert result.stdout == "All checks passed. 2 suppressed in source.\n"
