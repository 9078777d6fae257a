"""Ownership across the boundary: Rust memory that Go receives, C memory Rust takes.

Knowledge for XL105 and XL106, read from both sides' facts in the index:

- `owned_results(ctx, file)`: the Go calls of a file that reach a Rust export
  returning memory from Rust's allocator, each with the flow of its result (one
  computation per file, shared by both rules);
- `release_exports(index, owned)`: the crate's exports that give that kind back;
- `reads_only(index, go_path)`: the C functions that only read a pointer a Go
  file passes them (what `golang.ownership.out_of_sight` asks);
- `c_memory_callers(index, rust_path, export, position)`: the Go calls of an
  export that pass memory from C's allocator in a parameter position.

A Go call is linked to the export of the crate its file binds
(`clang.linking.CrateLinks.export_called`), never to a same-named export of
another crate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from tree_sitter import Node

from interop_lint.analyzer.clang.libc import LIBC_FUNCTIONS
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.golang.facts import C_ALLOCATORS, CCallSite
from interop_lint.analyzer.golang.flow import ValueFlow
from interop_lint.analyzer.golang.model import GO_RESULT_C_FUNCTIONS, GoFile
from interop_lint.analyzer.golang.ownership import c_call_results
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.facts import RustExport

Crate = str | None
# libc functions that may keep or free what they are given.
_LIBC_TAKING = frozenset({"free", "realloc", "reallocarray", "putenv"})
_RESULTS: WeakKeyDictionary[GoFile, list[OwnedResult]] = WeakKeyDictionary()
Releases = list[tuple[str, RustExport]]  # (file, export)
_RELEASES: WeakKeyDictionary[ProjectIndex, dict[tuple[Crate, str], Releases]] = WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class OwnedResult:
    """A Go call `C.name(...)` whose result is memory from Rust's allocator."""

    call: Node
    flow: ValueFlow  # where the result goes in the Go function
    rust_path: str
    export: RustExport
    crate: Crate
    kind: str  # canonical (RustIndex.canonical_kind; see rust/facts.py)

    @property
    def made_at(self) -> tuple[Location, str]:
        """Where Rust gives the memory up, and how (`CString::into_raw`); the export
        itself when a helper it returns from makes it."""
        own = next((a for a in self.export.hands_out if a.via == "return"), None)
        if own is None:
            return self.export.location, f"returned by `{self.export.name}`"
        return own.location, f"`{own.what}`"


def owned_results(ctx: RuleContext, file: GoFile) -> list[OwnedResult]:
    """Every call in a function of the file of a Rust export that returns owned memory."""
    found = _RESULTS.get(file)
    if found is not None:
        return found
    index, path = ctx.index, ctx.file.path
    owned: dict[str, tuple[str, RustExport, Crate, str] | None] = {}

    def returns_owned(name: str) -> bool:
        if name not in owned:
            owned[name] = _owned_return(index, path, name)
        return owned[name] is not None

    found = _RESULTS[file] = []
    for call, name, flow in c_call_results(file, returns_owned):
        if file.syntax.top_function(call) is not None:  # a package variable lives forever
            found.append(OwnedResult(call, flow, *owned[name]))  # type: ignore[misc]
    return found


def _owned_return(
    index: ProjectIndex, go_path: str, name: str
) -> tuple[str, RustExport, Crate, str] | None:
    bound = index.c.links.export_called(go_path, name)
    if bound is None:
        return None
    rust_path, export = bound
    crate = index.rust.crate_of(rust_path)
    kind = index.rust.owned_return(crate, rust_path, export)
    if kind is None:
        return None
    return rust_path, export, crate, index.rust.canonical_kind(crate, kind)


def release_exports(index: ProjectIndex, owned: OwnedResult) -> Releases:
    """(file, export) of the crate's exports that give the result's kind back to Rust
    (asked once per crate and kind: every owned result of a kind has the same)."""
    known = _RELEASES.setdefault(index, {})
    key = (owned.crate, owned.kind)
    if key not in known:
        known[key] = index.rust.release_exports(owned.crate, owned.kind)
    return known[key]


def reads_only(index: ProjectIndex, go_path: str) -> Callable[[str], bool]:
    """Whether a C function a Go file calls only reads a pointer it is given: cgo's
    copies (`C.GoString`), libc functions that do not free or keep their argument, and
    the exports of the linked crate (those that release are asked about separately).
    A function C defines itself is out of sight."""

    def check(name: str) -> bool:
        if name in GO_RESULT_C_FUNCTIONS:
            return True
        if name in LIBC_FUNCTIONS:
            return name not in _LIBC_TAKING
        return index.c.links.export_called(go_path, name) is not None

    return check


def c_memory_callers(
    index: ProjectIndex, rust_path: str, export: RustExport, position: int
) -> list[tuple[CCallSite, str]]:
    """(call, allocator) of every Go call of the export whose argument at `position` is
    made by `C.CString`, `C.CBytes`, `C.malloc` or `C.calloc`."""
    found = []
    for _, call in index.c.links.go_calls_of(rust_path, export):
        sources = call.argument_sources
        if position < len(sources) and sources[position] in C_ALLOCATORS:
            found.append((call, sources[position]))
    return found
