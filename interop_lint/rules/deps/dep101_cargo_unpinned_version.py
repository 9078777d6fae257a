"""## What it does
Checks for Cargo dependencies whose version is not constrained: `*`, no
version at all (and no path, git or workspace source), or a range with no
upper bound such as `>= 1.2`. Every dependency table is checked:
`[dependencies]`, dev and build dependencies, target-specific tables,
`[workspace.dependencies]` and `[patch.*]`.

## Why is this bad?
The Rust crate is linked into a Go program as a C library. When a
dependency can move to any future release, a fresh resolve (a new lock
file, `cargo update`, a build without the lock) can pull a release that
changes behaviour or the layout of types that cross the boundary, and
nobody on the Go side sees it happen.

## Example
```toml
[dependencies]
libc = "*"
serde = ">= 1.0"
bytes = { features = ["std"] }
```

## Use instead
```toml
[dependencies]
libc = "0.2.155"
serde = ">= 1.0, < 2"
bytes = { version = "1.6", features = ["std"] }
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.manifests.cargo import is_unbounded_requirement
from interop_lint.rules.registry import Rule


class CargoUnpinnedVersion(Rule):
    id = "DEP101"
    name = "cargo-unpinned-version"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.CARGO_TOML})
    cwe = (1104,)
    precision = "very-high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        manifest = ctx.facts.cargo
        if manifest is None:
            return
        for dep in manifest.dependencies:
            if dep.has_source:
                continue  # the path, repository or workspace decides what is built
            if dep.version is None:
                yield Violation(
                    dep.location,
                    f"dependency `{dep.name}` in `{dep.table}` has no version requirement "
                    "and no path, git or workspace source: any release can be picked",
                )
            elif dep.version.strip() in ("", "*"):
                yield Violation(
                    dep.location,
                    f"dependency `{dep.name}` in `{dep.table}` accepts any version "
                    f'(`"{dep.version}"`): require a release such as `"1.2"`',
                )
            elif is_unbounded_requirement(dep.version):
                yield Violation(
                    dep.location,
                    f"dependency `{dep.name}` in `{dep.table}` has no upper bound "
                    f'(`"{dep.version}"`): a future major release can be picked; add `, < N`',
                )
