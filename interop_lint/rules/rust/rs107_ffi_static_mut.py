"""## What it does
Checks for exported functions that read or write a `static mut` of their crate
(in their body or in a macro they invoke: a macro written in the invocation,
or a `macro_rules!` of the crate whose body names the static, `client!()`
reading `static mut CLIENT`), or in a function of the crate it calls by name,
a few calls deep (`set_last_error(..)` writing `static mut LAST_ERROR` in its
file; methods are not followed). The finding is at the first use, or at the
call of the macro or helper. Uses that cannot race are left alone: after the
function took a lock, in a closure run once (`call_once`, `get_or_init`), and
the static's own synchronising method (`LAST_ERROR.lock()` of a `static mut`
Mutex, `CALLS.fetch_add(1, ..)` of an atomic; such a static should be plain
`static`, but nothing races).

## Why is this bad?
Go calls exported functions from whichever OS thread the goroutine runs on,
many at once; Python threads call them at once too. Unsynchronised access to
a `static mut` from several threads is a data race: undefined behaviour in
Rust, lost updates and torn values in practice. Rust 2024 rejects references
to `static mut` for this reason.

## Example
```rust
static mut CALLS: u64 = 0;

#[no_mangle]
pub extern "C" fn engine_tick() -> u64 {
    unsafe {
        CALLS += 1;
        CALLS
    }
}
```

## Use instead
```rust
static CALLS: AtomicU64 = AtomicU64::new(0);

#[no_mangle]
pub extern "C" fn engine_tick() -> u64 {
    CALLS.fetch_add(1, Ordering::Relaxed) + 1
}
```
Use a `Mutex` or `OnceLock` for anything larger than a word, and take the lock
without `.unwrap()` (`.lock().unwrap_or_else(PoisonError::into_inner)`): a
poisoned lock's `unwrap` is a panic at the boundary (RS101).

## Known problems
Uses inside a closure run by `Once::call_once` / `OnceLock::get_or_init`,
and uses after the function took a lock (`.lock()`), are taken as
serialised without checking that every other access takes the same lock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tree_sitter import Node

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import Located, RustBodies, bodies_of
from interop_lint.analyzer.rust.item_macros import exported_functions, may_export
from interop_lint.analyzer.rust.statics import (
    call_site,
    helper_static_use,
    macro_static_use,
    static_mut_uses,
)
from interop_lint.rules.registry import Rule


class FfiStaticMut(Rule):
    id = "RS107"
    name = "ffi-static-mut"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.RUST})
    cwe = (362,)
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if not may_export(ctx.facts.rust):
            return
        statics = ctx.index.rust.static_muts(ctx.index.rust.crate_of(ctx.file.path))
        if not statics:
            return
        bodies = bodies_of(ctx.file)
        rust = ctx.index.rust
        macros = {
            f.name: f.statics_named
            for _, f in rust.functions_in_crate(rust.crate_of(ctx.file.path))
            if f.statics_named
        }
        for export in exported_functions(ctx.file, ctx.index.rust):
            uses = static_mut_uses(bodies, export.node, set(statics))
            through = ""
            if uses:
                use, name = uses[0], uses[0].text
            elif found := macro_static_use(bodies, export.node, macros, statics):
                use, name, macro = found  # `client!()`, a macro reading `static mut CLIENT`
                through = f" through `{macro}`"
            elif helped := self._through_helper(ctx, bodies, export.node, statics):
                use, name, helper = helped  # `set_last_error(..)` writing `LAST_ERROR`
                through = f" through `{helper}`"
            else:
                continue
            path, static = statics[name]
            yield Violation(
                bodies.location(use),
                f"`{text(export.node.child_by_field_name('name'))}` uses `static mut {name}`"
                f"{through} (declared at {path}:{static.location.line}) without "
                "synchronisation: callers (goroutines, Python threads) run exports on many "
                "threads at once, so this is a data race",
                related=(
                    RelatedLocation(static.location, f"`static mut {name}` is declared here"),
                ),
            )

    @staticmethod
    def _through_helper(
        ctx: RuleContext, bodies: RustBodies, function: Node, statics: Mapping[str, object]
    ) -> tuple[Located, str, str] | None:
        rust = ctx.index.rust
        crate = rust.crate_of(ctx.file.path)
        name = function.child_by_field_name("name")
        start = rust.function_at(
            crate, ctx.file.path, ctx.file.location(name or function), text(name)
        )
        if start is None:
            return None
        found = helper_static_use(rust.calls_of(crate), start, statics)
        site = call_site(bodies, function, found[0]) if found is not None else None
        return (site, found[2], found[1]) if site is not None and found is not None else None
