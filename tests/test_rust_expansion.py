"""Exports written by the crate's `macro_rules!` macros, expanded into the invoking
file (rust.expansion)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.rust.expansion import ExportMacroText
from interop_lint.analyzer.rust.facts import RustFileFacts
from interop_lint.analyzer.rust.macro_sharing import share_export_macros
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import all_rules
from tests.conftest import FIXTURES
from tests.rust_helpers import rust_facts

CASE = FIXTURES / "rust" / "macro-expanded-exports"

NESTED = """
macro_rules! handlers {
    ($t:ty [ $($(#[$meta:meta])* $(@$kind:ident)? $name:ident => $method:ident),+ $(,)? ]) => {
        $( handlers! { ONE $($kind)? $t, $name => $method } )+
    };
    (ONE VOID $t:ty, $name:ident => $method:ident) => {
        #[no_mangle]
        pub unsafe extern "C" fn $name(p: *mut $t) { (*p).$method() }
    };
    (ONE $t:ty, $name:ident => $method:ident) => {
        #[no_mangle]
        pub unsafe extern "C" fn $name(p: *mut $t) -> std::os::raw::c_int { (*p).$method() }
    };
}
handlers! { Thing [
    /// Docs become attributes; comments are no tokens.
    @VOID thing_clear => clear,
    thing_count => count, // trailing comment
] }
"""


def _exports(code: str) -> list[tuple[str, int, int, tuple[str, ...], str]]:
    return [
        (e.name, e.location.line, e.location.column, tuple(p.type for p in e.params), e.return_type)
        for e in rust_facts(code).exports
    ]


def test_a_rule_handing_on_to_itself_with_nested_repetitions_is_expanded() -> None:
    assert _exports(NESTED) == [
        ("thing_clear", 17, 11, ("*mut Thing",), "()"),
        ("thing_count", 18, 5, ("*mut Thing",), "std::os::raw::c_int"),
    ]


def test_paths_keep_their_spelling_and_crate_paths_resolve() -> None:
    code = """
macro_rules! getter {
    ($name:ident, $t:ty, $ret:ty) => {
        paste::paste! {
            #[no_mangle]
            pub unsafe extern "C" fn [<$name _get>](p: *const $t) -> $ret { $crate::read(p) }
        }
    };
}
getter!(engine, crate::engine::Engine, std::os::raw::c_long);
"""
    assert _exports(code) == [
        ("engine_get", 10, 1, ("*const crate::engine::Engine",), "std::os::raw::c_long")
    ]


@pytest.mark.parametrize(
    "invocation",
    [
        "getter!{ one }\n",  # matches no rule
        "getter!(a b, Thing);\n",  # `a b` is no identifier
        "getter!(a, Thing (;\n",  # unbalanced: no tree to read
        "#[cfg(test)]\nmod tests {\n    getter!(a, Thing);\n}\n",  # test code stays so
    ],
)
def test_an_invocation_that_cannot_be_expanded_is_left_as_it_was(invocation: str) -> None:
    code = (
        "macro_rules! getter {\n"
        "    ($name:ident, $t:ty) => {\n"
        '        #[no_mangle] pub unsafe extern "C" fn $name(p: *const $t) -> u8 { *p.cast() }\n'
        "    };\n"
        "}\n" + invocation
    )
    assert _exports(code) == []


def test_an_expansion_that_does_not_parse_is_dropped() -> None:
    code = (
        "macro_rules! broken {\n"
        '    ($name:ident) => { #[no_mangle] pub extern "C" fn $name( -> u8 { 0 } };\n'
        "}\n"
        "broken!(oops);\n"
    )
    assert _exports(code) == []


def test_macros_of_other_files_are_shared_within_the_crate_only() -> None:
    macros = (
        "macro_rules! export_zero {\n"
        '    ($name:ident) => { #[no_mangle] pub extern "C" fn $name() -> u32 { 0 } };\n'
        "}\n"
    )
    files = {
        "a/Cargo.toml": b"[package]\nname = 'a'\n",
        "a/src/lib.rs": macros.encode(),
        "a/src/user.rs": b"export_zero!(a_zero);\n",
        "a/src/other.rs": b"fn unrelated() {}\n",
        "b/Cargo.toml": b"[package]\nname = 'b'\n",
        "b/src/lib.rs": b"export_zero!(b_zero);\n",
    }
    kinds = {"toml": FileKind.CARGO_TOML, "rs": FileKind.RUST}
    sources = [SourceFile(p, kinds[p.rsplit(".", 1)[1]], d) for p, d in files.items()]
    share_export_macros(sources)
    shared = {s.path: [m.name for m in s.export_macros] for s in sources}
    assert shared["a/src/user.rs"] == ["export_zero"]
    assert shared["a/src/lib.rs"] == shared["a/src/other.rs"] == shared["b/src/lib.rs"] == []
    user = next(s for s in sources if s.path == "a/src/user.rs")
    facts = extract_facts(user).rust
    assert facts is not None
    assert [(e.name, e.location.line, e.location.column) for e in facts.exports] == [
        ("a_zero", 1, 14)
    ]
    assert user.index_digest != user.digest  # its facts depend on lib.rs's macro too


def test_macros_handed_on_to_are_shared_with_the_files_that_need_them() -> None:
    """wasmer: `wasm_declare_vec!` ends in `wasm_declare_vec_inner!` (both write
    exports, in macros.rs), and `wasm_declare_boxed_vec!` (in another file) only
    hands on to `wasm_declare_vec!`; the types' files name the outer macros only."""
    macros = (
        "macro_rules! declare_inner {\n"
        '    ($name:ident) => { #[no_mangle] pub extern "C" fn $name() -> u32 { 1 } };\n'
        "}\n"
        "macro_rules! declare_vec {\n"
        "    ($name:ident, $inner:ident) => {\n"
        '        #[no_mangle] pub extern "C" fn $name() -> u32 { 0 }\n'
        "        declare_inner!($inner);\n"
        "    };\n"
        "}\n"
    )
    boxed = (
        "macro_rules! declare_boxed {\n    ($a:ident, $b:ident) => { declare_vec!($a, $b); };\n}\n"
    )
    files = {
        "Cargo.toml": b"[package]\nname = 'vecs'\n",
        "src/macros.rs": macros.encode(),
        "src/boxed.rs": boxed.encode() + b"declare_boxed!(boxed_new, boxed_new_empty);\n",
        "src/types.rs": b"declare_vec!(byte_vec_new, byte_vec_new_empty);\n",
    }
    kinds = {"toml": FileKind.CARGO_TOML, "rs": FileKind.RUST}
    sources = [SourceFile(p, kinds[p.rsplit(".", 1)[1]], d) for p, d in files.items()]
    share_export_macros(sources)
    shared = {s.path: [m.name for m in s.export_macros] for s in sources}
    assert shared["src/types.rs"] == ["declare_inner", "declare_vec"]
    assert shared["src/boxed.rs"] == ["declare_boxed", "declare_inner", "declare_vec"]
    assert shared["src/macros.rs"] == []
    exported = {
        s.path: sorted(e.name for e in (extract_facts(s).rust or RustFileFacts()).exports)
        for s in sources
        if s.kind is FileKind.RUST
    }
    assert exported["src/types.rs"] == ["byte_vec_new", "byte_vec_new_empty"]
    assert exported["src/boxed.rs"] == ["boxed_new", "boxed_new_empty"]


def test_a_location_inside_an_expansion_is_the_name_in_the_invocation() -> None:
    source = SourceFile(
        "src/lib.rs",
        FileKind.RUST,
        b"getter!(\n    first,\n    0\n);\n",
    )
    source.export_macros = (
        ExportMacroText(
            "getter",
            (
                (
                    "($name:ident, $i:expr)",
                    ' #[no_mangle] pub unsafe extern "C" fn $name(v: *const [u8; 4]) -> u8 '
                    "{ (*v)[$i] } ",
                ),
            ),
        ),
    )
    functions = [n for n in source.root.named_children if n.type == "function_item"]
    assert len(functions) == 1
    body = functions[0].child_by_field_name("body")
    assert body is not None and body.start_byte > len(source.data)
    where = source.location(body)
    assert (where.line, where.column, where.end_line, where.end_column) == (2, 5, 2, 10)
    assert source.code.startswith(source.data) and source.lines.line_text(2) == "    first,"


def _run(root: Path, cache: Path) -> RunResult:
    return run(RunOptions(str(root), Config(), all_rules(), cache_dir=str(cache)))


def _in(result: RunResult, name: str) -> list[tuple[str, int]]:
    return sorted((f.rule_id, f.location.line) for f in result.findings if name in f.location.path)


def test_editing_the_macro_changes_the_findings_of_the_invoking_file(tmp_path: Path) -> None:
    tree = tmp_path / "project"
    shutil.copytree(CASE, tree, ignore=shutil.ignore_patterns(".interop-lint-cache"))
    cache = tmp_path / "cache"
    assert _in(_run(tree, cache), "element.rs") == [("RS101", 23), ("RS101", 25)]
    lib = tree / "src" / "lib.rs"
    written = lib.read_text()
    # The handlers' helper checks for NULL instead of panicking: the crate's macro
    # summaries change, the expansion does not.
    lib.write_text(written.replace('.expect(concat!(stringify!($ptr), " is NULL"))', "?"))
    edited = _run(tree, cache)
    assert edited.statistics["files indexed"] == 1
    assert _in(edited, "element.rs") == []
    # The export macro no longer exports: element.rs expands to something else.
    lib.write_text(written.replace("#[no_mangle]", "#[inline]"))
    edited = _run(tree, cache)
    # lib.rs, and with it element.rs and vectors.rs, which invoke its macros.
    assert edited.statistics["files indexed"] == 3
    assert _in(edited, "element.rs") == []
    lib.write_text(written)
    assert _in(_run(tree, cache), "element.rs") == [("RS101", 23), ("RS101", 25)]


def test_paste_blocks_among_other_items_case_modifiers_and_joined_docs() -> None:
    code = """
macro_rules! declare_vec {
    ($name:ident, $t:ident) => {
        const _: () = ();
        paste::paste! {
            #[doc = "Frees a " $name " vector."]
            #[no_mangle]
            pub extern "C" fn [<$name _vec_free>](v: *mut $t) { drop(v) }
        }
        paste::paste! {
            #[no_mangle]
            pub extern "C" fn [<free_array_ $t:snake>](v: *mut $t) { drop(v) }
        }
    };
}
declare_vec!(byte, ByteVec);
"""
    exports = rust_facts(code).exports
    assert [e.name for e in exports] == ["byte_vec_free", "free_array_byte_vec"]
    assert rust_facts(code).generated_symbols == ("byte_vec_free", "free_array_byte_vec")
