"""## What it does
Checks that a header generated from a Rust crate (a cbindgen output) or
written for it (its declarations are that crate's exports) still matches the
crate: every exported function of the crate is declared in one of its headers,
and every function the header declares is still exported (or defined in C, a
Go callback exported with `//export` that the crate calls back, a C function
the crate imports in an `extern "C" { .. }` block, which cbindgen writes into
the header too, or a dependency's function the crate re-exports with `pub
use`, which links it in).
Only `.h` files are compared, not cgo preambles; the `header-globs` setting
chooses which headers count. A handwritten header that binds only a part of a
crate on purpose (less than half of its exports) is not asked to declare the
rest, nor is any header asked to declare what cbindgen leaves out: a function
documented `/// cbindgen:ignore` (or `cbindgen:no-export`), one inside a `mod`
or `impl` block so documented, in a file whose inner doc comment says so (`//!
cbindgen:ignore`) or in the file of a module so documented where it is
declared (`/// cbindgen:ignore` above `mod legacy;`, and the modules below
it), one the crate's `cbindgen.toml` lists in `[export] exclude`, one that is
not `pub` (cbindgen writes `pub` functions only; a private `#[no_mangle]`
function is a symbol the crate keeps to itself), one of another ABI than
`extern "C"` or `"C-unwind"` when the header is cbindgen's (it writes no
other), and a JNI entry point (`Java_..`, `JNI_OnLoad`: Java declares them). A
header that declares such a function is still checked the other way: the crate
must export it. A declaration of a function the crate exports with the Rust ABI
(`#[no_mangle] pub fn`, no `extern "C"`) is XL108's finding.

## Why is this bad?
A header is a copy of the crate's interface, and copies drift. An export
missing from the header cannot be called from Go at all; a declaration the
crate no longer exports compiles and then fails to link, or binds a
function that now means something else. Either way the header no longer
says what the library does.

## Example
```rust
#[no_mangle]
pub extern "C" fn engine_restart(engine: *mut Engine) -> i32 { /* ... */ }
```
```c
/* Generated with cbindgen:0.26.0 */
int32_t engine_reset(Engine *engine); /* renamed in Rust; no engine_restart here */
```

## Use instead
Regenerate the header (`cbindgen --output include/engine.h`) whenever the
crate's exports change, and check it in CI; or fix the handwritten header.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.contract import cbindgen_config
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import Location, RelatedLocation
from interop_lint.analyzer.manifests.cbindgen_annotations import skipped_lines
from interop_lint.rules.registry import Rule


class AbiHeaderDrift(Rule):
    id = "XL104"
    name = "abi-header-drift"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.C_HEADER, FileKind.RUST})
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if ctx.file.kind is FileKind.RUST:
            yield from self._missing_from_headers(ctx)
        else:
            yield from self._no_longer_exported(ctx)

    def _no_longer_exported(self, ctx: RuleContext) -> Iterator[Violation]:
        unit, path, c = ctx.facts.c, ctx.file.path, ctx.index.c
        link = c.links.crate_of(path)
        if unit is None or link is None or not c.is_contract_header(path):
            return
        exported = {e.symbol for _, e in ctx.index.rust.exports_in_crate(link.crate)}
        package = ctx.index.cargo_manifests.get(link.crate or "")
        manifest = _manifest_location(link.crate) if package is not None else None
        crate = f"crate `{package.package}`" if package and package.package else "the crate"
        if manifest is not None:
            crate += f" ({manifest.path}:1)"
        else:  # no Cargo.toml: name the sources' directory, not a file that is not there
            crate = f"the crate in `{link.crate or '.'}/` (it has no Cargo.toml)"
        related = (RelatedLocation(manifest, "the crate the header binds"),) if manifest else ()
        for function in unit.functions:
            name = function.name
            if function.is_definition or function.is_static or name in exported:
                continue
            if c.links.exported_near(path, name, link) or c.links.defined_in_c(path, name, link):
                continue
            if c.links.rust_abi_near(path, name, link):
                continue  # exported with the Rust ABI: XL108's finding
            if name in ctx.index.go.exported_to_c:
                continue  # a Go callback (`//export`) the crate imports
            if ctx.index.rust.imports_from_c(link.crate, name):
                continue  # a C function the crate imports: cbindgen writes those in too
            yield Violation(
                function.location,
                f"`{name}` is declared here but {crate} no longer "
                "exports it: regenerate or fix the header",
                related=related,
            )

    def _missing_from_headers(self, ctx: RuleContext) -> Iterator[Violation]:
        rust, c = ctx.facts.rust, ctx.index.c
        crate = ctx.index.rust.crate_of(ctx.file.path)
        headers = c.links.headers_of(crate)
        if rust is None or not headers:
            return
        written = ctx.index.rust.exports_in_file(ctx.file.path)
        if not written:
            return
        if ctx.index.rust.cbindgen_skips_file(ctx.file.path):
            return  # the file of a module cbindgen is told to ignore
        declared = c.links.declared_for(crate)
        exports = {e.symbol for _, e in ctx.index.rust.exports_in_crate(crate)}
        generated = any(c.units[h].generated_by_cbindgen for h in headers)
        if not generated and len(exports & declared) * 2 < len(exports):
            return  # a header for a part of the crate, on purpose
        header = Location(headers[0], 1, 1, 1, 1)
        config = cbindgen_config(ctx.index, crate)
        excluded = frozenset(config.exclude if config is not None else ())
        missing = [
            e
            for e in written
            # cbindgen writes `pub` functions only: a private `#[no_mangle]` one is the
            # crate's own symbol (imagequant's `liq_received_invalid_pointer`).
            if e.is_pub
            and e.symbol not in declared
            and excluded.isdisjoint({e.name, e.symbol})
            and not (generated and e.abi not in _CBINDGEN_ABIS)
            and not e.symbol.startswith(_JVM_ENTRY_POINTS)
        ]
        text = ctx.file.data.decode("utf-8", "replace")
        skipped = (
            skipped_lines(text, (e.location.line for e in missing)) if missing else frozenset()
        )
        for export in missing:
            if export.location.line in skipped:
                continue
            others = f" (nor in {len(headers) - 1} other header(s))" if len(headers) > 1 else ""
            yield Violation(
                export.location,
                f"`{export.symbol}` is exported but not declared in {header.path}:1{others}: "
                "regenerate or fix the header",
                related=(RelatedLocation(header, "the header that binds this crate"),),
            )


# The ABIs cbindgen writes functions of (`SynAbiHelpers::is_c`, and a bare `extern`):
# an `extern "system"` export is never in its header, whatever regenerating it does.
_CBINDGEN_ABIS = frozenset({"C", "C-unwind"})
# Functions the JVM looks up by name in a JNI library (`Java_pkg_Class_method`,
# `JNI_OnLoad`): Java declares them, no C header does.
_JVM_ENTRY_POINTS = ("Java_", "JNI_On")


def _manifest_location(crate: str | None) -> Location:
    path = f"{crate}/Cargo.toml" if crate else "Cargo.toml"
    return Location(path, 1, 1, 1, 1)
