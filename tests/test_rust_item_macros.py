"""Functions written in item-level macro invocations, exported by a macro of another
file of the crate (rust.item_macros)."""

from __future__ import annotations

import shutil
from pathlib import Path

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.analyzer.parsing import Grammar, parse
from interop_lint.analyzer.rust.item_macros import export_macro
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import all_rules
from tests.conftest import FIXTURES

CASE = FIXTURES / "rust" / "macro-exports"


def _source(code: str) -> SourceFile:
    return SourceFile("src/body.rs", FileKind.RUST, code.encode())


def test_the_wrapper_is_blanked_in_as_many_bytes_and_lines() -> None:
    code = (
        "ffi_fn! {\n"
        "    /// Doc.\n"
        "    #[inline]\n"
        '    pub(crate) unsafe extern "C" fn a(p: *mut u8) -> i32 { 1 } ?= 0\n'
        "    fn b() {}\n"
        "}\n"
        "crate::export!(fn c<T>(t: T) where T: Copy { let _ = t; });\n"
    )
    source = _source(code)
    unwrapped = source.root.text or b""  # from the first token on
    assert len(unwrapped) == source.root.end_byte - source.root.start_byte
    assert b"ffi_fn" not in unwrapped and b"?=" not in unwrapped and b"export" not in unwrapped
    functions = [n for n in source.root.named_children if n.type == "function_item"]
    assert [f.child_by_field_name("name").text for f in functions] == [b"a", b"b", b"c"]
    assert [f.start_point.row for f in functions] == [3, 4, 6]  # the lines they are on
    assert sorted(source.item_macros.values()) == ["export", "ffi_fn", "ffi_fn"]
    assert not source.root.has_error


def test_invocations_that_hold_anything_but_functions_are_left_alone() -> None:
    code = (
        "lazy_static! { static ref X: u8 = 0; }\n"
        "cfg_if! { fn a() {} }\n"
        "cfg_if! { if #[cfg(unix)] { fn a() {} } { fn b() {} } }\n"
        "paste! { fn [<a _b>]() {} }\n"
        "impls! { fn a() {} struct S; }\n"
        "decl! { fn a(); }\n"
    )
    source = _source(code)
    assert source.item_macros == {}
    assert source.root.text == code.encode()


def test_every_branch_of_cfg_if_stands_as_items_of_the_file() -> None:
    code = (
        "cfg_if::cfg_if! {\n"
        "    if #[cfg(unix)] {\n"
        '        #[no_mangle] pub extern "C" fn a() {}\n'
        "    } else if #[cfg(windows)] {\n"
        "        struct S; fn b() {}\n"
        "    } else {\n"
        "        fn c() {}\n"
        "    }\n"
        "}\n"
    )
    source = _source(code)
    unwrapped = source.root.text or b""
    assert b"cfg_if" not in unwrapped and b"else" not in unwrapped and b"windows" not in unwrapped
    items = [(n.type, n.start_point.row) for n in source.root.named_children]
    expected = [("attribute_item", 2), ("function_item", 2), ("struct_item", 4)]
    assert items == [*expected, ("function_item", 4), ("function_item", 6)]
    assert source.item_macros == {}  # exported, if at all, by their own attributes
    assert not source.root.has_error


def _macro(code: str):  # type: ignore[no-untyped-def]
    root = parse(Grammar.RUST, code.encode()).root_node
    return export_macro(next(n for n in root.named_children if n.type == "macro_definition"))


def test_a_macro_exports_the_function_its_invocation_names() -> None:
    hyper = _macro(
        "macro_rules! ffi_fn {\n"
        "    ($(#[$doc:meta])* fn $name:ident($($a:ident: $t:ty),*) -> $r:ty $body:block) => {\n"
        '        $(#[$doc])* #[no_mangle] pub extern "C" fn $name($($a: $t),*) -> $r { $body }\n'
        "    };\n"
        "}\n"
    )
    assert hyper is not None and (hyper.name, hyper.abi, hyper.is_pub) == ("ffi_fn", "C", True)
    bare = _macro(
        "macro_rules! f { (fn $n:ident() $b:block) => "
        "{ #[unsafe(no_mangle)] #[inline] unsafe extern fn $n() $b }; }"
    )
    assert bare is not None and (bare.abi, bare.is_unsafe, bare.is_pub) == ("C", True, False)


def test_a_macro_that_writes_no_export_of_the_function_is_none() -> None:
    assert _macro("macro_rules! f { (fn $n:ident() $b:block) => { fn $n() $b }; }") is None
    assert (
        _macro('macro_rules! f { ($n:ident) => { #[no_mangle] extern "C" fn $n() {} }; }') is None
    )
    assert (
        _macro("macro_rules! f { (fn $n:ident() $b:block) => { #[no_mangle] fn $n() $b }; }")
        is None  # the Rust ABI: XL108's, not an export
    )


def _run(root: Path, cache: Path) -> RunResult:
    return run(RunOptions(str(root), Config(), all_rules(), cache_dir=str(cache)))


def _in_body(result: RunResult) -> list[tuple[str, int]]:
    return sorted(
        (f.rule_id, f.location.line) for f in result.findings if "body.rs" in f.location.path
    )


def test_editing_the_macro_changes_the_findings_of_the_invoking_file(tmp_path: Path) -> None:
    tree = tmp_path / "project"
    shutil.copytree(CASE, tree, ignore=shutil.ignore_patterns(".interop-lint-cache"))
    cache = tmp_path / "cache"
    cold = _in_body(_run(tree, cache))
    assert ("RS101", 29) in cold and ("RS102", 41) in cold
    macros = tree / "src" / "macros.rs"
    written = macros.read_text()
    # `export_fn!` now runs its body under `catch_unwind`: `engine_port` no longer panics.
    macros.write_text(
        written.replace(
            "-> $ret $body\n",
            "-> $ret {\n            std::panic::catch_unwind(move || $body).unwrap_or_default()\n"
            "        }\n",
        )
    )
    warm = _run(tree, cache)
    assert warm.statistics["files indexed"] == 1  # body.rs's facts came from the cache
    assert ("RS101", 29) not in _in_body(warm) and ("RS102", 41) in _in_body(warm)
    # And it exports nothing any more: no finding is left in body.rs.
    macros.write_text(written.replace("#[no_mangle]", "#[inline]"))
    assert _in_body(_run(tree, cache)) == []


def test_macros_invoked_outside_the_unwrapped_invocations_are_recorded() -> None:
    from interop_lint.analyzer.rust.item_macros import invoked_macros

    code = (
        "macro_rules! ffi_fn { ($($t:tt)*) => { ffi_fn!(@inner $($t)*); }; }\n"
        "ffi_fn! { fn a() {} }\n"
        "unix_only! { ffi_fn! { fn b() {} } }\n"
        'fn c() { println!("{}", 1 != 2); }\n'
    )
    source = _source(code)
    definitions = [n for n in source.root.named_children if n.type == "macro_definition"]
    assert invoked_macros(source, definitions) == ("ffi_fn", "unix_only")


def test_an_export_macro_writing_no_mangle_before_the_forwarded_attributes_is_one() -> None:
    made = _macro(
        "macro_rules! ffi_fn { ($(#[$a:meta])* unsafe fn $n:ident() -> Result<$rv:ty> $b:block)"
        ' => { #[no_mangle] $(#[$a])* pub unsafe extern "C" fn $n() -> $rv { $b } }; }'
    )
    assert made is not None and made.return_wrapper == "Result"
    verbatim = _macro(
        "macro_rules! ffi_fn { (fn $n:ident() -> Result<$rv:ty> $b:block)"
        ' => { #[no_mangle] pub extern "C" fn $n() -> Result<$rv> { $b } }; }'
    )
    assert verbatim is not None and verbatim.return_wrapper == ""
