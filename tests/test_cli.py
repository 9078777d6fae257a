"""The command line: exit codes, outputs, and bad input with clear messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interop_lint import __version__
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import all_rules
from tests.conftest import FIXTURES, Project, run_cli

VERSIONS = FIXTURES / "deps" / "cargo-versions"
CLEAN = FIXTURES / "deps" / "cdylib-pinned"
CROSS = FIXTURES / "cross" / "struct-layouts"
UNPINNED_MANIFEST = '[dependencies]\nlibc = "*"\n'


def test_exit_status_is_1_with_findings_and_0_without() -> None:
    assert run_cli(["check"], VERSIONS).exit_code == 1
    assert run_cli(["check"], CLEAN).exit_code == 0


def test_exit_zero_keeps_findings_but_exits_0() -> None:
    result = run_cli(["check", "--exit-zero"], VERSIONS)
    assert result.exit_code == 0
    assert "DEP101" in result.stdout


def test_text_output_is_path_line_col_id_message_then_summary(project: Project) -> None:
    project.write("crate/Cargo.toml", UNPINNED_MANIFEST)
    result = run_cli(["check"], project.root)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "crate/Cargo.toml:2:1: DEP101 dependency `libc` in `dependencies` accepts any "
        'version (`"*"`): require a release such as `"1.2"`'
    )
    assert lines[-1] == "Found 1 finding (1 warning)."
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


def test_text_paths_are_relative_to_the_current_directory(project: Project) -> None:
    project.write("crate/Cargo.toml", UNPINNED_MANIFEST)
    result = run_cli(["check", "--root", str(project.root), "."], project.root / "crate")
    assert result.stdout.startswith("Cargo.toml:2:1: DEP101")


def test_paths_choose_what_is_reported(project: Project) -> None:
    project.write("a/Cargo.toml", UNPINNED_MANIFEST)
    project.write("b/Cargo.toml", UNPINNED_MANIFEST)
    result = run_cli(["check", "b"], project.root)
    assert result.stdout.startswith("b/Cargo.toml:2:1: DEP101")
    assert "a/Cargo.toml" not in result.stdout


def test_statistics_counts_findings_per_rule() -> None:
    result = run_cli(["check", "--statistics"], VERSIONS)
    assert "11\tDEP101\tcargo-unpinned-version" in result.stdout.splitlines()


def test_json_output(project: Project) -> None:
    project.write("Cargo.toml", UNPINNED_MANIFEST)
    document = json.loads(run_cli(["check", "--format", "json"], project.root).stdout)
    (finding,) = document["findings"]
    assert finding["rule"] == "DEP101" and finding["name"] == "cargo-unpinned-version"
    assert (finding["path"], finding["line"], finding["column"]) == ("Cargo.toml", 2, 1)
    assert finding["fingerprint"].endswith(":1")
    assert document["summary"]["findings"] == 1 and document["summary"]["successful"]


def test_github_annotations_are_grouped_per_file(project: Project) -> None:
    project.write("a/Cargo.toml", UNPINNED_MANIFEST + 'serde = ">= 1, "\n')
    project.write("b/Cargo.toml", UNPINNED_MANIFEST)
    lines = run_cli(["check", "--format", "github"], project.root).stdout.splitlines()
    assert lines[0] == "::group::a/Cargo.toml"
    assert lines[1].startswith(
        "::warning file=a/Cargo.toml,line=2,col=1,endLine=2,endColumn=11,"
        "title=DEP101 cargo-unpinned-version::dependency `libc`"
    )
    assert lines[2] == "::endgroup::"
    assert lines[3] == "::group::b/Cargo.toml"
    assert lines[-1] == "interop-lint: 2 findings"


def test_output_file_receives_the_report(project: Project, tmp_path: Path) -> None:
    project.write("Cargo.toml", UNPINNED_MANIFEST)
    target = tmp_path / "out" / "report.sarif"
    target.parent.mkdir()
    result = run_cli(["check", "--format", "sarif", "-o", str(target)], project.root)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["runs"][0]["results"][0]["ruleId"] == "DEP101"


def test_output_file_in_a_missing_directory_is_a_clear_error(project: Project) -> None:
    project.write("Cargo.toml", UNPINNED_MANIFEST)
    result = run_cli(["check", "-o", str(project.root / "no" / "such" / "x.txt")], project.root)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.output


def test_missing_path_is_a_usage_error(project: Project) -> None:
    result = run_cli(["check", "does-not-exist"], project.root)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "interop-lint: error: does-not-exist: no such file or directory"
    )


def test_path_outside_the_root_is_a_usage_error(project: Project, tmp_path: Path) -> None:
    inside = project.root / "inside"
    inside.mkdir()
    result = run_cli(["check", "--root", str(inside), str(project.root)], project.root)
    assert result.exit_code == 2
    assert "outside the project root" in result.stderr


def test_unknown_rule_in_select_is_a_usage_error() -> None:
    result = run_cli(["check", "--select", "DEP101,XX999"], CLEAN)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "interop-lint: error: --select/--ignore: unknown rule or prefix `XX999`"
    )


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli(["check", "--format", "xml"], CLEAN)
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_malformed_config_is_one_line_and_exit_2(project: Project) -> None:
    project.write(".interop-lint.toml", "select = [\n")
    project.write("Cargo.toml", UNPINNED_MANIFEST)
    result = run_cli(["check"], project.root)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("interop-lint: error: .interop-lint.toml: invalid TOML:")


def test_unreadable_file_is_reported_and_the_rest_still_checked(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("a/Cargo.toml", UNPINNED_MANIFEST)
    project.write("b/Cargo.toml", UNPINNED_MANIFEST)
    original = SourceFile.read.__func__  # type: ignore[attr-defined]

    def read(cls, root: str, path: str, kind):  # type: ignore[no-untyped-def]
        if path == "a/Cargo.toml":
            raise PermissionError(13, "Permission denied")
        return original(cls, root, path, kind)

    monkeypatch.setattr(SourceFile, "read", classmethod(read))
    result = run_cli(["check"], project.root)
    assert result.exit_code == 2
    assert "b/Cargo.toml:2:1: DEP101" in result.stdout
    assert "error: a/Cargo.toml: cannot read: Permission denied" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_on_disk(project: Project) -> None:
    blocked = project.write("a/Cargo.toml", UNPINNED_MANIFEST)
    blocked.chmod(0)
    try:
        result = run_cli(["check"], project.root)
    finally:
        blocked.chmod(0o644)
    assert result.exit_code == 2
    assert "a/Cargo.toml: cannot read" in result.stderr


def test_symlink_loop_is_reported_not_fatal(project: Project) -> None:
    project.write("b/Cargo.toml", UNPINNED_MANIFEST)
    os.symlink("loop.rs", project.root / "loop.rs")
    result = run_cli(["check"], project.root)
    assert "b/Cargo.toml:2:1: DEP101" in result.stdout
    assert "loop.rs: cannot read" in result.stderr
    assert result.exit_code == 2


def test_malformed_manifests_are_notifications_and_others_are_checked(project: Project) -> None:
    project.write("bad/Cargo.toml", '[dependencies\nlibc = "*"\n')
    project.write("bad/go.mod", "module example.com/x\nrequire (\n\tgithub.com/a/b v1.0.0\n")
    project.write("good/Cargo.toml", UNPINNED_MANIFEST)
    result = run_cli(["check"], project.root)
    assert result.exit_code == 1  # malformed input is not a failure of the run
    assert "good/Cargo.toml:2:1: DEP101" in result.stdout
    assert "warning: bad/Cargo.toml:1: Cargo.toml is not valid TOML" in result.stderr
    assert "warning: bad/go.mod: go.mod: `require (` block is never closed" in result.stderr


def test_a_failing_rule_is_a_notification_and_exit_2(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("Cargo.toml", UNPINNED_MANIFEST + '[lib]\ncrate-type = ["cdylib"]\n')
    rule = next(r for r in all_rules() if r.id == "DEP103")

    def explode(self, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(rule, "check", explode)
    result = run_cli(["check"], project.root)
    assert result.exit_code == 2
    assert "Cargo.toml:2:1: DEP101" in result.stdout  # the other rules still ran
    assert "rule failed on this file: RuntimeError: boom" in result.stderr
    assert "[DEP103]" in result.stderr and "Traceback" not in result.output


def test_rules_lists_every_rule() -> None:
    result = run_cli(["rules"])
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [rule.id for rule in all_rules()]
    rows = json.loads(run_cli(["rules", "--format", "json"]).stdout)
    assert rows[1] == {
        "id": "DEP102",
        "name": "cargo-git-unpinned",
        "level": "warning",
        "summary": all_rules()[1].summary(),
    }


def test_explain_prints_the_documentation() -> None:
    result = run_cli(["explain", "dep102"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# DEP102 `cargo-git-unpinned`")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in result.stdout


def test_explain_unknown_rule() -> None:
    result = run_cli(["explain", "RS999"])
    assert result.exit_code == 2
    assert "unknown rule `RS999`" in result.stderr


def test_the_command_exits_with_its_status_and_everything_written(tmp_path: Path) -> None:
    """The command leaves through os._exit (no heap teardown): the report on stdout,
    the -o file and the error message must all be complete, with the right status."""

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "interop_lint", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=VERSIONS,
            env={**os.environ, "INTEROP_LINT_CACHE_DIR": str(tmp_path / "cache")},
        )

    expected = run_cli(["check", "--format", "json", "--root", str(VERSIONS), str(VERSIONS)])
    found = command("check", "--format", "json", ".")
    assert (found.returncode, found.stdout) == (1, expected.stdout)
    report = tmp_path / "report.sarif"
    written = command("check", "--format", "sarif", "-o", str(report), "--exit-zero", ".")
    assert written.returncode == 0
    assert json.loads(report.read_text())["runs"][0]["results"]
    missing = command("check", "no-such-dir")
    assert missing.returncode == 2
    assert missing.stderr == "interop-lint: error: no-such-dir: no such file or directory\n"


_IMPORT_PROBE = (
    "import json, os, sys\n"
    "from interop_lint.analyzer import discovery\n"
    "discovery.SETTLED_NS = 0  # the fixtures may have been checked out a moment ago\n"
    "from interop_lint.cli import main\n"
    "try:\n"
    "    main(['check', '-o', os.devnull, '.'], standalone_mode=False)\n"
    "except SystemExit:\n"
    "    pass\n"
    "loaded = [m for m in sys.modules if m.startswith(('interop_lint.rules.',"
    " 'interop_lint.analyzer.index', 'interop_lint.analyzer.one_file',"
    " 'interop_lint.analyzer.rust.extract', 'interop_lint.analyzer.golang', 'tree_sitter',"
    " 'pathspec', 'importlib.resources'))]\n"
    "print(json.dumps(sorted(loaded)))\n"
)


def _modules_a_run_imports(root: Path, cache: Path) -> set[str]:
    """The modules of interest (rules, analysis, grammars, pathspec) a check of `root`
    imports, in a process of its own."""
    env = {**os.environ, "INTEROP_LINT_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, cwd=root, env=env
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def test_a_run_the_cache_answers_imports_no_rule_nor_analyzer(tmp_path: Path) -> None:
    """Telling the tree is unchanged and reporting is all it takes: the rules come from
    the catalogue, not from importing them, no tree is made (no tree-sitter), and the
    tree is not walked (no pathspec, which its `.gitignore` needs on a walk)."""
    root = tmp_path / "project"
    shutil.copytree(CROSS, root)
    (root / ".gitignore").write_text("*.o\n")
    cold = _modules_a_run_imports(root, tmp_path / "cache")
    assert {"interop_lint.rules.cross.xl101_abi_signature_mismatch", "pathspec"} <= cold
    warm = _modules_a_run_imports(root, tmp_path / "cache")
    assert warm == {"interop_lint.rules._catalogue", "interop_lint.rules.catalogue"}


def test_a_cold_run_imports_only_what_the_tree_needs(tmp_path: Path) -> None:
    """A tree without a `.gitignore` or excludes matches no pattern (no pathspec), and
    the grammars load without their packages' query-file machinery."""
    loaded = _modules_a_run_imports(CROSS, tmp_path / "cache")
    assert {"interop_lint.rules.cross.xl101_abi_signature_mismatch", "tree_sitter"} <= loaded
    assert not {m for m in loaded if m.startswith(("pathspec", "importlib.resources"))}


def test_version_and_module_entry_point() -> None:
    assert run_cli(["--version"]).stdout.strip() == f"interop-lint, version {__version__}"
    completed = subprocess.run(
        [sys.executable, "-m", "interop_lint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == f"interop-lint, version {__version__}"
