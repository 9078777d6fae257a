"""A language-neutral model of the types that cross the C ABI, and their comparison.

Widths assume LP64 (Linux and macOS on 64-bit targets), as rules.md says,
with one exception: pointer-sized integers (`usize`, `size_t`, `uintptr_t`,
`isize`, `ssize_t`, `ptrdiff_t`, `intptr_t`) are kept apart from 64-bit
ones. `usize` against `uint64_t` is equal on LP64 but not on a 32-bit
target, so that pair is *unknown*, never a finding.

Decisions the table in rules.md leaves open:

- Plain C `char` (Rust `c_char`) has the platform's signedness; against
  `int8_t`/`uint8_t` (`i8`/`u8`) it is *unknown*.
- `void *` (Rust `*mut c_void`) matches a pointer to anything but a
  function: the usual way to pass a handle whose type one side hides.
  Constness still counts.
- Named types (structs, unions, enums, opaque handles) are equal when they
  share a name, typedef names included. Different names are *different*
  only when both name types the Rust side knows (`Rect *` where Rust says
  `*mut Point` and the crate has both); a C name the Rust side does not have
  (`engine_t *` for `*mut Engine`) is the C side's own spelling: *unknown*.
- A C enum against an integer is *unknown* when its width is the C
  compiler's choice; one whose values all fit in 32 bits (`clang.enums`)
  is `int`-sized. A Rust field-less `#[repr(C)]` enum is `int`-sized
  (`typesys.layout`): against an integer it is compared by width, equal to
  any 32-bit integer and different from the others. One of a primitive
  repr (`#[repr(u64)]`) is that integer by value; behind a pointer it is
  also the named handle a header may declare opaque (`Handle *`).
- A Rust fat pointer (`&str`, `&[T]`, `Box<dyn Trait>`) is two words, which
  no C type is. `compare` calls it *unknown*: in a signature RS104 reports
  it on the Rust side. A struct field has no other rule, so a layout
  compares it with `two_words_for_one`.
- A pointer to an array is a pointer to its first element: C's `uint8_t
  txid[32]` parameter (a `uint8_t *`) against Rust's `*const [u8; 32]` is
  compared by the element.
- Rust `bool` against a byte (`uint8_t`, `unsigned char`, `char`) is
  `VALUES`: the same size and passing class on every supported ABI, but a
  byte may hold values other than 0 and 1, which Rust's `bool` must not.
"""

from __future__ import annotations

from enum import Enum

from msgspec import Struct

POINTER_WIDTH = 0  # `Int.bits` of pointer-sized integers
_LP64_POINTER_BITS = 64


class Int(Struct, frozen=True):
    bits: int  # 8, 16, 32, 64, 128, or POINTER_WIDTH
    signed: bool | None  # None: plain C `char`, signed or not by platform
    # A field-less enum's values all below the signed maximum: read the same as a
    # signed or an unsigned integer of its width (indy-vdr's `ErrorCode` as `c_int64`).
    either_sign: bool = False


class Float(Struct, frozen=True):
    bits: int


class Bool(Struct, frozen=True):
    pass


class Void(Struct, frozen=True):
    pass


class Pointer(Struct, frozen=True):
    pointee: Type
    const: bool  # the pointee is read-only (`const T *`, `*const T`, `&T`)


class Array(Struct, frozen=True):
    element: Type
    length: int | None  # None when not a literal (a macro, a constant)


class Function(Struct, frozen=True):
    """A function type; a function pointer is a `Pointer` to one."""

    params: tuple[Type, ...] | None  # None: not specified (C `f()`)
    returns: Type
    variadic: bool = False


class Named(Struct, frozen=True):
    """A struct, union, enum or opaque type, by every name it goes by."""

    names: frozenset[str]
    known: bool  # one of the names is a type of the Rust side (see the module doc)
    enum: bool = False
    bits: int | None = None  # an enum's width when it is known (a `#[repr(C)]` Rust enum)
    integer: Int | None = None  # a Rust field-less enum of a primitive repr (`#[repr(u64)]`)


class FatPointer(Struct, frozen=True):
    """A Rust pointer to an unsized type (`&str`, `&[u8]`, `Box<dyn Trait>`): an
    address and a length or vtable, two words where every C pointer is one."""

    pointee: str  # what it points to, for messages: "str", "slice", "trait object"


class Unknown(Struct, frozen=True):
    """A type the model does not cover (`String`, `&[u8]`, a macro): never a finding."""

    spelling: str


Type = Int | Float | Bool | Void | Pointer | Array | Function | Named | FatPointer | Unknown

# The C standard's typedefs (`<stdint.h>`, `<stddef.h>`, POSIX `ssize_t`),
# spelled the same in C and in Rust's `libc` crate.
STANDARD_TYPEDEFS: dict[str, Type] = {
    **{f"int{n}_t": Int(n, True) for n in (8, 16, 32, 64)},
    **{f"uint{n}_t": Int(n, False) for n in (8, 16, 32, 64)},
    # `<stdint.h>`'s least-width types are exactly that wide on every supported
    # target; of the fast ones only 8 and 64 bits are (glibc makes
    # `uint_fast16_t` a `long`, macOS a `uint16_t`). `<uchar.h>`'s code units.
    **{f"int_least{n}_t": Int(n, True) for n in (8, 16, 32, 64)},
    **{f"uint_least{n}_t": Int(n, False) for n in (8, 16, 32, 64)},
    **{f"int_fast{n}_t": Int(n, True) for n in (8, 64)},
    **{f"uint_fast{n}_t": Int(n, False) for n in (8, 64)},
    "intmax_t": Int(64, True),
    "uintmax_t": Int(64, False),
    "char16_t": Int(16, False),
    "char32_t": Int(32, False),
    "size_t": Int(POINTER_WIDTH, False),
    "uintptr_t": Int(POINTER_WIDTH, False),
    "ssize_t": Int(POINTER_WIDTH, True),
    "ptrdiff_t": Int(POINTER_WIDTH, True),
    "intptr_t": Int(POINTER_WIDTH, True),
}


class Verdict(Enum):
    EQUAL = "equal"
    CONSTNESS = "constness"  # equal but for the constness of a pointee
    VALUES = "values"  # equal at the ABI but for the values allowed: `bool` as a byte
    DIFFERENT = "different"
    UNKNOWN = "unknown"


_RANK = {
    Verdict.EQUAL: 0,
    Verdict.CONSTNESS: 1,
    Verdict.VALUES: 1,
    Verdict.UNKNOWN: 2,
    Verdict.DIFFERENT: 3,
}


def combine(verdicts: list[Verdict]) -> Verdict:
    """The verdict of a composite: any difference decides, then any unknown."""
    return max(verdicts, key=_RANK.__getitem__, default=Verdict.EQUAL)


def compare(a: Type, b: Type) -> Verdict:
    """Whether two model types are the same at the C ABI."""
    # Iterative over nested pointers and arrays (the common nesting); function
    # types recurse once per level of function pointer nesting.
    verdicts: list[Verdict] = []
    while True:
        if isinstance(a, (Unknown, FatPointer)) or isinstance(b, (Unknown, FatPointer)):
            return combine([*verdicts, Verdict.UNKNOWN])
        if isinstance(a, Pointer) and isinstance(b, Pointer):
            if a.const != b.const:
                verdicts.append(Verdict.CONSTNESS)
            if _void_pointer_pair(a.pointee, b.pointee):
                return combine(verdicts)
            a, b = _first_elements(a.pointee, b.pointee)
            continue
        if isinstance(a, Array) and isinstance(b, Array):
            if a.length is None or b.length is None:
                verdicts.append(Verdict.UNKNOWN)
            elif a.length != b.length:
                return Verdict.DIFFERENT
            a, b = a.element, b.element
            continue
        leaf = _compare_leaf(a, b)
        if leaf is Verdict.UNKNOWN and Verdict.CONSTNESS in verdicts and _renamed_pair(a, b):
            # `const lol_html_doctype_t *` against `*mut Doctype`: whether the header's
            # name is the crate's type or not, one side writes what the other says
            # it only reads.
            leaf = Verdict.EQUAL
        return combine([*verdicts, leaf])


def outer_constness(a: Type, b: Type) -> tuple[bool, bool] | None:
    """When two pointer types differ only in the constness of what the outermost
    pointers point to: that constness, `(a's, b's)`. None when they are equal,
    differ in anything else, or differ in constness at a deeper level
    (`const char **` against `*mut *mut c_char`), where no direction is harmless."""
    if not (isinstance(a, Pointer) and isinstance(b, Pointer)) or a.const == b.const:
        return None
    if _void_pointer_pair(a.pointee, b.pointee):
        return a.const, b.const
    if compare(a.pointee, b.pointee) is not Verdict.EQUAL and not _renamed_pair(
        a.pointee, b.pointee
    ):
        return None
    return a.const, b.const


def _first_elements(a: Type, b: Type) -> tuple[Type, Type]:
    """Two pointees, a pointer to an array against a pointer to its element compared
    by that element: C's `const uint8_t txid[32]` parameter is a `const uint8_t *`,
    the same address as Rust's `*const [u8; 32]`. Nested arrays are taken apart until
    both sides are as deep: `const bool *` and `bool (*)[10]` against Rust's
    `&[[bool; 10]; 40]` (the first row's first element, the first row)."""
    depth_a, depth_b = _array_depth(a), _array_depth(b)
    for _ in range(abs(depth_a - depth_b)):
        if depth_a > depth_b and isinstance(a, Array):
            a = a.element
        elif isinstance(b, Array):
            b = b.element
    return a, b


def _array_depth(t: Type) -> int:
    depth = 0
    while isinstance(t, Array):
        t, depth = t.element, depth + 1
    return depth


def _renamed_pair(a: Type, b: Type) -> bool:
    """Two struct or opaque types by names that do not match (the C side's own
    spelling of a Rust type: a prefix, a `_t` typedef)."""
    return (
        isinstance(a, Named)
        and isinstance(b, Named)
        and not (a.enum or b.enum)
        and not (a.names & b.names)
    )


def _void_pointer_pair(a: Type, b: Type) -> bool:
    """`void *` against a pointer to anything but a function."""
    if isinstance(a, Void):
        return not isinstance(b, (Function, Unknown))
    if isinstance(b, Void):
        return not isinstance(a, (Function, Unknown))
    return False


def two_words_for_one(c: Type, rust: Type) -> bool:
    """A Rust fat pointer where C has a scalar, a pointer or an array: every field
    after it is at another offset. Not against a C struct, which may be how C spells
    the pair (`struct { const uint8_t *ptr; size_t len; }`)."""
    return isinstance(rust, FatPointer) and isinstance(c, (Int, Float, Bool, Pointer, Array))


def _compare_leaf(a: Type, b: Type) -> Verdict:
    if isinstance(a, Named) or isinstance(b, Named):
        return _compare_named(a, b)
    if type(a) is not type(b):
        if _byte_for_bool(a, b) or _byte_for_bool(b, a):
            return Verdict.VALUES
        return Verdict.DIFFERENT
    if isinstance(a, Int) and isinstance(b, Int):
        return _compare_int(a, b)
    if isinstance(a, Float) and isinstance(b, Float):
        return Verdict.EQUAL if a.bits == b.bits else Verdict.DIFFERENT
    if isinstance(a, Function) and isinstance(b, Function):
        return _compare_function(a, b)
    return Verdict.EQUAL  # Bool, Void (pointer and array pairs never get here)


def _byte_for_bool(a: Type, b: Type) -> bool:
    """`bool` against a byte: same size and passing, fewer values on the Rust side."""
    return isinstance(a, Bool) and isinstance(b, Int) and b.bits == 8


def _compare_int(a: Int, b: Int) -> Verdict:
    same_sign = a.signed == b.signed or a.either_sign or b.either_sign
    if a.bits != b.bits:
        widths = {a.bits, b.bits}
        if widths == {POINTER_WIDTH, _LP64_POINTER_BITS} and same_sign:
            return Verdict.UNKNOWN  # equal on LP64 only
        return Verdict.DIFFERENT
    if a.either_sign or b.either_sign:
        return Verdict.EQUAL
    if a.signed is None or b.signed is None:
        return Verdict.EQUAL if a.signed == b.signed else Verdict.UNKNOWN
    return Verdict.EQUAL if a.signed == b.signed else Verdict.DIFFERENT


def _compare_named(a: Type, b: Type) -> Verdict:
    if isinstance(a, Named) and isinstance(b, Named):
        if a.names & b.names:
            if (a.integer is None) != (b.integer is None) and a.enum and b.enum:
                return _compare_enum_widths(a, b)
            return Verdict.EQUAL
        return Verdict.DIFFERENT if a.known and b.known else Verdict.UNKNOWN
    named, other = (a, b) if isinstance(a, Named) else (b, a)
    assert isinstance(named, Named)
    if named.integer is not None and isinstance(other, Int):
        return _compare_int(named.integer, other)
    if named.enum and named.bits is not None and isinstance(other, Int):
        return Verdict.EQUAL if other.bits == named.bits else Verdict.DIFFERENT
    if not named.known or (named.enum and isinstance(other, Int)):
        return Verdict.UNKNOWN
    return Verdict.DIFFERENT


def _compare_enum_widths(a: Named, b: Named) -> Verdict:
    """A C enum against a Rust enum of a primitive repr, by the same name (`Mode *`
    for `*mut Mode`): by width when the C one is known to be `int`-sized, else the
    C compiler's choice."""
    c_enum, rust_enum = (a, b) if b.integer is not None else (b, a)
    if c_enum.bits is None or rust_enum.integer is None:
        return Verdict.UNKNOWN
    return Verdict.EQUAL if rust_enum.integer.bits == c_enum.bits else Verdict.DIFFERENT


def _compare_function(a: Function, b: Function) -> Verdict:
    verdicts = [compare(a.returns, b.returns)]
    if a.variadic != b.variadic:
        return Verdict.DIFFERENT
    if a.params is None or b.params is None:
        verdicts.append(Verdict.UNKNOWN)
    elif len(a.params) != len(b.params):
        return Verdict.DIFFERENT
    else:
        verdicts += [compare(x, y) for x, y in zip(a.params, b.params, strict=True)]
    return combine(verdicts)
