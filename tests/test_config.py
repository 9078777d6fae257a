"""Configuration files, rule selection and per-file ignores."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.config import ConfigError, load_config, resolve_selection
from tests.conftest import Project, run_cli

IDS = ["DEP101", "DEP102", "DEP103", "RS101", "RS102", "GO101"]
UNPINNED = '[dependencies]\nlibc = "*"\n[lib]\ncrate-type = ["cdylib"]\n'


@pytest.mark.parametrize(
    ("select", "ignore", "enabled"),
    [
        (["ALL"], [], IDS),
        (["DEP"], ["DEP102"], ["DEP101", "DEP103"]),
        (["DEP10"], [], ["DEP101", "DEP102", "DEP103"]),
        (["RS101"], ["RS"], ["RS101"]),  # the more specific selector wins
        (["RS"], ["RS"], []),  # a tie goes to ignore
        (["ALL"], ["DEP", "GO"], ["RS101", "RS102"]),
        (["dep101"], [], ["DEP101"]),
    ],
)
def test_selection_by_prefix(select, ignore, enabled) -> None:
    assert resolve_selection(IDS, select, ignore) == frozenset(enabled)


def test_unknown_selector_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown rule or prefix `XL9`"):
        resolve_selection(IDS, ["XL9"], [])


def test_own_file_wins_over_pyproject(project: Project) -> None:
    project.write(".interop-lint.toml", 'ignore = ["DEP101"]\n')
    project.write("pyproject.toml", '[tool.interop-lint]\nignore = ["DEP102"]\n')
    config = load_config(str(project.root))
    assert config.ignore == ("DEP101",) and config.source == ".interop-lint.toml"


def test_pyproject_table(project: Project) -> None:
    project.write(
        "pyproject.toml",
        '[project]\nname = "x"\n[tool.interop-lint]\nselect = ["DEP"]\n'
        'panic-guards = ["ffi_guard"]\nfree-functions = ["freeBuffer"]\n'
        'ownership-taking = ["C.engine_take"]\nheader-globs = ["include/**/*.h"]\n'
        "max-file-size = 1000\n",
    )
    config = load_config(str(project.root))
    assert config.select == ("DEP",)
    assert config.panic_guards == ("ffi_guard",)
    assert config.free_functions == ("freeBuffer",)
    assert config.ownership_taking == ("C.engine_take",)
    assert config.header_in_contract("include/x/engine.h")
    assert not config.header_in_contract("vendor_c/other.h")
    assert config.max_file_size == 1000


def test_pyproject_without_our_table_gives_defaults(project: Project) -> None:
    project.write("pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(str(project.root)).select == ("ALL",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct = []\n", "unknown key `selct`"),
        ("select = 3\n", "`select` must be a list of strings"),
        ("per-file-ignores = []\n", "`per-file-ignores` must be a table"),
        ('max-file-size = "big"\n', "`max-file-size` must be a number of bytes"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_invalid_config_names_file_and_problem(project: Project, text: str, message: str) -> None:
    project.write(".interop-lint.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(str(project.root))
    assert str(caught.value).startswith(".interop-lint.toml: ")


def test_explicit_config_file(project: Project) -> None:
    project.write("ci/lint.toml", 'select = ["DEP103"]\n')
    project.write("Cargo.toml", UNPINNED)
    result = run_cli(["check", "--config", "ci/lint.toml"], project.root)
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["DEP103"]


def test_missing_explicit_config_file(project: Project) -> None:
    result = run_cli(["check", "--config", "nope.toml"], project.root)
    assert result.exit_code == 2
    assert "nope.toml: cannot read" in result.stderr


def test_config_select_and_cli_ignore_combine(project: Project) -> None:
    project.write(".interop-lint.toml", 'select = ["DEP101", "DEP103"]\n')
    project.write("Cargo.toml", UNPINNED)
    result = run_cli(["check", "--ignore", "DEP103"], project.root)
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["DEP101"]
    result = run_cli(["check", "--select", "DEP103"], project.root)
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["DEP103"]


def test_unknown_rule_in_config_is_an_error(project: Project) -> None:
    project.write(".interop-lint.toml", 'ignore = ["DEP9"]\n')
    result = run_cli(["check"], project.root)
    assert result.exit_code == 2
    assert "interop-lint: error: .interop-lint.toml: unknown rule or prefix `DEP9`" in result.stderr


def test_per_file_ignores(project: Project) -> None:
    project.write(
        ".interop-lint.toml",
        '[per-file-ignores]\n"legacy/**" = ["DEP1"]\n"tools/Cargo.toml" = ["DEP103"]\n',
    )
    project.write("legacy/Cargo.toml", UNPINNED)
    project.write("tools/Cargo.toml", UNPINNED)
    result = run_cli(["check", "--select", "DEP101,DEP103"], project.root)
    reported = [line.split()[:2] for line in result.stdout.splitlines()[:-1]]
    assert reported == [["tools/Cargo.toml:2:1:", "DEP101"]]


def test_per_file_ignores_match_as_select_does(project: Project) -> None:
    """Lower case and `ALL` work as in `select`/`ignore`: `dep1` turns off DEP1xx."""
    project.write(
        ".interop-lint.toml",
        '[per-file-ignores]\n"legacy/**" = ["dep1"]\n"vendored/**" = ["ALL"]\n',
    )
    project.write("legacy/Cargo.toml", UNPINNED)
    project.write("vendored/Cargo.toml", UNPINNED)
    project.write("tools/Cargo.toml", UNPINNED)
    result = run_cli(["check", "--select", "DEP101"], project.root)
    reported = [line.split()[:2] for line in result.stdout.splitlines()[:-1]]
    assert reported == [["tools/Cargo.toml:2:1:", "DEP101"]]


def test_unknown_rule_in_per_file_ignores_is_an_error(project: Project) -> None:
    """A typo would keep reporting what the user meant to silence, without a word."""
    project.write(".interop-lint.toml", '[per-file-ignores]\n"legacy/**" = ["DEP101", "XX999"]\n')
    project.write("Cargo.toml", UNPINNED)
    result = run_cli(["check"], project.root)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "interop-lint: error: .interop-lint.toml: per-file-ignores `legacy/**`: "
        "unknown rule or prefix `XX999`"
    )


def test_exclude_globs(project: Project) -> None:
    project.write(".interop-lint.toml", 'exclude = ["third_party/", "*.gen/Cargo.toml"]\n')
    project.write("third_party/x/Cargo.toml", UNPINNED)
    project.write("y.gen/Cargo.toml", UNPINNED)
    project.write("z/Cargo.toml", UNPINNED)
    result = run_cli(["check", "--select", "DEP101"], project.root)
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == ["z/Cargo.toml"]
