"""Whether the type a function declares it returns can be an ownership kind.

An export's returned allocation (`RustExport.returns_owned`, or one a helper
makes, `RustIndex.owned_return`) is found from the body. A body can hand out
more than it returns: a `CString::into_raw` fills a field of a box that a
crate macro makes (`ffi_try!{..}` around `Box::into_raw(Box::new(CResult {
result: s.into_raw(), .. }))`), and the macro's body is not read. The
declared return type settles it: the allocation is the result only when the
result can be one of that kind.

- `cstring`: a pointer to a byte (`*mut c_char`, `*const c_char`, `*mut u8`).
- `box:T`: a pointer to `T` (after the crate's aliases), or to an instance
  of `T` when `T` is generic (`box:CResult` for `*mut CResult<c_char>`).
- `vec:T`: a pointer to `T` (bytes are one: `vec:u8` for `*mut c_char`).
- A kind whose `T` is unknown (`box`, `vec`): any pointer.
- `*mut c_void` holds any kind: a handle whose type the signature hides.
- A `#[repr(C)]` struct returned by value holds a kind when one of its
  fields (a pointer) does: `Buffer { data, len }` for `vec:u8`.

Anything else (an integer, a type the model does not know) is no result of
that kind: when unsure, the allocation is not attributed to the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interop_lint.analyzer.typesys.model import Int, Named, Pointer, Type, Verdict, Void, compare
from interop_lint.analyzer.typesys.rust import RustTypes

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.index import Crate, RustIndex


def crate_returns_kind(rust: RustIndex, crate: Crate, returned: str, kind: str) -> bool:
    """`holds_kind` with the crate's types (its aliases, renames and structs)."""

    return holds_kind(_crate_types(rust, crate), returned, rust.canonical_kind(crate, kind))


def crate_holding_fields(
    rust: RustIndex, crate: Crate, returned: str, kind: str
) -> tuple[str, ...]:
    """`holding_fields` with the crate's types."""
    return holding_fields(_crate_types(rust, crate), returned, rust.canonical_kind(crate, kind))


def _crate_types(rust: RustIndex, crate: Crate) -> RustTypes:
    def lookup(name: str):  # type: ignore[no-untyped-def]
        found = rust.type_named(crate, name)
        return found[1] if found is not None else None

    return RustTypes(lambda name: rust.resolve_name(crate, name), lookup)


def holds_kind(types: RustTypes, returned: str, kind: str) -> bool:
    """Whether a value of the Rust type `returned` can be memory of `kind` (canonical:
    `RustIndex.canonical_kind`), or hold it in a field when it is a struct."""
    model = types.model(returned)
    if isinstance(model, Pointer):
        family, _, written = kind.partition(":")
        return _points_to(types, family, written, model)
    return bool(holding_fields(types, returned, kind))


def holding_fields(types: RustTypes, returned: str, kind: str) -> tuple[str, ...]:
    """The fields (pointers) of a struct type `returned` that can be memory of `kind`;
    none when it is no struct of the crate (a pointer included)."""
    family, _, written = kind.partition(":")
    model = types.model(returned)
    if not isinstance(model, Named) or model.enum:
        return ()
    found = types.struct_of(model)
    if found is None:
        return ()
    struct, fields = found
    return tuple(
        f.name
        for f in struct.fields
        if isinstance(field := fields.model(f.type), Pointer)
        and _points_to(fields, family, written, field)
    )


def _points_to(types: RustTypes, family: str, written: str, pointer: Pointer) -> bool:
    pointee = pointer.pointee
    if isinstance(pointee, Void):
        return True
    if family == "cstring":
        return _is_byte(pointee)
    if not written:
        return family in ("box", "vec")
    if isinstance(pointee, Named) and any(n.partition("<")[0] == written for n in pointee.names):
        return True
    expected = types.model(written)
    if family == "vec" and _is_byte(expected) and _is_byte(pointee):
        return True
    return compare(expected, pointee) in (Verdict.EQUAL, Verdict.CONSTNESS)


def _is_byte(t: Type) -> bool:
    return isinstance(t, Int) and t.bits == 8
