"""Where values go: uses through conversions and aliases, escapes, frees; and the
facts the index keeps for other rules (argument sources, parameter flows, handle
releases)."""

from __future__ import annotations

from interop_lint.analyzer.golang.flow import (
    UseKind,
    escapes,
    is_freed,
    is_passed_to,
    matches_name,
    value_uses,
)
from interop_lint.analyzer.golang.syntax import function_name
from tests.go_helpers import HEADER, facts_of, find, go_file


def _flow(body: str, snippet: str, *others: str):  # type: ignore[no-untyped-def]
    file = go_file(HEADER + body, *others)
    return file, value_uses(file, find(file, "call_expression", snippet))


def test_uses_follow_conversions_and_aliases() -> None:
    file, flow = _flow(
        'func f() {\n\tcs := C.CString("a")\n\tp := unsafe.Pointer(cs)\n'
        "\tC.puts(cs)\n\tdefer C.free(p)\n}\n",
        'C.CString("a")',
    )
    assert [b.name for b in flow.aliases] == ["cs", "p"]
    assert [(u.kind, u.callee) for u in flow.uses] == [
        (UseKind.ARGUMENT, "C.puts"),
        (UseKind.ARGUMENT, "C.free"),
    ]
    assert is_freed(file, flow) is not None
    assert escapes(flow) is None


def test_escapes_by_kind() -> None:
    cases = {
        'func f() *C.char {\n\treturn C.CString("a")\n}\n': UseKind.RETURNED,
        'type B struct{ p *C.char }\n\nfunc (b *B) f() {\n\tb.p = C.CString("a")\n}\n': (
            UseKind.FIELD
        ),
        'var g *C.char\n\nfunc f() {\n\tg = C.CString("a")\n}\n': UseKind.GLOBAL,
        'func f(ch chan *C.char) {\n\tch <- C.CString("a")\n}\n': UseKind.SENT,
        'func f() (out *C.char) {\n\tout = C.CString("a")\n\treturn\n}\n': UseKind.RETURNED,
        'func f() func() {\n\tcs := C.CString("a")\n\treturn func() { C.puts(cs) }\n}\n': (
            UseKind.CAPTURED
        ),
        'type T struct{ p *C.char }\n\nfunc f() T {\n\treturn T{p: C.CString("a")}\n}\n': (
            UseKind.COMPOSITE
        ),
    }
    for body, kind in cases.items():
        _, flow = _flow(body, 'C.CString("a")')
        found = escapes(flow)
        assert found is not None and found.kind == kind, body


def test_deferred_closure_is_not_an_escape_but_frees() -> None:
    file, flow = _flow(
        'func f() {\n\tcs := C.CString("a")\n\tdefer func() { C.free(unsafe.Pointer(cs)) }()\n}\n',
        'C.CString("a")',
    )
    assert escapes(flow) is None
    assert is_freed(file, flow) is not None


def test_package_wrappers_free_transitively_and_configured_names_match() -> None:
    helpers = (
        'package p\n\n// #include <stdlib.h>\nimport "C"\n\nimport "unsafe"\n\n'
        "func freeOne(s *C.char) { C.free(unsafe.Pointer(s)) }\n\n"
        "func freeBoth(a, b *C.char) {\n\tfreeOne(a)\n\tfreeOne(b)\n}\n\n"
        "func release(p unsafe.Pointer) { pool.Put(p) }\n"
    )
    file, flow = _flow(
        'func f() {\n\tcs := C.CString("a")\n\tfreeBoth(nil, cs)\n}\n', 'C.CString("a")', helpers
    )
    assert is_freed(file, flow) is not None
    file, flow = _flow("func f() {\n\tp := C.malloc(4)\n\trelease(p)\n}\n", "C.malloc(4)", helpers)
    assert is_freed(file, flow) is None
    assert is_freed(file, flow, ["pool.Put"]) is not None  # through `release`


def test_matches_name_spellings() -> None:
    assert matches_name("freeCBuffer", ["freeCBuffer"])
    assert matches_name("Free", ["pkg.Free"])  # called inside package pkg
    assert matches_name("pkg.Free", ["pkg.Free"])
    assert matches_name("buf.release", ["release"])  # a method of that name
    assert not matches_name("C.release", ["release"])
    assert matches_name("C.engine_take_buffer", ["C.engine_take_buffer"])


def test_passed_to_finds_release_calls_through_aliases() -> None:
    _, flow = _flow(
        "func f() string {\n\tp := C.engine_name()\n\tdefer C.engine_string_free(p)\n"
        "\treturn C.GoString(p)\n}\n",
        "C.engine_name()",
    )
    released = is_passed_to(flow, lambda u: u.callee == "C.engine_string_free")
    assert len(released) == 1
    assert escapes(flow) is None  # C.GoString copies: the pointer itself is not returned


def test_argument_sources_are_facts_of_c_calls() -> None:
    facts = facts_of(
        HEADER + "func f(s string, n int) {\n\tcs := C.CString(s)\n\tp := unsafe.Pointer(cs)\n"
        "\tC.take(p, (*C.char)(C.malloc(C.size_t(n))), C.int(n))\n}\n"
    )
    (take,) = [c for c in facts.c_calls if c.name == "take"]
    assert take.argument_sources == ("C.CString", "C.malloc", None)


def test_parameter_flows_are_facts_of_functions() -> None:
    facts = facts_of(
        HEADER + "type B struct{ p unsafe.Pointer }\n\n"
        "func keep(b *B, p unsafe.Pointer) { b.p = p }\n\n"
        "func drop(_ int, p unsafe.Pointer) { C.free(p) }\n\n"
        "func pass(p unsafe.Pointer) { drop(0, p) }\n"
    )
    flows = {f.name: f.param_flows for f in facts.functions}
    assert flows["keep"][1].escapes and not flows["keep"][1].frees
    assert flows["drop"][1].frees and not flows["drop"][0].frees
    assert flows["pass"][0].passed_to == (("drop", 1),)


def test_handle_releases_are_facts_of_the_file() -> None:
    facts = facts_of(
        HEADER + "type W struct{ h cgo.Handle }\n\nvar reg = map[int]cgo.Handle{}\n\n"
        "func (w *W) Close() { w.h.Delete() }\n\n"
        "func drop(id int) { reg[id].Delete() }\n\n"
        "//export done\nfunc done(h C.uintptr_t) { cgo.Handle(h).Delete() }\n\n"
        "func local(v any) {\n\th := cgo.NewHandle(v)\n\th.Delete()\n}\n"
    )
    assert facts.handle_releases == ("*", "field:h", "index:reg", "local")


def test_the_helpers_the_cross_language_rules_use() -> None:
    from interop_lint.analyzer.golang.ownership import c_call_results, kept_or_released

    file = go_file(
        HEADER + "func release(p *C.char) { C.engine_string_free(p) }\n\n"
        "func Good() string {\n\tp := C.engine_name()\n\tdefer release(p)\n"
        "\treturn C.GoString(p)\n}\n\n"
        "func Kept() *C.char {\n\treturn C.engine_name()\n}\n\n"
        "func Leaked() string {\n\treturn C.GoString(C.engine_name())\n}\n\n"
        "func WrongFree() {\n\tp := C.engine_name()\n\tC.free(unsafe.Pointer(p))\n}\n"
    )
    results = {
        function_name(call): flow
        for call, name, flow in c_call_results(file)
        if name == "engine_name"
    }
    release = {"C.engine_string_free"}
    assert kept_or_released(file, results["Good"], release) is not None  # through `release`
    assert kept_or_released(file, results["Kept"], release) is not None  # returned
    assert kept_or_released(file, results["Leaked"], release) is None  # XL106
    assert kept_or_released(file, results["WrongFree"], release) is None
    assert is_freed(file, results["WrongFree"]) is not None  # XL105
    assert is_freed(file, results["Good"]) is None


def test_variadic_and_ranged_frees() -> None:
    helpers = (
        'package p\n\n// #include <stdlib.h>\nimport "C"\n\nimport "unsafe"\n\n'
        "func freeAll(ptrs ...*C.char) {\n\tfor _, p := range ptrs {\n"
        "\t\tC.free(unsafe.Pointer(p))\n\t}\n}\n"
    )
    file, flow = _flow(
        'func f() {\n\ta := C.CString("a")\n\tb := C.CString("b")\n\tdefer freeAll(a, b)\n}\n',
        'C.CString("b")',
        helpers,
    )
    assert is_freed(file, flow) is not None
