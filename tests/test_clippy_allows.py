"""RS103 and RS108 against clippy's switches for the lints they are.

By default a `#![allow(clippy::missing_safety_doc)]` changes nothing (rules.md
knows only interop-lint's own suppressions, and clippy honours only its own);
with `follow-clippy-allows = true` the nearest clippy attribute decides.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

CASE = FIXTURES / "rust" / "clippy-allows"

# What remains with the option on: the exports no clippy switch above turns off.
FOLLOWED = {
    ("src/codecs/wire.rs", "wire_read", "RS103"),
    ("src/lib.rs", "meter_reset", "RS103"),
    ("src/lib.rs", "meter_double", "RS108"),
    ("src/strict.rs", "strict_read", "RS108"),
}


def _findings(root: Path) -> set[tuple[str, str, str]]:
    result = run_cli(["check", "--format", "json", "--select", "RS103,RS108"], cwd=root)
    assert result.exit_code in (0, 1), result.output
    found = set()
    for finding in json.loads(result.stdout)["findings"]:
        line = (
            (root / finding["path"]).read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
        )
        name = line.split("fn ", 1)[1].split("(", 1)[0]
        found.add((finding["path"], name, finding["rule"]))
    return found


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CASE, tmp_path / "clippy-allows"))


def test_clippy_allows_are_not_interop_lint_suppressions_by_default(case: Path) -> None:
    found = _findings(case)
    assert found > FOLLOWED
    assert ("src/lib.rs", "meter_read", "RS108") in found  # under `#![allow(..)]`
    assert ("src/handles.rs", "handle_free", "RS103") in found  # under `#[allow] mod`
    assert ("src/raw_reads.rs", "raw_second_byte", "RS103") in found  # `#[path]` named


def test_follow_clippy_allows_lets_the_nearest_clippy_switch_decide(case: Path) -> None:
    (case / ".interop-lint.toml").write_text("follow-clippy-allows = true\n", encoding="utf-8")
    assert _findings(case) == FOLLOWED


def test_follow_clippy_allows_must_be_a_boolean(case: Path) -> None:
    (case / ".interop-lint.toml").write_text('follow-clippy-allows = "yes"\n', encoding="utf-8")
    result = run_cli(["check"], cwd=case)
    assert result.exit_code == 2
    assert "`follow-clippy-allows` must be true or false" in result.output
