"""## What it does
Checks for `panic = "abort"` in a Cargo profile of a crate whose exported
functions guard their bodies with `std::panic::catch_unwind`. A profile in
a workspace root applies to every member crate.

## Why is this bad?
`catch_unwind` only catches a panic that unwinds. With `panic = "abort"` a
panic never unwinds: the guard is dead code and every panic in an export
kills the Go process that called it, goroutines, open connections and all.
The guard says the authors wanted the opposite.

## Example
```toml
[profile.release]
panic = "abort"
```
with an export such as
```rust
#[no_mangle]
pub extern "C" fn engine_run() -> i32 {
    std::panic::catch_unwind(|| run()).unwrap_or(-1)
}
```

## Use instead
```toml
[profile.release]
panic = "unwind"  # the default: leave it out
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.rules.registry import Rule


class CargoPanicAbort(Rule):
    id = "DEP107"
    name = "cargo-panic-abort"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.CARGO_TOML})
    cwe = (755,)
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        manifest = ctx.facts.cargo
        if manifest is None:
            return
        aborting = [p for p in manifest.panic_profiles if p.strategy == "abort"]
        if not aborting:
            return
        guarded = [
            export
            for crate in ctx.index.crates_governed_by(manifest)
            for _, export in ctx.index.rust.exports_in_crate(crate.directory)
            if export.uses_catch_unwind
        ]
        if not guarded:
            return
        first = guarded[0]
        for profile in aborting:
            yield Violation(
                profile.location,
                f'`panic = "abort"` in profile `{profile.profile}` disables the '
                f"`catch_unwind` guard of `{first.name}`"
                + (f" and {len(guarded) - 1} other export(s)" if len(guarded) > 1 else "")
                + ": any panic there kills the Go process",
                related=(RelatedLocation(first.location, f"`{first.name}` uses catch_unwind"),),
            )
