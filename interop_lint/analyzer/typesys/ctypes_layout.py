"""Explicit padding in a ctypes `Structure`, told apart from a field Rust lacks.

Hand-written bindings often spell out the bytes C inserts for alignment:
`("_padding", c_uint32)` between three `c_uint32` and a pointer. The
structure then has one field more than the `#[repr(C)]` struct and exactly
its layout. A field counts as such padding when its name says so (`_pad`,
`padding2`, `_reserved`, `unused`, `_tail_pad`), its type is an integer or an
array of them, and, where every field's size is known (LP64), taking the
padding out moves no other field and leaves the size as it was: each one
still lies where C puts it without it, and padding at the end only fills
what alignment rounds the structure up to.
"""

from __future__ import annotations

import re

from interop_lint.analyzer.python.facts import CtypesField, CtypesKind, CtypesType
from interop_lint.analyzer.typesys.ctypes import SIMPLE
from interop_lint.analyzer.typesys.model import POINTER_WIDTH, Bool, Float, Int, Pointer

# `_pad`, `padding2`, `_reserved`, and with a word before it: `_tail_pad`.
_PADDING_NAME = re.compile(
    r"_*(?:[a-z0-9]+_)?(?:pad|padding|reserved|unused|spare)_?\d*", re.IGNORECASE
)
_POINTER_BYTES = 8  # LP64


def explicit_padding_removed(fields: tuple[CtypesField, ...]) -> tuple[CtypesField, ...]:
    """The fields without those that only spell out alignment padding (see the module
    docstring); the fields unchanged when taking them out would move another field."""
    kept = tuple(f for f in fields if not _is_padding(f))
    if len(kept) == len(fields):
        return fields
    written, natural = _offsets(fields), _offsets(kept)
    if written is None or natural is None:
        return kept  # a size unknown: the names and types decide
    placed = [offset for field, offset in zip(fields, written, strict=True) if field in kept]
    # Padding at the end (`_tail_pad`) must only fill what alignment rounds up to.
    same_size = _size(fields, written) == _size(kept, natural)
    return kept if placed == natural and same_size else fields


def _size(fields: tuple[CtypesField, ...], offsets: list[int]) -> int | None:
    """`sizeof` of a structure of these fields at these offsets."""
    if not fields:
        return 0
    measured = [_size_and_alignment(f.type) for f in fields]
    if any(m is None for m in measured):
        return None
    end = offsets[-1] + measured[-1][0]  # type: ignore[index]
    alignment = max(m[1] for m in measured)  # type: ignore[index]
    return end + -end % alignment


def _is_padding(field: CtypesField) -> bool:
    if field.bits is not None or not _PADDING_NAME.fullmatch(field.name):
        return False
    element = field.type.of if field.type.kind is CtypesKind.ARRAY else field.type
    return (
        element is not None
        and element.kind is CtypesKind.SIMPLE
        and isinstance(SIMPLE.get(element.name), Int)
    )


def _offsets(fields: tuple[CtypesField, ...]) -> list[int] | None:
    """Where C places each field, or None when a size is unknown."""
    offsets, offset = [], 0
    for field in fields:
        measured = _size_and_alignment(field.type)
        if measured is None:
            return None
        size, alignment = measured
        offset += -offset % alignment
        offsets.append(offset)
        offset += size
    return offsets


def _size_and_alignment(ctype: CtypesType) -> tuple[int, int] | None:
    if ctype.kind in (CtypesKind.POINTER, CtypesKind.FUNCTION):
        return _POINTER_BYTES, _POINTER_BYTES
    if ctype.kind is CtypesKind.ARRAY:
        element = _size_and_alignment(ctype.of) if ctype.of is not None else None
        if element is None or ctype.length is None:
            return None
        return element[0] * ctype.length, element[1]
    if ctype.kind is not CtypesKind.SIMPLE:
        return None  # a nested structure: its layout is not computed here
    model = SIMPLE.get(ctype.name)
    if isinstance(model, Int):
        size = _POINTER_BYTES if model.bits == POINTER_WIDTH else model.bits // 8
    elif isinstance(model, Float):
        size = model.bits // 8
    elif isinstance(model, Bool):
        size = 1
    elif isinstance(model, Pointer):
        size = _POINTER_BYTES
    else:
        return None
    return size, size
