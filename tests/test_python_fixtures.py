"""The Python fixtures are real Python 3, as their crates are real Rust."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, walk_files

_PYTHON = [p for p in walk_files(FIXTURES) if p.suffix == ".py"]


@pytest.mark.parametrize("path", _PYTHON, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_python_compiles(path: Path) -> None:
    compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
