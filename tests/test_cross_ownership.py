"""XL105 and XL106: memory that crosses the boundary, and who may free it."""

from __future__ import annotations

import json

import pytest

from interop_lint.analyzer.golang.flow import binding_uses
from interop_lint.analyzer.golang.ownership import out_of_sight
from tests.conftest import FIXTURES, Project, run_cli
from tests.go_helpers import HEADER, find, go_file
from tests.rust_helpers import project_index

CRATE = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'

NO_STRING_FREE = """use std::ffi::CString;
use std::os::raw::c_char;

pub struct Engine {
    n: i32,
}

fn to_c(s: &str) -> *mut c_char {
    CString::new(s).unwrap_or_default().into_raw()
}

#[no_mangle]
pub extern "C" fn engine_version() -> *mut c_char {
    CString::new("1").unwrap_or_default().into_raw()
}

#[no_mangle]
pub extern "C" fn engine_name() -> *mut c_char {
    to_c("engine")
}

#[no_mangle]
pub extern "C" fn engine_new() -> *mut Engine {
    Box::into_raw(Box::new(Engine { n: 0 }))
}

#[no_mangle]
pub extern "C" fn engine_label() -> *const c_char {
    c"label".as_ptr()
}

/// # Safety
/// From this library.
#[no_mangle]
pub unsafe extern "C" fn engine_free(e: *mut Engine) {
    if !e.is_null() {
        drop(unsafe { Box::from_raw(e) });
    }
}
"""
STRING_FREE = """
/// # Safety
/// From this library.
#[no_mangle]
pub unsafe extern "C" fn engine_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(unsafe { CString::from_raw(s) });
    }
}
"""

LIB = NO_STRING_FREE + STRING_FREE

PREAMBLE = """package engine

/*
#include <stdlib.h>
char *engine_version(void);
char *engine_name(void);
const char *engine_label(void);
typedef struct Engine engine_t;
engine_t *engine_new(void);
void engine_free(engine_t *e);
void engine_string_free(char *s);
void engine_take(char *s, char *t);
*/
import "C"

import (
\t"fmt"
\t"unsafe"
)

var _ = fmt.Sprint
var _ unsafe.Pointer

"""


def _write(project: Project, go: str, lib: str = LIB, crate: str = "rust") -> None:
    project.write(f"{crate}/Cargo.toml", CRATE.format(name="engine"))
    project.write(f"{crate}/src/lib.rs", lib)
    project.write("go/engine.go", PREAMBLE + go)


def _findings(project: Project, *args: str) -> list[dict]:
    result = run_cli(
        ["check", "--format", "json", "--select", "XL105,XL106", *args], cwd=project.root
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def _rules_at(project: Project, *args: str) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["rule"]) for f in _findings(project, *args)]


def _line(project: Project, path: str, needle: str) -> int:
    lines = (project.root / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


# -- XL105, Go side ------------------------------------------------------------------------


def test_c_free_of_a_rust_string_names_the_allocation_and_the_release(project: Project) -> None:
    _write(
        project,
        "func V() string {\n\tp := C.engine_version()\n"
        "\tdefer C.free(unsafe.Pointer(p))\n\treturn C.GoString(p)\n}\n",
    )
    [finding] = _findings(project)
    assert (finding["rule"], finding["line"]) == ("XL105", _line(project, "go/engine.go", "C.free"))
    assert "`CString::into_raw`" in finding["message"]
    assert "pass it to `engine_string_free` (rust/src/lib.rs:" in finding["message"]
    related = [(r["path"], r["line"]) for r in finding["related"]]
    assert related == [
        ("rust/src/lib.rs", _line(project, "rust/src/lib.rs", 'CString::new("1")')),
        ("rust/src/lib.rs", _line(project, "rust/src/lib.rs", "fn engine_string_free")),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "p := C.engine_new()\n\tC.free(unsafe.Pointer(p))",
        "C.free(unsafe.Pointer(C.engine_name()))",
        "p := C.engine_name()\n\tq := unsafe.Pointer(p)\n\tdefer func() { C.free(q) }()",
    ],
    ids=["box-handle", "nested-and-made-by-a-helper", "alias-in-deferred-closure"],
)
def test_c_free_in_other_forms_is_xl105_and_not_also_xl106(project: Project, body: str) -> None:
    _write(project, f"func F() {{\n\t{body}\n}}\n")
    assert [rule for _, _, rule in _rules_at(project)] == ["XL105"]


def test_a_pointer_rust_does_not_allocate_and_a_borrowed_one_are_not_owned(
    project: Project,
) -> None:
    lib = LIB.replace('CString::new("1").unwrap_or_default().into_raw()', "std::ptr::null_mut()")
    _write(
        project,
        "func F() string {\n\tp := C.engine_version()\n\tdefer C.free(unsafe.Pointer(p))\n"
        "\treturn C.GoString(p) + C.GoString(C.engine_label())\n}\n",
        lib,
    )
    assert _rules_at(project) == []


def test_a_same_named_export_of_another_crate_is_not_the_one_called(project: Project) -> None:
    # go/engine.go binds rust/, whose engine_version allocates: that call is reported.
    _write(project, "func V() string { return C.GoString(C.engine_version()) }\n")
    project.write("legacy/crate/Cargo.toml", CRATE.format(name="legacy"))
    project.write(
        "legacy/crate/src/lib.rs",
        'use std::os::raw::c_char;\n\n#[no_mangle]\npub extern "C" fn engine_version() '
        '-> *const c_char {\n    c"0.9".as_ptr()\n}\n',
    )
    project.write(
        "legacy/go/legacy.go",
        'package legacy\n\n// const char *engine_version(void);\nimport "C"\n\n'
        "func V() string { return C.GoString(C.engine_version()) }\n",
    )
    assert [(path, rule) for path, _, rule in _rules_at(project)] == [("go/engine.go", "XL106")]


def test_a_static_function_of_the_preamble_is_c_not_the_export(project: Project) -> None:
    _write(project, "func V() { C.free(unsafe.Pointer(C.engine_version())) }\n")
    project.write(
        "go/c/c.go",
        "package c\n\n/*\n#include <stdlib.h>\n#include <string.h>\n"
        'static char *engine_version(void) { return strdup("0"); }\n*/\nimport "C"\n\n'
        'import "unsafe"\n\nfunc V() { C.free(unsafe.Pointer(C.engine_version())) }\n',
    )
    assert [(path, rule) for path, _, rule in _rules_at(project)] == [("go/engine.go", "XL105")]


# -- XL105, Rust side ----------------------------------------------------------------------

TAKE = (
    LIB
    + """
/// # Safety
/// `s` is a string of Rust's allocator.
#[no_mangle]
pub unsafe extern "C" fn engine_take(s: *mut c_char, t: *mut c_char) {
    if !s.is_null() && !t.is_null() {
        drop(unsafe { CString::from_raw(s) }); // adopts
    }
}
"""
)


def test_from_raw_of_a_parameter_go_fills_with_c_memory(project: Project) -> None:
    _write(
        project,
        "func T(a, b string) {\n\tcs := C.CString(a)\n\tdefer C.free(unsafe.Pointer(cs))\n"
        "\tC.engine_take(cs, nil)\n}\n\n"
        "func U() {\n\tp := C.malloc(8)\n\tdefer C.free(p)\n"
        "\tC.engine_take((*C.char)(p), nil)\n}\n",
        TAKE,
    )
    [finding] = _findings(project)
    assert (finding["path"], finding["line"]) == (
        "rust/src/lib.rs",
        _line(project, "rust/src/lib.rs", "// adopts"),
    )
    assert "`C.CString`" in finding["message"] and "(and 1 more Go call(s))" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [
        ("go/engine.go", _line(project, "go/engine.go", "C.engine_take(cs")),
        ("go/engine.go", _line(project, "go/engine.go", "C.engine_take((*C.char)")),
    ]


def test_c_memory_in_a_parameter_rust_does_not_adopt_is_fine(project: Project) -> None:
    _write(
        project,
        "func T(a string) {\n\tcs := C.CString(a)\n\tdefer C.free(unsafe.Pointer(cs))\n"
        "\tC.engine_take(C.engine_version(), cs)\n}\n",
        TAKE,
    )
    assert _rules_at(project) == []


@pytest.mark.parametrize(
    ("released", "reported"), [("(*m).text", False), ("m.cast()", True)], ids=["field", "itself"]
)
def test_from_raw_of_a_field_of_the_parameter_is_not_the_parameter(
    project: Project, released: str, reported: bool
) -> None:
    lib = (
        LIB
        + """
#[repr(C)]
pub struct Msg {
    pub text: *mut c_char,
}

/// # Safety
/// `m` points to a `Msg` whose text is Rust's.
#[no_mangle]
pub unsafe extern "C" fn engine_take(m: *mut Msg, t: *mut c_char) {
    if !m.is_null() && !t.is_null() {
        drop(unsafe { CString::from_raw(RELEASED) });
    }
}
""".replace("RELEASED", released)
    )
    _write(
        project,
        "func T() {\n\tm := C.malloc(8)\n\tdefer C.free(m)\n"
        "\tC.engine_take((*C.char)(m), nil)\n}\n",
        lib,
    )
    assert [rule for _, _, rule in _rules_at(project)] == (["XL105"] if reported else [])


def test_naming_only_the_rust_file_reports_the_go_finding_too(project: Project) -> None:
    _write(project, "func F() {\n\tC.free(unsafe.Pointer(C.engine_version()))\n}\n")
    line = _line(project, "go/engine.go", "C.free")
    assert _rules_at(project, "rust/src/lib.rs") == [("go/engine.go", line, "XL105")]


def test_a_struct_result_holding_two_kinds_names_the_freed_fields_kind_and_release() -> None:
    """go-vrl's `CResult<T>`: a `Box` value and a `CString` error, each with its own
    release; freeing the error must not be told to use the Box's release."""
    root = FIXTURES / "cross" / "mixed-results"
    result = run_cli(["check", "--format", "json", "--select", "XL105,XL106"], cwd=root)
    findings = json.loads(result.stdout)["findings"]
    got = [(f["line"], f["rule"]) for f in findings]
    go = "matcher/matcher.go"
    error_line = _line(Project(root), go, "C.free(unsafe.Pointer(result.error))")
    value_line = _line(Project(root), go, "C.free(unsafe.Pointer(result.value))")
    dropped_line = _line(Project(root), go, "expect: XL106")
    assert got == [(error_line, "XL105"), (value_line, "XL105"), (dropped_line, "XL106")]
    error, value, dropped = (f["message"] for f in findings)
    assert "frees a `CString`" in error and "pass it to `matcher_error_free`" in error
    assert "frees a `Box`" in value and "pass it to `matcher_free`" in value
    assert "a `Box` in its `value` field and a `CString` in its `error` field" in dropped
    assert "pass them to `matcher_free` (src/lib.rs:71), `matcher_error_free`" in dropped


def test_each_field_of_a_struct_result_is_owned_on_its_own() -> None:
    """go-vrl's shape built in the export itself: the fields its literals fill are
    followed one by one; releasing one field does not release another, and a freed
    field cites the allocation that went into it, not the first of the export."""
    root = FIXTURES / "cross" / "field-results"
    findings = _findings(Project(root))
    by_line = {(f["line"], f["rule"]): f["message"] for f in findings}
    go, rust = "kv/kv.go", "src/lib.rs"
    error_made = _line(Project(root), rust, 'let error = CString::new("null name")')
    freed = _line(Project(root), go, "defer C.free(unsafe.Pointer(opened.error))")
    assert f"(`CString::into_raw`, src/lib.rs:{error_made})" in by_line[(freed, "XL105")]
    get = _line(Project(root), go, "found := C.kv_get(s.p, cKey) // expect: XL106")
    message = by_line[(get, "XL106")]
    assert "a `CString` owned by Rust" in message and "in its `value` field" in message
    assert "only its `error` field is released or kept" in message
    described = _line(Project(root), go, "described := C.kv_describe(s.p)")
    assert not any(line == described for line, _ in by_line)  # `kind` is static


# -- XL106 -----------------------------------------------------------------------------------


def test_a_copied_but_unreleased_string_names_the_release(project: Project) -> None:
    _write(project, "func V() string {\n\treturn C.GoString(C.engine_version())\n}\n")
    [finding] = _findings(project)
    assert finding["rule"] == "XL106"
    assert finding["line"] == _line(project, "go/engine.go", "C.engine_version()")
    message = finding["message"]
    assert "`V` never releases" in message and "`C.GoString` copies it" in message
    assert "pass it to `engine_string_free` (rust/src/lib.rs:" in message
    assert [r["message"] for r in finding["related"]] == [
        "the Rust export `engine_version`",
        "the release `engine_string_free`",
    ]


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("p := C.engine_name()\n\t_ = C.GoString(p)", True),  # made by a helper
        ("C.engine_new()", True),
        ("p := C.engine_version()\n\tdefer C.engine_free((*C.engine_t)(unsafe.Pointer(p)))", True),
        ("p := C.engine_version()\n\t_ = C.GoString(p)\n\tC.engine_string_free(p)", False),
        ("e := C.engine_new()\n\tdefer func() { C.engine_free(e) }()", False),
        ("p := C.engine_version()\n\trelease(p)", False),
        ("p := C.engine_version()\n\tkept = append(kept, p)", False),
        ("p := C.engine_version()\n\tch <- p", False),
        ("fmt.Println(C.engine_version())", True),  # printing reads it, releases nothing
        ('fmt.Sscan("x", C.engine_version())', False),  # another package: out of sight
        ("keep(C.engine_version())", False),  # an `any` parameter: out of sight
        ("C.engine_take(C.engine_version(), nil)", False),  # C code: out of sight
    ],
    ids=[
        "helper-made",
        "discarded-handle",
        "wrong-release",
        "released",
        "deferred-closure",
        "package-function",
        "element",
        "sent",
        "printed",
        "other-package",
        "any-parameter",
        "c-function",
    ],
)
def test_unreleased_results(project: Project, body: str, reported: bool) -> None:
    helpers = (
        "var kept []*C.char\nvar ch = make(chan *C.char, 1)\nvar any_ []any\n\n"
        "func release(p *C.char) { C.engine_string_free(p) }\n\n"
        "func keep(v any) { any_ = append(any_, v) }\n\n"
    )
    preamble_c = "void engine_take(char *s, char *t) { (void)s; (void)t; }\n"
    _write(project, helpers + f"func F() {{\n\t{body}\n}}\n")
    text = (project.root / "go/engine.go").read_text(encoding="utf-8")
    project.write("go/engine.go", text.replace("void engine_take(char *s, char *t);\n", preamble_c))
    assert [rule for _, _, rule in _rules_at(project)] == (["XL106"] if reported else [])


def test_a_configured_ownership_taking_function_keeps_the_result(project: Project) -> None:
    reads = TAKE.replace("drop(unsafe { CString::from_raw(s) }); // adopts", "")
    _write(project, "func F() {\n\tC.engine_take(nil, C.engine_version())\n}\n", reads)
    assert [rule for _, _, rule in _rules_at(project)] == ["XL106"]
    project.write(".interop-lint.toml", 'ownership-taking = ["C.engine_take"]\n')
    assert _rules_at(project) == []


def test_without_a_release_export_the_message_says_so(project: Project) -> None:
    _write(project, "func F() {\n\tC.engine_version()\n}\n", NO_STRING_FREE)
    [finding] = _findings(project)
    assert ", and the crate exports no function to release it" in finding["message"]
    assert len(finding["related"]) == 1


# -- the helpers -----------------------------------------------------------------------------


def test_release_exports_put_the_crates_own_releases_first() -> None:
    index = project_index(
        {
            "src/lib.rs": """use std::ffi::CString;
use std::os::raw::c_char;
fn drop_it(s: *mut c_char) { unsafe { drop(CString::from_raw(s)) } }
#[no_mangle]
pub extern "C" fn clear(s: *mut c_char) { drop_it(s) }
#[no_mangle]
pub extern "C" fn string_free(s: *mut c_char) { unsafe { drop(CString::from_raw(s)) } }
#[no_mangle]
pub extern "C" fn other(n: i32) -> i32 { n }
"""
        }
    )
    crate = index.rust.crate_of("src/lib.rs")
    assert [e.name for _, e in index.rust.release_exports(crate, "cstring")] == [
        "string_free",
        "clear",
    ]
    assert index.rust.release_exports(crate, "box:Engine") == []


def test_out_of_sight_follows_package_functions_through_their_parameters() -> None:
    file = go_file(
        HEADER
        + "func pass(p *C.char) { show(p) }\n"
        + "func show(p *C.char) { println(len(C.GoString(p))) }\n"
        + "func store(v any) { _ = v }\n"
        + "func F(p *C.char) { pass(p); _ = C.GoString(p) }\n"
        + "func G(p *C.char) { pass(p); store(p) }\n"
        + "func H(p *C.char) { C.take(p) }\n"
    )
    reads = {"GoString"}.__contains__

    def first_use(call: str) -> str | None:
        argument = find(file, "call_expression", call).child_by_field_name("arguments")
        binding = file.binding(argument.named_children[0])
        use = out_of_sight(file, binding_uses(file, binding), reads)
        return None if use is None else use.callee

    assert first_use("pass(p)") is None  # show() only reads, through C.GoString
    assert first_use("store(p)") == "store"
    assert first_use("C.take(p)") == "C.take"
