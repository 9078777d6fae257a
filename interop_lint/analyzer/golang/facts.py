"""Facts of a Go file: its package and its use of cgo."""

from __future__ import annotations

from dataclasses import dataclass

from interop_lint.analyzer.cgo import CgoDirective


@dataclass(frozen=True, slots=True)
class GoFileFacts:
    package: str  # the package clause's name
    imports_c: bool  # has `import "C"`
    cgo_directives: tuple[CgoDirective, ...] = ()
