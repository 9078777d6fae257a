"""Attributes: export symbols inside `cfg_attr`, and the clippy levels RS103/RS108 can follow."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.rust.attributes import split_arguments
from interop_lint.analyzer.rust.lints import RS103_LINTS, RS108_LINTS, allowed_in_file
from interop_lint.analyzer.rust.syntax import export_symbol
from tests.rust_helpers import bodies, project_index, rust_facts, rust_source


def _function(code: str, name: str = "f"):  # type: ignore[no-untyped-def]
    found = bodies(code).scan.functions
    return next(f for f in found if f.child_by_field_name("name").text.decode() == name)


@pytest.mark.parametrize(
    ("attributes", "symbol"),
    [
        ("#[no_mangle]", "f"),
        ("#[cfg_attr(not(test), no_mangle)]", "f"),
        ('#[cfg_attr(feature = "a,b", export_name = "sym")]', "sym"),
        ("#[cfg_attr(unix, unsafe(no_mangle))]", "f"),
        ("#[cfg_attr(a, cfg_attr(b, no_mangle))]", "f"),
        ("#[cfg_attr(all(unix, not(test)), inline, no_mangle)]", "f"),
        ("#[cfg_attr(test, allow(dead_code))]", None),
        ("#[cfg_attr(no_mangle, inline)]", None),  # the condition is no attribute
        ('#[doc = "no_mangle"]', None),
        # rustc ignores `no_mangle` beside `export_name`, in either order
        ('#[no_mangle]\n#[export_name = "sym"]', "sym"),
        ('#[export_name = "sym"]\n#[no_mangle]', "sym"),
    ],
)
def test_export_attributes_inside_cfg_attr(attributes: str, symbol: str | None) -> None:
    function = _function(f'{attributes}\npub extern "C" fn f() {{}}\n')
    assert export_symbol(function) == symbol


@pytest.mark.parametrize(
    ("attributes", "symbol", "guessed"),
    [
        ("#[export_name = prefix!(f)]", "f", True),  # zlib-rs: may add a configured prefix
        ('#[export_name = concat!("lib_", "f")]', "lib_f", False),
        ('#[unsafe(export_name = concat!("v2_", stringify!(g), "_x"))]', "v2_g_x", False),
        ("#[export_name = stringify!(h)]", "h", False),
        ('#[export_name = concat!(env!("PREFIX"), "f")]', "f", True),
        ('#[cfg_attr(not(test), export_name = core::concat!("a", "b"))]', "ab", False),
    ],
)
def test_an_export_name_a_macro_spells(attributes: str, symbol: str, guessed: bool) -> None:
    facts = rust_facts(f'{attributes}\npub extern "C" fn f() {{}}\n')
    assert [e.symbol for e in facts.exports] == [symbol]
    assert facts.exports_unknown_symbols is guessed


def test_a_cfg_attr_export_is_in_the_facts() -> None:
    facts = rust_facts('#[cfg_attr(not(test), no_mangle)]\npub extern "C" fn f() {}\n')
    assert [e.symbol for e in facts.exports] == ["f"]


@pytest.mark.parametrize(
    ("abi", "exported"),
    [
        ('"C"', True),
        ("", True),
        ('"system"', True),
        ('"stdcall"', True),  # a 32-bit Windows DLL's, for `ctypes.WinDLL`
        ('"win64"', True),
        ('"C-unwind"', True),
        ('"Rust"', False),
        (None, False),
    ],
)
def test_c_family_abis_are_exported(abi: str | None, exported: bool) -> None:
    written = "" if abi is None else f"extern {abi} ".replace("  ", " ")
    facts = rust_facts(f"#[no_mangle]\npub {written}fn f(x: i32) -> i32 {{ x }}\n")
    assert [e.symbol for e in facts.exports] == (["f"] if exported else [])


def test_split_arguments_keeps_nested_calls_and_strings_whole() -> None:
    assert split_arguments('a, b(c, d), "e,\\"f", [g, h], ') == [
        "a",
        "b(c, d)",
        '"e,\\"f"',
        "[g, h]",
    ]


@pytest.mark.parametrize(
    ("code", "allowed"),
    [
        ("#[allow(clippy::missing_safety_doc)]\nfn f() {}", True),
        ("#[allow(clippy :: missing_safety_doc, dead_code)]\nfn f() {}", True),
        ('#[expect(clippy::missing_safety_doc, reason = "C API")]\nfn f() {}', True),
        ('#[cfg_attr(feature = "x", allow(clippy::missing_safety_doc))]\nfn f() {}', True),
        ("#[allow(clippy::style)]\nfn f() {}", True),
        ("#[allow(clippy::all)]\nfn f() {}", None),
        ("#[allow(clippy::not_unsafe_ptr_arg_deref)]\nfn f() {}", None),
        ("#[allow(clippy::style)]\n#[warn(clippy::missing_safety_doc)]\nfn f() {}", False),
        ("#[allow(clippy::missing_safety_doc)]\nimpl T {\n    fn f() {}\n}", True),
        ("#[allow(clippy::missing_safety_doc)]\nmod m {\n    fn f() {}\n}", True),
        ("mod m {\n    #![allow(clippy::missing_safety_doc)]\n    fn f() {}\n}", True),
        (
            "#[allow(clippy::missing_safety_doc)]\nmod m {\n"
            "    #[deny(clippy::missing_safety_doc)]\n    impl T {\n        fn f() {}\n    }\n}",
            False,
        ),
        ("#![allow(clippy::missing_safety_doc)]\nfn f() {}", None),  # the index's part
    ],
)
def test_lint_levels_in_a_file(code: str, allowed: bool | None) -> None:
    assert allowed_in_file(_function(code), RS108_LINTS) is allowed


LIB = """
#![allow(clippy::missing_safety_doc)]
mod plain;
#[allow(clippy::not_unsafe_ptr_arg_deref)]
mod relaxed;
mod nested;
"""


def test_lint_levels_above_a_file_follow_the_module_tree() -> None:
    index = project_index(
        {
            "src/lib.rs": LIB,
            "src/plain.rs": "",
            "src/relaxed.rs": "",
            "src/nested/mod.rs": "#![warn(clippy::missing_safety_doc)]\nmod deeper;\n",
            "src/nested/deeper.rs": "",
            "src/bin/tool.rs": "",
        }
    ).rust
    allowed = index.lint_allowed_above
    assert allowed("src/lib.rs", RS108_LINTS)
    assert allowed("src/plain.rs", RS108_LINTS)
    assert not allowed("src/plain.rs", RS103_LINTS)
    assert allowed("src/relaxed.rs", RS103_LINTS)
    assert allowed("src/relaxed.rs", RS108_LINTS)
    # The module's own `warn` is nearer than the crate root's `allow`, for what is below it too.
    assert not allowed("src/nested/mod.rs", RS108_LINTS)
    assert not allowed("src/nested/deeper.rs", RS108_LINTS)
    assert not allowed("src/bin/tool.rs", RS108_LINTS)  # a crate root of its own


def test_a_crate_setting_no_lint_costs_no_walk() -> None:
    index = project_index({"src/lib.rs": "mod a;\n", "src/a.rs": ""}).rust
    assert not index.lint_allowed_above("src/a.rs", RS108_LINTS)
    assert index._allowed_above == {}


def test_rust_2024_foreign_item_qualifiers_parse_and_keep_positions() -> None:
    code = (
        'unsafe extern "C" {\n'
        "    pub safe fn abs(i: i32) -> i32;\n"
        "    pub unsafe fn strlen(p: *const u8) -> usize;\n"
        "    safe static ERRNO: i32;\n"
        "}\n\n"
        "#[unsafe(no_mangle)]\n"
        'pub unsafe extern "C" fn twice(i: i32) -> i32 {\n'
        "    abs(i) * 2\n"
        "}\n"
    )
    facts = extract_facts(rust_source(code))
    assert list(facts.notifications) == []
    (export,) = facts.rust.exports
    assert (export.symbol, export.location.line, export.location.column) == ("twice", 8, 26)
    assert export.is_unsafe


def test_an_unsafe_fn_outside_a_foreign_block_keeps_its_qualifier() -> None:
    from interop_lint.analyzer.rust.preprocess import prepare

    code = b'extern "C" { safe fn a(); }\npub unsafe fn b() {}\nunsafe extern "C" fn c() {}\n'
    assert prepare(code) == (
        b'extern "C" {      fn a(); }\npub unsafe fn b() {}\nunsafe extern "C" fn c() {}\n'
    )
