"""RS104's question: which signature types have no C layout, aliases followed."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.rust.syntax import signature_types
from interop_lint.analyzer.rust.types import TypeNames, ffi_unsafe_type
from tests.rust_helpers import bodies, project_index

DECLARATIONS = """
pub struct Opaque { names: Vec<String> }
#[repr(C)] pub struct Point { x: f64 }
#[repr(transparent)] pub struct Id(u64);
pub enum Mode { A, B }
#[repr(u8)] pub enum Level { Low = 1 }
#[repr(C)] pub enum Shape { Dot, Line(u32) }
pub type Handle = *mut Opaque;
pub type Name = String;
pub type Callback = extern "C" fn(*mut c_void, i32);
pub type Pair = (u8, u8);
use std::ffi::CString as Owned;
"""


def _offending(signature_type: str) -> str | None:
    return _offending_with(DECLARATIONS, signature_type)


@pytest.mark.parametrize(
    "fine",
    [
        "i32",
        "*const c_char",
        "*mut Opaque",
        "Handle",
        "&Opaque",
        "Point",
        "Id",
        "Level",
        "Shape",
        "Option<&Point>",
        "Option<&mut Opaque>",
        "Option<NonNull<Opaque>>",
        "Option<Box<Opaque>>",
        "Option<Callback>",
        'Option<unsafe extern "C" fn(i32) -> u8>',
        'Option<extern "C" fn(*const Opaque, usize)>',
        'extern "C" fn(state: *mut Opaque)',
        "Callback",
        "Box<Opaque>",
        "*const [u8; 4]",
        "&[u8; 4]",
        "c_int",
    ],
)
def test_types_with_a_c_layout(fine: str) -> None:
    assert _offending(fine) is None


@pytest.mark.parametrize(
    ("offending", "reported"),
    [
        ("String", "String"),
        ("Name", "Name"),
        ("Owned", "Owned"),
        ("Vec<u8>", "Vec<u8>"),
        ("Opaque", "Opaque"),
        ("Mode", "Mode"),
        ("Option<u32>", "Option<u32>"),
        ("Option<Handle>", "Option<Handle>"),
        ("Option<&str>", "Option<&str>"),
        ("Result<u8, u8>", "Result<u8, u8>"),
        ("(u8, u8)", "(u8, u8)"),
        ("Pair", "Pair"),
        ("char", "char"),
        ("[u8; 4]", "[u8; 4]"),
        ("&str", "&str"),
        ("&mut [u8]", "&mut [u8]"),
        ("&CStr", "&CStr"),
        ("*const dyn Fn()", "*const dyn Fn()"),
        ("Box<[u8]>", "Box<[u8]>"),
        ("fn(i32)", "fn(i32)"),
        ('extern "C" fn(String)', "String"),
        ('extern "C" fn(*const Opaque, Opaque)', "Opaque"),
        ('Option<extern "C" fn() -> Vec<u8>>', "Vec<u8>"),
        ("std::sync::Arc<Opaque>", "std::sync::Arc<Opaque>"),
    ],
)
def test_types_without_a_c_layout(offending: str, reported: str) -> None:
    assert _offending(offending) == reported


def _offending_with(declarations: str, signature_type: str) -> str | None:
    code = f'{declarations}\npub extern "C" fn f(x: {signature_type}) {{}}\n'
    function = bodies(code).file.root.named_children[-1]
    names = TypeNames(project_index({"src/lib.rs": code}).rust, "")
    ((_, kind),) = signature_types(function)
    problem = ffi_unsafe_type(kind, names)
    return None if problem is None else problem.node.text.decode()


@pytest.mark.parametrize(
    ("declarations", "signature_type", "reported"),
    [
        ("use std::path::Path;", "*const Path", "*const Path"),
        ("", "*const Path", "*const Path"),
        ("", "*const std::path::Path", "*const std::path::Path"),
        ("use std::path;", "*const path::Path", "*const path::Path"),
        ("use std::{ffi, path::Path};", "&ffi::CStr", "&ffi::CStr"),
        # A handle of the crate or a dependency that is also called `Path`: a thin pointer.
        ("use fcmps::Path;", "*const Path", None),
        ("use routes::{Node, Path};", "*mut Path", None),
        ("pub struct Path { hops: Vec<u32> }", "*const Path", None),
        ("", "*const Path<u8>", None),
        ("", "*const fcmps::Path", None),
        ("mod ffi { pub struct CStr; }", "*const ffi::CStr", None),
    ],
)
def test_unsized_standard_names_are_resolved(
    declarations: str, signature_type: str, reported: str | None
) -> None:
    assert _offending_with(declarations, signature_type) == reported
