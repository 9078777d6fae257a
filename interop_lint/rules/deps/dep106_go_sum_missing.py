"""## What it does
Checks that a go.mod with `require` directives has a go.sum beside it.
Requirements replaced by a local directory need no checksum and do not
count.

## Why is this bad?
go.sum holds the checksums of every required module. Without it the build
downloads whatever the module proxy serves and trusts it, and
`go build` in module mode fails with "missing go.sum entry" on a clean
machine. Either way the Go side of the boundary is not reproducible.

## Example
```
module example.com/service

require example.com/ffi/bindings v1.4.2
```
with no go.sum committed next to go.mod.

## Use instead
```sh
go mod tidy && git add go.sum
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.index import join_path
from interop_lint.rules.registry import Rule


class GoSumMissing(Rule):
    id = "DEP106"
    name = "go-sum-missing"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.GO_MOD})
    cwe = (353,)
    precision = "very-high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        gomod = ctx.facts.gomod
        if gomod is None or gomod.module_location is None:
            return
        checked = [r for r in gomod.requires if not gomod.replaced_locally(r)]
        if not checked or ctx.index.exists(join_path(gomod.directory, "go.sum")):
            return
        yield Violation(
            gomod.module_location,
            f"module `{gomod.module}` requires `{checked[0].module}`"
            + (f" and {len(checked) - 1} more module(s)" if len(checked) > 1 else "")
            + " but has no go.sum beside its go.mod: run `go mod tidy` and commit go.sum",
        )
