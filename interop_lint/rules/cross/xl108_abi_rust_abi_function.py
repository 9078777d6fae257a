"""## What it does
Checks for Rust functions exported under a symbol (`#[no_mangle]`,
`#[export_name = ".."]`, their `unsafe(..)` spellings) without `extern "C"`
— they keep the Rust ABI — that a header or cgo preamble of the repository
declares, so that C or Go calls them. The declaration binds to the nearest
crate that defines the symbol, within the crate the header or preamble
binds; a symbol that C defines or another crate exports with the C ABI is
left to XL102 and XL104.

## Why is this bad?
`#[no_mangle]` fixes the symbol's name, not its calling convention. The
Rust ABI is unspecified and may change with any compiler release: where
arguments and return values go (registers or memory, how structs, `i128`,
`bool` and `Option<&T>` are passed, whether a return value comes back
through a hidden pointer) is rustc's choice. The program links and the
call from C often happens to work for a few integers, then breaks with a
new compiler, another target or another signature. It is undefined
behaviour either way, and a panic in it unwinds straight into C.
Projects have fixed exactly this (LibAFL "Make all no_mangle fns extern C",
tectonic's bridge functions called from C without `extern`).

## Example
```rust
#[no_mangle]
pub fn engine_score(weight: i32, bias: i32) -> i32 {  // declared in engine.h
    weight * 2 + bias
}
```

## Use instead
```rust
#[no_mangle]
pub extern "C" fn engine_score(weight: i32, bias: i32) -> i32 {
    weight * 2 + bias
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.rules.registry import Rule

_RELATED_CAP = 3  # declarations shown beside the finding


class AbiRustAbiFunction(Rule):
    id = "XL108"
    name = "abi-rust-abi-function"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        rust = ctx.facts.rust
        if rust is None or not rust.rust_abi_functions:
            return
        crate = ctx.index.rust.crate_of(ctx.file.path)
        links = ctx.index.c.links
        for function in rust.rust_abi_functions:
            declarations = links.rust_abi_declarations(crate, function.symbol)
            if not declarations:
                continue
            first = declarations[0][1].location
            yield Violation(
                function.location,
                f"`{function.name}` is declared for C in {first.path}:{first.line} but has the "
                'Rust ABI (no `extern "C"`): exporting it fixes its name, not how it is '
                'called, so calls from C or Go are undefined behaviour: declare it `extern "C"`',
                related=tuple(
                    RelatedLocation(d.location, f"the C declaration of `{function.symbol}`")
                    for _, d in declarations[:_RELATED_CAP]
                ),
            )
