"""Go types as data: reading type expressions, resolving names across files,
and whether memory of a type holds Go pointers."""

from __future__ import annotations

from interop_lint.analyzer.golang.facts import Field, TypeExpr
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.types import (
    Kind,
    contains_go_pointers,
    describe,
    field_type,
    is_go_pointer_type,
    is_integer_type,
    named,
    pointer_to,
    slice_of,
)
from tests.go_helpers import HEADER, facts_of, find, go_file

TYPES = """package p

import "time"

type Point struct{ X, Y int32 }
type Named struct {
	Label string
	At    Point
}
type Node struct {
	Value int32
	Next  *Node
}
type Ring struct{ Nodes [2]Node }
type Grid [4][4]Point
type Empty [0]*int
type CPair struct{ a, b *C.int }
type Stamp struct{ When time.Time }
type Alias = Named
type Embeds struct {
	*Named
	Count int
}
"""


def _lookup():  # type: ignore[no-untyped-def]
    types = {d.name: d.type for d in facts_of(TYPES).types}
    return types.get


def test_type_declarations_are_facts_of_the_file() -> None:
    facts = facts_of(TYPES)
    names = {d.name: d for d in facts.types}
    assert names["Alias"].alias
    assert names["Point"].type == TypeExpr(
        Kind.STRUCT, fields=(Field("X", named("int32")), Field("Y", named("int32")))
    )
    assert names["Grid"].type.length == 4
    assert names["Embeds"].type.fields[0] == Field("Named", pointer_to(named("Named")), True)


def test_contains_go_pointers_follows_fields_arrays_and_names() -> None:
    lookup = _lookup()
    assert not contains_go_pointers(named("Point"), lookup)
    assert not contains_go_pointers(named("Grid"), lookup)
    assert contains_go_pointers(named("Named"), lookup)
    assert contains_go_pointers(named("Alias"), lookup)
    assert contains_go_pointers(named("Stamp"), lookup)  # time.Time holds a *Location
    assert contains_go_pointers(slice_of(named("string")), lookup)
    assert not contains_go_pointers(named("Empty"), lookup)  # no elements, no pointers
    assert not contains_go_pointers(named("CPair"), lookup)  # C pointers are not Go pointers


def test_cycles_end() -> None:
    lookup = _lookup()
    assert contains_go_pointers(named("Node"), lookup)
    assert contains_go_pointers(named("Ring"), lookup)
    cyclic = {"A": named("B"), "B": named("A")}.get
    assert not contains_go_pointers(named("A"), cyclic)
    assert not is_go_pointer_type(named("A"), cyclic)


def test_fields_through_pointers_and_embedding() -> None:
    lookup = _lookup()
    assert field_type(pointer_to(named("Named")), "Label", lookup) == named("string")
    assert field_type(named("Embeds"), "Label", lookup) == named("string")  # promoted
    assert field_type(named("Point"), "Z", lookup) is None


def test_integer_types_of_go_and_c() -> None:
    assert is_integer_type(named("uintptr"))
    assert is_integer_type(named("C.uintptr_t"))
    assert is_integer_type(named("C.size_t"))
    assert is_integer_type(named("C.ulong"))
    assert not is_integer_type(named("C.engine_t"))
    assert not is_integer_type(named("cgo.Handle"))


def test_describe_spells_types_for_messages() -> None:
    assert describe(slice_of(pointer_to(named("Item")))) == "[]*Item"


def test_types_of_expressions_resolve_across_files_of_the_package() -> None:
    other = "package p\n\ntype Options struct {\n\tName string\n\tLevel int32\n}\n"
    file = go_file(HEADER + "func f(o *Options) {\n\t_ = o.Name\n\t_ = &o.Level\n}\n", other)
    inference = Inference(file)
    assert inference.type_of(find(file, "selector_expression", "o.Name")) == named("string")
    level = find(file, "unary_expression", "&o.Level")
    assert inference.type_of(level) == pointer_to(named("int32"))


def test_embedding_cycles_through_pointers_end() -> None:
    lookup = {
        "A": TypeExpr(Kind.STRUCT, fields=(Field("B", pointer_to(named("B")), True),)),
        "B": TypeExpr(Kind.STRUCT, fields=(Field("A", pointer_to(named("A")), True),)),
    }.get
    assert field_type(named("A"), "missing", lookup) is None
    assert field_type(pointer_to(named("A")), "A", lookup) == pointer_to(named("A"))


MIRRORS = (
    HEADER
    + """type Format struct{ bits int32 }
type Buffer struct{ data *byte }
type Plain struct{ n int }
type Wrapped struct{ inner Plain }

func alloc() *Format { return (*Format)(unsafe.Pointer(C.malloc(8))) }
func view(p unsafe.Pointer) *Buffer { return ((*Buffer))(p) }
func own() *Plain { return (*Plain)(unsafe.Pointer(&Plain{})) }
func deep() **Format { return (**Format)(unsafe.Pointer(C.malloc(8))) }
func other(p *Format) *C.int { return (*C.int)(unsafe.Pointer(p)) }
func values(n int) []Buffer { var w Wrapped; _ = w; _ = new(Format); return make([]Buffer, n) }
"""
)


def test_mirror_facts_record_pointer_conversions_and_type_names_used_as_values() -> None:
    facts = facts_of(MIRRORS)
    # `(*Format)(C memory)`: from C. `(**Format)` converts to a pointer to a pointer,
    # `(*C.int)` to another package's type, `(*Buffer)(p)` from unknown memory.
    assert facts.c_pointer_types == ("Format",)
    # From Go memory (`(*Plain)(&Plain{})`) or named as values: fields, `var w Wrapped`,
    # `new(Format)`, `[]Buffer`; never as `*T`, `C.T` or the name of `type T`.
    assert facts.go_pointer_types == ("Buffer", "Format", "Plain", "Wrapped", "int", "int32")
