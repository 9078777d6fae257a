"""XL101 on signatures: which constness differences count, and how several are said."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Project, run_cli
from tests.test_cross_linking import CRATE

LIB = """use std::os::raw::c_char;

#[no_mangle]
pub unsafe extern "C" fn text_read(s: *const c_char) -> i32 { 0 }

#[no_mangle]
pub unsafe extern "C" fn text_fill(s: *mut c_char) -> i32 { 0 }

#[no_mangle]
pub extern "C" fn text_owned() -> *mut c_char { std::ptr::null_mut() }

#[no_mangle]
pub extern "C" fn text_static() -> *const c_char { std::ptr::null() }

#[no_mangle]
pub unsafe extern "C" fn text_lines(out: *mut *const c_char) -> i32 { 0 }

#[no_mangle]
pub unsafe extern "C" fn text_copy(dst: *mut u8, src: *const u8, len: u32, flags: u8) {}
"""


def _xl101(project: Project, header: str) -> list[tuple[int, str, str]]:
    project.write("Cargo.toml", CRATE.format(name="text"))
    project.write("src/lib.rs", LIB)
    project.write("include/text.h", "#include <stdint.h>\n" + header)
    result = run_cli(["check", "--format", "json", "--select", "XL101"], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    return [(f["line"], f["level"], f["message"]) for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize(
    ("declaration", "reported"),
    [
        # Parameters: Rust's constness is what it does with the memory.
        ("int32_t text_read(char *s);", False),  # C may pass anything; Rust only reads
        ("int32_t text_read(const char *s);", False),
        ("int32_t text_fill(const char *s);", True),  # Rust may write to read-only memory
        ("int32_t text_fill(char *s);", False),
        # Results: C's constness is what callers do with it.
        ("const char *text_owned(void);", False),  # C callers only read
        ("char *text_static(void);", True),  # C callers may write to Rust's constant
        ("const char *text_static(void);", False),
        # Below the outermost pointer, no direction is harmless.
        ("int32_t text_lines(char **out);", True),
        ("int32_t text_lines(const char **out);", False),
    ],
)
def test_constness_counts_only_where_one_side_may_write_to_read_only_memory(
    project: Project, declaration: str, reported: bool
) -> None:
    found = _xl101(project, declaration + "\n")
    if reported:
        ((_, level, message),) = found
        assert level == "warning"
        assert message.endswith("only the constness differs")
    else:
        assert found == []


@pytest.mark.parametrize(
    ("declaration", "reported"),
    [
        ("void doc_user_data_set(const lol_doctype_t *d, void *data);", True),
        ("void doc_user_data_set(lol_doctype_t *d, void *data);", False),
        ("void *doc_user_data_get(lol_doctype_t *d);", False),  # Rust only reads
        ("void *doc_user_data_get(const lol_doctype_t *d);", False),
        # A result: C callers cannot write through a pointer to a struct C only declares.
        ("lol_doctype_t *doc_new(void);", False),
        ("struct lol_Doctype { void *data; };\nlol_doctype_t *doc_new(void);", True),
    ],
)
def test_constness_counts_when_the_header_names_the_opaque_type_its_own_way(
    project: Project, declaration: str, reported: bool
) -> None:
    # lol-html: `typedef struct lol_html_Doctype lol_html_doctype_t;` for the crate's
    # `Doctype`; the names differ, the pointers' constness still counts.
    project.write("Cargo.toml", CRATE.format(name="doc"))
    project.write(
        "src/lib.rs",
        "use std::os::raw::c_void;\n\npub struct Doctype {\n    data: *mut c_void,\n}\n\n"
        '#[no_mangle]\npub unsafe extern "C" fn doc_user_data_set(d: *mut Doctype, '
        "data: *mut c_void) {\n    (*d).data = data;\n}\n\n"
        '#[no_mangle]\npub unsafe extern "C" fn doc_user_data_get(d: *const Doctype) '
        "-> *mut c_void {\n    (*d).data\n}\n\n"
        '#[no_mangle]\npub extern "C" fn doc_new() -> *const Doctype {\n'
        "    Box::into_raw(Box::new(Doctype { data: std::ptr::null_mut() }))\n}\n",
    )
    project.write(
        "include/doc.h",
        "typedef struct lol_Doctype lol_doctype_t;\n" + declaration + "\n",
    )
    result = run_cli(["check", "--format", "json", "--select", "XL101"], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    found = [(f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    if reported:
        ((line, message),) = found
        assert line == declaration.count("\n") + 2
        assert message.endswith("only the constness differs"), message
    else:
        assert found == []


@pytest.mark.parametrize(
    ("len_type", "message"),
    [
        ("size_t", None),  # renamed, laid out the same: the header is only stale
        (
            "uint32_t",
            "parameter 1 (`coords`) of `poly_encode` is `struct Array` here but "
            "`ExternalArray` in src/lib.rs:12 (the structs differ: field 2 (`len`) is "
            "`uint32_t` here but `usize` in Rust)",
        ),
    ],
)
def test_a_struct_the_header_names_otherwise_is_compared_by_its_fields(
    project: Project, len_type: str, message: str | None
) -> None:
    # urschrei/polyline-ffi renamed `Array` to `ExternalArray` in the crate only.
    project.write("Cargo.toml", CRATE.format(name="poly"))
    project.write(
        "src/lib.rs",
        "use std::os::raw::c_void;\n\n#[repr(C)]\npub struct ExternalArray {\n"
        "    pub data: *const c_void,\n    pub len: usize,\n}\n\n"
        "/// # Safety\n/// None.\n"
        '#[no_mangle]\npub unsafe extern "C" fn poly_encode(coords: ExternalArray, '
        "precision: u32) -> u32 {\n    let _ = coords;\n    precision\n}\n",
    )
    project.write(
        "include/poly.h",
        "#include <stddef.h>\n#include <stdint.h>\n"
        f"typedef struct Array {{\n  const void *data;\n  {len_type} len;\n}} Array;\n"
        "uint32_t poly_encode(struct Array coords, uint32_t precision);\n",
    )
    result = run_cli(["check", "--format", "json", "--select", "XL101"], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    found = [(f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == ([] if message is None else [(7, message)])


def test_every_difference_of_a_declaration_is_named_in_one_finding(project: Project) -> None:
    found = _xl101(project, "int text_copy(const char *dst, const uint8_t *src, int64_t len);\n")
    assert found == [
        (
            2,
            "error",
            "`text_copy` takes 3 parameter(s) here but 4 in src/lib.rs:19; "
            "the return type is `int` here but nothing",
        )
    ]
    found = _xl101(
        project, "int text_copy(const uint8_t *dst, const uint8_t *src, int64_t len, int flags);\n"
    )
    assert found == [
        (
            2,
            "error",
            "parameter 3 (`len`) of `text_copy` is `int64_t` here but `u32` in src/lib.rs:19; "
            "parameter 4 (`flags`) is `int` here but `u8`; "
            "the return type is `int` here but nothing; "
            "and 1 more",
        )
    ]


ENUMS = """#[repr(u8)]
pub enum Level { Low = 1 }

#[repr(C)]
pub enum Mode { Read }

#[no_mangle]
pub extern "C" fn md_level(level: Level) -> bool { true }

#[no_mangle]
pub extern "C" fn md_mode(mode: Mode) {}
"""


def test_enums_compare_by_width_and_bool_as_a_byte_is_a_warning(project: Project) -> None:
    project.write("Cargo.toml", CRATE.format(name="modes"))
    project.write("src/lib.rs", ENUMS)
    project.write(
        "include/modes.h",
        "#include <stdint.h>\ntypedef int32_t Level;\ntypedef uint8_t Mode;\n"
        "unsigned char md_level(uint8_t level);\n"  # bool as a byte, repr(u8): warning
        "void md_mode(Mode mode);\n",  # repr(C) is int-sized: error
    )
    result = run_cli(["check", "--format", "json", "--select", "XL101"], cwd=project.root)
    found = [(f["line"], f["level"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert [(line, level) for line, level, _ in found] == [(4, "warning"), (5, "error")]
    assert "which must be 0 or 1" in found[0][2]
    assert "is `Mode` (`uint8_t`) here but `Mode` (a `c_int`-sized enum)" in found[1][2]


CALLBACKS = """use std::os::raw::{c_int, c_void};

pub type EvalCb = unsafe extern "C" fn(n: c_int, x: *const f64, user: *mut c_void) -> c_int;
pub type LogCb = extern "C" fn(level: c_int);

#[no_mangle]
pub extern "C" fn solver_new(eval: Option<EvalCb>, log: Option<LogCb>) -> c_int { 0 }
"""


@pytest.mark.parametrize(
    ("typedefs", "detail"),
    [
        # pounce PR 627: C's callbacks return `bool` where Rust's return `c_int`.
        (
            "typedef bool (*EvalCb)(int n, const double *x, void *user);\n"
            "typedef void (*LogCb)(int level);\n",
            "parameter 1 (`eval`) of `solver_new` is `EvalCb` here but `Option<EvalCb>` in "
            "src/lib.rs:7 (the callback returns `bool` here but `i32`)",
        ),
        (
            "typedef int (*EvalCb)(int n, const double *x, void *user);\n"
            "typedef void (*LogCb)(long long level);\n",
            "parameter 2 (`log`) of `solver_new` is `LogCb` here but `Option<LogCb>` in "
            "src/lib.rs:7 (the callback's parameter 1 is `int64_t` here but `i32`)",
        ),
        (
            "typedef int (*EvalCb)(int n, const double *x);\ntypedef void (*LogCb)(int level);\n",
            "parameter 1 (`eval`) of `solver_new` is `EvalCb` here but `Option<EvalCb>` in "
            "src/lib.rs:7 (the callback takes 2 parameter(s) here but 3)",
        ),
    ],
)
def test_a_callback_difference_is_named_inside_the_typedef(
    project: Project, typedefs: str, detail: str
) -> None:
    project.write("Cargo.toml", CRATE.format(name="solver"))
    project.write("src/lib.rs", CALLBACKS)
    header = "#include <stdbool.h>\n" + typedefs + "int solver_new(EvalCb eval, LogCb log);\n"
    project.write("include/solver.h", header)
    result = run_cli(["check", "--format", "json", "--select", "XL101"], cwd=project.root)
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["message"] == detail
