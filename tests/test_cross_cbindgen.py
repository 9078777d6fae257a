"""The crate's C names as cbindgen writes them: `cbindgen.toml`, prefixes, renames, instances."""

from __future__ import annotations

import json

import pytest

from interop_lint.analyzer.discovery import FileKind, classify
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.manifests.cbindgen import CbindgenConfig
from interop_lint.analyzer.manifests.cbindgen_annotations import skipped_lines, skipped_modules
from interop_lint.analyzer.prefilter import Candidate, analysed
from interop_lint.analyzer.source import SourceFile
from interop_lint.analyzer.typesys.cbindgen import CNames
from tests.conftest import Project, run_cli
from tests.test_cross_linking import CRATE

CONFIG = """language = "C"

[export]
prefix = "pq_"
include = ["Session"]

[export.rename]
"Row" = "Record"
"""

LIB = """use std::ffi::{c_char, c_void};
pub use pq_core::Session;

pub struct Db { open: bool }
pub struct Row { id: u64 }

#[repr(C)]
pub struct Reply<T> { pub value: *mut T, pub error: *const c_char }

#[no_mangle]
pub extern "C" fn pq_open() -> *mut Db { std::ptr::null_mut() }

#[no_mangle]
pub extern "C" fn pq_exec(db: *mut Db, sql: *const c_char) -> *mut Reply<c_void> {
    std::ptr::null_mut()
}

#[no_mangle]
pub extern "C" fn pq_first(db: *mut Db) -> *mut Reply<Row> { std::ptr::null_mut() }

#[no_mangle]
pub extern "C" fn pq_row_id(row: *const Row) -> u64 { 0 }

#[no_mangle]
pub extern "C" fn pq_session(db: *mut Db) -> *mut Session { std::ptr::null_mut() }
"""

HEADER = """#include <stdint.h>
typedef struct pq_Db pq_Db;
typedef struct pq_Record pq_Record;
typedef struct pq_Session pq_Session;
typedef struct pq_Reply_c_void { void *value; const char *error; } pq_Reply_c_void;
typedef struct pq_Reply_Row { pq_Record *value; const char *error; } pq_Reply_Row;
pq_Db *pq_open(void);
pq_Reply_c_void *pq_exec(pq_Db *db, const char *sql);
pq_Reply_Row *pq_first(pq_Db *db);
uint64_t pq_row_id(const pq_Record *row);
pq_Session *pq_session(pq_Db *db);
"""


def _write(project: Project, header: str, config: str | None = CONFIG) -> None:
    project.write("Cargo.toml", CRATE.format(name="pq"))
    project.write("src/lib.rs", LIB)
    project.write("include/pq.h", header)
    if config is not None:
        project.write("cbindgen.toml", config)


def _xl(project: Project) -> list[tuple[int, str, str]]:
    result = run_cli(["check", "--format", "json", "--select", "XL"], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    return [(f["line"], f["rule"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_a_header_in_the_crates_cbindgen_spelling_matches_it(project: Project) -> None:
    _write(project, HEADER)
    assert _xl(project) == []


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (
            "uint64_t pq_row_id(const pq_Record *row);",
            "uint64_t pq_row_id(const pq_Db *row);",
            "parameter 1 (`row`) of `pq_row_id` is `const pq_Db *` here but `*const Row`",
        ),
        (
            "pq_Reply_Row *pq_first(pq_Db *db);",
            "pq_Reply_c_void *pq_first(pq_Db *db);",
            "`pq_first` returns `pq_Reply_c_void *` here but `*mut Reply<Row>`",
        ),
        (
            # `Session` is imported, but `include` vouches for it.
            "pq_Session *pq_session(pq_Db *db);",
            "pq_Record *pq_session(pq_Db *db);",
            "`pq_session` returns `pq_Record *` here but `*mut Session`",
        ),
    ],
)
def test_prefixed_renamed_and_mangled_names_that_differ_are_reported(
    project: Project, before: str, after: str, message: str
) -> None:
    assert before in HEADER
    _write(project, HEADER.replace(before, after))
    ((line, rule, said),) = _xl(project)
    assert (line, rule) == (HEADER.splitlines().index(before) + 1, "XL101")
    assert said.startswith(message)


def test_the_fields_of_an_instance_are_compared_with_its_parameters_filled_in(
    project: Project,
) -> None:
    before = "typedef struct pq_Reply_Row { pq_Record *value; const char *error; } pq_Reply_Row;"
    swapped = "typedef struct pq_Reply_Row { const char *error; pq_Record *value; } pq_Reply_Row;"
    retyped = "typedef struct pq_Reply_Row { pq_Db *value; const char *error; } pq_Reply_Row;"
    _write(project, HEADER.replace(before, swapped))
    assert _xl(project) == [
        (
            6,
            "XL103",
            "struct `Reply<Row>` differs from its `#[repr(C)]` Rust definition in "
            "src/lib.rs:8: field 1 is `error` here but `value` in Rust",
        )
    ]
    _write(project, HEADER.replace(before, retyped))
    assert [(line, rule) for line, rule, _ in _xl(project)] == [(6, "XL103")]


def test_a_workspace_roots_cbindgen_toml_serves_a_member_crate_without_one(
    project: Project,
) -> None:
    before, after = "const pq_Record *row", "const pq_Db *row"
    project.write("Cargo.toml", '[workspace]\nmembers = ["ffi"]\n')
    project.write("cbindgen.toml", CONFIG)
    project.write("ffi/Cargo.toml", CRATE.format(name="pq"))
    project.write("ffi/src/lib.rs", LIB)
    project.write("ffi/include/pq.h", HEADER)
    assert _xl(project) == []
    project.write("ffi/include/pq.h", HEADER.replace(before, after))
    assert [(line, rule) for line, rule, _ in _xl(project)] == [(10, "XL101")]


def test_without_the_configuration_prefixed_names_are_the_headers_own(project: Project) -> None:
    # Without cbindgen.toml nothing says `pq_Db` is `Db`: the names are C's, unknown.
    _write(project, HEADER.replace("const pq_Record *row", "const pq_Db *row"), config=None)
    assert _xl(project) == []


def test_a_generic_structs_bare_name_is_some_instance_of_it(project: Project) -> None:
    header = HEADER + "typedef struct Reply Reply;\nReply *pq_exec(pq_Db *db, const char *sql);\n"
    _write(project, header.replace("pq_Reply_c_void *pq_exec(pq_Db *db, const char *sql);\n", ""))
    assert _xl(project) == []


def test_cbindgen_toml_is_read_and_never_left_out_by_the_prefilter() -> None:
    assert classify("cbindgen.toml") is FileKind.CBINDGEN_TOML
    files = {
        "ffi/Cargo.toml": "[package]\n",
        "ffi/cbindgen.toml": CONFIG,
        "ffi/src/lib.rs": "pub fn plain() {}\n",
    }
    candidates = [
        Candidate(p, classify(p.rsplit("/", 1)[-1]), t.encode()) for p, t in files.items()
    ]
    assert "ffi/cbindgen.toml" in analysed(candidates)  # type: ignore[arg-type]
    facts = extract_facts(SourceFile("ffi/cbindgen.toml", FileKind.CBINDGEN_TOML, CONFIG.encode()))
    assert facts.cbindgen == CbindgenConfig(
        "ffi", prefix="pq_", rename=(("Row", "Record"),), include=("Session",)
    )


def test_a_malformed_cbindgen_toml_is_a_notification() -> None:
    source = SourceFile("cbindgen.toml", FileKind.CBINDGEN_TOML, b"[export\nprefix = 1\n")
    facts = extract_facts(source)
    assert facts.cbindgen is None
    assert [n.kind.value for n in facts.notifications] == ["malformed"]


@pytest.mark.parametrize(
    ("config", "c_name", "rust"),
    [
        (CbindgenConfig("", prefix="p_"), "p_Query", ("Query",)),
        (CbindgenConfig("", prefix="p_"), "Query", ()),  # no prefix: not cbindgen's name
        (CbindgenConfig("", prefix="p_", rename=(("Row", "Rec"),)), "p_Rec", ("Row",)),
        (
            CbindgenConfig(
                "", prefix="p_", rename=(("Row", "Rec"),), renaming_overrides_prefixing=True
            ),
            "Rec",
            ("Row",),
        ),
        (CbindgenConfig("", prefix="p_"), "p_Reply_c_char", ("Reply_c_char", "Reply<c_char>")),
        (CbindgenConfig("", prefix="p_"), "p_Reply_p_Row", ("Reply_p_Row", "Reply<Row>")),
        (CbindgenConfig(""), "Reply_____c_char", ("Reply_____c_char", "Reply<*mut c_char>")),
        (CbindgenConfig(""), "Reply______u8", ("Reply______u8", "Reply<*const u8>")),
        (CbindgenConfig(""), "Pair_i32__Row", ("Pair_i32__Row", "Pair<i32, Row>")),
        (
            CbindgenConfig(""),
            "Pair_Reply_u8_____Row",  # `___` closes `Reply<u8>`, then `__` for the comma
            ("Pair_Reply_u8_____Row", "Pair<Reply<u8>, Row>"),
        ),
        (CbindgenConfig("", mangle_separator=""), "ReplyRow", ("ReplyRow", "Reply<Row>")),
        (CbindgenConfig("", mangle_recases=True), "Reply_Row", ("Reply_Row",)),  # not read
        (None, "Reply_Unknown", ("Reply_Unknown", "Reply<Unknown>")),  # last: any name
    ],
)
def test_c_names_read_back_into_rust_spellings(
    config: CbindgenConfig | None, c_name: str, rust: tuple[str, ...]
) -> None:
    names = CNames(config, ["Row", "Reply", "Pair"], {"Reply": 1, "Pair": 2})
    assert names.rust_spellings(c_name) == rust


def test_export_exclude_is_read() -> None:
    text = b'[export]\nexclude = ["hook", 3]\ninclude = ["Session"]\n'
    facts = extract_facts(SourceFile("ffi/cbindgen.toml", FileKind.CBINDGEN_TOML, text))
    assert facts.cbindgen == CbindgenConfig("ffi", include=("Session",), exclude=("hook",))


SKIPPING = """\
//! A crate.
use std::ffi::c_int;

/// cbindgen:ignore
#[no_mangle]
pub extern "C" fn ignored() {}

/// Documented.
///
/// cbindgen:no-export
#[no_mangle]
pub extern "C" fn not_exported() {}

// cbindgen:ignore (a plain comment: cbindgen does not read it)
#[no_mangle]
pub extern "C" fn plain_comment() {}

/** cbindgen:ignore */
mod shims {
    const S: &str = "} {";
    const R: &str = r#"}"#;
    const C: char = '}';
    /* } nested /* } */ */
    fn f<'a>(x: &'a str) -> &'a str { x }
    #[no_mangle]
    pub extern "C" fn in_module() {}
}

#[no_mangle]
pub extern "C" fn after_module() {}
"""


def _line_of(text: str, name: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if f"fn {name}(" in line)


def test_cbindgen_skip_annotations_on_items_and_modules() -> None:
    names = ["ignored", "not_exported", "plain_comment", "in_module", "after_module"]
    lines = {_line_of(SKIPPING, n): n for n in names}
    skipped = skipped_lines(SKIPPING, lines)
    assert sorted(lines[line] for line in skipped) == ["ignored", "in_module", "not_exported"]


def test_an_inner_doc_annotation_skips_the_whole_file() -> None:
    text = '//! cbindgen:ignore\n\n#[no_mangle]\npub extern "C" fn a() {}\n'
    assert skipped_lines(text, [4]) == frozenset({4})


MODULES = """//! The crate root.
/// Shims.
/// cbindgen:ignore
mod legacy;
mod kept;
#[doc = "cbindgen:no-export"]
#[cfg(unix)]
pub(crate) mod unixy ;
// cbindgen:ignore (a plain comment)
mod plain;
/// cbindgen:ignore
mod inline {
    /// cbindgen:ignore
    mod nested;
}
"""


def test_a_module_declaration_documented_ignore_is_skipped_but_not_others() -> None:
    # `nested` is declared in a block: its file is not found from this file's name.
    assert skipped_modules(MODULES) == ("legacy", "unixy")
    assert skipped_modules("mod a;\nmod b;\n") == ()


def test_exports_below_an_ignored_module_are_not_asked_of_the_header(project: Project) -> None:
    project.write("Cargo.toml", '[package]\nname = "shm"\nversion = "0.1.0"\n')
    project.write("include/shm.h", "/* Generated with cbindgen:0.26.0 */\nint shm_a(void);\n")
    export = '#[no_mangle]\npub extern "C" fn {name}() -> i32 {{ 0 }}\n'
    project.write(
        "src/lib.rs",
        "/// cbindgen:ignore\nmod old;\nmod new;\n" + export.format(name="shm_a"),
    )
    project.write("src/old.rs", "mod older;\n" + export.format(name="shm_old"))
    project.write("src/old/older.rs", export.format(name="shm_older"))
    project.write("src/new.rs", export.format(name="shm_new"))
    found = run_cli(["check", "--format", "json", "--select", "XL104"], cwd=project.root)
    assert found.exit_code == 1, found.output
    reported = [
        (f["path"], f["message"].split("`")[1]) for f in json.loads(found.stdout)["findings"]
    ]
    assert reported == [("src/new.rs", "shm_new")]


def test_xl104_names_no_manifest_a_crate_does_not_have(project: Project) -> None:
    """A crate of sources only (no Cargo.toml): the message names its directory, and
    no related location points to a file that is not there."""
    project.write("src/lib.rs", '#[no_mangle]\npub extern "C" fn a_kept() {}\n')
    project.write("include/a.h", "void a_kept(void);\nvoid a_gone(void);\n")
    result = run_cli(["check", "--format", "sarif", "--no-cache"], cwd=project.root)
    results = json.loads(result.stdout)["runs"][0]["results"]
    drift = [r for r in results if r["ruleId"] == "XL104"]
    assert len(drift) == 1
    assert "the crate in `src/` (it has no Cargo.toml)" in drift[0]["message"]["text"]
    assert "relatedLocations" not in drift[0]


@pytest.mark.parametrize(
    ("reexport", "reported"),
    [
        # A glob re-export of a dependency's module: any of its functions may be linked in.
        ("pub use engine_core::{compute_ffi::*, render_ffi::*};", []),
        # Named re-exports vouch for those names only (an alias keeps the symbol).
        ("pub use engine_core::compute_ffi::{engine_dispatch, engine_draw as draw};", ["gone"]),
        # Kept inside the crate, or a C binding crate's declarations: exports nothing.
        ("pub(crate) use engine_core::compute_ffi::*;", ["dispatch", "draw", "gone"]),
        ("pub use libc::*;", ["dispatch", "draw", "gone"]),
        # A module of the crate's own, not a dependency (koopa's `pub use builder::*`).
        ("mod ffi {}\npub use ffi::*;", ["dispatch", "draw", "gone"]),
    ],
)
def test_functions_a_dependency_exports_and_the_crate_reexports_are_its_own(
    project: Project, reexport: str, reported: list[str]
) -> None:
    """wgpu-native's header declares wgpu-core's `#[no_mangle]` functions next to its
    own: `pub use` links them into the library, whose symbols they then are."""
    manifest = '[package]\nname = "engine-native"\nversion = "0.1.0"\n\n[dependencies]\n'
    project.write("Cargo.toml", manifest + 'engine-core = "0.1"\nlibc = "0.2"\n')
    project.write("src/lib.rs", reexport + '\n#[no_mangle]\npub extern "C" fn engine_poll() {}\n')
    names = ("poll", "dispatch", "draw", "gone")
    declared = "".join(f"void engine_{name}(void);\n" for name in names)
    project.write("include/engine.h", "/* Generated with cbindgen:0.14.1 */\n" + declared)
    found = run_cli(["check", "--format", "json", "--select", "XL104"], cwd=project.root)
    names = [f["message"].split("`")[1] for f in json.loads(found.stdout)["findings"]]
    assert names == [f"engine_{name}" for name in reported]
