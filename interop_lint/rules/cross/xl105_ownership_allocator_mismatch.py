"""## What it does
Checks for memory freed by the other side's allocator: a pointer from
Rust's allocator that Go passes to `C.free`, or memory from C's allocator
that a Rust export takes over with `from_raw`.

On the Go side: a pointer returned by a Rust export that hands out memory
from Rust's allocator (`CString::into_raw`, `Box::into_raw`, `Box::leak`, a
forgotten `Vec`), passed to `C.free` — directly, deferred, in a deferred
closure, through local variables and conversions, after `C.GoString(p)`, or
through a function of the package that frees its parameter, or a method
that frees the receiver or the field holding the memory (`b.Free()` with
`func (b Buffer) Free() { C.free(unsafe.Pointer(b.data)) }`). On the Rust
side: an export that calls `CString::from_raw` or `Box::from_raw` on a
parameter that Go callers fill with memory from `C.CString`, `C.CBytes`,
`C.malloc` or `C.calloc` — itself, or by passing the parameter to a function
of the crate that does (`drop_boxed(p)` with
`fn drop_boxed<T>(p: *mut T) { drop(Box::from_raw(p)) }`; the finding is at
the helper's `from_raw` when the helper is in the export's file, else at the
export's call of it, with the `from_raw` related).

## Why is this bad?
Rust's allocator and C's `malloc` are different heaps. `C.free` on a Rust
pointer, or dropping a `malloc`ed block as a `CString` or `Box`, is
undefined behaviour: with a custom global allocator (jemalloc, mimalloc) it
corrupts the heap; even with the system allocator a `Box<T>` or `Vec<T>` is
freed with the wrong layout, and `CString::from_raw` recomputes the length
of a string C never promised to NUL-terminate where Rust expects.

## Example
```go
func Version() string {
        p := C.engine_version() // CString::into_raw on the Rust side
        defer C.free(unsafe.Pointer(p))
        return C.GoString(p)
}
```

## Use instead
```go
func Version() string {
        p := C.engine_version()
        defer C.engine_string_free(p) // CString::from_raw, in the crate
        return C.GoString(p)
}
```
and, in Rust, copy what C lends instead of adopting it
(`CStr::from_ptr(p).to_owned()`), leaving `C.free` to Go.

## Known problems
On the Go side, pointers an export writes through an out-parameter are
followed when Go passes the address of a local variable (`C.f(&out)`), not
of a field (`C.f(&r.out)`), and only when the export makes the memory
itself. On the Rust side only Go calls that pass the
allocation directly or through a local variable of the calling function are
seen; helpers are followed one call deep, and not into methods
(`self.adopt(p)`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from tree_sitter import Node

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.facts import CCallSite
from interop_lint.analyzer.golang.flow import ValueFlow, is_freed
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.struct_holders import go_field_names
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.ownership import (
    OwnedResult,
    c_memory_callers,
    owned_results,
    release_exports,
)
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import bodies_of
from interop_lint.analyzer.rust.ownership import describe_kind
from interop_lint.analyzer.rust.pointer_contracts import passed_to_helpers
from interop_lint.analyzer.rust.pointers import pointer_parameters
from interop_lint.analyzer.rust.syntax import impl_type_of
from interop_lint.rules.registry import Rule

_FROM_RAW = ("CString::from_raw", "Box::from_raw")
_MAX_CALLERS = 5


class OwnershipAllocatorMismatch(Rule):
    id = "XL105"
    name = "ownership-allocator-mismatch"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.GO, FileKind.RUST})
    cwe = (762, 590)
    precision = "high"
    security_severity = 8.1

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if ctx.file.kind is FileKind.RUST:
            yield from self._rust_adopts_c_memory(ctx)
            return
        file = GoFile.of(ctx)
        for owned in owned_results(ctx, file) if file is not None else ():
            # Each `C.free` is its own bug: `ret.left` and `ret.right` of one result
            # struct freed one after the other are two findings.
            seen: set[int] = set()
            for flow in owned.flows:
                freed = is_freed(file, flow, fields=go_field_names(owned.fields))  # type: ignore[arg-type]
                if freed is None or freed.call is None or freed.call.id in seen:
                    continue
                seen.add(freed.call.id)
                yield _freed_by_go(ctx, owned, flow, freed.call, freed.callee)

    def _rust_adopts_c_memory(self, ctx: RuleContext) -> Iterator[Violation]:
        for export in ctx.index.rust.exports_in_file(ctx.file.path):
            for release in export.releases:
                if release.what not in _FROM_RAW or release.param_index is None or release.field:
                    continue  # `Vec::from_raw_parts`, or a field of the parameter
                callers = c_memory_callers(ctx.index, ctx.file.path, export, release.param_index)
                if not callers:
                    continue
                freed = (
                    f"`{export.name}` frees parameter `{release.param_name}` with Rust's "
                    f"allocator (`{release.what}`)"
                )
                yield Violation(
                    release.location, _adopted(freed, callers), related=_caller_locations(callers)
                )
        yield from self._helpers_adopt_c_memory(ctx)

    def _helpers_adopt_c_memory(self, ctx: RuleContext) -> Iterator[Violation]:
        """An export that hands its parameter to a crate helper that frees it
        (`fn drop_boxed<T>(p: *mut T) { drop(Box::from_raw(p)) }`): the finding is at
        the helper's `from_raw` when the helper is in this file, else (a finding
        belongs to the file checked) at the export's call, the `from_raw` related."""
        rust, index = ctx.facts.rust, ctx.index.rust
        crate = index.crate_of(ctx.file.path)
        if rust is None or not index.parameter_releases(crate):
            return
        # The positions Go fills with C memory, by export (asked first: it is cheap).
        fed_at = [
            {
                i: callers
                for i in range(len(export.params))
                if (callers := c_memory_callers(ctx.index, ctx.file.path, export, i))
            }
            for export in rust.exports
        ]
        if not any(fed_at):
            return
        bodies = bodies_of(ctx.file)
        names = index.type_names(crate)
        for exported, export, fed_here in zip(bodies.exports, rust.exports, fed_at, strict=False):
            if not fed_here or export.name != text(exported.node.child_by_field_name("name")):
                continue
            fed = {
                parameter.name: fed_here[parameter.position]
                for parameter in pointer_parameters(exported.node, names.is_raw_pointer)
                if parameter.position in fed_here
            }
            owner_of = partial(index.call_owner, crate, self_type=impl_type_of(exported.node))
            for helper in passed_to_helpers(
                bodies, exported.node, set(fed), index.parameter_releases(crate), owner_of
            ):
                release = helper.demand
                if release.what not in _FROM_RAW:
                    continue
                callers = fed[helper.use.name]
                call = bodies.location(helper.use.at)
                message = _adopted(
                    f"`{export.name}` passes parameter `{helper.use.name}` to "
                    f"`{helper.helper}`, which frees it with Rust's allocator "
                    f"(`{release.what}`, {release.location.place})",
                    callers,
                )
                if release.location.path == ctx.file.path:
                    here = RelatedLocation(call, f"`{export.name}` passes it to `{helper.helper}`")
                    yield Violation(
                        release.location, message, related=(here, *_caller_locations(callers))
                    )
                    continue
                there = RelatedLocation(release.location, f"`{release.what}` in `{helper.helper}`")
                yield Violation(call, message, related=(there, *_caller_locations(callers)))


def _freed_by_go(
    ctx: RuleContext, owned: OwnedResult, flow: ValueFlow, call: Node, called: str
) -> Violation:
    kind = owned.kind_of(flow)
    made, how = owned.made_at(flow)
    callee = text(call.child_by_field_name("function")) or called
    by = "`C.free`" if callee == "C.free" else f"`{callee}` (with `C.free`)"
    message = (
        f"{by} frees {describe_kind(kind)} that `C.{owned.export.symbol}` got "
        f"from Rust's allocator ({how}, {made.place})"
    )
    related = [RelatedLocation(made, f"allocated by Rust: {how}")]
    releases = release_exports(ctx.index, owned, kind)
    if releases:
        release = releases[0][1]
        message += f": pass it to `{release.symbol}` ({release.location.place}) instead"
        related.append(RelatedLocation(release.location, f"the release `{release.name}`"))
    else:
        message += ": only Rust may free it, and the crate exports no function that does"
    return Violation(ctx.file.location(call), message, related=tuple(related))


def _adopted(freed: str, callers: list[tuple[CCallSite, str]]) -> str:
    """`freed`, then where Go passes C memory there."""
    call, allocator = callers[0]
    message = (
        f"{freed} but Go passes memory from `{allocator}` there ({call.location.place}): "
        "only `C.free` may free it"
    )
    if len(callers) > 1:
        message += f" (and {len(callers) - 1} more Go call(s))"
    return message


def _caller_locations(callers: list[tuple[CCallSite, str]]) -> tuple[RelatedLocation, ...]:
    return tuple(
        RelatedLocation(c.location, f"`{source}` memory passed from Go")
        for c, source in callers[:_MAX_CALLERS]
    )
