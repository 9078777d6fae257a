"""Shared test helpers: fixture cases, `expect:` annotations, running the CLI."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from interop_lint import __version__
from interop_lint.analyzer.findings import Finding
from interop_lint.cli import main
from interop_lint.reporters.base import Report
from interop_lint.rules.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
SCHEMA = DATA / "sarif-schema-2.1.0.json"

# The same annotation grammar as ../shared/tools/score.
EXPECT = re.compile(r"(?:#|//|/\*)\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
SKIPPED_DIRS = {".git", "target", "node_modules", "__pycache__"}

# Hypothesis profiles live here, not in a test module: `--hypothesis-profile`
# is read when pytest configures, before any test module is imported.
# CI runs `ci` (a bounded budget); `long` is the documented longer run.
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

Expectation = tuple[str, int, str]  # (path relative to the case, line, rule)


def _subdirectories(directory: Path) -> list[Path]:
    # Hidden directories (a `.interop-lint-cache/` left by scoring a family)
    # are not cases.
    return sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith("."))


def fixture_cases(family: str | None = None) -> list[Path]:
    """Every `fixtures/<family>/<case>/` directory."""
    families = [FIXTURES / family] if family else _subdirectories(FIXTURES)
    return [case for fam in families if fam.is_dir() for case in _subdirectories(fam)]


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def walk_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            yield Path(dirpath) / name


def expectations(root: Path) -> set[Expectation]:
    found = set()
    for path in walk_files(root):
        rel = path.relative_to(root).as_posix()
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                for match in EXPECT.finditer(line):
                    for rule in re.split(r"\s*,\s*", match.group(1)):
                        found.add((rel, number, rule))
    return found


def run_cli(args: list[str], cwd: Path | str | None = None) -> Result:
    """Run `interop-lint ARGS` in-process, in `cwd`."""
    runner = CliRunner()
    previous = os.getcwd()
    os.chdir(cwd or previous)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(previous)


def run_sarif(cwd: Path | str, *args: str) -> dict:
    result = run_cli(["check", "--format", "sarif", *args], cwd)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def report_with(findings: list[Finding], **baseline_counts: int) -> Report:
    """A report of these findings, every rule enabled, as the reporters get it."""
    return Report(
        root="/project",
        findings=findings,
        notifications=[],
        rules=[rule.describe() for rule in all_rules()],
        version=__version__,
        successful=True,
        **baseline_counts,
    )


@dataclass(frozen=True)
class Project:
    """A temporary project written from a dict of path -> text."""

    root: Path

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_the_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs through the CLI cache in a temporary directory, not in fixtures/."""
    previous = os.environ.get("INTEROP_LINT_CACHE_DIR")
    os.environ["INTEROP_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("INTEROP_LINT_CACHE_DIR", None)
    else:
        os.environ["INTEROP_LINT_CACHE_DIR"] = previous
