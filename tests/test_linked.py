"""Changed-files mode checks, outside the named files, only the files linked to them.

The argument is in analyzer/linked.py; here every fixture's cross-language
findings must point only into their file's link targets, and naming any
one file must report exactly what a full run reports for it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import discover
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.linked import linked_to_scope
from interop_lint.analyzer.rust.macro_sharing import share_export_macros
from interop_lint.analyzer.scope import in_scope, is_reported
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import all_rules
from tests.conftest import case_id, fixture_cases


@cache
def _full(case: Path) -> RunResult:
    return run(RunOptions(str(case), Config(), all_rules()))


def _index(case: Path) -> ProjectIndex:
    found = discover(str(case)).files
    sources = [SourceFile.read(str(case), f.path, f.kind) for f in found]
    share_export_macros(sources)  # as the engine does: macros of other files expand here
    return ProjectIndex(str(case), [extract_facts(s) for s in sources], Config())


def _cross_cases() -> list[Path]:
    cross = {r.id for r in all_rules() if r.cross_language}
    return [c for c in fixture_cases() if any(f.rule_id in cross for f in _full(c).findings)]


@pytest.mark.parametrize("case", _cross_cases(), ids=case_id)
def test_cross_language_findings_point_only_into_their_files_links(case: Path) -> None:
    index = _index(case)
    cross = {r.id for r in all_rules() if r.cross_language}
    for finding in _full(case).findings:
        if finding.rule_id not in cross:
            continue
        home = finding.location.path
        for related in finding.related:
            there = related.location.path
            if there == home:
                continue
            linked = linked_to_scope(index, [home], lambda p, there=there: p == there)
            assert linked == {home}, (finding.rule_id, home, there)


@pytest.mark.parametrize("case", _cross_cases(), ids=case_id)
def test_naming_one_file_reports_what_a_full_run_reports_for_it(case: Path) -> None:
    full = _full(case)
    cross = {r.id for r in all_rules() if r.cross_language}
    for path in sorted({f.path for f in discover(str(case)).files}):
        scope = (path,)
        named = run(RunOptions(str(case), Config(), all_rules(), scope=scope))
        expected = [f for f in full.findings if is_reported(f, scope, f.rule_id in cross)]
        assert named.findings == expected, path
        assert [n for n in named.notifications if in_scope(n.path, scope)] == [
            n for n in full.notifications if in_scope(n.path, scope)
        ]
