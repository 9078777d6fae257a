"""Facts of a Rust file: its exported functions and what they promise."""

from __future__ import annotations

from dataclasses import dataclass

from interop_lint.analyzer.locations import Location


@dataclass(frozen=True, slots=True)
class RustParam:
    name: str  # the pattern as written (`p`, `_`, `mut n`)
    type: str  # normalized type text (rust.syntax.normalize_type)
    location: Location  # of the whole parameter


@dataclass(frozen=True, slots=True)
class RustExport:
    """An exported function (rules.md): C-family ABI and an exported symbol."""

    name: str  # the Rust name
    symbol: str  # the linker symbol C declares
    abi: str
    location: Location  # of the function's name
    is_unsafe: bool
    is_pub: bool
    params: tuple[RustParam, ...]
    return_type: str  # normalized; "()" when there is none
    return_location: Location | None  # None when there is no `-> T`
    uses_catch_unwind: bool  # `catch_unwind` appears in the body (macros included)


@dataclass(frozen=True, slots=True)
class RustField:
    name: str  # "0", "1", ... for tuple structs
    type: str  # normalized
    location: Location


@dataclass(frozen=True, slots=True)
class RustStruct:
    name: str
    location: Location  # of the name
    repr: tuple[str, ...]  # `#[repr(C, packed)]` -> ("C", "packed"); () without repr
    fields: tuple[RustField, ...]
    is_pub: bool


@dataclass(frozen=True, slots=True)
class RustEnum:
    name: str
    location: Location
    repr: tuple[str, ...]
    has_fields: bool  # some variant carries data (`B(u32)`, `C { x: i32 }`)
    is_pub: bool


@dataclass(frozen=True, slots=True)
class RustTypeAlias:
    """`type Handle = *mut Engine;`"""

    name: str
    target: str  # normalized
    location: Location


@dataclass(frozen=True, slots=True)
class RustUseRename:
    """`use std::os::raw::c_char as cchar;`: `cchar` means `c_char` in this file."""

    alias: str
    path: str  # the full path as written: `std::os::raw::c_char`

    @property
    def original(self) -> str:
        return self.path.rsplit("::", 1)[-1]


@dataclass(frozen=True, slots=True)
class RustFileFacts:
    exports: tuple[RustExport, ...] = ()
    structs: tuple[RustStruct, ...] = ()
    enums: tuple[RustEnum, ...] = ()
    aliases: tuple[RustTypeAlias, ...] = ()
    renames: tuple[RustUseRename, ...] = ()
