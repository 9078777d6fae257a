"""Changed-files mode: the whole root is indexed, only the named files are reported.

Cross-language findings are reported when either side of the boundary is
named: a Rust change that breaks a Go call site fails the commit that
touches only the Rust file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import Location, RelatedLocation
from interop_lint.rules.registry import FAMILIES, Rule, all_rules
from tests.conftest import Project, run_cli

GO_CALLER = "cmd/main.go"
RUST_EXPORT = "engine/src/lib.rs"


class _ReportsGoCallersOfRust(Rule):
    """Stands in for an XL rule: primary on the Rust export, related on the Go call."""

    id = "XT901"
    name = "test-cross"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    cross_language = True
    checked: ClassVar[list[str]] = []

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        self.checked.append(ctx.file.path)
        if 'extern "C"' not in ctx.file.text:
            return
        go_side = Location(GO_CALLER, 3, 1, 3, 10)
        yield Violation(
            ctx.file.lines.line_location(1),
            f"signature differs from the call at {GO_CALLER}:3",
            (RelatedLocation(go_side, "the Go call"),),
        )


class _SameButOneSided(_ReportsGoCallersOfRust):
    id = "XT902"
    name = "test-one-sided"
    cross_language = False
    checked: ClassVar[list[str]] = []


def _project(project: Project) -> Project:
    project.write(RUST_EXPORT, '#[no_mangle]\npub extern "C" fn engine_add(a: i64) {}\n')
    project.write(GO_CALLER, 'package main\n\n// import "C"\nfunc main() {}\n')
    project.write("other/src/lib.rs", "pub fn other() {}\n")
    return project


def _run(project: Project, *scope: str, rules: tuple[type[Rule], ...]) -> RunResult:
    for rule in rules:
        rule.checked.clear()  # type: ignore[attr-defined]
    return run(RunOptions(str(project.root), Config(), rules, scope=scope or ("",)))


def _reported(result: RunResult) -> set[tuple[str, str]]:
    return {(f.rule_id, f.location.path) for f in result.reported}


def test_cross_language_finding_is_reported_when_only_the_other_side_is_named(
    project: Project,
) -> None:
    _project(project)
    result = _run(project, GO_CALLER, rules=(_ReportsGoCallersOfRust, _SameButOneSided))
    # The Go file is named; the finding's primary location is in the Rust file.
    assert _reported(result) == {("XT901", RUST_EXPORT)}


def test_cross_language_finding_is_reported_when_its_own_side_is_named(project: Project) -> None:
    _project(project)
    result = _run(project, RUST_EXPORT, rules=(_ReportsGoCallersOfRust, _SameButOneSided))
    assert _reported(result) == {("XT901", RUST_EXPORT), ("XT902", RUST_EXPORT)}


def test_nothing_is_reported_for_an_unrelated_named_file(project: Project) -> None:
    _project(project)
    project.write("docs/notes.go", "package docs\n")
    result = _run(project, "docs/notes.go", rules=(_ReportsGoCallersOfRust, _SameButOneSided))
    assert _reported(result) == set()


def test_outside_the_scope_only_cross_language_rules_run(project: Project) -> None:
    _project(project)
    _run(project, GO_CALLER, rules=(_ReportsGoCallersOfRust, _SameButOneSided))
    assert sorted(_ReportsGoCallersOfRust.checked) == ["engine/src/lib.rs", "other/src/lib.rs"]
    assert _SameButOneSided.checked == []  # filtered, never re-checked


def test_the_index_covers_the_whole_root_whatever_is_named(project: Project) -> None:
    _project(project)
    result = _run(project, GO_CALLER, rules=())
    assert result.files_indexed == 3


def test_rules_of_the_cross_family_are_cross_language_by_default() -> None:
    cross = type(
        "FakeXL",
        (Rule,),
        {"__module__": "interop_lint.rules.cross.xl999_fake", "id": "XL999"},
    )
    one_sided = type(
        "FakeXLOptOut",
        (Rule,),
        {"__module__": "interop_lint.rules.cross.x", "id": "XL998", "cross_language": False},
    )
    elsewhere = type("FakeRS", (Rule,), {"__module__": "interop_lint.rules.rust.x", "id": "RS999"})
    assert cross.cross_language is True
    assert one_sided.cross_language is False
    assert elsewhere.cross_language is False
    assert "cross" in FAMILIES
    for rule in all_rules():
        assert rule.cross_language == rule.__module__.startswith("interop_lint.rules.cross."), (
            rule.id
        )


def test_named_files_choose_what_the_cli_reports(project: Project) -> None:
    unpinned = '[dependencies]\nlibc = "*"\n'
    project.write("a/Cargo.toml", unpinned)
    project.write("b/Cargo.toml", unpinned)
    project.write("c/Cargo.toml", unpinned)
    result = run_cli(["check", "a/Cargo.toml", "c/Cargo.toml"], project.root)
    assert result.exit_code == 1
    paths = [line.split(":")[0] for line in result.stdout.splitlines()[:-1]]
    assert paths == ["a/Cargo.toml", "c/Cargo.toml"]


def test_warnings_about_unnamed_files_are_left_out(project: Project) -> None:
    project.write("a/Cargo.toml", "[package\n")  # malformed: a warning
    project.write("b/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    only_b = run_cli(["check", "b/Cargo.toml"], project.root)
    assert "a/Cargo.toml" not in only_b.stderr
    everything = run_cli(["check"], project.root)
    assert "a/Cargo.toml" in everything.stderr


def test_a_named_file_the_index_excludes_reports_nothing(project: Project) -> None:
    # As with ruff's `force-exclude`: pre-commit passes every staged file, and the
    # configuration's exclusions still hold.
    project.write(".interop-lint.toml", 'exclude = ["third_party/"]\n')
    project.write("third_party/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    result = run_cli(["check", "third_party/Cargo.toml"], project.root)
    assert result.exit_code == 0
    assert result.stdout == "All checks passed.\n"
