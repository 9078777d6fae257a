"""## What it does
Checks that a C struct in a header or cgo preamble and the `#[repr(C)]`
Rust struct of the same name (C typedef names count: `typedef struct {..}
Point;` is `Point`) have the same fields: the same number, in the same
order, of equivalent types. Types compare as in XL101 (`int32_t` is `i32`,
`const char *` is `*const c_char`, arrays by element and length, a
`#[repr(C)]` field-less enum and a C `enum` of known 32-bit values are
`int`-sized, a `#[repr(transparent)]`
wrapper and a C struct of its one field are that field). A Rust pointer to an
unsized type (`&str`, `&[u8]`, `*const CStr`, `Box<dyn Trait>`) is two words,
address and length or vtable, so no C scalar or pointer matches it. A field whose pointer
constness alone differs, or a byte for a Rust `bool`, is a warning. One
finding per struct names every field whose type differs, each with what
its typedef or alias resolves to.

The C struct is found under the name cbindgen gives the Rust one, with the
crate's `cbindgen.toml` prefix and renames (`polar_Query` is `Query` under
`prefix = "polar_"`). An instance of a generic struct is compared with its
parameters filled in: `typedef struct CResult_c_char {..}` against
`CResult<T>` with `T` = `c_char`.

## Why is this bad?
Both sides read the same bytes through their own definition. One field
more, two fields swapped or an `int32_t` where Rust has an `i64` shifts
every field after it: Rust reads a length where Go wrote a pointer. Nothing
fails at build time, and the corruption shows up far from its cause.

## Example
```c
typedef struct Stats {
    uint64_t count;
    double mean;
} Stats;
```
```rust
#[repr(C)]
pub struct Stats {
    pub mean: f64,
    pub count: u64,
}
```

## Use instead
Declare the fields in the same order, with the same types, on both sides,
or generate the header from the crate with cbindgen.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.contract import contract_types, layout_difference, rust_struct_for
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.typesys.model import Verdict
from interop_lint.rules.registry import Rule


class AbiStructLayoutMismatch(Rule):
    id = "XL103"
    name = "abi-struct-layout-mismatch"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.C_HEADER, FileKind.GO})
    cwe = (188,)
    precision = "high"
    security_severity = 8.1

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        path, index = ctx.file.path, ctx.index
        unit = index.c.contract_unit(path)
        if unit is None:
            return
        link = index.c.links.crate_for_types(path)
        if link is None:
            return
        types = contract_types(index, path, link.crate)
        for struct in unit.structs:
            if struct.is_union or not struct.is_exact:
                continue  # bit-fields and anonymous members have no Rust field to match
            found = rust_struct_for(index, link.crate, struct.names, types)
            if found is None:
                continue
            rust_path, rust_struct = found.rust_path, found.struct
            difference = layout_difference(struct, types.c, rust_struct, found.rust)
            if difference is None:
                continue
            yield Violation(
                struct.location,
                f"struct `{found.spelled}` differs from its `#[repr(C)]` Rust definition in "
                f"{rust_path}:{rust_struct.location.line}: {difference.detail}",
                related=(
                    RelatedLocation(rust_struct.location, f"the Rust struct `{rust_struct.name}`"),
                ),
                level=None if difference.verdict is Verdict.DIFFERENT else Level.WARNING,
            )
