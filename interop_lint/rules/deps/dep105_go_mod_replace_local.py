"""## What it does
Checks for `replace` directives in go.mod that point a module at a
directory on disk (`=> ../bindings`, `=> ./third_party/x`, `=> /opt/x`).

## Why is this bad?
A local replacement builds only in a checkout where that directory exists
and holds the right code: CI, other developers and `go install` users see a
different module or a failed build. For Go bindings of a Rust library it
also hides which version of the binding the program really links.

## Example
```
replace example.com/ffi/bindings => ../bindings
```

## Use instead
```
replace example.com/ffi/bindings => example.com/ffi/bindings v1.4.2
```
For local development across modules, use a `go.work` file that is not
committed.

A module replaced by its own directory (`replace example.com/self => ./`)
is not reported: that line changes no build.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.rules.registry import Rule


class GoModReplaceLocal(Rule):
    id = "DEP105"
    name = "go-mod-replace-local"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.GO_MOD})
    cwe = (1104,)
    precision = "very-high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        gomod = ctx.facts.gomod
        if gomod is None:
            return
        for replacement in gomod.replaces:
            # `replace <this module> => ./`: the module is built from here anyway, and a
            # dependency's replace lines are ignored, so it changes no build.
            if replacement.old == gomod.module and posixpath.normpath(replacement.new) == ".":
                continue
            if replacement.is_local:
                yield Violation(
                    replacement.location,
                    f"`replace` points `{replacement.old}` at the local directory "
                    f"`{replacement.new}`: builds outside this checkout break; replace with a "
                    "module version, or use an uncommitted go.work",
                )
