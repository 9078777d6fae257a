"""RS101's questions: panic sources, guards (built-in, the crate's, configured), calls by name."""

from __future__ import annotations

import pickle

import pytest

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.rust.callgraph import method_owner
from interop_lint.analyzer.rust.panics import body_wrapper, is_guard_name
from tests.rust_helpers import bodies, project_index, rust_facts


def _panics(body: str) -> list[str]:
    facts = rust_facts(f"fn f(v: Vec<u8>, o: Option<u8>, r: Result<u8, ()>) {{\n{body}\n}}\n")
    return [site.what for site in facts.functions[0].panics]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("o.unwrap();", ["`.unwrap()`"]),
        ('r.expect("x");', ["`.expect()`"]),
        ("Option::unwrap(o);", ["`Option::unwrap`"]),
        ('panic!("x");', ["`panic!`"]),
        ("std::unreachable!();", ["`unreachable!`"]),
        ("assert_ne!(v.len(), 0);", ["`assert_ne!`"]),
        ("let x = v[3];", ["indexing `v[3]`"]),
        ("let s = &v[1..];", ["indexing `v[1..]`"]),
        ('println!("{}", v[0]);', ["indexing `v[0]`"]),
        ('let s = format!("{} .unwrap() {}", 1, 2);', []),
        ("let s = &v[..];", []),
        ("let x = o.unwrap_or(0) + v.get(3).copied().unwrap_or_default();", []),
        ("debug_assert!(v.is_empty());", []),
        ("let t = [1u8, 2, 3];\nlet x = t[2] + [0u8; 4][3];", []),
        ("let t = [1u8, 2, 3];\nlet x = t[3];", ["indexing `t[3]`"]),
        ("let b = [0u8; 256];\nlet h = &b[0..128];\nlet t = &b[0..=255];\nlet u = &b[8..];", []),
        ("let b = [0u8; 256];\nlet h = &b[..300];", ["indexing `b[..300]`"]),
        ("let mut b = [0u8; 8 * 32];\nb[0..4 * 32].fill(1);\nlet x = b[(2 + 1) * 8];", []),
        (
            "let b = [0u8; 8 * 32];\nlet h = &b[4 * 32..8 * 32 + 1];",
            ["indexing `b[4 * 32..8 * 32 + 1]`"],
        ),
        ("let b = [0u8; 256];\nlet h = &b[1..=256];", ["indexing `b[1..=256]`"]),
        ("let b = [0u8; 256];\nlet h = &b[9..4];", ["indexing `b[9..4]`"]),
        ("let b = [0u8; 4];\nlet h = &b[5..];", ["indexing `b[5..]`"]),
        ("let h = &v[0..4];", ["indexing `v[0..4]`"]),
        ("let b = [0u8; 8];\nlet i = 2;\nlet h = &b[i..4];", ["indexing `b[i..4]`"]),
        ("let x = self.expect(Token::Comma)?;", []),
        ("let x = parser.expect(Token::Comma);", []),
        ("let x = parser.expect(b'(');\nlet y = lexer.expect(7);", []),
        ('const WHY: &str = "set";\nlet x = o.expect(WHY);', ["`.expect()`"]),
        ('let x = o.expect(&format!("{}", 1));', ["`.expect()`"]),
        ("let t = stringify!(o.unwrap());", []),
        ('let c = CString::new("no nul").unwrap();', []),
        ('let c = std::ffi::CString::new(r"raw").expect("x");', []),
        ('let c = CString::new(b"bytes\\n".to_vec()).unwrap();', []),
        ('let c = CString::new(String::from("owned")).unwrap();', []),
        ('let c = CStr::from_bytes_with_nul(b"one\\0").unwrap();', []),
        ('let c = CString::new("a\\0b").unwrap();', ["`.unwrap()`"]),
        ('let c = CString::new("a\\x00").unwrap();', ["`.unwrap()`"]),
        ('let c = CString::new("a\\u{0}").unwrap();', ["`.unwrap()`"]),
        ('let c = CString::new(format!("{}", 1)).unwrap();', ["`.unwrap()`"]),
        ("let c = CString::new(name).unwrap();", ["`.unwrap()`"]),
        ('let c = CStr::from_bytes_with_nul(b"none").unwrap();', ["`.unwrap()`"]),
        ('let c = CStr::from_bytes_with_nul(b"t\\0wo\\0").unwrap();', ["`.unwrap()`"]),
        ('let c = CStr::from_bytes_with_nul(b"\\0\\0").unwrap();', ["`.unwrap()`"]),
    ],
)
def test_panic_sources(body: str, expected: list[str]) -> None:
    assert _panics(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("if !v.is_empty() { let x = v[0]; }", []),
        ("if v.len() > 2 && v[2] == 0 { let x = v[1]; }", []),
        ("if v.len() >= 4 { let s = &v[..4]; let t = &v[1..=3]; let u = &v[4..]; }", []),
        ("if v.is_empty() { return; }\nlet x = v[0];", []),
        ('if v.len() < 4 { panic!("short") }\nlet x = v[3];', ["`panic!`"]),
        ("let i = 2;\nif i < v.len() { let x = v[i]; }", []),
        ("let i = 2;\nif i >= v.len() { return; }\nlet x = v[i];", []),
        ("if v.is_empty() { 0 } else { v[0] };", []),
        ("for i in 0..v.len() { let x = v[i]; }", []),
        ("let s = &v[..4];\nlet x = s[3];", ["indexing `v[..4]`"]),
        ("let s = &v[1..3];\nlet x = s[2];", ["indexing `v[1..3]`", "indexing `s[2]`"]),
        ("if v.len() >= 4 { let x = v[4]; }", ["indexing `v[4]`"]),
        ("if v.len() >= 4 { let s = &v[2..=4]; }", ["indexing `v[2..=4]`"]),
        ("if v.is_empty() { let x = v[0]; }", ["indexing `v[0]`"]),
        ("let w = v.clone();\nif !w.is_empty() { let x = v[0]; }", ["indexing `v[0]`"]),
        ('if v.is_empty() { println!("empty"); }\nlet x = v[0];', ["indexing `v[0]`"]),
        ("let i = 2;\nif i <= v.len() { let x = v[i]; }", ["indexing `v[i]`"]),
        ("let i = 1;\nif v.len() > 2 { let s = &v[i..2]; }", ["indexing `v[i..2]`"]),
        (
            "match r { Err(_) if v.is_empty() => 0, Err(_) => { let mut n = v.len() - 1;"
            " while n > 0 { let s = &v[..n]; n -= 1; } v[n] }, Ok(x) => x }",
            [],
        ),
        ("if v.is_empty() { return; }\nlet n = v.len() - 1;\nlet x = v[n];", []),
        ("let n = v.len();\nlet s = &v[..n];", []),
        ("match v.len() { 0 => return, _ => { let x = v[0]; } }", []),
        (
            "match v.len() { 0 | 1 => return, 2..=3 => { let x = v[1]; }, _ => { let y = v[3]; } }",
            [],
        ),
        ("match r { Ok(x) if !v.is_empty() => { let y = v[0]; }, _ => {} }", []),
        (
            "let mut n = v.len() - 1;\nwhile n > 0 { let s = &v[..n]; n -= 1; }",
            ["indexing `v[..n]`"],
        ),
        ("let n = v.len();\nlet x = v[n];", ["indexing `v[n]`"]),
        (
            "if v.is_empty() { return; }\nlet mut n = v.len() - 1;\nn += 1;\nlet x = v[n];",
            ["indexing `v[n]`"],
        ),
        (
            "if v.is_empty() { return; }\nlet mut n = v.len() - 1;\nn = 7;\nlet x = v[n];",
            ["indexing `v[n]`"],
        ),
        (
            "if v.is_empty() { return; }\nlet n = v.len() - 1;\nfor n in 0..9 { let x = v[n]; }",
            ["indexing `v[n]`"],
        ),
        (
            "match r { Err(_) if v.is_empty() => 0, Ok(_) => v[0], Err(_) => 1 };",
            ["indexing `v[0]`"],
        ),
        (
            "match r { Err(e) if v.is_empty() => 0, Err(_) => v[0], Ok(_) => 1 };",
            ["indexing `v[0]`"],
        ),
        ("match v.len() { 0 => return, _ => { let x = v[1]; } }", ["indexing `v[1]`"]),
        ("match v.len() { 1 => return, _ => { let x = v[0]; } }", ["indexing `v[0]`"]),
        (
            "match v.len() { 0 if o.is_some() => return, _ => { let x = v[0]; } }",
            ["indexing `v[0]`"],
        ),
        ("match v.len() { 0..2 => return, 3 => {}, _ => { let x = v[2]; } }", ["indexing `v[2]`"]),
        ("match v.len() { 0..=2 => return, _ => { let x = v[2]; } }", []),
        ("match r { Ok(x) if !v.is_empty() => 0, _ => v[0] };", ["indexing `v[0]`"]),
        (
            "if v.is_empty() { return; }\nlet mut n = v.len() - 1;\nlet m = &mut n;\nlet x = v[n];",
            ["indexing `v[n]`"],
        ),
        ("let n = v.len() - 2;\nif !v.is_empty() { let x = v[n]; }", ["indexing `v[n]`"]),
    ],
)
def test_indexing_checked_against_the_length_cannot_panic(body: str, expected: list[str]) -> None:
    assert _panics(body) == expected


def test_a_site_records_the_calls_and_macros_around_it() -> None:
    facts = rust_facts(
        "fn f(o: Option<u8>) -> u8 {\n"
        "    std::panic::catch_unwind(AssertUnwindSafe(|| ffi_try!{ o.unwrap() })).unwrap_or(0)\n"
        "}\n"
    )
    (site,) = facts.functions[0].panics
    assert site.guards == ("ffi_try", "AssertUnwindSafe", "std::panic::catch_unwind")


def test_a_closure_bound_by_let_is_guarded_where_it_is_passed() -> None:
    facts = rust_facts(
        "fn f(o: Option<u8>) -> u8 {\n"
        "    let body = AssertUnwindSafe(|| o.unwrap());\n"
        '    let other = || o.expect("x");\n'
        "    catch_unwind(body).unwrap_or(0) + other()\n"
        "}\n"
    )
    guarded, unguarded = facts.functions[0].panics
    assert guarded.guards == ("AssertUnwindSafe", "catch_unwind")
    assert unguarded.guards == ()


def test_an_argument_evaluated_before_the_call_is_not_guarded() -> None:
    facts = rust_facts("fn f(o: Option<u8>) { catch_unwind(run(o.unwrap())); }\n")
    assert facts.functions[0].panics[0].guards == ()


@pytest.mark.parametrize(
    ("name", "configured", "guard"),
    [
        ("std::panic::catch_unwind", (), True),
        ("catch_unwind", (), True),
        ("thread::spawn", (), True),
        ("AssertUnwindSafe", (), False),
        ("call_with_result", ("ffi_support::call_with_result",), True),
        ("ffi_support::call_with_result", ("call_with_result",), True),
        ("other::call_with_result", ("ffi_support::call_with_result",), False),
        ("ffi_guard", ("ffi_guard!",), True),
        ("ffi_try", ("ffi_guard!",), False),
        ("ffi_toolkit::catch_panic_response", (), True),
        ("ffi_helpers::catch_panic", (), True),
        ("catch_unwind_silent", (), True),
        ("catch_panic::helpers::run", (), False),  # only the function's own name counts
        ("ffi_support::call_with_result", (), False),
    ],
)
def test_guard_names(name: str, configured: tuple[str, ...], guard: bool) -> None:
    assert is_guard_name(name, configured, frozenset()) is guard


EXPORT = """
#[no_mangle]
pub extern "C" fn run(x: i32) -> i32 {
    ffi_guard! { helper(x) }
}

fn helper(x: i32) -> i32 {
    u8::try_from(x).unwrap().into()
}
"""


def _traces(files: dict[str, str], config: Config | None = None, name: str = "run") -> list[str]:
    index = project_index(files, config).rust
    calls = index.calls_of("")
    path, export = next((p, e) for p, e in index.exports_in_crate("") if e.name == name)
    start = calls.index_of(path, export.location, export.name)
    assert start is not None
    return [f"{t.site.what}@{t.function}" for t in calls.panic_traces(start, 10)]


def test_a_configured_guard_macro_silences_the_export() -> None:
    assert _traces({"src/lib.rs": EXPORT}) == ["`.unwrap()`@helper"]
    assert _traces({"src/lib.rs": EXPORT}, Config(panic_guards=("ffi_guard!",))) == []


def test_a_configured_guard_function_by_path_suffix() -> None:
    code = EXPORT.replace("ffi_guard! { helper(x) }", "ffi_support::call_with_result(|| helper(x))")
    assert _traces({"src/lib.rs": code}) == ["`.unwrap()`@helper"]
    config = Config(panic_guards=("ffi_support::call_with_result",))
    assert _traces({"src/lib.rs": code}, config) == []


def test_the_crates_own_guard_macro_and_function_count_without_configuration() -> None:
    rules = "macro_rules! ffi_guard { ($b:block) => { std::panic::catch_unwind(|| $b) } }\n"
    assert _traces({"src/lib.rs": rules + EXPORT}) == []
    function = "fn ffi_guard<F: FnOnce() -> i32>(f: F) -> i32 { catch_unwind(f).unwrap_or(0) }\n"
    code = EXPORT.replace("ffi_guard! { helper(x) }", "ffi_guard(|| helper(x))")
    assert _traces({"src/lib.rs": function + code}) == []


def test_a_macro_handing_its_body_to_a_guard_is_a_guard_across_files() -> None:
    generic = """
#[macro_export]
macro_rules! boundary_generic {
    ($ret:expr, $($tt:tt)*) => {
        match ::std::panic::catch_unwind(|| { $($tt)* }) { Ok(r) => r, Err(_) => $ret }
    }
}
"""
    sized = "macro_rules! ffi_guard { ($($tt:tt)*) => { $crate::boundary_generic!(0, $($tt)*) } }\n"
    files = {"src/panic.rs": generic, "src/lib.rs": "#[macro_use] mod panic;\n" + sized + EXPORT}
    assert _traces(files) == []
    # handed to a configured guard; to a macro that guards nothing; without its tokens
    configured = Config(panic_guards=("other::guard",))
    handed = sized.replace("$crate::boundary_generic!", "other::guard")
    assert _traces({"src/lib.rs": handed + EXPORT}, configured) == []
    plain = sized.replace("$crate::boundary_generic!(0, $($tt)*)", "log!($($tt)*)")
    assert _traces(
        {"src/lib.rs": "macro_rules! log { ($($t:tt)*) => { $($t)* } }\n" + plain + EXPORT}
    ) == ["`.unwrap()`@helper"]
    ignoring = sized.replace("boundary_generic!(0, $($tt)*)", "boundary_generic!(0, ()); $($tt)*")
    assert _traces(
        {"src/panic.rs": generic, "src/lib.rs": "#[macro_use] mod panic;\n" + ignoring + EXPORT}
    ) == ["`.unwrap()`@helper"]


def test_calls_are_followed_across_files_transitively_and_cycles_end() -> None:
    lib = """
mod engine;
#[no_mangle]
pub extern "C" fn run(x: i32) -> i32 { ping(x) }
fn ping(x: i32) -> i32 { if x > 0 { pong(x - 1) } else { 0 } }
"""
    engine = """
pub fn pong(x: i32) -> i32 { if x > 5 { crate::ping(x) } else { Engine::load(x) } }
pub struct Engine;
impl Engine {
    fn load(x: i32) -> i32 { Self::table()[x as usize] }
    fn table() -> Vec<i32> { vec![] }
}
"""
    traces = _traces({"src/lib.rs": lib, "src/engine.rs": engine})
    assert traces == ["indexing `Self::table()[x as usize]`@Engine::load"]


def test_names_are_matched_by_shape() -> None:
    code = """
pub struct Engine;
impl Engine {
    pub fn new() -> Engine { panic!("never built") }
    pub fn get(&self) -> u8 { [1u8][9] }
}
fn parse(s: &str) -> u8 { s.parse().unwrap() }
#[no_mangle]
pub extern "C" fn make() -> u8 { let s = CString::new("x"); let v: Vec<u8> = Vec::new(); 0 }
#[no_mangle]
pub extern "C" fn std_method(v: &Vec<u8>, p: *const u8) -> u8 { v.get(0).map_or(0, |_| p.get()) }
#[no_mangle]
pub extern "C" fn typed_method(engine: &Engine) -> u8 { engine.get() }
#[no_mangle]
pub extern "C" fn unknown_method(engines: &[Engine]) -> u8 { let e = &engines[0]; e.get() }
#[no_mangle]
pub extern "C" fn module_path() -> u8 { crate::parse("1") }
#[no_mangle]
pub extern "C" fn other_crate() -> u8 { other::parse("1") }
"""
    assert _traces({"src/lib.rs": code}, name="make") == []
    assert _traces({"src/lib.rs": code}, name="std_method") == []
    assert _traces({"src/lib.rs": code}, name="typed_method") == ["indexing `[1u8][9]`@Engine::get"]
    unknown = _traces({"src/lib.rs": code}, name="unknown_method")
    assert unknown == ["indexing `engines[0]`@unknown_method", "indexing `[1u8][9]`@Engine::get"]
    assert _traces({"src/lib.rs": code}, name="module_path") == ["`.unwrap()`@parse"]
    # No module of the crate is `other`: another crate's `parse`, not this one.
    assert _traces({"src/lib.rs": code}, name="other_crate") == []


_ALIASES = {
    "Handle": "*mut Arc<Engine>",
    "Shared": "std::sync::Arc<Engine>",
    "SharedRef": "*const Shared",
    "EngineRef": "&mut Engine",
    "Pair": "(Engine, u8)",
    "Slice": "ffi::Slice<'a>",
}


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("Engine", "Engine"),
        ("*Handle", "Engine"),  # `(*h).run()`, h: Handle
        ("Handle", "*mut Arc<Engine>"),  # `h.add(1)`: a raw pointer's own method
        ("*SharedRef", "Engine"),  # through an alias of an alias
        ("EngineRef", "Engine"),  # references auto-deref
        ("*EngineRef", "Engine"),
        ("Shared", "Engine"),
        ("Slice", "Slice"),
        ("Pair", "(Engine, u8)"),
        ("*Engine", "Engine"),  # `(*guard).run()` through a `Deref` of the crate
    ],
)
def test_the_type_a_method_call_reaches_through_aliases(owner: str, expected: str) -> None:
    assert method_owner(owner, lambda name: _ALIASES.get(name, name)) == expected


def test_a_method_of_an_aliased_handle_is_followed() -> None:
    code = """
use std::sync::Arc;
pub struct Engine;
impl Engine { pub fn run(&self) -> u8 { [1u8][9] } pub fn size(&self) -> u8 { 1 } }
pub struct Other;
impl Other { pub fn size(&self) -> u8 { panic!("other") } }
pub type Handle = *mut Arc<Engine>;
#[no_mangle]
pub unsafe extern "C" fn run(h: Handle) -> u8 { (*h).run() }
#[no_mangle]
pub unsafe extern "C" fn size(h: Handle) -> u8 { (*h).size() }
"""
    assert _traces({"src/lib.rs": code}, name="run") == ["indexing `[1u8][9]`@Engine::run"]
    assert _traces({"src/lib.rs": code}, name="size") == []


def test_a_trait_default_method_is_reached_through_the_implementing_type() -> None:
    code = """
pub trait Handle: Sized {
    fn first(values: &[u8]) -> u8 { values[0] }
    fn last(values: &[u8]) -> u8 { *values.last().unwrap_or(&0) }
}
pub struct Engine;
impl Handle for Engine {}
pub struct Checked;
impl Handle for Checked { fn first(values: &[u8]) -> u8 { *values.first().unwrap_or(&0) } }
#[no_mangle]
pub extern "C" fn engine_first() -> u8 { Engine::first(&[]) }
#[no_mangle]
pub extern "C" fn checked_first() -> u8 { Checked::first(&[]) }
"""
    assert _traces({"src/lib.rs": code}, name="engine_first") == [
        "indexing `values[0]`@Engine::first"
    ]
    assert _traces({"src/lib.rs": code}, name="checked_first") == []


def test_test_code_is_not_indexed() -> None:
    facts = rust_facts("#[cfg(test)]\nmod tests {\n    fn helper() { None::<u8>.unwrap(); }\n}\n")
    assert facts.functions == ()


def test_function_facts_pickle() -> None:
    facts = rust_facts(EXPORT)
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_panic_guards_from_the_configuration_file(project) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import run_sarif
    from tests.rust_helpers import MANIFEST

    project.write("Cargo.toml", MANIFEST)
    project.write("src/lib.rs", EXPORT)
    results = run_sarif(project.root)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["RS101"]
    assert "[src/lib.rs:8](1)" in results[0]["message"]["text"]
    assert results[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 8
    project.write(".interop-lint.toml", 'panic-guards = ["ffi_guard!"]\n')
    assert run_sarif(project.root)["runs"][0]["results"] == []


def test_a_renamed_catch_unwind_is_still_a_guard() -> None:
    code = "use std::panic::catch_unwind as shield;\n" + EXPORT.replace(
        "ffi_guard! { helper(x) }", "shield(|| helper(x)).unwrap_or(-1)"
    )
    assert _traces({"src/lib.rs": code}) == []


@pytest.mark.parametrize(
    ("body", "wrapper"),
    [
        ("call_with_result(&mut e, || x.unwrap())", "call_with_result"),
        ("ffi::call_with_output(&mut e, || { x.unwrap() })", "ffi::call_with_output"),
        ("unsafe { run(AssertUnwindSafe(|| x.unwrap())) }.unwrap_or(0)", "run"),
        ("match run(|| x.unwrap()) { Ok(v) => v, Err(_) => 0 }", "run"),
        ("wrap(|| x.unwrap()).code", "wrap"),
        ("let y = 1;\n    wrap(move || y)", "wrap"),
        ("x.map(|v| v + 1).unwrap_or(0)", None),  # a method taking a closure: no wrapper
        ("helper(x)", None),
        ("wrap(|| x.unwrap());\n    0", None),  # not the body's value
    ],
)
def test_the_function_a_body_hands_its_code_to(body: str, wrapper: str | None) -> None:
    code = f'#[no_mangle]\npub extern "C" fn f(x: Option<u8>) -> u8 {{\n    {body}\n}}\n'
    found = bodies(code)
    body = found.exports[0].node.child_by_field_name("body")
    assert body_wrapper(found.in_file(body)) == wrapper
