"""Local names of Go functions: declarations, block scopes, reads and writes."""

from __future__ import annotations

from tests.go_helpers import HEADER, find, go_file


def test_shadowing_in_an_inner_block_resolves_to_the_inner_binding() -> None:
    file = go_file(
        HEADER + "func f(x int) int {\n\tif x > 0 {\n\t\tx := 2\n\t\treturn x\n\t}\n\treturn x\n}\n"
    )
    inner_read = find(file, "identifier", "x", 3)  # `return x` inside the if
    outer_read = find(file, "identifier", "x", 4)  # the last `return x`
    inner, outer = file.binding(inner_read), file.binding(outer_read)
    assert inner is not None and outer is not None
    assert inner.kind == "short" and outer.kind == "param"


def test_if_initializer_is_scoped_to_the_if_statement() -> None:
    file = go_file(
        HEADER + "func f() int {\n\tif v := g(); v > 0 {\n\t\treturn v\n\t}\n\treturn v\n}\n"
    )
    assert file.binding(find(file, "identifier", "v", 2)) is not None
    assert file.binding(find(file, "identifier", "v", 3)) is None  # package-level `v`


def test_a_grouped_var_is_visible_from_the_end_of_its_own_spec() -> None:
    file = go_file(
        HEADER + "func f(x []int) int {\n\tvar (\n\t\ty = len(x)\n\t\tx = make([]int, y)\n"
        "\t\tz = len(x)\n\t)\n\treturn z\n}\n"
    )
    parameter = file.binding(find(file, "identifier", "x", 1))  # `len(x)` before `x = ..`
    local = file.binding(find(file, "identifier", "x", 3))  # `len(x)` after it
    assert parameter is not None and parameter.kind == "param"
    assert local is not None and local.kind == "var"
    assert file.binding(find(file, "identifier", "y", 1)) is not None  # `make([]int, y)`


def test_range_variables_and_their_source() -> None:
    file = go_file(
        HEADER + "func f(xs []string) {\n\tfor i, s := range xs {\n\t\t_, _ = i, s\n\t}\n}\n"
    )
    binding = file.binding(find(file, "identifier", "s", 1))
    assert binding is not None and binding.kind == "range" and binding.source_index == 1


def test_writes_are_recorded_with_their_values() -> None:
    file = go_file(
        HEADER
        + 'func f() {\n\tvar p *C.char\n\tp = C.CString("a")\n\tC.free(unsafe.Pointer(p))\n}\n'
    )
    binding = file.binding(find(file, "identifier", "p", 2))
    assert binding is not None
    assert [v.type for _, v in binding.writes if v is not None] == ["call_expression"]
    assert len(binding.reads) == 1


def test_closures_see_the_variables_of_their_function() -> None:
    file = go_file(
        HEADER
        + 'func f() {\n\tcs := C.CString("a")\n\tdefer func() { C.free(unsafe.Pointer(cs)) }()\n}\n'
    )
    read = find(file, "identifier", "cs", 1)
    binding = file.binding(read)
    assert binding is not None and binding.reads == [read]


def test_composite_literal_keys_are_not_reads() -> None:
    file = go_file(
        HEADER + "type T struct{ name int }\n\nfunc f(name int) T {\n\treturn T{name: name}\n}\n"
    )
    binding = file.binding(find(file, "identifier", "name", 1))  # the value, not the key
    assert binding is not None and len(binding.reads) == 1
