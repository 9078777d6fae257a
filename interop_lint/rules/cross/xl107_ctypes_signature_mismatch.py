"""## What it does
Checks that every Python `ctypes` binding of a Rust export agrees with the
Rust function: `argtypes` lists one type per parameter (lists joined and
repeated by a literal count are read too: `[c_char_p] * 7 + [c_int]`), each
equivalent to the Rust parameter's type; `restype` is equivalent to the return
type (`None` for a function that returns nothing, though a scalar there, such
as `c_void_p` taken for `void`, is a register nobody reads and is left alone,
as is the result of a callback Rust never reads); and a function that returns
a pointer or a 64-bit value has a `restype` at all. Types are equivalent by
the ABI: `c_int` is `i32`, `c_int64` and `c_longlong` are `i64`, `c_size_t` is
`usize`, `c_bool` is `bool`, `c_char_p` is `*const c_char` or `*mut c_char`,
`c_void_p` is any pointer, `POINTER(T)` is a pointer to `T`, an array type
`T * n` in `argtypes` is a pointer to `T` or to the array (ctypes passes an
array argument as the address of its first element), and a `Structure`
is the `#[repr(C)]` struct in its place, field by field through `_fields_` (a
field that spells out alignment padding, such as `("_padding", c_uint32)`
before a pointer, is no field of its own). It also reports `restype =
c_char_p` for an export that returns a string the caller must free: ctypes
copies the result into `bytes` and the pointer is lost. An address-wide
integer where Rust has a pointer (`c_size_t`), or `c_void_p` where Rust has an
address-wide integer (a handle as `usize`), may hold the same value and is
left alone; a typed pointer where Rust takes a number by value
(`POINTER(c_uint64)` or `c_char_p` for a `u64`) passes an address where Rust
reads the number, and is reported. A field-less enum of an integer repr is
that integer; when all its values are non-negative literals below the signed
maximum, the signed and unsigned integer of its width read them alike
(`restype = c_int64` for indy-vdr's `#[repr(usize)] ErrorCode`).

The library a handle loads is matched to a crate by its file name
(`CDLL("./libengine.so")` loads the crate whose library is `engine`), else
by the crate that exports every function bound on it. A crate's library
carries the exports of the crates it depends on by path (a cdylib that
re-exports an FFI crate with `pub use`). Functions the crate does not
export (libc, another C library) are not checked. A handle imported from
another module is that module's (a star import too, which also passes on
the `ctypes` module and its types: `from engine._lib import *`); a helper that binds by name
(`_fn("engine_new", c_void_p, c_uint32)`) is reported at its call, and a
signature table bound in a loop (`for name, (argtypes, restype) in
SIGNATURES.items()`) at each row's name, and a loop that sets the same
signature on a literal list of functions (`for f in [lib.add_name,
lib.add_author]: f.restype = EmptyReturn`) at each function. A function kept
in a variable, an attribute or a dict under a literal key (`_fn["hash"] =
lib.engine_hash; _fn["hash"].restype = c_uint64`) is the same function.
A missing `restype` is reported once, at the first use of the function in
the module that loads the library (else the first module that uses it),
and not when some module sets it, or sets `restype` under computed names.
A `restype` set on a subscript (`lib["f"].restype = ..`) is missing: each
subscript makes a new function object, and the setting is lost with it. A
prototype called with a `(name, library)` pair (`CFUNCTYPE(c_uint64,
c_char_p)(("f", lib))`) binds the function with the prototype's types.

One finding per assignment names all its differences (three, then how
many more). A `Structure` whose `_fields_` drift is one mistake however
many bindings pass or return it: it is reported once per module, at the
first `argtypes`/`restype` assignment that uses it, with its `_fields_` and
the other assignments as related locations.

## Why is this bad?
ctypes calls exactly what it is told to. A function without `restype` is
assumed to return a C `int`: on a 64-bit platform a returned pointer is cut
to its low 32 bits, and the next call through it crashes, or works until
the allocator hands out an address above 4 GiB. An `argtypes` entry of
`c_int` for a `u64` passes half the value; a missing entry leaves Rust
reading whatever is in the register; a `Structure` whose `_fields_` drift
from the Rust struct reads and writes the wrong bytes. No compiler sees
both sides, and tests pass on small values.

## Example
```rust
#[no_mangle]
pub extern "C" fn engine_new(capacity: u64) -> *mut Engine {
    // ...
}
```
```python
lib = ctypes.CDLL("./libengine.so")
lib.engine_new.argtypes = [ctypes.c_int]
engine = lib.engine_new(1024)  # restype not set: the pointer is truncated
```

## Use instead
```python
lib.engine_new.argtypes = [ctypes.c_uint64]
lib.engine_new.restype = ctypes.c_void_p
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import Location, RelatedLocation
from interop_lint.analyzer.python.contract import BindingContract, BindingDifference
from interop_lint.analyzer.rust.facts import RustExport
from interop_lint.rules.registry import Rule


class CtypesSignatureMismatch(Rule):
    id = "XL107"
    name = "ctypes-signature-mismatch"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.PYTHON})
    cwe = (686, 197)
    precision = "high"
    security_severity = 8.1

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        path, index, python = ctx.file.path, ctx.index, ctx.facts.python
        if python is None:
            return
        contracts: dict[str | None, BindingContract] = {}
        places: list[_Place] = []
        for binding in python.bindings:
            bound = index.python.export_for(path, binding)
            if bound is None:
                continue
            rust_path, export = bound
            crate = index.rust.crate_of(rust_path)
            contract = contracts.setdefault(crate, BindingContract(index, path, crate))
            missing = index.python.reports_missing_restype(path, binding)
            differences = contract.differences(binding, rust_path, export, missing)
            by_place: dict[Location, list[BindingDifference]] = {}
            for difference in differences:
                by_place.setdefault(difference.location, []).append(difference)
            for location, found in by_place.items():
                place = _Place(location, binding.symbol, rust_path, export, found)
                place.lost = binding.lost_restypes
                places.append(place)
        # A drifted Structure: reported at the first place that uses it, once.
        first: dict[tuple[str, str, Location], _Place] = {}
        for place in sorted(places, key=lambda p: p.location):
            kept = []
            for difference in place.differences:
                layout = difference.layout
                if layout is None:
                    kept.append(difference)
                    continue
                key = (layout.rust_path, layout.rust_struct.name, layout.structure.location)
                primary = first.setdefault(key, place)
                if primary is not place:
                    use = (place.location, layout.structure.name)
                    if use not in primary.also:
                        primary.also.append(use)
                elif all(d.layout != layout for d in kept):
                    kept.append(difference)
            place.differences = kept
        for place in places:
            if place.differences:
                yield place.violation()


@dataclass(eq=False)
class _Place:
    """The differences of one binding found at one assignment (or first use)."""

    location: Location
    symbol: str
    rust_path: str
    export: RustExport
    differences: list[BindingDifference]
    # Other places that use a drifted Structure reported here, with its name.
    also: list[tuple[Location, str]] = field(default_factory=list)
    lost: tuple[Location, ...] = ()  # restypes set on `lib["name"]`, lost with it

    def violation(self) -> Violation:
        export, found = self.export, self.differences
        where = f"{self.rust_path}:{export.location.line}"
        parts = [_describe(self.symbol, found[0], where)]
        if self.lost and found[0].part == "no-restype":
            parts[0] += (
                f' (the setting at line {self.lost[0].line} is lost: `lib["{self.symbol}"]` '
                "makes a new function object each time; bind it once, "
                f'`{self.symbol} = lib["{self.symbol}"]`, and set it on that)'
            )
        parts += [
            _describe_more(d) if d.part == "parameter" else _describe(self.symbol, d, where)
            for d in found[1:_NAMED]
        ]
        if len(found) > _NAMED:
            parts.append(f"and {len(found) - _NAMED} more")
        related = [RelatedLocation(export.location, f"the Rust export `{export.name}`")]
        for layout in dict.fromkeys(d.layout for d in found if d.layout is not None):
            assert layout is not None
            structure = layout.structure
            related.append(
                RelatedLocation(
                    layout.rust_struct.location, f"the Rust struct `{layout.rust_struct.name}`"
                )
            )
            fields_at = structure.fields_location
            if fields_at is not None and fields_at.path == self.location.path:
                related.append(RelatedLocation(fields_at, f"the `_fields_` of `{structure.name}`"))
        related += [RelatedLocation(at, f"`{name}` is used here too") for at, name in self.also]
        return Violation(self.location, "; ".join(parts), related=tuple(related))


_NAMED = 3  # differences a message names; the others are counted


def _describe_more(d: BindingDifference) -> str:
    """A further difference of one `argtypes` list, after the first (a binding helper's
    call or a table's row sets `restype` at the same place: described in full)."""
    said = f"parameter {d.position} (`{d.name}`) is `{d.python}`"
    layout = d.layout
    if layout is None:
        return f"{said} but `{d.rust}`"
    return f"{said}, whose `_fields_` differ from the Rust struct `{layout.rust_struct.name}`"


def _describe(name: str, d: BindingDifference, where: str) -> str:
    if d.part == "count":
        return (
            f"`{name}.argtypes` lists {d.python} type(s) but `{name}` takes "
            f"{d.rust} parameter(s) in {where}"
        )
    if d.part == "no-restype":
        fix = f"; set `restype = {d.suggestion}`" if d.suggestion else ""
        lost = "never reads" if d.misread else "truncates"
        return (
            f"`{name}.restype` is not set: ctypes assumes C `int` and {lost} the "
            f"`{d.rust}` that `{name}` returns ({where}){fix}"
        )
    if d.part == "owned-string":
        freed = f"`{d.release}`" if d.release else "Rust"
        return (
            f"`{name}.restype` is `{d.python}`: ctypes copies the string into `bytes` and "
            f"drops the pointer that `{name}` hands out ({where}), so it can never be given "
            f"back to {freed}; set `restype = c_void_p` and free it after reading it"
        )
    if d.part == "return":
        said = f"`{name}.restype` is `{d.python}`"
        rust = "nothing" if d.rust in ("()", "!") else f"`{d.rust}`"
        other = f"`{name}` returns {rust} in {where}"
    else:
        said = f"parameter {d.position} (`{d.name}`) of `{name}` is `{d.python}` in `argtypes`"
        other = f"`{d.rust}` in {where}"
    layout = d.layout
    if layout is None:
        fix = f"; set `restype = {d.suggestion}`" if d.part == "return" and d.suggestion else ""
        return f"{said} but {other}{fix}"
    return (
        f"{said}, whose `_fields_` differ from the Rust struct `{layout.rust_struct.name}` "
        f"({layout.rust_path}:{layout.rust_struct.location.line}): {layout.detail}"
    )
