"""No input crashes it, nothing is lost, nothing is executed (docs/reliability.md).

The property tests mutate one file of a small project in every way a real
repository can be broken and demand, for every input: the run finishes, the
exit status is 0, 1 or 2, no traceback is printed, the SARIF validates, and
the findings of an independent part of the project are unchanged.

CI runs the `ci` Hypothesis profile (a bounded budget); run the long one with
`python -m pytest tests/test_robustness.py --hypothesis-profile=long`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from interop_lint.cli import main
from tests.conftest import FIXTURES, Project, walk_files

# Part A is mutated; part B is an independent project next to it whose
# findings must not change whatever happens to A. Part A holds every kind of
# file the tool reads: a Go+Rust+header boundary, a Python ctypes binding of a
# crate, cgo flags and manifests.
PART_A = [
    FIXTURES / "cross" / "owned-results",
    FIXTURES / "python" / "owned-string",
    FIXTURES / "deps" / "cgo-flags",
    FIXTURES / "deps" / "panic-abort",
]
PART_B = FIXTURES / "deps" / "cargo-versions"
SOURCE_SUFFIXES = {".go", ".rs", ".h", ".c", ".py", ".toml", ".mod", ".lock"}


def _build_corpus(into: Path) -> list[str]:
    """Copy part A and part B under `into`; returns A's files, root-relative."""
    for number, case in enumerate(PART_A):
        shutil.copytree(case, into / "a" / f"{number}-{case.name}")
    shutil.copytree(PART_B, into / "b")
    return sorted(
        p.relative_to(into).as_posix()
        for p in walk_files(into / "a")
        if p.suffix in SOURCE_SUFFIXES or p.name == "rust-toolchain"
    )


def _run(root: Path, *args: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    previous = os.getcwd()
    os.chdir(root)
    try:
        return runner.invoke(main, ["check", "--format", "sarif", *args], catch_exceptions=True)
    finally:
        os.chdir(previous)


def _findings_under(document: dict, prefix: str) -> list[tuple]:
    found = []
    for result in document["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        if uri.startswith(prefix):
            found.append(
                (result["ruleId"], uri, physical["region"]["startLine"], result["message"]["text"])
            )
    return found


def _assert_clean_run(result, validator) -> dict:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    document = json.loads(result.stdout)
    errors = list(validator.iter_errors(document))
    assert not errors, errors[:2]
    return document


@pytest.fixture(scope="module")
def part_b_findings() -> list[tuple]:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        _build_corpus(root)
        document = json.loads(_run(root).stdout)
        found = _findings_under(document, "b/")
    assert found, "part B must have findings for the comparison to mean anything"
    return found


def _mutate(data: bytes, mutation: str, position: float, extra: bytes) -> bytes:
    at = int(position * len(data))
    if mutation == "random-bytes":
        return extra
    if mutation == "truncate":
        return data[:at]
    if mutation == "delete-span":
        return data[:at] + data[at + 1 + len(extra) :]
    if mutation == "duplicate-line":
        lines = data.split(b"\n")
        index = int(position * (len(lines) - 1))
        return b"\n".join(lines[: index + 1] + lines[index:])
    if mutation == "invalid-utf8":
        return data[:at] + b"\xff\xfe\xc3" + extra + data[at:]
    if mutation == "nul-bytes":
        return data[:at] + b"\0" * (1 + len(extra) % 4) + data[at:]
    raise AssertionError(mutation)


MUTATIONS = st.sampled_from(
    ["random-bytes", "truncate", "delete-span", "duplicate-line", "invalid-utf8", "nul-bytes"]
)


@given(
    target=st.integers(min_value=0, max_value=10_000),
    mutation=MUTATIONS,
    position=st.floats(min_value=0.0, max_value=1.0),
    extra=st.binary(max_size=64),
)
def test_a_mutated_file_never_breaks_the_run(
    target: int, mutation: str, position: float, extra: bytes, part_b_findings, sarif_validator
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        files = _build_corpus(root)
        victim = root / files[target % len(files)]
        victim.write_bytes(_mutate(victim.read_bytes(), mutation, position, extra))
        document = _assert_clean_run(_run(root), sarif_validator)
        assert _findings_under(document, "b/") == part_b_findings


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.go", "package p\n\nvar x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n"),
        ("deep.rs", "pub fn f() -> i32 { " + "(" * 10_000 + "1" + ")" * 10_000 + " }\n"),
        ("deep.h", "int x(void);\nint y = " + "(" * 10_000 + "1" + ")" * 10_000 + ";\n"),
        ("deep.py", "import ctypes\nx = " + "[" * 10_000 + "]" * 10_000 + "\n"),
        (
            "cgo.go",
            "package p\n\n// int f(int a) { return "
            + "(" * 10_000
            + "a"
            + ")" * 10_000
            + '; }\nimport "C"\n',
        ),
        ("long.rs", "pub fn f() -> u8 { " + "1 + " * 250_000 + "1 }\n"),
        ("long.go", 'package p\n\nvar s = "' + "x" * 1_000_000 + '"\n'),
    ],
)
def test_deeply_nested_and_very_long_code(
    project: Project, sarif_validator, name: str, text: str
) -> None:
    project.write(name, text)
    project.write("b/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    document = _assert_clean_run(_run(project.root), sarif_validator)
    assert _findings_under(document, "b/")[0][:3] == ("DEP101", "b/Cargo.toml", 2)


def test_random_bytes_with_every_source_name(project: Project, sarif_validator) -> None:
    blob = bytes(range(256)) * 8
    for name in ("x.go", "x.rs", "x.h", "x.c", "x.py", "Cargo.toml", "go.mod", "rust-toolchain"):
        (project.root / "blob" / name).parent.mkdir(exist_ok=True)
        (project.root / "blob" / name).write_bytes(blob)
    result = _run(project.root)
    document = _assert_clean_run(result, sarif_validator)
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    skipped = sorted(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for n in notes
        if n["message"]["text"] == "skipped: binary content (NUL bytes)"
    )
    assert skipped == [
        f"blob/{n}"
        for n in sorted(
            ("x.go", "x.rs", "x.h", "x.c", "x.py", "Cargo.toml", "go.mod", "rust-toolchain")
        )
    ]
    assert result.exit_code == 0


def test_syntax_error_is_a_notification_naming_file_and_line(project: Project) -> None:
    # Boundary code (`extern`): a file that cannot matter is never parsed (prefilter).
    project.write("src/lib.rs", 'pub extern "C" fn ok() {}\n\npub fn broken( {\n')
    result = _run(project.root)
    assert result.exit_code == 0
    assert (
        "warning: src/lib.rs:3: syntax error; the file is analysed where it parsed" in result.stderr
    )


def test_file_over_the_size_cap(project: Project) -> None:
    project.write(".interop-lint.toml", "max-file-size = 100\n")
    project.write("big/Cargo.toml", '[dependencies]\nlibc = "*"\n' + "# padding\n" * 20)
    result = _run(project.root)
    assert result.exit_code == 0
    assert (
        "warning: big/Cargo.toml: skipped: 226 bytes is over the size cap of 100" in result.stderr
    )


def test_same_output_whatever_the_file_system_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _build_corpus(tmp_path)
    forward = (_run(tmp_path).stdout, _run(tmp_path, "--format", "json").stdout)
    real_scandir = os.scandir

    def reversed_scandir(path):  # type: ignore[no-untyped-def]
        return iter(sorted(real_scandir(path), key=lambda e: e.name, reverse=True))

    monkeypatch.setattr(os, "scandir", reversed_scandir)
    backward = (_run(tmp_path).stdout, _run(tmp_path, "--format", "json").stdout)
    assert forward == backward


HOSTILE_FILES = {
    "build.rs": 'fn main() { std::fs::write("/tmp/pwned-build-rs", "x").unwrap(); }\n',
    "Cargo.toml": '[package]\nname = "hostile"\nversion = "0.1.0"\nbuild = "build.rs"\n'
    '[lib]\ncrate-type = ["staticlib"]\n',
    "src/lib.rs": "pub fn f() {}\n",
    ".cargo/config.toml": '[build]\nrustc-wrapper = "touch pwned-wrapper"\n',
    "Makefile": "all:\n\ttouch pwned-make\n",
    "gen.go": (
        'package p\n\n//go:generate touch pwned-generate\n\n// #cgo LDFLAGS: -lm\nimport "C"\n'
    ),
    "go.mod": "module example.com/p\n\ngo 1.22\n\ntoolchain go1.99.0\n",
    "pyproject.toml": (
        '[build-system]\nrequires = ["setuptools"]\n[tool.interop-lint]\nselect = ["ALL"]\n'
    ),
    "setup.py": "import os\nos.system('touch pwned-setup')\n",
    "bind.py": "import ctypes, os\nos.system('touch pwned-py')\nlib = ctypes.CDLL('libx.so')\n",
    "rust-toolchain.toml": '[toolchain]\nchannel = "stable"\n',
}


def test_scanning_runs_nothing_and_writes_only_report_and_cache(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path, text in HOSTILE_FILES.items():
        project.write(path, text)
    before = {p.relative_to(project.root).as_posix() for p in project.root.rglob("*")}
    attempts: list[str] = []

    def forbidden(name: str):  # type: ignore[no-untyped-def]
        def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
            attempts.append(name)
            raise AssertionError(f"interop-lint tried to {name}")

        return refuse

    for module, name in [
        (subprocess, "Popen"),
        (os, "system"),
        (os, "execv"),
        (os, "execve"),
        (os, "posix_spawn"),
        (os, "fork"),
    ]:
        monkeypatch.setattr(module, name, forbidden(f"{module.__name__}.{name}"))
    monkeypatch.setattr(socket.socket, "connect", forbidden("open a network connection"))
    result = _run(project.root, "-o", "report.sarif")
    assert attempts == []
    assert result.exit_code in (0, 1), result.output
    after = {p.relative_to(project.root).as_posix() for p in project.root.rglob("*")}
    new = sorted(after - before)
    assert all(p == "report.sarif" or p.startswith(".interop-lint-cache") for p in new), new
    assert not any("pwned" in p for p in after)
    assert not Path("/tmp/pwned-build-rs").exists()


def test_report_paths_never_leave_the_root(project: Project, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "Cargo.toml").write_text('[dependencies]\nlibc = "*"\n')
    os.symlink(outside, project.root / "linked-dir")
    os.symlink(outside / "Cargo.toml", project.root / "Cargo.toml")
    project.write("in/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    document = json.loads(_run(project.root).stdout)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    ]
    assert uris == ["in/Cargo.toml"]


def _symlink_loop(root: Path) -> None:
    os.symlink("loop.rs", root / "loop.rs")


def _symlink_outside(root: Path) -> None:
    outside = Path(tempfile.mkdtemp())
    (outside / "secret.rs").write_text('#[no_mangle]\npub extern "C" fn f() {}\n')
    os.symlink(outside / "secret.rs", root / "link.rs")


def _writer(path: str, data: bytes):  # type: ignore[no-untyped-def]
    def write(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)

    return write


# Every bad input a repository can hold: how it is set up, the exact line on
# stderr, and the exit status (2 when a file could not be read at all, so CI
# notices; otherwise the status is the findings' own, here 1: a file skipped
# or analysed where it parsed is a warning that does not change it).
BAD_INPUTS = [
    (
        "symlink-loop",
        _symlink_loop,
        "error: loop.rs: cannot read: Too many levels of symbolic links",
        2,
    ),
    (
        "symlink-outside-the-root",
        _symlink_outside,
        "warning: link.rs: skipped: symlink to a file outside the project root",
        1,
    ),
    (
        "rust-syntax-error",
        _writer("src/lib.rs", b'#[no_mangle]\npub extern "C" fn f() {}\n\nfn broken( {\n'),
        "warning: src/lib.rs:4: syntax error; the file is analysed where it parsed",
        1,
    ),
    (
        "python-syntax-error",
        _writer("bind.py", b'import ctypes\nlib = ctypes.CDLL("x")\ndef (:\n'),
        "warning: bind.py:3: syntax error; not analysed",
        1,
    ),
    (
        "binary-with-a-source-name",
        _writer("blob.go", b"package p\n\0\0\0"),
        "warning: blob.go: skipped: binary content (NUL bytes)",
        1,
    ),
    (
        "malformed-go-mod",
        _writer("m/go.mod", b"module example.com/m\nrequire (\n"),
        "warning: m/go.mod: go.mod: `require (` block is never closed",
        1,
    ),
    (
        # git skips a pattern it cannot read (a lone `!`); pathspec raises on it.
        "gitignore-line-git-skips",
        _writer("sub/.gitignore", b"!\n\\\nbuild/\n"),
        None,
        1,
    ),
    (
        "file-name-not-utf-8",
        _writer(os.fsdecode(b"go/na\xe9me.go"), b"package p\n"),
        "warning: go/na\\udce9me.go: name is not valid UTF-8: skipped",
        1,
    ),
    (
        "file-name-with-a-newline",
        _writer("a\n::warning file=x.go::b.go", b'package p\n\nimport "C"\n'),
        None,
        1,
    ),
    (
        "cargo-toml-nested-too-deeply",
        _writer("deep/Cargo.toml", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        "warning: deep/Cargo.toml: Cargo.toml is not valid TOML: maximum recursion depth exceeded",
        1,
    ),
    (
        "cargo-toml-not-utf-8",
        _writer("latin/Cargo.toml", b'[package]\nname = "caf\xe9"\n'),
        "warning: latin/Cargo.toml:2: Cargo.toml is not valid TOML: not UTF-8 text",
        1,
    ),
    (
        "cargo-toml-table-of-the-wrong-type",
        _writer("typed/Cargo.toml", b'package = 1\n[dependencies]\nlibc = "1"\n'),
        "warning: typed/Cargo.toml:1: Cargo.toml: `package` must be a table; it is left unread",
        1,
    ),
    (
        "cargo-toml-crate-type-not-a-list",
        _writer("lib/Cargo.toml", b'[package]\nname = "x"\n[lib]\ncrate-type = "staticlib"\n'),
        "warning: lib/Cargo.toml:4: Cargo.toml: `lib.crate-type` must be a list; it is left unread",
        1,
    ),
]


@pytest.mark.parametrize(
    ("setup", "line", "status"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_every_bad_input_has_its_exact_notification_and_status(
    project: Project, setup, line: str, status: int
) -> None:
    # A finding elsewhere in the tree shows that the rest is still checked.
    project.write("b/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    setup(project.root)
    runner = CliRunner()
    previous = os.getcwd()
    os.chdir(project.root)
    try:
        result = runner.invoke(main, ["check", "--no-cache"], catch_exceptions=False)
    finally:
        os.chdir(previous)
    if line is not None:
        assert line in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr
    assert "b/Cargo.toml:2:1: DEP101" in result.stdout
    # No control character of a file name reaches the report (a line of its own
    # would be a workflow command in a GitHub Actions log).
    assert all(line.startswith(("b/", "Found")) or not line for line in result.stdout.splitlines())
    assert result.exit_code == status


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (".interop-lint.toml", b"select = [\xff]\n", "invalid TOML: not UTF-8 text"),
        ("pyproject.toml", b"[tool]\nx = '\xe9'\n", "invalid TOML: not UTF-8 text"),
        (".interop-lint.toml", b"x = " + b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (".interop-lint.toml", b'select = [""]\n', "`select` holds an empty string"),
        (".interop-lint.toml", b'exclude = ["!"]\n', "`exclude` holds an invalid glob `!`"),
        (
            ".interop-lint.toml",
            b'[per-file-ignores]\n"\\\\" = ["RS"]\n',
            "`per-file-ignores` holds an invalid glob `\\`",
        ),
    ],
)
def test_a_config_that_cannot_be_read_is_a_clear_error(
    project: Project, name: str, data: bytes, message: str
) -> None:
    (project.root / name).write_bytes(data)
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--root", str(project.root), str(project.root)]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_tool_key_that_is_no_table_is_no_interop_lint_table(project: Project) -> None:
    project.write("pyproject.toml", 'tool = "x"\n')
    project.write("b/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--root", str(project.root), str(project.root)]
    )
    assert result.exit_code == 1, result.stderr
    assert "DEP101" in result.stdout


def test_a_cache_directory_that_is_a_symlink_is_not_used(
    project: Project, tmp_path_factory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.symlink(elsewhere, project.root / ".interop-lint-cache")
    project.write("b/Cargo.toml", '[dependencies]\nlibc = "*"\n')
    result = CliRunner().invoke(
        main,
        ["check", "--root", str(project.root), str(project.root)],
        env={"INTEROP_LINT_CACHE_DIR": None},  # the tests' own cache is elsewhere
    )
    assert "is a symbolic link: the cache is not used" in result.stderr
    assert "DEP101" in result.stdout
    assert list(elsewhere.iterdir()) == []
