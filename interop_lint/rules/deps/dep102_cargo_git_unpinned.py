"""## What it does
Checks for git dependencies (in any dependency table, `[patch.*]` included)
that do not name a commit with `rev`: they follow a branch, a tag, or the
repository's default branch.

## Why is this bad?
A branch moves with every push, and a tag can be deleted and re-created.
The same Cargo.toml then builds different code on different days, and the
C library the Go side links changes without a change in this repository.
Only a commit hash names one fixed tree.

## Example
```toml
[dependencies]
ffi-support = { git = "https://github.com/example/ffi-support", branch = "main" }
```

## Use instead
```toml
[dependencies]
ffi-support = { git = "https://github.com/example/ffi-support", rev = "9f3c2a1" }
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.rules.registry import Rule


class CargoGitUnpinned(Rule):
    id = "DEP102"
    name = "cargo-git-unpinned"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.CARGO_TOML})
    cwe = (1104,)
    precision = "very-high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        manifest = ctx.facts.cargo
        if manifest is None:
            return
        for dep in manifest.dependencies:
            if dep.git is None or dep.rev:
                continue
            if dep.branch:
                follows = f"branch `{dep.branch}`"
            elif dep.tag:
                follows = f"tag `{dep.tag}`, which can be moved"
            else:
                follows = "the repository's default branch"
            yield Violation(
                dep.location,
                f"git dependency `{dep.name}` follows {follows}: "
                'pin a commit with `rev = "<hash>"`',
            )
