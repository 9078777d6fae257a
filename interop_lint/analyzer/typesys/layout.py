"""What a Rust `#[repr]` makes of a type at the C ABI.

- `#[repr(transparent)]` struct: the ABI of its one field that is not
  zero-sized. Zero-sized fields are `PhantomData<..>`, `PhantomPinned`, `()`,
  arrays of length 0, and structs of the crate all of whose fields are
  zero-sized (unit structs among them): `struct Fd<'a> { fd: c_int, _p:
  PhantomData<&'a ()> }` is a `c_int`. Without exactly one such field the
  struct is not unwrapped.
- The fields C sees of a `#[repr(C)]` struct: all but markers and `()`,
  which have no C spelling; cbindgen leaves them out (`struct Slice<'a> {
  data: *const u8, len: usize, _p: PhantomData<&'a [u8]> }` is two fields
  in C). Zero-length arrays stay: cbindgen writes them (`uint8_t _private[0]`).
- A field-less enum: `#[repr(u8)]` (or `#[repr(C, u8)]`) is that integer;
  `#[repr(C)]` alone is the C compiler's `enum`, which is `int`-sized on
  every target interop-lint assumes (LP64, no `-fshort-enums`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from interop_lint.analyzer.rust.facts import RustEnum, RustField, RustStruct

C_ENUM_BITS = 32  # a C `enum` (and a `#[repr(C)]` field-less enum) is an `int`
MAX_FIELDS = 256  # fields looked at to decide that a struct is zero-sized

_MARKERS = frozenset({"PhantomData", "PhantomPinned"})
_PATH = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*::)*(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:<.*>)?")
_EMPTY_ARRAY = re.compile(r"\[.*;\s*0+(?:usize)?\]")

Lookup = Callable[[str], "RustStruct | RustEnum | None"]


def zero_sized(spelling: str, lookup: Lookup) -> bool:
    """Whether a Rust type (normalized text) takes no space: a marker, `()`, `[T; 0]`,
    or a struct of the crate whose fields all are (a worklist over nested structs)."""
    pending, seen, looked_at = [spelling.strip()], set(), 0
    while pending:
        current = pending.pop()
        if current in ("()", "") or _EMPTY_ARRAY.fullmatch(current):
            continue
        match = _PATH.fullmatch(current)
        if match is None:
            return False
        name = match.group("name")
        if name in _MARKERS:
            continue
        item = lookup(name)
        if not isinstance(item, RustStruct) or item.generics or "<" in current:
            return False
        if name in seen:
            continue  # recursive through a marker at most; it has no size of its own
        seen.add(name)
        looked_at += len(item.fields)
        if looked_at > MAX_FIELDS:
            return False
        pending += [field.type for field in item.fields]
    return True


def transparent_field(struct: RustStruct, lookup: Lookup) -> str | None:
    """The type of the one field a `#[repr(transparent)]` struct is, or None."""
    if "transparent" not in struct.repr:
        return None
    sized = [f.type for f in struct.fields if not zero_sized(f.type, lookup)]
    return sized[0] if len(sized) == 1 else None


def fields_in_c(struct: RustStruct) -> tuple[RustField, ...]:
    """The fields of a `#[repr(C)]` struct that C declares: markers and `()` take no
    space and have no C spelling, so a header (cbindgen's or by hand) has none."""
    return tuple(f for f in struct.fields if not _no_c_field(f.type))


def _no_c_field(spelling: str) -> bool:
    spelling = spelling.strip()
    if spelling == "()":
        return True
    match = _PATH.fullmatch(spelling)
    return match is not None and match.group("name") in _MARKERS
