"""Which declared return types can be the memory an export hands out (XL105-XL107)."""

from __future__ import annotations

import json

import pytest

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.facts import RustField, RustStruct
from interop_lint.analyzer.typesys.kinds import holds_kind
from interop_lint.analyzer.typesys.rust import RustTypes
from tests.conftest import Project, run_cli
from tests.test_cross_linking import CRATE

_AT = Location("src/lib.rs", 1, 1, 1, 1)
_STRUCTS = {
    "Engine": RustStruct("Engine", _AT, (), (), True),
    "Job": RustStruct("Job", _AT, (), (), True),
    "Reply": RustStruct(
        "Reply",
        _AT,
        ("C",),
        (RustField("value", "*mut T", _AT), RustField("error", "*const c_char", _AT)),
        True,
        ("T",),
    ),
    "Buffer": RustStruct(
        "Buffer",
        _AT,
        ("C",),
        (RustField("data", "*mut u8", _AT), RustField("len", "usize", _AT)),
        True,
    ),
}
_ALIASES = {"Handle": "*mut Engine"}


@pytest.mark.parametrize(
    ("returned", "kind", "holds"),
    [
        ("*mut c_char", "cstring", True),
        ("*const libc::c_char", "cstring", True),
        ("*mut u8", "cstring", True),
        ("*mut Reply<c_char>", "cstring", False),  # the string is inside the box
        ("*mut Reply<c_char>", "box:Reply", True),
        ("*mut Reply<c_char>", "box:Engine", False),
        ("*mut Engine", "box:Engine", True),
        ("Handle", "box:Engine", True),
        ("Option<&mut Engine>", "box:Engine", True),
        ("*mut Engine", "box:Job", False),
        ("*mut Engine", "box", True),  # the boxed type is unknown: no disagreement
        ("*mut c_void", "box:Job", True),  # a handle whose type the signature hides
        ("*mut c_void", "cstring", True),
        ("*mut u32", "vec:u32", True),
        ("*mut c_char", "vec:u8", True),
        ("*mut u32", "vec:u8", False),
        ("Buffer", "vec:u8", True),  # a struct by value holding the buffer
        ("Buffer", "cstring", True),
        ("Buffer", "vec:u32", False),
        ("usize", "box:Engine", False),  # a handle as an integer: nothing certain
        ("String", "cstring", False),
    ],
)
def test_a_kind_is_the_result_only_when_the_declared_type_can_be_it(
    returned: str, kind: str, holds: bool
) -> None:
    types = RustTypes(lambda n: _ALIASES.get(n, n), _STRUCTS.get)
    assert holds_kind(types, returned, kind) is holds


LIB = """use std::ffi::{c_char, CString};
use std::ptr::null;

#[repr(C)]
pub struct Reply<T> { pub value: *mut T, pub error: *const c_char }

macro_rules! replied {
    ($value:block) => { Box::into_raw(Box::new(Reply { value: $value, error: null() })) };
}

#[no_mangle]
pub extern "C" fn next_line() -> *mut Reply<c_char> {
    replied!({ CString::new("x").unwrap_or_default().into_raw() })
}

#[no_mangle]
pub extern "C" fn plain_line() -> *mut c_char {
    CString::new("x").unwrap_or_default().into_raw()
}

/// # Safety
/// From `next_line`.
#[no_mangle]
pub unsafe extern "C" fn reply_free(r: *mut Reply<c_char>) {
    if !r.is_null() { drop(unsafe { Box::from_raw(r) }); }
}

/// # Safety
/// From this library.
#[no_mangle]
pub unsafe extern "C" fn line_free(s: *mut c_char) {
    if !s.is_null() { drop(unsafe { CString::from_raw(s) }); }
}
"""

GO = """package lines

/*
typedef struct Reply { char *value; const char *error; } Reply;
Reply *next_line(void);
char *plain_line(void);
void reply_free(Reply *r);
void line_free(char *s);
*/
import "C"

func take(r *C.Reply) string {
	defer C.reply_free(r)
	s := C.GoString(r.value)
	C.line_free(r.value)
	return s
}

func Next() string {
	return take(C.next_line())
}

func Plain() string {
	return C.GoString(C.plain_line())
}
"""


def test_a_string_a_crate_macro_boxes_is_not_the_exports_result(project: Project) -> None:
    project.write("rust/Cargo.toml", CRATE.format(name="lines"))
    project.write("rust/src/lib.rs", LIB)
    project.write("go/lines.go", GO)
    result = run_cli(["check", "--format", "json", "--select", "XL"], cwd=project.root)
    findings = [(f["path"], f["line"], f["rule"]) for f in json.loads(result.stdout)["findings"]]
    assert findings == [("go/lines.go", 24, "XL106")]  # `plain_line` only
