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

from interop_lint.analyzer.clang.libc import LIBC_FUNCTIONS, LIBC_TAKING
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.golang.facts import C_ALLOCATORS, CCallSite
from interop_lint.analyzer.golang.flow import ValueFlow, filled_uses
from interop_lint.analyzer.golang.model import GO_RESULT_C_FUNCTIONS, GoFile
from interop_lint.analyzer.golang.ownership import c_call_results, filled_local
from interop_lint.analyzer.golang.struct_holders import split_field_reads
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.facts import RustExport
from interop_lint.analyzer.typesys.kinds import crate_holding_fields, crate_returns_kind

Crate = str | None
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
    via: str = "return"  # or the out-parameter the export writes it through
    # When the export returns a `#[repr(C)]` struct by value (`CResult { status,
    # error_msg }`): the fields that hold the memory, and the flows of the reads of
    # those fields (`flow` is then the struct's, its field reads left out).
    fields: tuple[str, ...] = ()
    parts: tuple[ValueFlow, ...] = ()
    # The kind each of those fields holds when they hold different kinds (a `Box`
    # `value` and a `CString` `error`); `kind` is then the first's.
    field_kinds: tuple[tuple[str, str], ...] = ()
    # Whether the export's own struct literals say which fields get the memory (else
    # `fields` are those whose type could hold it).
    fields_known: bool = False

    def field_of(self, flow: ValueFlow) -> str | None:
        """The field a flow of the result reads (`value` of `r.value`), as Rust names it
        (cgo spells a field named for a Go keyword `_type`); None for the result's own."""
        if flow is self.flow:
            return None
        read = flow.origin.child_by_field_name("field")
        field = read.text.decode() if read is not None and read.text else ""
        return field if field in self.fields else field.removeprefix("_")

    def kind_of(self, flow: ValueFlow) -> str:
        """The kind of memory a flow of the result carries: its field's for a field read."""
        if flow is self.flow or not self.field_kinds:
            return self.kind
        return dict(self.field_kinds).get(self.field_of(flow) or "", self.kind)

    @property
    def kinds(self) -> list[str]:
        """Every kind of memory the result holds: `kind`, then its fields' others."""
        return list(dict.fromkeys((self.kind, *(k for _, k in self.field_kinds))))

    @property
    def flows(self) -> tuple[ValueFlow, ...]:
        """Every flow the memory takes: the result's and those of its holding fields."""
        return (self.flow, *self.parts)

    def made_at(self, flow: ValueFlow | None = None) -> tuple[Location, str]:
        """Where Rust gives the memory up, and how (`CString::into_raw`): that put in
        the field `flow` reads, if known; the export itself when a helper it returns
        from makes it."""
        handed = [a for a in self.export.hands_out if a.via == self.via]
        field = self.field_of(flow) if flow is not None else None
        own = next((a for a in handed if field and a.field == field), None)
        own = own or next(iter(handed), None)
        if own is None:  # made by a helper
            if self.via != "return":
                return self.export.location, f"written to `{self.via}` by `{self.export.name}`"
            return self.export.location, f"returned by `{self.export.name}`"
        return own.location, f"`{own.what}`"


def owned_results(ctx: RuleContext, file: GoFile) -> list[OwnedResult]:
    """Every call in a function of the file of a Rust export that returns owned memory."""
    found = _RESULTS.get(file)
    if found is not None:
        return found
    index, path = ctx.index, ctx.file.path
    owned: dict[str, tuple[str, RustExport, Crate, str] | None] = {}
    held: dict[str, _HoldingFields] = {}

    def returns_owned(name: str) -> bool:
        if name not in owned:
            owned[name] = found = _owned_return(index, path, name)
            if found is not None:
                held[name] = _holding_fields(index, *found)
        return owned[name] is not None

    found = _RESULTS[file] = []
    for call, name, flow in c_call_results(file, returns_owned):
        if file.syntax.top_function(call) is None:  # a package variable lives forever
            continue
        # A struct by value: the reads of the fields that hold the memory are followed.
        # A field read through a returned pointer (`r.success` of a `*C.Result`) reads
        # the box; it neither releases nor keeps it.
        fields, kinds, known = held[name]
        flow, parts = split_field_reads(file, flow, fields)
        found.append(
            OwnedResult(
                call,
                flow,
                *owned[name],  # type: ignore[misc]
                fields=fields,
                parts=tuple(parts),
                field_kinds=kinds,
                fields_known=known,
            )
        )
    found += _filled_results(index, path, file)
    return found


# A struct result's fields that hold owned memory, the kind of each (when they hold
# different kinds) and whether the export's literals say so (`OwnedResult`).
_HoldingFields = tuple[tuple[str, ...], tuple[tuple[str, str], ...], bool]


def _holding_fields(
    index: ProjectIndex, rust_path: str, export: RustExport, crate: Crate, kind: str
) -> _HoldingFields:
    """The fields of the struct an export returns that hold owned memory, of any kind
    it returns (a `Box` `value` and a `CString` `error`). When the export puts every
    allocation in a field of its own literal, those fields; else every field whose
    type can hold one, a field taking the narrowest kind that can be in it (a
    `CString` fits only the `char *` field, a generic `Box<T>` any pointer)."""
    rust = index.rust
    kinds = rust.owned_return_kinds(crate, rust_path, export) or (kind,)
    holding = {k: crate_holding_fields(rust, crate, export.return_type, k) for k in kinds}
    if not any(holding.values()):
        return (), (), False
    returned = [a for a in rust.returned_allocations(crate, rust_path, export) if a.kind in holding]
    if returned and all(a.field in holding[a.kind] for a in returned):
        named = {a.field: rust.canonical_kind(crate, a.kind) for a in returned}
        fields = tuple(dict.fromkeys(f for k in kinds for f in holding[k] if f in named))
        by_field = tuple((f, named[f]) for f in fields)  # type: ignore[index]
        known = True
    else:
        best: dict[str, tuple[int, str]] = {}
        for k, held in holding.items():
            for name in held:
                if name not in best or len(held) < best[name][0]:
                    best[name] = (len(held), rust.canonical_kind(crate, k))
        fields = tuple(best)
        by_field = tuple((name, k) for name, (_, k) in best.items())
        known = False
    if len({k for _, k in by_field}) < 2:
        by_field = ()
    return fields, by_field, known


def _filled_results(index: ProjectIndex, path: str, file: GoFile) -> list[OwnedResult]:
    """The owned memory exports write through an out-parameter into a local variable of
    the calling function (`C.f(&out)`; a field, `&r.out`, is not followed), with the
    flow of that variable after the call."""
    written: dict[str, list[tuple[int, str, str, RustExport, Crate, str, tuple[str, ...]]]] = {}
    found = []
    for call, name, _ in file.syntax.c_calls:
        if name not in written:
            written[name] = _owned_out_params(index, path, name)
        if not written[name] or file.c_function(call) != name:
            continue
        if file.syntax.top_function(call) is None:
            continue
        args = file.syntax.arguments(call)
        for position, via, rust_path, export, crate, kind, fields in written[name]:
            binding = filled_local(file, args[position]) if position < len(args) else None
            if binding is not None:
                flow, parts = split_field_reads(file, filled_uses(file, binding, call), fields)
                found.append(
                    OwnedResult(
                        call, flow, rust_path, export, crate, kind, via, fields, tuple(parts)
                    )
                )
    return found


def _owned_out_params(
    index: ProjectIndex, go_path: str, name: str
) -> list[tuple[int, str, str, RustExport, Crate, str, tuple[str, ...]]]:
    """(parameter position, its name, file, export, crate, canonical kind, the fields
    that hold it when it is written in a struct) of the owned memory an export writes
    through an out-parameter whose type can hold it."""
    bound = index.c.links.export_called(go_path, name)
    if bound is None or not any(p.type.startswith(("*mut ", "&mut ")) for p in bound[1].params):
        return []
    rust_path, export = bound
    crate = index.rust.crate_of(rust_path)
    # Made by the export itself, or by a crate helper whose result it writes there.
    handed = [(a.via, a.kind) for a in export.hands_out if a.via != "return"]
    handed += index.rust.written_allocations(crate, rust_path, export)
    found = []
    names = [p.name.removeprefix("mut ") for p in export.params]
    seen: set[tuple[int, str]] = set()  # one per parameter and kind: `*out = ..` in each branch
    for via, made in handed:
        if via not in names:
            continue
        position = names.index(via)
        written = _pointee(export.params[position].type)
        if written is None or not crate_returns_kind(index.rust, crate, written, made):
            continue
        kind = index.rust.canonical_kind(crate, made)
        if (position, kind) in seen:
            continue
        seen.add((position, kind))
        fields = crate_holding_fields(index.rust, crate, written, made)
        found.append((position, via, rust_path, export, crate, kind, fields))
    return found


def _pointee(written: str) -> str | None:
    """`*const c_char` of an out-parameter `*mut *const c_char` (or `&mut *mut T`)."""
    for prefix in ("*mut ", "&mut "):
        if written.startswith(prefix):
            return written[len(prefix) :].strip()
    return None


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


def release_exports(index: ProjectIndex, owned: OwnedResult, kind: str | None = None) -> Releases:
    """(file, export) of the crate's exports that give the result's kind (or `kind`,
    one of its fields') back to Rust (asked once per crate and kind: every owned
    result of a kind has the same)."""
    known = _RELEASES.setdefault(index, {})
    key = (owned.crate, kind or owned.kind)
    if key not in known:
        known[key] = index.rust.release_exports(*key)
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
            return name not in LIBC_TAKING
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
