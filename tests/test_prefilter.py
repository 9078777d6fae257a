"""The prefilter: files that cannot matter are never parsed, and results never change."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from interop_lint.analyzer import prefilter
from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.analyzer.prefilter import Candidate, analysed, go_imports_c, go_package_name
from interop_lint.rules.registry import all_rules
from tests.conftest import ROOT, Project, case_id, fixture_cases
from tests.generated import planted_corpus


def _run(root: Path, *, use_prefilter: bool, scope: tuple[str, ...] = ("",)) -> RunResult:
    return run(RunOptions(str(root), Config(), all_rules(), scope=scope, prefilter=use_prefilter))


def _outcome(result: RunResult) -> tuple[list, list, int]:
    return result.findings, result.notifications, result.files_indexed


def test_every_rule_says_what_it_reads_outside_the_prefilter() -> None:
    # A new rule must be checked against the prefilter's argument (prefilter.py).
    assert sorted(prefilter.RULE_SCOPES) == sorted(rule.id for rule in all_rules())


@pytest.mark.parametrize("case", fixture_cases(), ids=case_id)
def test_a_fixture_gives_the_same_result_with_and_without_the_prefilter(case: Path) -> None:
    assert _outcome(_run(case, use_prefilter=True)) == _outcome(_run(case, use_prefilter=False))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planted_corpus(tmp_path_factory.mktemp("corpus"), files=400)


def test_a_generated_corpus_gives_the_same_result_with_and_without_it(corpus: Path) -> None:
    filtered = _run(corpus, use_prefilter=True)
    assert filtered.statistics["files skipped"] > len(filtered.findings)
    assert {f.rule_id for f in filtered.findings} >= {"RS101", "RS106"}
    assert _outcome(filtered) == _outcome(_run(corpus, use_prefilter=False))


def test_changed_files_mode_gives_the_same_result_with_and_without_it(corpus: Path) -> None:
    named = (next(iter(sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.h")))),)
    with_it = _run(corpus, use_prefilter=True, scope=named)
    assert _outcome(with_it) == _outcome(_run(corpus, use_prefilter=False, scope=named))


def _analysed(files: dict[str, str]) -> set[str]:
    from interop_lint.analyzer.discovery import classify

    candidates = [
        Candidate(path, classify(path.rsplit("/", 1)[-1]) or FileKind.GO, text.encode())
        for path, text in files.items()
    ]
    return set(analysed(candidates))


def test_a_go_package_is_analysed_whole_when_one_file_imports_c() -> None:
    files = {
        "a/cgo.go": 'package a\n\nimport (\n\t"fmt"\n\t"C"\n)\n',
        "a/plain.go": "package a\n\ntype T struct{ x int }\n",
        "b/plain.go": "package b\n",
        "c/doc.go": '// Package c wraps "C" libraries.\npackage c\n',  # over-approximated
    }
    assert _analysed(files) == {"a/cgo.go", "a/plain.go", "c/doc.go"}


def test_a_rust_crate_is_analysed_whole_when_one_file_exports() -> None:
    files = {
        "ffi/Cargo.toml": "[package]\n",
        "ffi/src/lib.rs": "pub mod api;\npub mod util;\n",
        "ffi/src/api.rs": '#[unsafe(no_mangle)]\npub extern "C-unwind" fn f() {}\n',
        "ffi/src/util.rs": "pub fn helper() -> u8 { 1 }\n",
        "layout/Cargo.toml": "[package]\n",
        "layout/src/lib.rs": "#[repr (C)]\npub struct P { x: i32 }\n",
        "plain/Cargo.toml": "[package]\n",
        "plain/src/lib.rs": "pub fn f() -> Vec<u8> { Vec::new() }\n",
        "plain/src/ptr.rs": "pub fn p(v: &Vec<u8>) -> *const u8 { v.as_ptr() }\n",  # RS106
        "plain/src/nested/Cargo.toml": "[package]\n",
        "plain/src/nested/src/lib.rs": 'extern "C" { fn abs(x: i32) -> i32; }\n',
        "loose.rs": "fn main() {}\n",
    }
    assert _analysed(files) == {
        "ffi/Cargo.toml",
        "ffi/src/lib.rs",
        "ffi/src/api.rs",
        "ffi/src/util.rs",
        "layout/Cargo.toml",
        "layout/src/lib.rs",
        "plain/Cargo.toml",
        "plain/src/ptr.rs",
        "plain/src/nested/Cargo.toml",
        "plain/src/nested/src/lib.rs",
    }


def test_a_path_dependency_of_a_boundary_crate_lends_its_alias_files() -> None:
    files = {
        "Cargo.toml": '[workspace]\n\n[workspace.dependencies]\nids = { path = "ids" }\n',
        "ffi/Cargo.toml": '[dependencies]\ncore = { path = "../core" }\nids.workspace = true\n',
        "ffi/src/lib.rs": '#[no_mangle]\npub extern "C" fn f() {}\n',
        "core/Cargo.toml": '[dependencies]\nbase = { path = "../base" }\n',
        "core/src/types.rs": "pub type Height = u64;\n",
        "core/src/logic.rs": "pub fn next(h: u64) -> u64 { h + 1 }\n",
        "base/Cargo.toml": "[package]\n",
        "base/src/lib.rs": "pub type Id<T> = Wrapper<T>;\n",  # a dependency's dependency
        "ids/Cargo.toml": "[package]\n",
        "ids/src/lib.rs": "pub type Key = [u8; 16];\n",  # through the workspace's table
        "service/Cargo.toml": '[dependencies]\ncore = { path = "../core" }\n',
        "service/src/lib.rs": "pub type Port = u16;\n",  # depends on core, not the reverse
    }
    assert _analysed(files) == {
        *(p for p in files if p.endswith("Cargo.toml") or p.startswith("ffi/")),
        "core/src/types.rs",
        "base/src/lib.rs",
        "ids/src/lib.rs",
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'import "C"\n', True),
        (b'import (\n\t"unsafe"\n\n\t"C"\n)\n', True),
        (b'import C "C"\n', True),
        (b'import "fmt"\n', False),
        (b"x := 'C'\n", False),
    ],
)
def test_import_c_is_recognised_from_bytes(data: bytes, expected: bool) -> None:
    assert go_imports_c(b"package p\n" + data) is expected


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"package foo\n", "foo"),
        (b"//go:build linux\n// +build linux\n\npackage bar_1 // x\n", "bar_1"),
        (b"/* doc */ package /* x */ baz\n", "baz"),
        (b"\xef\xbb\xbfpackage \xc3\xa9t\xc3\xa9\n", "été"),
        (b"packagefoo\n", ""),
        (b"func f() {}\n", ""),
        (b"", ""),
    ],
)
def test_the_package_name_of_a_skipped_go_file(data: bytes, name: str) -> None:
    assert go_package_name(data) == name


def test_a_skipped_file_gets_the_facts_its_extraction_gives_where_nothing_reads_them(
    project: Project,
) -> None:
    from interop_lint.analyzer.extract import extract_facts
    from interop_lint.analyzer.one_file import skipped_facts
    from interop_lint.analyzer.source import SourceFile

    go = SourceFile("p/x.go", FileKind.GO, b"// doc\npackage p\n\nfunc F() {}\n")
    assert skipped_facts(go).go.package == extract_facts(go).go.package == "p"
    assert skipped_facts(go).go.imports_c is False
    rust = SourceFile("src/lib.rs", FileKind.RUST, b"pub fn f() {}\n")
    assert skipped_facts(rust).rust.exports == extract_facts(rust).rust.exports == ()
    blob = SourceFile("src/x.rs", FileKind.RUST, b"\0\0")
    assert skipped_facts(blob) == extract_facts(blob)


def test_a_skipped_file_is_not_parsed(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from interop_lint.analyzer import parsing

    project.write("ffi/Cargo.toml", '[package]\nname = "ffi"\n')
    project.write("ffi/src/lib.rs", '#[no_mangle]\npub extern "C" fn f() {}\n')
    project.write("app/Cargo.toml", '[package]\nname = "app"\n')
    project.write("app/src/main.rs", "fn main() {}\n")
    project.write("svc/main.go", "package main\n\nfunc main() {}\n")
    parsed = []
    real_parse = parsing.parse

    def spy(grammar, data):  # type: ignore[no-untyped-def]
        parsed.append(data)
        return real_parse(grammar, data)

    monkeypatch.setattr(parsing, "parse", spy)
    result = _run(project.root, use_prefilter=True)
    assert parsed == [b'#[no_mangle]\npub extern "C" fn f() {}\n']
    assert result.statistics["files skipped"] == 2


def test_version_and_a_run_without_ctypes_never_import_libcst(project: Project) -> None:
    project.write("ffi/src/lib.rs", '#[no_mangle]\npub extern "C" fn f() {}\n')
    project.write("tools/gen.py", "import json\nprint(json.dumps({}))\n")
    probe = textwrap.dedent(
        """
        import sys
        from interop_lint.cli import main
        try:
            main(sys.argv[1:])
        except SystemExit:
            pass
        heavy = {"libcst", "tree_sitter", "sarif_om", "jsonschema"} & set(sys.modules)
        print(" ".join(sorted(heavy)), file=sys.stderr)
        """
    )

    def heavy_modules(*args: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            cwd=project.root,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=False,
        )
        return set(done.stderr.strip().splitlines()[-1].split()) if done.stderr.strip() else set()

    assert heavy_modules("--version") == set()
    assert heavy_modules("check", "--no-cache", "--format", "json") == {"tree_sitter"}


def test_cargo_test_example_and_bench_targets_are_not_the_library() -> None:
    files = [
        Candidate("Cargo.toml", FileKind.CARGO_TOML, b""),
        Candidate("src/lib.rs", FileKind.RUST, b""),
        Candidate("src/tests/mod.rs", FileKind.RUST, b""),  # a module of the library
        Candidate("tests/callback.rs", FileKind.RUST, b""),
        Candidate("tests/common/mod.rs", FileKind.RUST, b""),
        Candidate("benches/read.rs", FileKind.RUST, b""),
        Candidate("examples/host.rs", FileKind.RUST, b""),
        # An example with a manifest of its own is a crate of its own.
        Candidate("examples/plugin/Cargo.toml", FileKind.CARGO_TOML, b""),
        Candidate("examples/plugin/src/lib.rs", FileKind.RUST, b""),
        Candidate("crates/ffi/Cargo.toml", FileKind.CARGO_TOML, b""),
        Candidate("crates/ffi/tests/abi.rs", FileKind.RUST, b""),
    ]
    assert prefilter.other_target_files(files) == {
        "tests/callback.rs",
        "tests/common/mod.rs",
        "benches/read.rs",
        "examples/host.rs",
        "crates/ffi/tests/abi.rs",
    }
