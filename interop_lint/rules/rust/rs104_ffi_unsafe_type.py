"""## What it does
Checks the parameter and return types of exported functions for types that
have no C layout and cross the boundary by value: a struct or enum of the
crate without `#[repr(C)]` / `#[repr(transparent)]` (or an integer `repr` on
an enum; one given under `#[cfg_attr(feature = "ffi", repr(C))]` counts);
`String`, `Vec<T>`, `CString`, `Result`, `Option<T>` other than `Option` of a
reference, `Box`, `NonNull` or `extern fn`; `&str`, `&[T]`, `&CStr`,
`Box<[T]>` and other fat pointers; tuples; `char`; trait objects; arrays `[T;
N]` by value; and Rust-ABI function pointers (`fn(..)` instead of `extern "C"
fn(..)`). Type aliases and `use .. as` renames are followed. Pointers to types
without C layout are fine: that is the opaque handle pattern.

## Why is this bad?
The C declaration Go compiles against cannot describe these types, so the
two sides disagree on size, field order or calling convention. A `&str`
is two words on the Rust side and one `char *` on the C side; a `String`
returned by value is freed by nobody; a `fn(..)` pointer called from C uses
the wrong calling convention. The result is garbage values or a crash far
from the cause.

## Example
```rust
pub struct Stats { hits: u64, misses: u64 }

#[no_mangle]
pub extern "C" fn engine_stats(name: &str) -> Stats { /* .. */ }
```

## Use instead
```rust
#[repr(C)]
pub struct Stats { hits: u64, misses: u64 }

#[no_mangle]
pub unsafe extern "C" fn engine_stats(name: *const c_char) -> Stats { /* .. */ }
```

## Known problems
Types of other crates are not read. `Option` of a name that is neither the
crate's nor the standard library's (`Option<logging::LogCallback>`, an
`extern "C" fn` alias of another workspace crate) is taken to be a nullable
pointer rather than reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.item_macros import exported_functions, may_export
from interop_lint.analyzer.rust.syntax import signature_types
from interop_lint.analyzer.rust.types import ffi_unsafe_type
from interop_lint.rules.registry import Rule


class FfiUnsafeType(Rule):
    id = "RS104"
    name = "ffi-unsafe-type"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    cwe = (704,)
    precision = "high"
    security_severity = 6.5

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if not may_export(ctx.facts.rust):
            return
        names = ctx.index.rust.type_names(ctx.index.rust.crate_of(ctx.file.path))
        for export in exported_functions(ctx.file, ctx.index.rust):
            function = text(export.node.child_by_field_name("name"))
            typed = signature_types(
                export.node, export.return_wrapper, with_return=not export.return_unknown
            )
            for role, kind in typed:
                found = ffi_unsafe_type(kind, names)
                if found is None:
                    continue
                written = " ".join(text(found.node).split())
                expanded = " ".join(text(names.expand(found.node)).split())
                alias = f" (an alias of `{expanded}`)" if expanded != written else ""
                inside = "" if found.node == kind else f" in `{' '.join(text(kind).split())}`"
                yield Violation(
                    ctx.file.location(found.node),
                    f"{role} of `{function}`: `{written}`{alias}{inside} {found.reason}",
                )
