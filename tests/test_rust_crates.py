"""Which files form one crate, with and without a Cargo.toml (calls are followed within one)."""

from __future__ import annotations

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.source import SourceFile
from tests.rust_helpers import MANIFEST


def _index(files: dict[str, str]) -> ProjectIndex:
    facts = []
    for path, content in files.items():
        kind = FileKind.CARGO_TOML if path.endswith("Cargo.toml") else FileKind.RUST
        facts.append(extract_facts(SourceFile(path, kind, content.encode())))
    return ProjectIndex("/nonexistent", facts)


def test_without_a_manifest_the_crate_is_the_nearest_directory_with_a_crate_root() -> None:
    index = _index(
        {
            "bazel/alpha/src/lib.rs": "mod util;\n",
            "bazel/alpha/src/util.rs": "",
            "bazel/alpha/src/deep/more.rs": "",
            "bazel/beta/lib.rs": "",
            "bazel/beta/inner/x.rs": "",
            "bazel/tool/main.rs": "",
            "loose/a.rs": "",
            "loose/b/c.rs": "",
            "cargo/Cargo.toml": MANIFEST,
            "cargo/src/lib.rs": "",
        }
    )
    crate = index.crate_dir_of
    assert crate("bazel/alpha/src/lib.rs") == "bazel/alpha/src"
    assert crate("bazel/alpha/src/util.rs") == "bazel/alpha/src"
    assert crate("bazel/alpha/src/deep/more.rs") == "bazel/alpha/src"
    assert crate("bazel/beta/inner/x.rs") == "bazel/beta"
    assert crate("bazel/tool/main.rs") == "bazel/tool"
    assert crate("loose/a.rs") == "loose"  # no crate root anywhere: its own directory
    assert crate("loose/b/c.rs") == "loose/b"
    assert crate("cargo/src/lib.rs") == "cargo"


HELPER_THAT_PANICS = "pub fn helper(x: i32) -> i32 { assert!(x > 0); x }\n"
HELPER_THAT_DOES_NOT = "pub fn helper(x: i32) -> i32 { x.saturating_add(1) }\n"
EXPORT = '#[no_mangle]\npub extern "C" fn run(x: i32) -> i32 { helper(x) }\n'


def _functions_with_panics_reached(files: dict[str, str]) -> list[str]:
    index = _index(files).rust
    crate = index.crate_of("one/lib.rs")
    calls = index.calls_of(crate)
    ((path, export),) = index.exports_in_crate(crate)
    start = calls.index_of(path, export.location)
    assert start is not None
    return [t.function for t in calls.panic_traces(start, 10)]


def test_calls_by_name_do_not_cross_into_an_unrelated_crate_without_a_manifest() -> None:
    files = {"one/lib.rs": EXPORT + HELPER_THAT_DOES_NOT, "two/lib.rs": HELPER_THAT_PANICS}
    assert _functions_with_panics_reached(files) == []
    # In the same crate, the helper is followed.
    files = {"one/lib.rs": EXPORT, "one/helpers.rs": HELPER_THAT_PANICS}
    assert _functions_with_panics_reached(files) == ["helper"]
