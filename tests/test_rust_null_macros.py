"""Crate macros that check a pointer of their invocation for null (rust.null_macros)."""

from __future__ import annotations

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.rust.body import Located, bodies_of
from interop_lint.analyzer.rust.facts import NullCheckMacro
from interop_lint.analyzer.rust.null_macros import InvocationNullChecks, null_check_macro
from interop_lint.analyzer.source import SourceFile

NON_NULL = (
    "macro_rules! non_null {\n"
    "    ($ptr:ident, $eval:expr, $err:expr) => {{\n"
    '        debug_assert!(!$ptr.is_null(), "{}", stringify!($ptr));\n'
    "        if $ptr.is_null() { return $err; }\n"
    "        unsafe { $eval }\n"
    "    }};\n"
    "    (&*$ptr:ident ?= $err:expr) => {{ non_null!($ptr, &*$ptr, $err) }};\n"
    "    (Box::from_raw($ptr:ident) ?= $err:expr) => {{\n"
    "        non_null!($ptr, Box::from_raw($ptr), $err)\n"
    "    }};\n"
    "}\n"
)


def _macros(code: str) -> dict[str, NullCheckMacro]:
    source = SourceFile("src/macros.rs", FileKind.RUST, code.encode())
    bodies = bodies_of(source)
    found = (
        null_check_macro(bodies, n)
        for n in source.root.named_children
        if n.type == "macro_definition"
    )
    return {m.name: m for m in found if m is not None}


def _invocation(invocation: str) -> Located:
    """The invocation, written in a function's body."""
    source = SourceFile("src/body.rs", FileKind.RUST, f"fn f() {{ {invocation}; }}".encode())
    bodies = bodies_of(source)
    node = next(n for n in bodies.walk(bodies.in_file(source.root)) if n.type == "macro_invocation")
    return Located(node.node, node.fragment)


def _checked(macros: dict[str, NullCheckMacro], invocation: str) -> frozenset[str]:
    return InvocationNullChecks(macros.get)(_invocation(invocation))


def test_a_rule_checks_the_pointer_before_the_rest_runs_and_others_hand_on() -> None:
    found = _macros(NON_NULL)["non_null"]
    assert [(r.checks, r.hands_to is not None) for r in found.rules] == [
        (("ptr",), False),
        ((), True),
        ((), True),
    ]


def test_an_invocation_checks_the_pointer_its_matched_rule_binds() -> None:
    macros = _macros(NON_NULL)
    assert _checked(macros, "non_null!(Box::from_raw(body) ?= ())") == {"body"}
    assert _checked(macros, "non_null!{ &*buf ?= 0 }") == {"buf"}
    assert _checked(macros, "non_null!(dst, &*src, ())") == {"dst"}
    assert _checked(macros, "non_null!(&mut *buf ?= 0)") == set()  # no rule matches
    assert _checked(macros, "other!(&*buf ?= 0)") == set()


def test_checks_that_come_late_or_may_not_run_are_no_checks() -> None:
    code = (
        "macro_rules! late {\n"
        "    ($p:ident, $e:expr) => {{ let v = $e; if $p.is_null() { return; } v }};\n"
        "}\n"
        "macro_rules! branch {\n"
        "    ($p:ident, $e:expr) => {{ if flag() { if $p.is_null() { return; } } $e }};\n"
        "}\n"
        "macro_rules! debug_only {\n"
        "    ($p:ident, $e:expr) => {{ debug_assert!(!$p.is_null()); $e }};\n"
        "}\n"
        "macro_rules! asserted {\n"
        "    ($p:ident, $e:expr) => {{ assert!(!$p.is_null()); $e }};\n"
        "}\n"
    )
    assert list(_macros(code)) == ["asserted"]


ITER_TO_ARRAY = (
    "macro_rules! iter_to_array {\n"
    "    ($iter:expr, $len:expr, $func:expr) => {{\n"
    "        let mut ptrs: Vec<_> = $iter.map($func).collect();\n"
    "        unsafe { *$len = ptrs.len() };\n"
    "        ptrs.as_mut_ptr()\n"
    "    }};\n"
    "}\n"
    "macro_rules! name_of {\n"
    "    ($p:ident) => {{ if $p.is_null() { return 0; } CStr::from_ptr($p).to_bytes().len() }};\n"
    "    ($p:ident, $q:ident) => {{ CStr::from_ptr($p).to_bytes().len() + *$q }};\n"
    "}\n"
)


def _uses(macros: dict[str, NullCheckMacro], invocation: str) -> list[tuple[str, str]]:
    return InvocationNullChecks(macros.get).unchecked_uses(_invocation(invocation))


def test_a_rule_records_the_pointers_its_transcriber_uses_unchecked() -> None:
    found = _macros(ITER_TO_ARRAY)
    assert [r.uses for r in found["iter_to_array"].rules] == [(("len", "*$len"),)]
    assert [r.uses for r in found["name_of"].rules] == [
        (),
        (("p", "CStr::from_ptr($p)"), ("q", "*$q")),
    ]
    # Hand-ons check what they are given: their transcribers use nothing themselves.
    assert [r.uses for r in _macros(NON_NULL)["non_null"].rules] == [(), (), ()]


def test_an_invocation_uses_the_pointers_it_names_where_its_rule_does() -> None:
    macros = _macros(ITER_TO_ARRAY)
    assert _uses(macros, "iter_to_array!(xs.iter(), out_len, f)") == [("out_len", "*out_len")]
    assert _uses(macros, "iter_to_array!(xs.iter(), *lens, f)") == []  # not a name
    assert _uses(macros, "name_of!(s)") == []
    assert _uses(macros, "name_of!(s, n)") == [("s", "CStr::from_ptr(s)"), ("n", "*n")]
    assert _uses(macros, "undefined!(s)") == []
