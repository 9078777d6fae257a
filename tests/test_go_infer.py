"""Pointer provenance: rules.md's Go pointers, and C pointers made from them."""

from __future__ import annotations

from interop_lint.analyzer.golang.facts import GoFileFacts
from interop_lint.analyzer.golang.infer import Inference, Memory
from interop_lint.analyzer.golang.package import GoPackage
from tests.go_helpers import HEADER, find, go_file


def _memory(body: str, kind: str, snippet: str, nth: int = 0) -> Memory:
    file = go_file(HEADER + body)
    return Inference(file).memory(find(file, kind, snippet, nth))


def test_go_pointers_by_form() -> None:
    body = (
        "func f(b []byte, s string, p *int, m map[int]int, c *C.char) {\n"
        "\t_ = &b[0]\n\t_ = unsafe.SliceData(b)\n\t_ = unsafe.StringData(s)\n"
        "\t_ = unsafe.Pointer(p)\n\t_ = m\n\t_ = c\n}\n"
    )
    assert _memory(body, "unary_expression", "&b[0]") is Memory.GO
    assert _memory(body, "call_expression", "unsafe.SliceData(b)") is Memory.GO
    assert _memory(body, "call_expression", "unsafe.StringData(s)") is Memory.GO
    assert _memory(body, "call_expression", "unsafe.Pointer(p)") is Memory.GO
    assert _memory(body, "identifier", "m", 1) is Memory.GO
    assert _memory(body, "identifier", "c", 1) is Memory.C


def test_c_typed_values_made_from_go_pointers_stay_go() -> None:
    body = (
        "func f(buf []byte) {\n\tp := (*C.uchar)(unsafe.Pointer(&buf[0]))\n"
        "\tq := (*C.uchar)(C.malloc(4))\n\t_, _ = p, q\n}\n"
    )
    assert _memory(body, "identifier", "p", 1) is Memory.GO
    assert _memory(body, "identifier", "q", 1) is Memory.C


def test_slices_of_c_pointers_hold_what_was_stored() -> None:
    body = (
        "func f(parts [][]byte, names []string) {\n"
        "\tgo_ptrs := make([]*C.char, 2)\n\tgo_ptrs[0] = (*C.char)(unsafe.Pointer(&parts[0][0]))\n"
        "\tc_ptrs := make([]*C.char, 2)\n\tc_ptrs[0] = C.CString(names[0])\n"
        "\t_, _ = go_ptrs[1], c_ptrs[1]\n}\n"
    )
    assert _memory(body, "index_expression", "go_ptrs[1]") is Memory.GO
    assert _memory(body, "index_expression", "c_ptrs[1]") is Memory.C


def test_addresses_inside_c_memory_are_c() -> None:
    body = (
        "func f(cfg *C.struct_cfg, local C.struct_cfg) {\n\t_ = &cfg.name\n\t_ = &local.name\n}\n"
    )
    assert _memory(body, "unary_expression", "&cfg.name") is Memory.C
    assert _memory(body, "unary_expression", "&local.name") is Memory.GO


def test_uintptr_arithmetic_keeps_the_pointer_it_came_from() -> None:
    body = (
        "func f(x *int, c unsafe.Pointer) {\n"
        "\t_ = unsafe.Pointer(uintptr(unsafe.Pointer(x)) + 8)\n"
        "\tbase := uintptr(C.malloc(8))\n\t_ = unsafe.Pointer(base + 4)\n}\n"
    )
    assert _memory(body, "call_expression", "unsafe.Pointer(uintptr(unsafe.Pointer(x)) + 8)") is (
        Memory.GO
    )
    assert _memory(body, "call_expression", "unsafe.Pointer(base + 4)") is Memory.C


def test_deep_nesting_is_bounded() -> None:
    expr = "(" * 300 + "&x" + ")" * 300
    body = f"func f(x int) {{\n\t_ = unsafe.Pointer({expr})\n}}\n"
    file = go_file(HEADER + body)
    call = find(file, "call_expression", f"unsafe.Pointer({expr})")
    assert Inference(file).memory(call) in (Memory.GO, Memory.UNKNOWN)


def test_fields_only_given_c_memory_hold_c_memory() -> None:
    def fields(*stores: tuple[str, str]) -> frozenset[str]:
        return GoPackage([GoFileFacts("p", True, field_stores=stores)]).c_memory_fields

    view = ("T.out", "field:T.orig")
    assert fields(("T.orig", "c"), view) == {"T.orig", "T.out"}
    assert fields(("T.orig", "c"), view, ("T.out", "field:T.out")) == {"T.orig", "T.out"}
    assert fields(("T.orig", "c"), view, ("T.out", "go")) == {"T.orig"}
    assert fields(("T.orig", "go"), view) == frozenset()
    # views of each other that no C value reaches hold nothing known
    assert fields(("T.a", "field:T.b"), ("T.b", "field:T.a")) == frozenset()
