"""## What it does
Checks that a crate built as a C library for Go (`staticlib` or `cdylib`)
builds with a pinned compiler: a `rust-toolchain.toml` (or legacy
`rust-toolchain`) file in its directory or a parent up to the project root,
naming a version (`1.82.0`) or a dated channel (`nightly-2024-11-01`)
rather than `stable`, `beta` or `nightly`.

## Why is this bad?
What the compiler does at the boundary changes between releases: since Rust
1.81 a panic that reaches an `extern "C"` function aborts the process
instead of unwinding, lints and layout optimisations change, and a nightly
feature can disappear. A floating toolchain makes the library the Go
program links depend on the day and machine it was built on.

## Example
```toml
# rust-toolchain.toml
[toolchain]
channel = "stable"
```

## Use instead
```toml
# rust-toolchain.toml
[toolchain]
channel = "1.82.0"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.rules.registry import Rule


class RustToolchainUnpinned(Rule):
    id = "DEP104"
    name = "rust-toolchain-unpinned"
    level = Level.NOTE
    file_kinds = frozenset({FileKind.CARGO_TOML, FileKind.RUST_TOOLCHAIN})
    cwe = (1104,)
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if ctx.facts.cargo is not None:
            yield from self._missing(ctx)
        elif ctx.facts.toolchain is not None:
            yield from self._floating(ctx)

    def _missing(self, ctx: RuleContext) -> Iterator[Violation]:
        manifest = ctx.facts.cargo
        assert manifest is not None
        if not manifest.links_into_go or manifest.crate_type_location is None:
            return
        if ctx.index.nearest_toolchain(manifest.directory) is not None:
            return
        yield Violation(
            manifest.crate_type_location,
            f"crate `{manifest.package or manifest.directory or '.'}` builds a C library "
            "but no rust-toolchain.toml pins the compiler: add one with "
            '`channel = "<version>"`',
        )

    def _floating(self, ctx: RuleContext) -> Iterator[Violation]:
        toolchain = ctx.facts.toolchain
        assert toolchain is not None
        if not toolchain.is_floating or toolchain.channel_location is None:
            return
        governs_a_library = any(
            manifest.links_into_go and ctx.index.nearest_toolchain(manifest.directory) is toolchain
            for manifest in ctx.index.cargo_manifests.values()
        )
        if governs_a_library:
            yield Violation(
                toolchain.channel_location,
                f"toolchain channel `{toolchain.channel}` moves with every release: pin a "
                'version such as `"1.82.0"` or a dated nightly',
            )
