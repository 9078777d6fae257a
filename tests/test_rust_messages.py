"""What the RS messages tell a reader: right for any caller (Go or Python), and why it matters."""

from __future__ import annotations

from tests.conftest import Project, run_sarif
from tests.rust_helpers import MANIFEST


def _messages(project: Project, code: str) -> list[tuple[str, str]]:
    project.write("Cargo.toml", MANIFEST)
    project.write("src/lib.rs", code)
    results = run_sarif(project.root)["runs"][0]["results"]
    return [(r["ruleId"], r["message"]["text"]) for r in results]


def test_a_panic_aborts_whatever_process_loaded_the_library(project: Project) -> None:
    code = '#[no_mangle]\npub extern "C" fn f(x: i32) -> u8 { u8::try_from(x).unwrap() }\n'
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert "aborts the whole process (the Go runtime or Python interpreter with it)" in message


def test_a_panic_of_a_c_unwind_export_unwinds_into_its_caller(project: Project) -> None:
    # shadow's `extern "C-unwind"` exports: Rust does not abort, it unwinds into C.
    code = '#[no_mangle]\npub extern "C-unwind" fn f(x: i32) -> u8 { u8::try_from(x).unwrap() }\n'
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert message.endswith(
        "a panic here unwinds into the C caller, which neither Go nor Python can catch: "
        "the process crashes"
    )


def test_a_body_handed_to_an_unknown_wrapper_suggests_configuring_it(project: Project) -> None:
    code = """
#[no_mangle]
pub extern "C" fn f(x: i32) -> u8 {
    ffi_support::call_with_result(&mut 0, || u8::try_from(x).unwrap())
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert message.endswith(
        "; if `ffi_support::call_with_result` catches panics, add it to `panic-guards` in the "
        "configuration"
    )
    project.write(".interop-lint.toml", 'panic-guards = ["ffi_support::call_with_result"]\n')
    assert run_sarif(project.root)["runs"][0]["results"] == []


def test_a_result_handed_to_a_helper_suggests_no_configuration(project: Project) -> None:
    # webknossos-wrap: `check_return(File::open(p).and_then(|f| ..))` maps a Result.
    code = """
fn check_return<T>(ret: Result<T, ()>) -> i32 {
    ret.map_or(1, |_| 0)
}
#[no_mangle]
pub extern "C" fn f(x: i32) -> i32 {
    check_return(Ok::<i32, ()>(x).and_then(|y| Ok(u8::try_from(y).unwrap())))
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert "panic-guards" not in message


def test_a_panic_past_a_known_guard_suggests_no_configuration(project: Project) -> None:
    # objectscale-client: the body is `match catch_unwind(..) { Ok(a) => ..expect().. }`.
    code = """
use std::panic::catch_unwind;
#[no_mangle]
pub extern "C" fn f(x: i32) -> u8 {
    match catch_unwind(|| x + 1) {
        Ok(y) => u8::try_from(y).expect("small"),
        Err(_) => 0,
    }
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert "panic-guards" not in message


def test_a_panic_in_a_guards_handler_names_the_guard(project: Project) -> None:
    # tango's `catch`: the handler of the caught panic unwraps, outside catch_unwind.
    code = """
use std::panic::{catch_unwind, UnwindSafe};
fn catch<T>(f: impl FnOnce() -> T + UnwindSafe) -> Option<T> {
    match catch_unwind(f) {
        Ok(r) => Some(r),
        Err(e) => Some(e.downcast::<T>().ok().map(|b| *b).unwrap()),
    }
}
#[no_mangle]
pub extern "C" fn f(x: u32) -> u32 { catch(|| x + 1).unwrap_or(0) }
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert ") outside the `catch_unwind` of its guard `catch`: a panic" in message
    assert "no panic guard" not in message


def test_an_export_that_catches_a_call_given_its_parameter_is_no_guard(
    project: Project,
) -> None:
    # scroll's libzkp: `catch_unwind(|| Prover::load(dir))` runs no code its caller
    # hands in; the unwrap after it is outside every guard, not "its guard's".
    code = """
use std::panic::catch_unwind;
fn load(dir: u32) -> Option<u32> { dir.checked_add(1) }
#[no_mangle]
pub extern "C" fn init(dir: u32) -> u32 {
    let loaded = catch_unwind(|| load(dir));
    loaded.unwrap().unwrap_or(0)
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert "has no panic guard" in message and "of its guard" not in message


def test_a_panic_in_what_a_guard_calls_to_build_its_error_is_not_reported(
    project: Project,
) -> None:
    # soroban-rpc's `catch_preflight_panic`, ockam_ffi's `handle_panics`: the error path
    # builds the error with a helper that unwraps (a constant's `CString::new`), outside
    # catch_unwind. Every export runs under the guard: rules.md's "has no panic guard"
    # does not hold, and a finding on each export would be noise.
    code = """
use std::panic::{catch_unwind, UnwindSafe};
fn error_of(message: &str) -> u32 {
    message.parse().unwrap()
}
fn guarded(f: impl FnOnce() -> u32 + UnwindSafe) -> u32 {
    catch_unwind(f).unwrap_or_else(|_| error_of("panicked"))
}
#[no_mangle]
pub extern "C" fn f(x: u32) -> u32 { guarded(move || x + 1) }
"""
    assert _messages(project, code) == []
    # The same helper called from the export's own body is a panic source of it.
    unguarded = code.replace("guarded(move || x + 1) }", 'error_of("1") + x }')
    ((rule, _),) = _messages(project, unguarded)
    assert rule == "RS101"


def test_a_release_function_is_told_why_null_matters(project: Project) -> None:
    code = """
/// # Safety
/// `p` comes from this library.
#[no_mangle]
pub unsafe extern "C" fn thing_free(p: *mut u32) {
    drop(Box::from_raw(p));
}

/// # Safety
/// `p` points to a valid `u32`.
#[no_mangle]
pub unsafe extern "C" fn thing_get(p: *const u32) -> u32 {
    *p
}
"""
    released, used = (m for rule, m in _messages(project, code) if rule == "RS102")
    assert released.startswith("`thing_free` releases pointer `p` (`Box::from_raw(p)`)")
    assert released.endswith(
        "free functions are called with NULL, as C's free is: return early when `p` is null"
    )
    assert used.endswith(
        "a null pointer from the caller (Go's nil, Python's None) is undefined behaviour here"
    )


def test_a_consuming_export_is_not_called_a_free_function(project: Project) -> None:
    # taglib-rust's `writer_finish(w)` takes the writer back without a null check: the bug
    # is the caller's nil, not C's habit of passing NULL to free functions.
    code = """
/// # Safety
/// `w` comes from this library.
#[no_mangle]
pub unsafe extern "C" fn writer_finish(w: *mut u32) -> u32 {
    let w = Box::from_raw(w);
    *w + 1
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS102"
    assert message == (
        "`writer_finish` takes ownership of pointer `w` (`Box::from_raw(w)`) without checking "
        "it for null first: a null pointer from the caller (Go's nil, Python's None) is "
        "undefined behaviour here"
    )


def test_a_boxed_slice_is_not_called_a_vec(project: Project) -> None:
    code = """
#[no_mangle]
pub extern "C" fn counts_new() -> *mut u32 {
    let counts = vec![0u32; 16].into_boxed_slice();
    Box::into_raw(counts) as *mut u32
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS105"
    # SARIF escapes brackets in message text (they would start an embedded link).
    assert (
        message.replace("\\[", "[")
        .replace("\\]", "]")
        .startswith(
            "`counts_new` hands a boxed slice (`Box<[u32]>`) to C (`Box::into_raw`) but no export "
            "of the crate gives it back to Rust (`Box::from_raw(slice::from_raw_parts_mut(..))`)"
        )
    )


def test_a_box_taken_and_handed_back_is_no_release(project: Project) -> None:
    # c2pa-c borrows its handles with `Box::from_raw(p)` .. `Box::into_raw(b)`: no free function.
    code = """
/// # Safety
/// `p` comes from this library.
#[no_mangle]
pub unsafe extern "C" fn thing_bump(p: *mut u32) {
    let mut b = Box::from_raw(p);
    *b += 1;
    let _ = Box::into_raw(b);
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS102"
    assert message.startswith("`thing_bump` uses pointer `p` (`Box::from_raw(p)`)")
    assert "free functions" not in message


def test_each_pointer_passed_in_one_call_names_its_own_use_in_the_helper(project: Project) -> None:
    # libsql's C binding: `libsql_open_remote(url, auth_token, out_db, ..)` hands all three to
    # one helper; each finding named the helper's `*out_db`, whichever pointer it was about.
    code = """
use std::ffi::{c_char, CStr};

unsafe fn open_internal(url: *const c_char, token: *const c_char, out: *mut usize) -> i32 {
    let url = CStr::from_ptr(url);
    let token = CStr::from_ptr(token);
    *out = url.to_bytes().len() + token.to_bytes().len();
    0
}

/// # Safety
/// All pointers must be valid.
#[no_mangle]
pub unsafe extern "C" fn open(url: *const c_char, token: *const c_char, out: *mut usize) -> i32 {
    open_internal(url, token, out)
}
"""
    messages = sorted(m for rule, m in _messages(project, code) if rule == "RS102")
    assert len(messages) == 3
    out, token, url = messages
    assert "pointer `out`" in out and "(`*out`)" in out
    assert "pointer `token`" in token and "(`CStr::from_ptr(token)`)" in token
    assert "pointer `url`" in url and "(`CStr::from_ptr(url)`)" in url


def test_an_explicit_panic_heads_the_message_over_an_earlier_index(project: Project) -> None:
    # srapi-rs: an index the code keeps in bounds came first; the `.expect(..)` is the news.
    code = """
#[no_mangle]
pub extern "C" fn f(at: usize) -> u8 {
    let values = [1u8, 2, 3, 4];
    let first = values[at];
    let wide = u8::try_from(usize::from(first) + at).expect("small");
    wide
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert message.startswith("`f` can panic (`.expect()` at [src/lib.rs:6](2))"), message


def test_an_explicit_panic_deeper_in_the_calls_heads_the_message_over_an_index(
    project: Project,
) -> None:
    # go-barretenberg: `decoded[offset..]` cannot fail after `h.len() <= 32`; the
    # `.expect(..)` two calls deeper can, and is what a reader should see first.
    code = """
fn parse(h: &[u8]) -> usize {
    if h.len() > 32 {
        return 0;
    }
    let decoded = vec![0u8; 32];
    let offset = 32 - h.len();
    decoded[offset..].len()
}

fn backend() -> usize {
    std::env::var("N").ok().and_then(|s| s.parse().ok()).expect("backend")
}

fn configured() -> usize {
    backend()
}

#[no_mangle]
pub extern "C" fn f(n: u8) -> usize {
    parse(&[n]) + configured()
}
"""
    ((rule, message),) = _messages(project, code)
    assert rule == "RS101"
    assert message.startswith("`f` can panic (`.expect()` in `backend`"), message
