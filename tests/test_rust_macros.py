"""The crate's `macro_rules!` macros as functions RS101 follows (rust.macros)."""

from __future__ import annotations

import pytest

from tests.rust_helpers import bodies, project_index, rust_facts


def test_a_transcriber_is_respelled_in_as_many_bytes_and_parsed() -> None:
    code = (
        "macro_rules! m {\n"
        "    ($($x:expr),*) => {{ let v = vec![$($x),*]; $(f($x);)* $crate::g(v) }};\n"
        "}\n"
    )
    found = bodies(code)
    rule = next(n for n in found.walk(found.in_file(found.source.root)) if n.type == "macro_rule")
    transcriber = found.open_transcriber(rule)
    assert transcriber is not None
    inner = b"{ let v = vec![ {_x}  ];  {f(_x);}  _crate::g(v) }"
    assert transcriber.data == b"fn __m(){" + inner + b"\n}"
    assert transcriber.shift + len(b"fn __m(){") == code.index("{{") + 1  # offsets map back


def test_a_macro_is_summarized_like_a_function() -> None:
    code = """
macro_rules! check {
    ($p:ident) => {{
        assert!(!$p.is_null());
        helper($p).unwrap()
    }};
    () => { std::panic::catch_unwind(|| other().expect("x")) };
}
macro_rules! defines { ($n:ident) => { fn $n(v: &[u8]) -> u8 { v[0] } }; }
macro_rules! harmless { ($v:expr) => { $v.unwrap_or(0) }; }
#[cfg(test)]
mod tests {
    macro_rules! in_tests { () => { panic!() }; }
}
"""
    check, harmless = rust_facts(code).macros  # `defines!` holds nothing to follow
    assert (harmless.name, harmless.panics, [c.name for c in harmless.calls]) == (
        "harmless!",
        (),
        ["unwrap_or"],
    )
    assert (check.name, check.owner, check.location.line) == ("check!", None, 2)
    assert [(s.what, s.location.line, s.guards) for s in check.panics] == [
        ("`assert!`", 4, ()),
        ("`.unwrap()`", 5, ()),
        ("`.expect()`", 7, ("std::panic::catch_unwind",)),
    ]
    assert [(c.name, c.guards) for c in check.calls if c.name in ("helper", "other")] == [
        ("helper", ()),
        ("other", ("std::panic::catch_unwind",)),
    ]


def test_an_invocation_is_a_call_to_the_macro_unless_it_is_the_standard_librarys() -> None:
    code = 'fn f(x: u8) { check!(x); println!("{}", x); vec![x]; ffi::wrap!(x); assert!(x > 0); }\n'
    (function,) = rust_facts(code).functions
    assert [c.name for c in function.calls] == ["check!", "wrap!"]
    assert [s.what for s in function.panics] == ["`assert!`"]


def test_an_export_reaches_panics_through_macros_in_another_file() -> None:
    lib = """
#[macro_use]
mod macros;
#[no_mangle]
pub extern "C" fn run(x: u32) -> u32 { outer!(x) }
#[no_mangle]
pub extern "C" fn guarded(x: u32) -> u32 { std::panic::catch_unwind(|| outer!(x)).unwrap_or(0) }
"""
    macros = """
macro_rules! outer { ($x:expr) => { inner!($x) + 1 }; }
macro_rules! inner { ($x:expr) => { [1u32, 2][$x as usize] }; }
"""
    index = project_index({"src/lib.rs": lib, "src/macros.rs": macros}).rust
    calls = index.calls_of("")
    traces = {}
    for path, export in index.exports_in_crate(""):
        start = calls.index_of(path, export.location, export.name)
        assert start is not None
        traces[export.name] = [
            (t.site.what, t.site.location.path, t.function, t.chain)
            for t in calls.panic_traces(start, 10)
        ]
    assert traces == {
        "run": [
            ("indexing `[1u32, 2][$x as usize]`", "src/macros.rs", "inner!", ("outer!", "inner!"))
        ],
        "guarded": [],
    }


GENERATED = """
macro_rules! free_fn {
    ($name:ident, $t:ty) => {
        #[no_mangle]
        pub unsafe extern "C" fn $name(p: *mut $t) { drop(Box::from_raw(p)) }
    };
}
macro_rules! getters {
    ($t:ty { $($name:ident => $field:ident: $ret:ty),* $(,)? }) => {
        $( #[no_mangle] pub unsafe extern "C" fn $name(p: *const $t) -> $ret { (*p).$field } )*
    };
}
macro_rules! pasted {
    ($prefix:ident) => {
        #[no_mangle] pub extern "C" fn [<$prefix _version>]() -> u32 { 1 }
    };
}
macro_rules! fixed {
    () => { #[export_name = "lib_abi"] pub extern "C" fn abi() -> u32 { 2 } };
}
free_fn!(engine_free, Engine);
getters!(Engine { engine_width => width: u32, engine_height => height: u32, });
mod inner {
    pasted!(engine);
}
"""


def test_exports_written_by_macros_are_learnt_from_their_invocations() -> None:
    facts = rust_facts(GENERATED)
    # Expanded (rust.expansion): each located at its name in the invocation, or at the
    # macro when the invocation does not spell it (`pasted!(engine)`).
    assert [
        (e.name, e.location.line, e.location.column, tuple(p.type for p in e.params))
        for e in facts.exports
    ] == [
        ("engine_free", 21, 10, ("*mut Engine",)),
        ("engine_width", 22, 19, ("*const Engine",)),
        ("engine_height", 22, 47, ("*const Engine",)),
        ("engine_version", 24, 5, ()),
    ]
    assert facts.generated_symbols == (
        "engine_free",
        "engine_width",
        "engine_height",
        "engine_version",
        "lib_abi",
    )
    assert facts.exports_unknown_symbols is False
    assert facts.generated_release_kinds == ("box",)


@pytest.mark.parametrize(
    "invocation",
    [
        "",  # invoked from another file, or never: its symbols are unknown here
        "free_fn!{ engine_free }\n",  # matches no rule
        "free_fn!(concat_idents!(a, b), Engine);\n",  # not an identifier
    ],
)
def test_an_export_macro_whose_symbols_cannot_be_learnt_leaves_them_unknown(
    invocation: str,
) -> None:
    free_fn = GENERATED.split("macro_rules! getters")[0]
    facts = rust_facts(free_fn + invocation)
    assert facts.exports_unknown_symbols is True
    assert facts.generated_symbols == ()
    assert rust_facts(free_fn + "free_fn!(engine_free, Engine);\n").exports_unknown_symbols is False


def test_a_macro_without_exports_generates_nothing() -> None:
    facts = rust_facts("macro_rules! m { ($x:expr) => { $x + 1 }; }\nfn f() -> u32 { m!(1) }\n")
    assert (facts.generated_symbols, facts.exports_unknown_symbols) == ((), False)
