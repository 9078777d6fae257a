"""## What it does
Checks for Go calls of Rust exports that return memory from Rust's
allocator whose result the calling function neither gives back to the
crate's matching release export nor lets escape. Memory an export writes
through an out-parameter into a local variable (`var s *C.char;
C.f(&s)`) is its result too, from the call on: a `defer` above the call that
releases `s` reads it before the call fills it, and releases nothing.

The memory is what RS105 follows (`CString::into_raw`, `Box::into_raw`,
`Box::leak`, a forgotten `Vec`, made by the export or by a helper it returns
from). A matching release export gives that kind back to Rust
(`CString::from_raw`, `Box::from_raw` of that type, `Vec::from_raw_parts`);
the result may reach it directly, deferred, in a deferred closure or through
a package function that passes it on. It escapes when it is returned, stored
in a field, an element or a global, sent, or passed to a configured
`ownership-taking` function. A field of a struct of the function's own is
no escape when that struct is only read for its fields (`line :=
titled{title: C.doc_title(d)}`, never returned, stored, passed on or given a
method call): the result escapes only if a read of that field lets it.
`C.GoString(p)` copies the string and `fmt.Println(r)` or `log.Printf` formats
it; neither releases it. A result freed with `C.free` is XL105's finding, not
this one.

A `#[repr(C)]` struct returned by value (`VerifyResult { status, error_msg
}`) holds the memory in its pointer fields: the reads of those fields are
followed (`errors.New(C.GoString(r.error_msg))` releases nothing), a read of
another field (`r.status`) is no use of the memory, and a package function
handed the whole struct releases it when it releases the field. When the
export's own struct literals say which field gets which memory (`CResult {
value: s.into_raw(), error: null_mut() }`), each of those fields is owned on
its own: giving the `error` back does not release the `value`.

The memory counts as the result only when the export's declared return
type can be it: a `CString` for a `*mut c_char` / `*const c_char`, a
`Box<T>` for a `*mut T`, a `Vec<T>` for a pointer to `T`, any of them for a
`*mut c_void`, or a pointer field of a `#[repr(C)]` struct returned by
value. A string made inside a box the export returns (`*mut
CResult<c_char>` built by a crate macro) is the box's content, not the
result: when the types disagree, or the type says nothing certain (an
integer), the rule stays silent.

## Why is this bad?
The Go garbage collector does not see memory from Rust's allocator. Every
call leaks the string, box or buffer: a service that asks Rust for a
description per request grows until it is killed. `C.GoString` makes the
leak easy to miss: the Go string looks like the result, but the Rust string
it was copied from stays allocated.

## Example
```go
func Describe(e *C.engine_t) string {
        return C.GoString(C.engine_describe(e))
}
```

## Use instead
```go
func Describe(e *C.engine_t) string {
        p := C.engine_describe(e)
        defer C.engine_string_free(p)
        return C.GoString(p)
}
```

## Known problems
The release is looked for anywhere in the function, not on every path, and
a release export counts whichever of its parameters the result is passed in.
When the result goes where the package's code cannot be followed (a function
of another package, an `any` parameter, a method call, a C function defined
in C, a field read through a returned pointer), the rule stays silent. An
export of the crate that keeps the pointer without `from_raw` (to free it
later) is taken
as only reading it: list it in `ownership-taking`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.flow import ValueFlow, deferred_too_early, is_freed
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.ownership import kept_or_released, out_of_sight
from interop_lint.analyzer.golang.struct_holders import held_in_local_struct
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.golang.uses import UseKind
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.ownership import (
    OwnedResult,
    owned_results,
    reads_only,
    release_exports,
)
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.ownership import describe_kind
from interop_lint.rules.registry import Rule


class OwnershipNotReleased(Rule):
    id = "XL106"
    name = "ownership-not-released"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.GO})
    cwe = (401,)
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        file = GoFile.of(ctx)
        if file is None:
            return
        taking = ctx.config.ownership_taking
        in_sight = reads_only(ctx.index, ctx.file.path)
        for owned in owned_results(ctx, file):
            if is_freed(file, owned.flow) is not None:
                continue  # freed with C.free: XL105
            kinds = owned.kinds
            releases = [r for k in kinds for r in release_exports(ctx.index, owned, k)]
            names = [f"C.{export.symbol}" for _, export in releases]
            flows, held, reads = [owned.flow], "", list(owned.parts)
            kept = kept_or_released(file, owned.flow, names, taking)
            if kept is not None:
                local = None
                if kept.kind in (UseKind.FIELD, UseKind.COMPOSITE):
                    local = held_in_local_struct(file, owned.flow)
                if local is None:
                    continue  # released, or kept beyond the function
                held, flows = local
                reads += flows
            notes = [f"kept in `{held}`, a local that does not leave the function"] if held else []
            done = [  # released, freed (XL105's) or kept
                f
                for f in reads
                if kept_or_released(file, f, names, taking) is not None
                or is_freed(file, f) is not None
            ]
            if done:  # a field is released or leaves through a read of it
                left = None if held else _fields_left(owned, done)
                if left is None:
                    continue
                given = "`/`".join(sorted({f for f in map(owned.field_of, done) if f}))
                notes.append(f"only its `{given}` field is released or kept")
                owned = left
                kinds = owned.kinds
            flows += owned.parts
            if any(out_of_sight(file, f, in_sight) is not None for f in flows):
                continue
            early = deferred_too_early(file, owned.flow, set(names).__contains__)
            if early is not None:
                notes.append(
                    f"the `defer` at line {early[1]} reads `{text(early[0])}` before the call "
                    "fills it: defer the release after the call"
                )
            if any(u.callee == "C.GoString" for f in flows for u in f.of_kind(UseKind.ARGUMENT)):
                notes.append("`C.GoString` copies it, it does not release it")
            message, related = _message(ctx, owned, kinds, notes)
            yield Violation(ctx.file.location(owned.call), message, related=tuple(related))


def _fields_left(owned: OwnedResult, done: list[ValueFlow]) -> OwnedResult | None:
    """The result narrowed to the fields none of whose reads is released or kept, when
    the export's literals say which fields hold memory (`value` and `error` of a
    `CResult` whose `error` alone Go gives back); None when every field is."""
    if not owned.fields_known:
        return None
    given = {owned.field_of(f) for f in done}
    left = tuple(f for f in owned.fields if f not in given)
    if not left:
        return None
    kinds = tuple((f, k) for f, k in owned.field_kinds if f in left)
    kind = kinds[0][1] if kinds else owned.kind
    parts = tuple(p for p in owned.parts if owned.field_of(p) in left)
    if len({k for _, k in kinds}) < 2:
        kinds = ()  # one kind: `kind` says it
    return replace(owned, kind=kind, fields=left, parts=parts, field_kinds=kinds)


def _message(
    ctx: RuleContext, owned: OwnedResult, kinds: list[str], notes: list[str]
) -> tuple[str, list[RelatedLocation]]:
    """What is not released, by whom, and which export releases it."""
    export, where = owned.export, owned.export.location.place
    if len(kinds) > 1:  # a `Box` value and a `CString` error: each with its release
        held = (f"{describe_kind(k)} in its `{f}` field" for f, k in owned.field_kinds)
        what = f"{' and '.join(held)}, owned by Rust ({where}),"
    else:
        what = f"{describe_kind(owned.kind)} owned by Rust ({where})"
        if owned.fields:
            what += f" in its `{'`/`'.join(owned.fields)}` field"
    found = (release_exports(ctx.index, owned, k) for k in kinds)
    releases = list(dict.fromkeys(r[0][1] for r in found if r))  # the first of each kind
    void = "" if releases else ctx.index.rust.void_release_hint(owned.crate, owned.kind)
    caller = function_name(owned.call)
    if void:  # freed, if at all, through a `free(void *)` that cannot free it
        into = "returns" if owned.via == "return" else f"writes to its `{owned.via}`"
        message = f"`C.{export.symbol}` {into} {what} that no export of the crate releases"
    elif owned.via == "return":
        message = f"`C.{export.symbol}` returns {what} that `{caller}` never releases"
    else:
        message = (
            f"`C.{export.symbol}` writes {what} to its `{owned.via}`, and "
            f"`{caller}` never releases it"
        )
    if notes:
        message += f" ({'; '.join(notes)})"
    related = [RelatedLocation(export.location, f"the Rust export `{export.name}`")]
    if releases:
        given = ", ".join(f"`{r.symbol}` ({r.location.place})" for r in releases)
        message += f": pass {'them' if len(releases) > 1 else 'it'} to {given}"
        related += (RelatedLocation(r.location, f"the release `{r.name}`") for r in releases)
    elif void:
        message += f": {void}"
    else:
        message += ", and the crate exports no function to release it"
    return message, related
