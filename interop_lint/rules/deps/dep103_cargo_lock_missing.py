"""## What it does
Checks that a crate built as a C library for Go (`crate-type` containing
`staticlib` or `cdylib`) has a `Cargo.lock` in its directory or at the root
of its workspace. A crate the workspace's `exclude` leaves out is not a
member: the root's lock does not pin it.

## Why is this bad?
A library crate's lock file is often left out of version control, but a
`staticlib` or `cdylib` is a final artifact: the Go program links exactly
what it was built from. Without a lock file every build resolves its
dependencies afresh, so two builds of the same commit can link different
code.

## Example
```toml
# crates/engine/Cargo.toml, with no Cargo.lock next to it or at the workspace root
[lib]
crate-type = ["staticlib"]
```

## Use instead
```sh
cargo generate-lockfile && git add Cargo.lock
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.index import join_path
from interop_lint.rules.registry import Rule


class CargoLockMissing(Rule):
    id = "DEP103"
    name = "cargo-lock-missing"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.CARGO_TOML})
    cwe = (1104,)
    precision = "very-high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        manifest = ctx.facts.cargo
        if manifest is None or not manifest.links_into_go or manifest.crate_type_location is None:
            return
        places = [manifest.directory]
        workspace = ctx.index.workspace_root_of(manifest)
        if workspace is not None:
            places.append(workspace.directory)
        if any(ctx.index.exists(join_path(place, "Cargo.lock")) for place in places):
            return
        kinds = "/".join(t for t in manifest.crate_types if t in ("staticlib", "cdylib"))
        yield Violation(
            manifest.crate_type_location,
            f"crate `{manifest.package or manifest.directory or '.'}` builds a C library "
            f"(`{kinds}`) but has no Cargo.lock: commit one so every build links "
            "the same dependency versions",
        )
