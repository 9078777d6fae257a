"""Where values go: uses through conversions and aliases, escapes, frees; and the
facts the index keeps for other rules (argument sources, parameter flows, handle
releases)."""

from __future__ import annotations

from interop_lint.analyzer.golang.flow import (
    escapes,
    is_freed,
    is_passed_to,
    matches_name,
    value_uses,
)
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.golang.uses import UseKind
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
    facts = facts_of(
        HEADER + "func f() {\n\tmem, err := C.calloc(1, 8)\n\t_ = err\n\tC.take(mem)\n}\n"
    )
    (take,) = [c for c in facts.c_calls if c.name == "take"]
    assert take.argument_sources == ("C.calloc",)


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


def test_handle_integers_are_facts_of_the_file() -> None:
    facts = facts_of(
        HEADER + "type W struct{ handle, addr uintptr }\n\nvar saved uintptr\n\n"
        "func (w *W) Set(v any) { w.handle = uintptr(cgo.NewHandle(v)) }\n\n"
        "func Keep(v any) {\n\th := cgo.NewHandle(v)\n\tsaved = uintptr(h)\n}\n\n"
        "func Lit(v any) W { return W{handle: uintptr(cgo.NewHandle(v))} }\n\n"
        "func (w *W) Addr(p *int) { w.addr = uintptr(unsafe.Pointer(p)) }\n"
    )
    assert facts.handle_integers == ("field:handle", "global:saved")


def test_a_handle_kept_as_an_integer_is_known_where_it_is_read() -> None:
    from interop_lint.analyzer.golang.handles import holds_handle

    source = (
        HEADER + "type W struct{ handle, addr uintptr }\n\n"
        "func (w *W) Set(v any) { w.handle = uintptr(cgo.NewHandle(v)) }\n\n"
        "func (w *W) Read(h cgo.Handle) {\n\tn := uintptr(h)\n"
        "\t_, _, _ = unsafe.Pointer(w.handle), unsafe.Pointer(w.addr), unsafe.Pointer(n)\n}\n"
    )
    file = go_file(source)
    assert holds_handle(file, find(file, "selector_expression", "w.handle", 1))
    assert not holds_handle(file, find(file, "selector_expression", "w.addr"))
    assert holds_handle(file, find(file, "identifier", "n", 1))


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


def test_every_declaration_form_holds_the_value() -> None:
    cases = {
        # The two-value (errno) form of a C call: the first target is the result.
        "func f() {\n\tmem, err := C.calloc(1, 8)\n\t_ = err\n\tdefer C.free(mem)\n}\n": "mem",
        "func f() {\n\tvar mem, err = C.calloc(1, 8)\n\t_ = err\n\tdefer C.free(mem)\n}\n": "mem",
        "func f() {\n\tvar p unsafe.Pointer = C.calloc(1, 8)\n\tdefer C.free(p)\n}\n": "p",
        "func f() {\n\tvar p = C.calloc(1, 8)\n\tdefer C.free(p)\n}\n": "p",
    }
    for body, alias in cases.items():
        file, flow = _flow(body, "C.calloc(1, 8)")
        assert [b.name for b in flow.aliases] == [alias], body
        assert is_freed(file, flow) is not None, body
    # Only a C call has that form: `a, b := f()` says nothing about which is which.
    _, flow = _flow(
        "func two(p unsafe.Pointer) (unsafe.Pointer, error) { return p, nil }\n\n"
        "func f() {\n\ta, b := two(C.calloc(1, 8))\n\t_, _ = a, b\n}\n",
        "C.calloc(1, 8)",
    )
    assert [u.callee for u in flow.uses] == ["two"]


def test_a_map_key_that_is_assigned_escapes() -> None:
    _, flow = _flow(
        "var reg = map[unsafe.Pointer]int{}\n\n"
        "func f() {\n\tp := C.calloc(1, 8)\n\treg[p] = 1\n\t_ = reg[p]\n}\n",
        "C.calloc(1, 8)",
    )
    found = escapes(flow)
    assert found is not None and found.kind == UseKind.ELEMENT
    assert [u.kind for u in flow.uses] == [UseKind.ELEMENT, UseKind.OTHER]  # a read is no store


def test_reads_evaluated_before_the_assignment_do_not_see_the_value() -> None:
    early = (
        'func f() {\n\tvar cs *C.char\n\tdefer C.free(unsafe.Pointer(cs))\n\tcs = C.CString("a")\n'
        "\tC.puts(cs)\n}\n"
    )
    file, flow = _flow(early, 'C.CString("a")')
    assert is_freed(file, flow) is None
    assert [u.callee for u in flow.uses] == ["C.puts"]
    assert [n.start_point[0] for n in flow.early_reads] == [17]
    # A deferred closure reads the variable when it runs; a loop may run the read
    # again after the assignment.
    later = {
        "closure": "func f() {\n\tvar cs *C.char\n\tdefer func() { C.free(unsafe.Pointer(cs)) }()\n"
        '\tcs = C.CString("a")\n}\n',
        "loop": "func f(n int) {\n\tvar cs *C.char\n\tfor i := 0; i < n; i++ {\n"
        '\t\tC.free(unsafe.Pointer(cs))\n\t\tcs = C.CString("a")\n\t}\n}\n',
    }
    for case, body in later.items():
        file, flow = _flow(body, 'C.CString("a")')
        assert is_freed(file, flow) is not None, case
        assert flow.early_reads == [], case


def test_the_cross_language_helpers_see_the_same_forms() -> None:
    from interop_lint.analyzer.golang.ownership import c_call_results, kept_or_released

    file = go_file(
        HEADER + "func Errno() string {\n\tp, err := C.engine_name()\n\t_ = err\n"
        "\tdefer C.engine_string_free(p)\n\treturn C.GoString(p)\n}\n\n"
        "func Early() string {\n\tvar p *C.char\n\tdefer C.engine_string_free(p)\n"
        "\tp = C.engine_name()\n\treturn C.GoString(p)\n}\n"
    )
    results = {
        function_name(call): flow
        for call, name, flow in c_call_results(file)
        if name == "engine_name"
    }
    release = {"C.engine_string_free"}
    assert kept_or_released(file, results["Errno"], release) is not None
    assert kept_or_released(file, results["Early"], release) is None  # frees nil: XL106
