"""## What it does
Checks that every C declaration of a Rust export, in a header or a cgo
preamble, agrees with the Rust function: the same number of parameters,
equivalent parameter types, and an equivalent return type (`void` for a
function that returns nothing). Types are equivalent by the ABI, not by
spelling: `int`, `int32_t`, `i32` and `c_int` are one type, `size_t` is
`usize`, `const char *` is `*const c_char`, typedefs, type aliases and `use`
renames are resolved, and a `#[repr(transparent)]` struct is its one field
that is not zero-sized. So is the C struct that mirrors such a wrapper when
that field is all it holds (cbindgen writes a `bitflags!` type as `typedef
struct { uint32_t bits; } Flags;`): a struct of one scalar is passed and
returned as the scalar, so it equals a `uint32_t` and differs from a
`uint64_t` as the field does. An export declared in an `impl` block takes its
receiver first, as cbindgen writes it (`&self` is `const T *self`), and its
`Self` is the impl's type. A pointer to an array is a pointer to its first
element: a C array parameter `const uint8_t txid[32]` (which C reads as `const
uint8_t *`) is Rust's `*const [u8; 32]`. A field-less `#[repr(u8)]` enum is a
`uint8_t`, a field-less `#[repr(C)]` one is `int`-sized, so `typedef uint8_t
Mode` for it differs (`int8_t` for it is the same when its values are
non-negative literals below 128). A C `enum` is `int`-sized when all its values are known
and fit in 32 bits (none from a macro, no packing, no C23 `: type` base), so
`typedef enum { A, B } Mode;` for a `#[repr(u8)]` enum differs; behind a
pointer, a field-less enum of a primitive repr is also the opaque handle a
header may declare by its name (`typedef struct Handle Handle;` for weld's
`#[repr(u64)] enum Handle { _Opaque }`). Rust `bool` written as a byte
(`unsigned char`, `uint8_t`) has the same size and passing on every
supported ABI and is reported as a warning: only a value other than 0 or 1
breaks it. A pointer whose constness alone differs is reported as a
warning, and only in the direction that can break something:

- a parameter C declares `const char *` that Rust takes as `*mut c_char`:
  Rust may write to memory C callers consider read-only (a C `char *` for a
  Rust `*const c_char` is fine: C callers may pass anything, Rust only reads);
- a result C declares `char *` that Rust returns as `*const c_char`: C
  callers may write to memory Rust considers immutable (a C `const char *`
  for a Rust `*mut c_char` is fine: C callers only read, and so is a
  `gifski *` for a `*const GifskiHandle` when C only declares the struct:
  C cannot write through it).

A header's own name for an opaque type (`lol_html_doctype_t` for the crate's
`Doctype`) is not compared with the crate's, but its pointers' constness is.
A struct the header defines under another name than the crate's `#[repr(C)]`
struct (a rename the header missed: `struct Array` for `ExternalArray`) is
compared field by field, by value or through a pointer: the same layout is
no finding, another is (with the first fields that differ).

This holds for the outermost pointer only. A constness difference deeper
down (`const char **` against `*mut *mut c_char`) is always reported: through
a pointer to a pointer either side can store a pointer to read-only memory
where the other expects writable memory.

All differences of a declaration are reported in one finding, the three
most important named (a type that differs before a warning-level detail),
the number of the others after them. A type spelled through a typedef, an
alias, an enum or a wrapper is shown with what it resolves to: `Level`
(`int32_t`) here but `Level` (`u8`) in Rust.

Named types are compared by the names cbindgen gives the crate's types: the
`[export] prefix` and `[export.rename]` of a `cbindgen.toml` next to the
crate's Cargo.toml, else the nearest above it (a workspace's) (`struct
polar_Query *` is a Rust `*mut Query` under `prefix = "polar_"`), and its
mangled names of generic structs and of generic enums whose variants carry
data (`CResult_c_void` is `CResult<c_void>`, `FfiResult_____Object` is
`FfiResult<*mut Object>`). Two named types differ only when both are types of
the Rust side: declared by the crate, listed in the config's `include`, or,
under a prefix or renames, declared by the header in the crate's spelling (an
opaque `typedef struct polar_Polar polar_Polar;` for a type the crate
imports). A C name of its own (`engine_t *` for a `*mut Engine`), or a generic
struct's bare name, is never a difference.

## Why is this bad?
Neither compiler sees both sides. Go compiles against the C declaration,
Rust against its own signature, and the linker only matches names. A
parameter declared `int32_t` for a Rust `usize` passes half a length; a
`void` declaration of a function that returns a pointer leaks it; a
missing parameter leaves Rust reading whatever is in the register. The
result is memory corruption that no test of either side alone can find.

## Example
```c
// include/engine.h
int32_t engine_fill(engine_t *engine, const uint8_t *data, int32_t len);
```
```rust
#[no_mangle]
pub unsafe extern "C" fn engine_fill(engine: *mut Engine, data: *const u8, len: usize) -> i32 {
    // ...
}
```

## Use instead
```c
int32_t engine_fill(engine_t *engine, const uint8_t *data, size_t len);
```
or generate the header from the crate with cbindgen.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.contract import (
    Difference,
    contract_types,
    detail_note,
    shown,
    signature_differences,
)
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.typesys.model import Verdict
from interop_lint.rules.registry import Rule


class AbiSignatureMismatch(Rule):
    id = "XL101"
    name = "abi-signature-mismatch"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.C_HEADER, FileKind.GO})
    cwe = (628, 686)
    precision = "high"
    security_severity = 8.1

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        path, index = ctx.file.path, ctx.index
        unit = index.c.contract_unit(path)
        if unit is None:
            return
        for function in unit.functions:
            if function.is_definition or function.is_static:
                continue
            bound = index.c.links.export_for(path, function.name)
            if bound is None:
                continue
            rust_path, export = bound
            types = contract_types(index, path, index.rust.crate_of(rust_path))
            differences = signature_differences(function, types.c, export, types.rust)
            if not differences:
                continue
            ordered = _ordered(differences)
            where = f"{rust_path}:{export.location.line}"
            yield Violation(
                function.location,
                _message(function.name, ordered, where),
                related=(RelatedLocation(export.location, f"the Rust export `{export.name}`"),),
                level=None if ordered[0].verdict is Verdict.DIFFERENT else Level.WARNING,
            )


_NAMED = 3  # differences a message names; the others are counted


def _ordered(differences: list[Difference]) -> list[Difference]:
    """Types that differ before constness details; each group in declaration order
    (the parameter count or variadic-ness, the parameters, the return type)."""
    rank = {"count": 0, "variadic": 0, "parameter": 1, "return": 2}
    return sorted(
        differences,
        key=lambda d: (d.verdict is not Verdict.DIFFERENT, rank[d.part], d.position),
    )


def _message(name: str, differences: list[Difference], where: str) -> str:
    parts = [_describe(name, differences[0], where)]
    parts += [_describe_more(d) for d in differences[1:_NAMED]]
    if len(differences) > _NAMED:
        parts.append(f"and {len(differences) - _NAMED} more")
    return "; ".join(parts)


def _describe(name: str, d: Difference, where: str) -> str:
    """The first difference, with the function's name and where the Rust side is."""
    if d.part == "count":
        return f"`{name}` takes {d.c_spelling} parameter(s) here but {d.rust_spelling} in {where}"
    if d.part == "variadic":
        return f"`{name}` is variadic here but the Rust export in {where} is not"
    if d.part == "return":
        said = f"`{name}` returns {_c_type(d)} here but {_rust_result(d)} in {where}"
    else:
        said = (
            f"parameter {d.position} (`{d.name}`) of `{name}` is {_c_type(d)} here "
            f"but {_rust_type(d)} in {where}"
        )
    return said + _callback(d) + detail_note(d.verdict)


def _describe_more(d: Difference) -> str:
    """A further difference, after the first."""
    if d.part == "count":
        return f"it takes {d.c_spelling} parameter(s) here but {d.rust_spelling}"
    if d.part == "variadic":
        return "it is variadic here but the Rust export is not"
    if d.part == "return":
        said = f"the return type is {_c_type(d)} here but {_rust_result(d)}"
    else:
        said = f"parameter {d.position} (`{d.name}`) is {_c_type(d)} here but {_rust_type(d)}"
    return said + _callback(d) + detail_note(d.verdict)


def _rust_result(d: Difference) -> str:
    return "nothing" if d.rust_spelling in ("()", "!") else _rust_type(d)


def _c_type(d: Difference) -> str:
    return shown(d.c_spelling, d.c_resolved)


def _callback(d: Difference) -> str:
    return f" ({d.detail})" if d.detail else ""


def _rust_type(d: Difference) -> str:
    return shown(d.rust_spelling, d.rust_resolved)
