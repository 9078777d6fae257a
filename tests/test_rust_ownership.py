"""RS105/RS106's questions, and the ownership facts the cross-language rules read."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.rust.dangling import dangling_pointers
from tests.rust_helpers import bodies, project_index, rust_facts

HEADER = """
use std::ffi::CString;
use std::os::raw::c_char;
pub struct Engine;
pub type EngineHandle = *mut Engine;
#[repr(C)] pub struct Buffer { pub data: *mut u8, pub len: usize }
"""


def _hands_out(body: str, signature: str = "() -> *mut c_char") -> list[tuple[str, str]]:
    facts = rust_facts(f'{HEADER}#[no_mangle]\npub extern "C" fn f{signature} {{\n{body}\n}}\n')
    (export,) = facts.exports
    return [(a.kind, a.via) for a in export.hands_out]


@pytest.mark.parametrize(
    ("body", "signature", "expected"),
    [
        ('CString::new("x").unwrap().into_raw()', "() -> *mut c_char", [("cstring", "return")]),
        (
            'match CString::new("x") { Ok(s) => CString::into_raw(s), Err(_) => ptr::null_mut() }',
            "() -> *mut c_char",
            [("cstring", "return")],
        ),
        ("Box::into_raw(Box::new(Engine))", "() -> EngineHandle", [("box:Engine", "return")]),
        (
            "let e = Box::new(Engine);\nBox::into_raw(e) as *mut c_void",
            "() -> *mut c_void",
            [("box:Engine", "return")],
        ),
        (
            "Box::leak(Box::new(Engine::default()))",
            "() -> &'static mut Engine",
            [("box:Engine", "return")],
        ),
        (
            "unsafe { *out = Box::into_raw(Box::new(Engine)); }",
            "(out: *mut *mut Engine)",
            [("box:Engine", "out")],
        ),
        (
            "let mut v = vec![1u32];\nlet p = v.as_mut_ptr();\nstd::mem::forget(v);\np",
            "() -> *mut u32",
            [("vec:u32", "return")],
        ),
        (
            "let mut v: Vec<u16> = Vec::new();\n"
            "let b = Buffer { data: v.as_mut_ptr().cast(), len: 0 };\n"
            "std::mem::forget(v);\nb",
            "() -> Buffer",
            [("vec:u16", "return")],
        ),
        (
            'catch_unwind(|| CString::new("x").map(CString::into_raw).unwrap_or(ptr::null_mut()))'
            ".unwrap_or(ptr::null_mut())",
            "() -> *mut c_char",
            [("cstring", "return")],
        ),
        (
            'let p = CString::new("x").unwrap().into_raw();\n'
            "unsafe { drop(CString::from_raw(p)) };\n0",
            "() -> i32",
            [],
        ),
        (
            "static mut KEEP: *mut Engine = std::ptr::null_mut();\n"
            "unsafe { KEEP = Box::into_raw(Box::new(Engine)) };",
            "()",
            [],
        ),
    ],
)
def test_what_an_export_hands_out(body: str, signature: str, expected: list) -> None:
    assert _hands_out(body, signature) == expected


def test_releases_name_their_parameter_and_kind() -> None:
    facts = rust_facts(
        HEADER
        + """
#[no_mangle]
pub unsafe extern "C" fn free_all(s: *mut c_char, e: EngineHandle, b: Buffer, raw: *mut c_void) {
    drop(CString::from_raw(s));
    drop(Box::from_raw(e));
    drop(Vec::from_raw_parts(b.data, b.len, b.len));
    drop(Box::from_raw(raw as *mut Engine));
}
"""
    )
    (export,) = facts.exports
    assert [(r.kind, r.param_index, r.param_name, r.what) for r in export.releases] == [
        ("cstring", 0, "s", "CString::from_raw"),
        ("box:Engine", 1, "e", "Box::from_raw"),
        ("vec:Buffer.data", 2, "b", "Vec::from_raw_parts"),
        ("box:Engine", 3, "raw", "Box::from_raw"),
    ]
    assert export.releases[0].location.line == 10


def test_a_generic_release_is_left_to_what_its_callers_pass() -> None:
    facts = rust_facts(
        "fn free_any<T>(p: *mut T) { unsafe { drop(Box::from_raw(p)) } }\n"
        "type Handle = *mut Engine;\n"
        "fn free_engine(e: Handle, v: *mut c_void, n: usize) {\n"
        "    free_any(e); free_any(v as *mut Buffer); free_any::<Key>(v.cast()); free_any(v);\n"
        "}\n"
    )
    generic, caller = facts.functions
    assert generic.release_kinds == ()
    assert generic.generic_releases == ((0, "box"),)
    assert [(a.call.name, a.argument, a.pointee) for a in caller.pointer_arguments] == [
        ("free_any", 0, "Engine"),
        ("free_any", 0, "Buffer"),
        ("free_any", 0, "Key"),
    ]


def test_the_index_resolves_kinds_and_finds_helpers() -> None:
    lib = (
        HEADER
        + """
mod strings;
#[no_mangle]
pub extern "C" fn version() -> *mut c_char { strings::to_c("1.0") }
#[no_mangle]
pub unsafe extern "C" fn engine_free(e: Handle) { drop(Box::from_raw(e)) }
#[no_mangle]
pub unsafe extern "C" fn buffer_free(b: Buffer) { drop(Vec::from_raw_parts(b.data, b.len, b.len)) }
pub type Handle = EngineHandle;
"""
    )
    strings = "pub fn to_c(s: &str) -> *mut c_char { CString::new(s).unwrap().into_raw() }\n"
    index = project_index({"src/lib.rs": lib, "src/strings.rs": strings}).rust
    path, version = next((p, e) for p, e in index.exports_in_crate("") if e.name == "version")
    assert version.returns_owned is None
    assert index.owned_return("", path, version) == "cstring"
    assert index.canonical_kind("", "box:Handle") == "box:Engine"
    assert index.canonical_kind("", "vec:Buffer.data") == "vec:u8"
    assert index.releases_kind("", "box:Engine") and index.releases_kind("", "box")
    assert index.releases_kind("", "vec:u8") and not index.releases_kind("", "vec:u32")
    assert not index.releases_kind("", "cstring")


FFI_SUPPORT = """use ffi_support::{define_box_destructor, define_string_destructor};
use std::os::raw::c_char;
pub struct Widget;
pub struct Gadget;
#[no_mangle]
pub extern "C" fn widget_name() -> *mut c_char { std::ptr::null_mut() }
define_string_destructor!(widget_str_free);
define_box_destructor!(Widget, widget_free);
ffi_support::define_handle_map_deleter!(GADGETS, gadget_free);
"""


def test_ffi_support_destructor_macros_export_releases() -> None:
    """glean's `define_string_destructor!(glean_str_free)`: ffi-support writes the
    export, out of the project's sight; its symbol and what it gives back are known."""
    index = project_index({"src/lib.rs": FFI_SUPPORT}).rust
    (facts,) = [rust for _, rust in index.files_by_crate[""]]
    assert facts.generated_symbols == ("widget_str_free", "widget_free", "gadget_free")
    assert index.releases_kind("", "cstring") and index.releases_kind("", "box:Widget")
    assert not index.releases_kind("", "box:Gadget")


def test_a_crate_macro_named_like_an_ffi_support_one_is_its_own() -> None:
    code = "macro_rules! define_string_destructor { ($n:ident) => {}; }\n"
    index = project_index({"src/lib.rs": code + "define_string_destructor!(s_free);\n"}).rust
    assert not index.releases_kind("", "cstring")


CONTEXT = """use std::cell::RefCell;
pub struct Item { v: i32 }
pub struct Other { v: i32 }
pub struct Ctx { items: RefCell<Vec<*mut {held}>> }
#[no_mangle]
pub unsafe extern "C" fn ctx_free(ctx: *mut Ctx) {
    let b = Box::from_raw(ctx);
    for item in b.items.borrow_mut().iter() {
        let _ = Box::from_raw(*item);
    }
}
"""


@pytest.mark.parametrize(("held", "releases_item"), [("Item", True), ("Other", False)])
def test_a_context_freeing_the_handles_it_keeps_gives_their_type_back(
    held: str, releases_item: bool
) -> None:
    """pulumi-gestalt: the context keeps every output it hands out in a
    `RefCell<Vec<*mut ..>>` and frees them when destroyed."""
    index = project_index({"src/lib.rs": CONTEXT.replace("{held}", held)}).rust
    assert index.releases_kind("", "box:Ctx")
    assert index.releases_kind("", "box:Item") is releases_item


def test_what_a_type_gives_back_when_dropped() -> None:
    code = """
pub type Alias = Blob;
impl Clone for Blob { fn clone(&self) -> Self { todo!() } }
impl<T> core::ops::Drop for Holder<T> {
    fn drop(&mut self) { drop(unsafe { Box::from_raw(self.inner) }); }
}
impl Drop for Alias {
    fn drop(&mut self) { drop(unsafe { Vec::from_raw_parts(self.ptr as *mut u8, 1, 1) }); }
}
impl Blob { fn raw(&self) -> *const u8 { self.ptr } }
"""
    functions = rust_facts(code).functions
    assert [(f.owner, f.trait_name, f.drop_releases) for f in functions] == [
        ("Blob", "Clone", ()),
        ("Holder", "Drop", ("box:Holder.inner",)),
        ("Alias", "Drop", ("vec:u8",)),
        ("Blob", None, ()),
    ]
    index = project_index({"src/lib.rs": code}).rust
    assert index.released_by_drop("", "Blob", "vec:u8") and index.released_by_drop(
        "", "Blob", "vec"
    )
    assert not index.released_by_drop("", "Blob", "vec:u32")
    assert not index.released_by_drop("", "Blob", "cstring")
    assert index.released_by_drop("", "Holder", "box:Engine")
    assert not index.released_by_drop("", "Engine", "box")
    # A field of a type parameter holds any type.
    declared = project_index({"src/lib.rs": "pub struct Holder<T> { inner: *mut T }\n" + code}).rust
    assert declared.released_by_drop("", "Holder", "box:Engine")


def test_a_derived_drop_counts_for_every_kind() -> None:
    code = """
#[repr(C)]
#[derive(Clone, drop_fields::DropFields)]
pub struct Response { pub data: *mut u8, pub len: usize }
#[derive(Clone, Default)]
pub struct Plain { pub data: *mut u8 }
"""
    assert rust_facts(code).derived_drops == ("Response",)
    index = project_index({"src/lib.rs": code}).rust
    assert index.released_by_drop("", "Response", "vec:u8")
    assert index.released_by_drop("", "Response", "cstring")
    assert not index.released_by_drop("", "Plain", "vec:u8")


def _dangling(body: str) -> list[str]:
    found = bodies(f"{HEADER}fn f(out: *mut *const u8, s: &str) -> *const u8 {{\n{body}\n}}\n")
    return [f"{d.owner}:{d.kept}" for d in dangling_pointers(found)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'let p = CString::new("x").unwrap().as_ptr();\np.cast()',
            ['CString::new("x").unwrap():let'],
        ),
        ('format!("{s}").as_ptr()', ['format!("{s}"):return']),
        ("let v = vec![1u8];\nv.as_ptr()", ["v:return"]),
        ("let v = s.to_string();\nunsafe { *out = v.as_ptr() };\nstd::ptr::null()", ["v:out"]),
        ('unsafe { puts(CString::new("x").unwrap().as_ptr()) };\ns.as_ptr()', []),
        ('let c = CString::new("x").unwrap();\nunsafe { puts(c.as_ptr()) };\n"x\\0".as_ptr()', []),
        ("let v = vec![1u8];\nlet p = v.as_ptr();\nstd::mem::forget(v);\np", []),
        ("let v = vec![1u8];\nlet p = v.as_ptr();\nkeep(v);\np", []),
        ('let v = vec![1u8];\nlet n = v.len();\nprintln!("{:?}", v);\nv.as_ptr()', ["v:return"]),
    ],
)
def test_dangling_pointers(body: str, expected: list[str]) -> None:
    assert _dangling(body) == expected


def test_functions_stored_in_struct_literals_are_kept_as_calls() -> None:
    facts = rust_facts(
        "struct V { destroy: unsafe fn(*mut u8), len: usize, next: Option<u8> }\n"
        "impl V {\n"
        "    fn new(len: usize) -> V {\n"
        "        let count = len;\n"
        "        let a = V { destroy: destroy::<u8>, len: count, next: None };\n"
        "        let b = V { destroy: Self::drop_it, len: MAX, next: None };\n"
        "        V { destroy: vtable::release, len: a.len + b.len, next: None }\n"
        "    }\n"
        "}\n"
    )
    assert [(c.name, c.owner, c.module) for c in facts.stored_functions] == [
        ("destroy", None, None),
        ("drop_it", "V", None),
        ("release", None, "vtable"),
    ]
