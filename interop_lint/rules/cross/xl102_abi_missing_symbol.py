"""## What it does
Checks for Go calls `C.name(...)` of a function that a header or the cgo
preamble of the repository declares as part of a Rust crate's binding, but
that nothing in the repository provides: no Rust crate exports it and no C
code defines it. A `static inline` function defined in the preamble or a
header, a C definition in a `.c` file, and C library functions (`free`,
`strlen`, ...) are provided. So is a Rust function exported under the name
with the Rust ABI (`#[no_mangle] pub fn`, no `extern "C"`): it links, and
XL108 reports it.

## Why is this bad?
cgo compiles the call against the declaration and leaves the symbol to the
linker. When the Rust function was renamed or removed, or its
`#[no_mangle]` dropped, the binding is stale: the build fails at link time
with an `undefined reference`, far from the cause, or, when the library is
loaded dynamically, the program crashes on the first call.

## Example
```go
// #include "engine.h"   // declares int32_t engine_reset(engine_t *e);
import "C"

func Reset(e *C.engine_t) { C.engine_reset(e) }  // the crate now exports engine_restart
```

## Use instead
```go
func Reset(e *C.engine_t) { C.engine_restart(e) }
```
with the header declaring what the crate exports (regenerate it with cbindgen).
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.clang.facts import CFunction
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.rules.registry import Rule


class AbiMissingSymbol(Rule):
    id = "XL102"
    name = "abi-missing-symbol"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.GO})
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        go, path = ctx.facts.go, ctx.file.path
        if go is None or not go.imports_c:
            return
        missing: dict[str, CFunction | None] = {}  # a file calls most C functions again
        for call in go.c_calls:
            if call.name not in missing:
                missing[call.name] = _unprovided(ctx, path, call.name)
            declaration = missing[call.name]
            if declaration is None:
                continue
            where = declaration.location.place
            yield Violation(
                call.location,
                f"`C.{call.name}` is declared in {where} but no Rust export or C definition "
                "in the repository provides it: the link fails",
                related=(
                    RelatedLocation(declaration.location, f"the declaration of `{call.name}`"),
                ),
            )


def _unprovided(ctx: RuleContext, path: str, name: str) -> CFunction | None:
    """The declaration of a C function the Go file `path` calls that binds a Rust crate,
    when nothing in the repository provides the function; else None."""
    c = ctx.index.c
    seen = c.functions_in_context(path, name)
    if not seen or any(f.is_definition or f.is_static for _, f in seen):
        return None  # not declared in the repository, or C defines it right here
    unit, declaration = seen[0]
    # A header binds a crate by its own declarations; the preamble may also
    # by the file's #cgo LDFLAGS or the headers it includes (see clang.linking).
    link = c.links.crate_of(unit) or c.links.crate_linked_alone(path, unit)
    if link is None:
        return None  # a declaration that binds no Rust crate: not ours to judge
    if c.links.exported_near(unit, name, link) or c.links.defined_in_c(unit, name, link):
        return None
    if c.links.rust_abi_near(unit, name, link):
        return None  # it links, to a Rust-ABI function: XL108's finding
    return declaration
