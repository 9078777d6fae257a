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
class RustFileFacts:
    exports: tuple[RustExport, ...] = ()
