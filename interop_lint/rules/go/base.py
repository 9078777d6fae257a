"""What every GO rule shares: it reads Go files of packages that use cgo.

rules.md scopes the GO family to "every file of a package in which at least
one file imports "C""; `CgoRule.check` enforces that once and hands each
rule the shared view of its file (`GoFile`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Violation
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.rules.registry import Rule


class CgoRule(Rule):
    file_kinds = frozenset({FileKind.GO})

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        file = GoFile.of(ctx)
        if file is not None:
            yield from self.check_cgo(ctx, file)

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterable[Violation]:
        raise NotImplementedError
