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
    start = calls.index_of(path, export.location, export.name)
    assert start is not None
    return [t.function for t in calls.panic_traces(start, 10)]


def test_calls_by_name_do_not_cross_into_an_unrelated_crate_without_a_manifest() -> None:
    files = {"one/lib.rs": EXPORT + HELPER_THAT_DOES_NOT, "two/lib.rs": HELPER_THAT_PANICS}
    assert _functions_with_panics_reached(files) == []
    # In the same crate, the helper is followed.
    files = {"one/lib.rs": EXPORT, "one/helpers.rs": HELPER_THAT_PANICS}
    assert _functions_with_panics_reached(files) == ["helper"]


WORKSPACE = {
    "Cargo.toml": (
        '[workspace]\nmembers = ["core", "ffi"]\n\n'
        '[workspace.dependencies]\nshared-types = { path = "shared" }\n'
    ),
    "core/Cargo.toml": '[package]\nname = "block-core"\n\n[lib]\nname = "blockcore"\n',
    "core/src/lib.rs": "pub mod types;\npub use types::Height;\n",
    "core/src/types.rs": "pub type Height = u64;\npub type Count = u32;\npub type Private = i8;\n",
    "shared/Cargo.toml": (
        '[package]\nname = "shared-types"\n\n[dependencies]\nblock-core = { path = "../core" }\n'
    ),
    "shared/src/lib.rs": "pub type Flags = u16;\npub use blockcore::Height as Level;\n",
    "other/Cargo.toml": '[package]\nname = "other"\n',
    "other/src/lib.rs": "pub type Handle = *mut u8;\n",
    "ffi/Cargo.toml": (
        '[package]\nname = "ffi"\n\n[dependencies]\n'
        'bc = { path = "../core", package = "block-core" }\nshared-types.workspace = true\n'
    ),
    "ffi/src/lib.rs": (
        "use bc::Height;\nuse blockcore::types::Count as Entries;\n"
        "use shared_types::{Flags, Level};\nuse other::Handle;\nuse std::ffi::CStr;\n"
        "pub type Own = i64;\n"
    ),
}


def test_a_name_imported_from_a_path_dependency_resolves_there() -> None:
    index = _index(WORKSPACE)
    resolve = index.rust.resolve_name
    assert resolve("ffi", "Height") == "u64"  # the dependency's key (`bc`)
    assert resolve("ffi", "Entries") == "u32"  # its library's name, through a module, renamed
    assert resolve("ffi", "Flags") == "u16"  # `workspace = true`, the package name
    assert resolve("ffi", "Level") == "u64"  # re-exported by one dependency from another
    assert resolve("ffi", "Own") == "i64"
    assert resolve("ffi", "Handle") == "Handle"  # `other` is no dependency of `ffi`
    assert resolve("ffi", "Private") == "Private"  # not imported
    assert resolve("ffi", "CStr") == "CStr"
    assert index.path_dependencies("ffi") == ["core", "shared"]


def test_path_dependencies_that_import_each_other_stop() -> None:
    index = _index(
        {
            "a/Cargo.toml": '[package]\nname = "a"\n\n[dependencies]\nb = { path = "../b" }\n',
            "a/src/lib.rs": "pub use b::T;\n",
            "b/Cargo.toml": '[package]\nname = "b"\n\n[dependencies]\na = { path = "../a" }\n',
            "b/src/lib.rs": "pub use a::T;\n",
        }
    )
    assert index.rust.resolve_name("a", "T") == "T"
