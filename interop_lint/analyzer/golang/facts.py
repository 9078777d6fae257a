"""Facts of a Go file: its package and its use of cgo."""

from __future__ import annotations

from dataclasses import dataclass

from interop_lint.analyzer.cgo import CgoDirective
from interop_lint.analyzer.locations import Location


@dataclass(frozen=True, slots=True)
class CCallSite:
    """A call `C.name(...)` in a file that imports "C"."""

    name: str  # `engine_new` in `C.engine_new(...)`
    location: Location  # of the whole call expression
    argument_count: int


@dataclass(frozen=True, slots=True)
class GoFileFacts:
    package: str  # the package clause's name
    imports_c: bool  # has `import "C"`
    cgo_directives: tuple[CgoDirective, ...] = ()
    c_calls: tuple[CCallSite, ...] = ()
