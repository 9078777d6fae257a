"""The ctypes side of the one type-equivalence table (typesys.ctypes)."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.python.facts import (
    CtypesKind,
    CtypesStructure,
    CtypesType,
)
from interop_lint.analyzer.rust.facts import RustField, RustStruct
from interop_lint.analyzer.typesys.ctypes import (
    CtypesTypes,
    compare_binding,
    suggested,
    truncated_as_int,
)
from interop_lint.analyzer.typesys.model import Unknown, Verdict
from interop_lint.analyzer.typesys.rust import RustTypes

_HERE = Location("x", 1, 1, 1, 1)
_POINT = CtypesStructure("CPoint", _HERE, (), None)


def simple(name: str) -> CtypesType:
    return CtypesType(CtypesKind.SIMPLE, name)


def pointer(of: CtypesType) -> CtypesType:
    return CtypesType(CtypesKind.POINTER, of=of)


def array(of: CtypesType, length: int) -> CtypesType:
    return CtypesType(CtypesKind.ARRAY, of=of, length=length)


STRUCT = CtypesType(CtypesKind.STRUCTURE, "CPoint")
VOID = CtypesType(CtypesKind.VOID)


def _rust() -> RustTypes:
    structs = {
        "Point": RustStruct("Point", _HERE, ("C",), (RustField("x", "f64", _HERE),), True),
        "Engine": RustStruct("Engine", _HERE, (), (), True),
        "Pair": RustStruct(
            "Pair", _HERE, ("C",), (RustField("first", "T", _HERE),), True, generics=("T",)
        ),
    }
    aliases = {"Handle": "*mut Engine"}
    return RustTypes(lambda name: aliases.get(name, name), structs.get)


def _ctypes() -> CtypesTypes:
    named = {"CPoint": _POINT, "Imported": simple("c_int")}
    return CtypesTypes(named.get)


def _verdict(python: CtypesType, rust: str) -> Verdict:
    return compare_binding(_ctypes().model(python), _rust().model(rust))


@pytest.mark.parametrize(
    ("python", "rust", "expected"),
    [
        (simple("c_int"), "i32", Verdict.EQUAL),
        (simple("c_int"), "c_int", Verdict.EQUAL),
        (simple("c_int"), "i64", Verdict.DIFFERENT),
        (simple("c_int64"), "i64", Verdict.EQUAL),
        (simple("c_longlong"), "i64", Verdict.EQUAL),
        (simple("c_long"), "i64", Verdict.EQUAL),  # LP64
        (simple("c_uint32"), "u32", Verdict.EQUAL),
        (simple("c_uint"), "u64", Verdict.DIFFERENT),
        (simple("c_int32"), "u32", Verdict.DIFFERENT),
        (simple("c_size_t"), "usize", Verdict.EQUAL),
        (simple("c_ssize_t"), "isize", Verdict.EQUAL),
        (simple("c_size_t"), "u64", Verdict.UNKNOWN),  # equal on LP64 only
        (simple("c_bool"), "bool", Verdict.EQUAL),
        (simple("c_double"), "f64", Verdict.EQUAL),
        (simple("c_float"), "f64", Verdict.DIFFERENT),
        (simple("c_char"), "c_char", Verdict.EQUAL),
        (simple("c_ubyte"), "u8", Verdict.EQUAL),
        (simple("c_char_p"), "*const c_char", Verdict.EQUAL),
        (simple("c_char_p"), "*mut c_char", Verdict.EQUAL),
        (simple("c_char_p"), "*const u8", Verdict.UNKNOWN),  # plain char's signedness
        (simple("c_char_p"), "*mut Engine", Verdict.DIFFERENT),
        (simple("c_char_p"), "i32", Verdict.DIFFERENT),
        (simple("c_void_p"), "*mut Engine", Verdict.EQUAL),
        (simple("c_void_p"), "Handle", Verdict.EQUAL),
        (simple("c_void_p"), "*const c_char", Verdict.EQUAL),
        (simple("c_void_p"), "Option<&mut Engine>", Verdict.EQUAL),
        (simple("c_void_p"), 'Option<extern "C" fn(i32)>', Verdict.EQUAL),
        (simple("c_void_p"), "usize", Verdict.UNKNOWN),  # a handle passed as an address
        (simple("c_size_t"), "*mut Engine", Verdict.UNKNOWN),
        (simple("c_uint64"), "*mut Engine", Verdict.UNKNOWN),
        (simple("c_int"), "*mut Engine", Verdict.DIFFERENT),
        (simple("c_uint32"), "*const u8", Verdict.DIFFERENT),
        (simple("c_void_p"), "i32", Verdict.DIFFERENT),
        (pointer(simple("c_int")), "*const i32", Verdict.EQUAL),  # no const in ctypes
        (pointer(simple("c_int")), "*mut i64", Verdict.DIFFERENT),
        (pointer(STRUCT), "*const Point", Verdict.EQUAL),  # its own name: fields decide
        (pointer(STRUCT), "*mut Engine", Verdict.EQUAL),
        (STRUCT, "*const Point", Verdict.DIFFERENT),  # by value for a pointer
        (STRUCT, "Point", Verdict.EQUAL),
        (array(simple("c_double"), 4), "[f64; 4]", Verdict.EQUAL),
        (array(simple("c_double"), 3), "[f64; 4]", Verdict.DIFFERENT),
        (
            CtypesType(CtypesKind.FUNCTION, of=VOID, params=(simple("c_int"),)),
            'Option<extern "C" fn(i32)>',
            Verdict.EQUAL,
        ),
        (
            CtypesType(CtypesKind.FUNCTION, of=VOID, params=(simple("c_int64"),)),
            'Option<extern "C" fn(i32)>',
            Verdict.DIFFERENT,
        ),
        (VOID, "()", Verdict.EQUAL),
        (VOID, "*mut Engine", Verdict.DIFFERENT),
        (CtypesType(CtypesKind.NAMED, "Imported"), "i32", Verdict.EQUAL),
        (CtypesType(CtypesKind.NAMED, "Elsewhere"), "i32", Verdict.UNKNOWN),
        (simple("c_wchar_p"), "*const u32", Verdict.UNKNOWN),
        (CtypesType(CtypesKind.UNKNOWN), "i32", Verdict.UNKNOWN),
        (simple("c_int"), "String", Verdict.UNKNOWN),
    ],
)
def test_ctypes_equivalence_table(python: CtypesType, rust: str, expected: Verdict) -> None:
    assert _verdict(python, rust) is expected


def test_named_types_that_lead_nowhere_are_unknown_not_a_crash() -> None:
    looping = CtypesTypes(lambda name: CtypesType(CtypesKind.NAMED, name))
    assert isinstance(looping.model(CtypesType(CtypesKind.NAMED, "A")), Unknown)


@pytest.mark.parametrize(
    ("rust", "truncated", "suggestion"),
    [
        ("*mut Engine", True, "c_void_p"),
        ("*const c_char", True, "c_char_p"),
        ("u64", True, "c_uint64"),
        ("i64", True, "c_int64"),
        ("usize", True, "c_size_t"),
        ("isize", True, "c_ssize_t"),
        ("f64", True, "c_double"),
        ("Point", True, "Point"),
        ("Pair<*mut Engine>", True, None),  # no Python class name to give an instance
        ("i32", False, "c_int32"),
        ("u32", False, "c_uint32"),
        ("bool", False, "c_bool"),
        ("()", False, "None"),
        ("String", False, None),
    ],
)
def test_what_the_default_int_restype_loses(
    rust: str, truncated: bool, suggestion: str | None
) -> None:
    model = _rust().model(rust)
    assert truncated_as_int(model) is truncated
    assert suggested(model) == suggestion


def test_owned_memory_is_suggested_as_a_void_pointer() -> None:
    assert suggested(_rust().model("*mut c_char"), owned=True) == "c_void_p"
