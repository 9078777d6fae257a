"""## What it does
Checks for `panic = "abort"` in a Cargo profile of a crate whose exported
functions guard their bodies with `std::panic::catch_unwind`, written in
the export or through a guard helper of the crate (`invoke(|| ..)` where
`invoke` runs its closure under `catch_unwind`, a `macro_rules!` macro that
expands to it, `catch_err! { .. }`, or a configured `panic-guards` function).
A thread the export spawns is no such guard: its panics end the thread
without unwinding into a `catch_unwind`.
A profile in a workspace root applies to every member crate; a member's
own profiles are ignored by cargo, and a crate the root's `exclude` leaves
out is a workspace of its own. When the
manifest has a custom profile that sets `panic = "unwind"`
(`[profile.release-with-panic-unwind]`), that is the one the library is
built with, and only `dev` and `release` are checked. `test` and `bench`
never are: Cargo ignores their `panic` setting.

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
from interop_lint.analyzer.rust.facts import RustExport
from interop_lint.analyzer.rust.panics import is_guard_name, is_thread_spawn
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
        workspace = ctx.index.workspace_root_of(manifest)
        if workspace is not None and workspace is not manifest:
            return  # cargo ignores a member's profiles (and warns that it does)
        aborting = [
            p
            for p in manifest.panic_profiles
            if p.strategy == "abort" and p.profile not in _IGNORED
        ]
        if any(
            p.strategy == "unwind" and p.profile not in _BUILT_IN for p in manifest.panic_profiles
        ):
            # A profile of its own that unwinds (`release-with-panic-unwind`) is the one the
            # library is built with: other custom profiles abort for other artifacts.
            aborting = [p for p in aborting if p.profile in _BUILT_IN]
        if not aborting:
            return
        guarded = [
            (export, guard)
            for crate in ctx.index.crates_governed_by(manifest)
            for export, guard in _guarded_exports(ctx, crate.directory)
        ]
        if not guarded:
            return
        first, guard = guarded[0]
        through = f" (through `{guard}`)" if guard != "catch_unwind" else ""
        for profile in aborting:
            yield Violation(
                profile.location,
                f'`panic = "abort"` in profile `{profile.profile}` disables the '
                f"`catch_unwind` guard of `{first.name}`{through}"
                + (f" and {len(guarded) - 1} other export(s)" if len(guarded) > 1 else "")
                + ": any panic there kills the Go process",
                related=(
                    RelatedLocation(first.location, f"`{first.name}` runs under `catch_unwind`"),
                ),
            )


_BUILT_IN = frozenset({"dev", "release", "test", "bench"})
_IGNORED = frozenset({"test", "bench"})  # Cargo ignores `panic` there, and says so


def _guarded_exports(ctx: RuleContext, crate: str) -> Iterator[tuple[RustExport, str]]:
    """The exports that run their body under `catch_unwind`, with the guard: written
    in the export, or a function or macro of the crate (or a configured one) that
    runs its closure under it (`invoke(|| ..)`, as RS101 counts guards)."""
    rust = ctx.index.rust
    functions = {(path, f.location, f.name): f for path, f in rust.functions_in_crate(crate)}
    local = rust.guard_names(crate)
    configured = ctx.config.panic_guards
    for path, export in rust.exports_in_crate(crate):
        if export.uses_catch_unwind:
            yield export, "catch_unwind"
            continue
        function = functions.get((path, export.location, export.name))
        if function is None:
            continue
        # A spawned thread keeps its panics off the caller's stack, but by ending its
        # thread, not by unwinding into a `catch_unwind`: `abort` changes nothing there.
        guard = next(
            (
                call.name
                for call in function.calls
                if not is_thread_spawn(call.name)
                and is_guard_name(rust.resolve_name(crate, call.name), configured, local)
            ),
            None,
        )
        # A guard macro (`catch_err! { .. }`) is no call: what runs inside it names it
        # among its wrappers, as RS101 reads it.
        wrappers = (w for site in (*function.calls, *function.panics) for w in site.guards)
        guard = guard or next(
            (w for w in wrappers if not is_thread_spawn(w) and is_guard_name(w, configured, local)),
            None,
        )
        if guard is not None:
            yield export, guard
