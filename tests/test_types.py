"""The type-equivalence table of rules.md, C against Rust, through the neutral model."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.clang.index import CScope
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.facts import RustEnum, RustField, RustStruct
from interop_lint.analyzer.source import SourceFile
from interop_lint.analyzer.typesys.c import CTypes
from interop_lint.analyzer.typesys.model import (
    POINTER_WIDTH,
    Function,
    Int,
    Pointer,
    Unknown,
    Verdict,
    Void,
    compare,
    two_words_for_one,
)
from interop_lint.analyzer.typesys.rust import RustTypes

EQUAL, CONST, DIFFERENT, UNKNOWN = (
    Verdict.EQUAL,
    Verdict.CONSTNESS,
    Verdict.DIFFERENT,
    Verdict.UNKNOWN,
)

# Typedefs visible to the C side of every case below.
PRELUDE = """
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef struct Engine Engine;
typedef struct engine_s engine_t;
typedef struct Config { int x; } Config;
typedef struct Point { int x; } Point;
typedef int32_t status_t;
typedef const char *cstr_t;
typedef void (*log_fn)(void *user, int32_t level);
typedef enum Color { Red } Color;
#define WIDE_VALUE 1
typedef enum { Near = 0x7fffffff, Far } Wide;
typedef enum { Any = WIDE_VALUE } Opaque;
typedef enum __attribute__((packed)) { Tiny } Packed;
typedef uint32_t Mode;
"""

_NOWHERE = Location("src/lib.rs", 1, 1, 1, 1)
RUST_TYPES = {
    "Engine": RustStruct("Engine", _NOWHERE, (), (), True),
    "Config": RustStruct("Config", _NOWHERE, ("C",), (), True),
    "Point": RustStruct("Point", _NOWHERE, ("C",), (), True),
    "Color": RustEnum("Color", _NOWHERE, ("C",), False, True),
    "Mode": RustEnum("Mode", _NOWHERE, ("u32",), False, True),
    "Meters": RustStruct(
        "Meters", _NOWHERE, ("transparent",), (RustField("0", "f64", _NOWHERE),), True
    ),
    "Marker": RustStruct("Marker", _NOWHERE, (), (), True),
    "BorrowedFd": RustStruct(
        "BorrowedFd",
        _NOWHERE,
        ("transparent",),
        (
            RustField("inner", "c_int", _NOWHERE),
            RustField("_phantom", "std::marker::PhantomData<&()>", _NOWHERE),
            RustField("_pin", "PhantomPinned", _NOWHERE),
            RustField("_unit", "()", _NOWHERE),
            RustField("_empty", "[u8; 0]", _NOWHERE),
            RustField("_marker", "Marker", _NOWHERE),
        ),
        True,
    ),
    "Counter": RustStruct(
        "Counter",
        _NOWHERE,
        ("transparent",),
        (RustField("value", "T", _NOWHERE), RustField("_kind", "PhantomData<T>", _NOWHERE)),
        True,
        ("T",),
    ),
    "TwoSized": RustStruct(  # not a valid transparent struct: never unwrapped
        "TwoSized",
        _NOWHERE,
        ("transparent",),
        (RustField("a", "i32", _NOWHERE), RustField("b", "i32", _NOWHERE)),
        True,
    ),
}
RUST_ALIASES = {
    "Status": "i32",
    "Handle": "*mut Engine",
    "LogCallback": 'Option<unsafe extern "C" fn(*mut c_void, i32)>',
    "cchar": "c_char",
    "Loop": "Loop",
}


def _c(typedef: str):  # type: ignore[no-untyped-def]
    """The model of a C type, written as a typedef of `x`: `typedef const char *x`."""
    source = f"{PRELUDE}\n{typedef};\n".encode()
    facts = extract_facts(SourceFile("t.h", FileKind.C_HEADER, source))
    assert facts.c is not None
    declared = next(t for t in facts.c.typedefs if t.name == "x")
    return CTypes(CScope([facts.c]), _rust().knows).model(declared.type)


def _rust() -> RustTypes:
    return RustTypes(lambda n: RUST_ALIASES.get(n, n), RUST_TYPES.get)


def _verdict(c_declaration: str, rust: str) -> Verdict:
    return compare(_c(c_declaration), _rust().model(rust))


# (C typedef of `x`, Rust type, verdict)
TABLE = [
    # Integers: width and signedness, the `c_*` aliases, LP64.
    ("typedef int x", "i32", EQUAL),
    ("typedef int32_t x", "c_int", EQUAL),
    ("typedef signed x", "std::os::raw::c_int", EQUAL),
    ("typedef unsigned int x", "c_uint", EQUAL),
    ("typedef unsigned x", "u32", EQUAL),
    ("typedef uint8_t x", "u8", EQUAL),
    ("typedef unsigned char x", "core::ffi::c_uchar", EQUAL),
    ("typedef long x", "c_long", EQUAL),
    ("typedef long x", "i64", EQUAL),
    ("typedef long unsigned int x", "libc::c_ulong", EQUAL),
    ("typedef long long x", "i64", EQUAL),
    ("typedef short x", "i16", EQUAL),
    ("typedef int x", "u32", DIFFERENT),
    ("typedef int32_t x", "i64", DIFFERENT),
    ("typedef long x", "i32", DIFFERENT),
    # Pointer-sized integers.
    ("typedef size_t x", "usize", EQUAL),
    ("typedef uintptr_t x", "usize", EQUAL),
    ("typedef size_t x", "libc::size_t", EQUAL),
    ("typedef ssize_t x", "isize", EQUAL),
    ("typedef ptrdiff_t x", "isize", EQUAL),
    ("typedef intptr_t x", "isize", EQUAL),
    ("typedef size_t x", "u64", UNKNOWN),  # equal on LP64 only
    ("typedef size_t x", "u32", DIFFERENT),
    ("typedef size_t x", "isize", DIFFERENT),
    # char: the platform's signedness.
    ("typedef char x", "c_char", EQUAL),
    ("typedef char x", "cchar", EQUAL),  # a `use .. as` rename
    ("typedef char x", "i8", UNKNOWN),
    ("typedef signed char x", "i8", EQUAL),
    # Floats, bool, void.
    ("typedef float x", "f32", EQUAL),
    ("typedef double x", "f64", EQUAL),
    ("typedef float x", "f64", DIFFERENT),
    ("typedef bool x", "bool", EQUAL),
    ("typedef _Bool x", "bool", EQUAL),
    ("typedef uint8_t x", "bool", Verdict.VALUES),  # same ABI; a byte may hold 2..255
    ("typedef unsigned char x", "bool", Verdict.VALUES),
    ("typedef const unsigned char *x", "*const bool", Verdict.VALUES),
    ("typedef uint16_t x", "bool", DIFFERENT),
    ("typedef int x", "bool", DIFFERENT),
    ("typedef void (*x)(void)", 'extern "C" fn()', EQUAL),
    # Pointers by pointee, with constness.
    ("typedef const char *x", "*const c_char", EQUAL),
    ("typedef const char *x", "*const std::ffi::c_char", EQUAL),
    ("typedef char *x", "*mut c_char", EQUAL),
    ("typedef char *x", "*const c_char", CONST),
    ("typedef const char *x", "*mut c_char", CONST),
    ("typedef cstr_t x", "*const c_char", EQUAL),
    ("typedef const char **x", "*mut *const c_char", EQUAL),
    ("typedef char **x", "*mut *const c_char", CONST),
    ("typedef int32_t *x", "*mut u32", DIFFERENT),
    ("typedef int *x", "i32", DIFFERENT),
    ("typedef size_t x", "*mut u8", DIFFERENT),
    # References, NonNull, Box and Option of those are pointers.
    ("typedef const Config *x", "&Config", EQUAL),
    ("typedef Config *x", "&mut Config", EQUAL),
    ("typedef const Config *x", "Option<&Config>", EQUAL),
    ("typedef Engine *x", "NonNull<Engine>", EQUAL),
    ("typedef Engine *x", "Option<NonNull<Engine>>", EQUAL),
    ("typedef Engine *x", "Box<Engine>", EQUAL),
    ("typedef Engine *x", "Option<Box<Engine>>", EQUAL),
    ("typedef Engine *x", "Option<*mut Engine>", UNKNOWN),  # no niche: two words
    ("typedef const char *x", "&str", UNKNOWN),
    # A pointer to an array is a pointer to its first element (C array parameters).
    ("typedef const uint8_t *x", "*const [u8; 32]", EQUAL),
    ("typedef uint8_t (*x)[32]", "*mut [u8; 32]", EQUAL),
    ("typedef const int32_t *x", "*const [u8; 4]", DIFFERENT),
    ("typedef const uint8_t *x", "&[u8]", UNKNOWN),
    # Structs and opaque handles by name, typedefs and aliases resolved.
    ("typedef Engine *x", "*mut Engine", EQUAL),
    ("typedef struct Engine *x", "*mut Engine", EQUAL),
    ("typedef Engine *x", "Handle", EQUAL),
    ("typedef engine_t *x", "*mut Engine", UNKNOWN),  # C's own name for it
    # .. whose constness still counts: one side writes what the other only reads.
    ("typedef const engine_t *x", "*mut Engine", CONST),
    ("typedef engine_t *x", "*const Engine", CONST),
    ("typedef const engine_t *x", "*mut u8", UNKNOWN),  # not two struct names
    ("typedef Config *x", "*mut Engine", DIFFERENT),  # both are crate types
    ("typedef Point x", "Point", EQUAL),
    ("typedef struct Point x", "Point", EQUAL),
    ("typedef Point x", "Config", DIFFERENT),
    ("typedef Point x", "i32", DIFFERENT),
    ("typedef void *x", "*mut c_void", EQUAL),
    ("typedef void *x", "*mut Engine", EQUAL),  # a handle whose type C hides
    ("typedef const void *x", "*mut c_void", CONST),
    ("typedef status_t x", "Status", EQUAL),
    ("typedef status_t x", "u32", DIFFERENT),
    ("typedef double x", "Meters", EQUAL),  # repr(transparent)
    # repr(transparent): the one field that is not zero-sized; lifetimes erased.
    ("typedef int x", "BorrowedFd", EQUAL),
    ("typedef int x", "BorrowedFd<>", EQUAL),
    ("typedef int64_t x", "BorrowedFd<>", DIFFERENT),
    ("typedef const int *x", "*const BorrowedFd", EQUAL),
    ("typedef uint64_t x", "Counter<u64>", EQUAL),
    ("typedef uint64_t x", "Counter<, u64>", EQUAL),
    ("typedef uint32_t x", "Counter<u64>", DIFFERENT),
    ("typedef int32_t x", "TwoSized", DIFFERENT),  # a struct, not an integer
    # `<stdint.h>` least and fast widths, `<uchar.h>` code units.
    ("typedef char16_t x", "u16", EQUAL),
    ("typedef const char16_t *x", "*const u8", DIFFERENT),
    ("typedef char32_t x", "u64", DIFFERENT),
    ("typedef uint_least8_t x", "u8", EQUAL),
    ("typedef int_least32_t x", "i64", DIFFERENT),
    ("typedef uint_fast64_t x", "u64", EQUAL),
    ("typedef uint_fast16_t x", "u16", UNKNOWN),  # a `long` on glibc, 16 bits on macOS
    ("typedef uintmax_t x", "u64", EQUAL),
    # Enums.
    ("typedef Color x", "Color", EQUAL),
    ("typedef enum Color x", "Color", EQUAL),
    ("typedef uint32_t x", "Color", EQUAL),  # a repr(C) field-less enum is int-sized
    ("typedef int x", "Color", EQUAL),
    ("typedef uint8_t x", "Color", DIFFERENT),
    ("typedef int64_t x", "Color", DIFFERENT),
    ("typedef Color x", "u32", EQUAL),  # values within 32 bits: the compiler's `int`
    ("typedef Color x", "u8", DIFFERENT),
    ("typedef Color x", "usize", DIFFERENT),
    ("typedef Wide x", "u32", EQUAL),  # 0x80000000 fits `unsigned int`
    ("typedef Opaque x", "u32", UNKNOWN),  # a value from a macro: the compiler's choice
    ("typedef Opaque x", "u8", UNKNOWN),
    ("typedef Packed x", "u8", UNKNOWN),  # packed: the smallest type that fits
    ("typedef uint8_t x", "Mode", DIFFERENT),  # repr(u32)
    ("typedef Mode x", "Mode", EQUAL),  # repr(u32) against `typedef uint32_t Mode`
    # Function pointers, by signature.
    ("typedef log_fn x", "LogCallback", EQUAL),
    ("typedef void (*x)(void *, int32_t)", 'Option<extern "C" fn(*mut c_void, i32)>', EQUAL),
    ("typedef void (*x)(void *, int32_t)", 'extern "C" fn(user: *mut c_void, level: c_int)', EQUAL),
    ("typedef void (*x)(int32_t)", 'Option<extern "C" fn(*mut c_void, i32)>', DIFFERENT),
    ("typedef int (*x)(void)", 'extern "C" fn() -> i64', DIFFERENT),
    ("typedef void (*x)(int32_t)", "fn(i32)", UNKNOWN),  # the Rust ABI
    # Arrays, by element and length.
    ("typedef uint8_t x[16]", "[u8; 16]", EQUAL),
    ("typedef uint8_t x[16]", "[u8; 32]", DIFFERENT),
    ("typedef uint8_t x[N]", "[u8; 16]", UNKNOWN),
    ("typedef uint8_t *x", "[u8; 16]", DIFFERENT),
    # What the model does not cover stays unknown.
    ("typedef pid_t x", "i32", UNKNOWN),
    ("typedef int x", "String", UNKNOWN),
    ("typedef int x", "Option<u32>", UNKNOWN),
    ("typedef int x", "(i32, i32)", UNKNOWN),
    ("typedef int x", "Loop", UNKNOWN),  # an alias cycle
    ("typedef int x", "Vec<u8>", UNKNOWN),
    # A standard owning type behind a pointer: never a C scalar, an opaque pointer may hold it.
    ("typedef uint32_t *x", "*mut Vec<u32>", DIFFERENT),
    ("typedef char *x", "*mut CString", DIFFERENT),
    ("typedef const uint8_t *x", "&Vec<u8>", DIFFERENT),
    ("typedef void *x", "*mut Vec<u32>", EQUAL),
    ("typedef struct RustString *x", "*mut String", UNKNOWN),
    ("typedef uint32_t *x", "Box<Vec<u32>>", DIFFERENT),
]


@pytest.mark.parametrize(("c", "rust", "expected"), TABLE, ids=[f"{c}|{r}" for c, r, _ in TABLE])
def test_type_equivalence_table(c: str, rust: str, expected: Verdict) -> None:
    assert _verdict(c, rust) is expected


# (C typedef of `x`, Rust type of a struct field, whether the field's width differs)
FIELD_WIDTHS = [
    ("typedef void *x", "Box<dyn Provider>", True),
    ("typedef void *x", "Box<dyn Fn(i32) -> u8 + Send>", True),
    ("typedef const char *x", "&str", True),
    ("typedef const char *x", "*const CStr", True),
    ("typedef const uint8_t *x", "&[u8]", True),
    ("typedef const uint8_t *x", "Option<&[u8]>", True),
    ("typedef const uint8_t *x", "*const [u8]", True),
    ("typedef uintptr_t x", "Box<[u8]>", True),
    ("typedef void *x", "Box<Engine>", False),  # thin
    ("typedef void *x", "*mut Box<dyn Provider>", False),  # a pointer to the fat one
    ("typedef Point x", "&[u8]", False),  # maybe C's spelling of the pair
    ("typedef void *x", "String", False),  # unknown
]


@pytest.mark.parametrize(
    ("c", "rust", "differs"), FIELD_WIDTHS, ids=[f"{c}|{r}" for c, r, _ in FIELD_WIDTHS]
)
def test_a_fat_pointer_field_is_two_words_where_c_has_one(c: str, rust: str, differs: bool) -> None:
    c_model, rust_model = _c(c), _rust().model(rust)
    assert two_words_for_one(c_model, rust_model) is differs
    # In a signature RS104 reports it; the comparison itself stays unknown.
    assert differs is False or compare(c_model, rust_model) is UNKNOWN


def test_unit_type_and_never_are_void() -> None:
    assert _rust().model("()") == Void()
    assert _rust().model("!") == Void()


def test_function_pointers_are_pointers_to_functions() -> None:
    model = _rust().model('Option<unsafe extern "C-unwind" fn(u8, ...) -> *const c_char>')
    assert model == Pointer(
        Function((Int(8, False),), Pointer(Int(8, None), True), variadic=True), const=False
    )


def test_deeply_nested_types_are_unknown_not_a_crash() -> None:
    spelling = "*mut " * 5000 + "u8"
    assert isinstance(_rust().model(spelling), Unknown)
    generic = "Option<" * 3000 + "u8" + ">" * 3000
    assert isinstance(_rust().model(generic), Unknown)


def test_pointer_width_integers_are_their_own_width() -> None:
    assert _rust().model("usize") == Int(POINTER_WIDTH, False)
