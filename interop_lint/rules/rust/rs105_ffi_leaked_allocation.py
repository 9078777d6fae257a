"""## What it does
Checks for exported functions that hand Rust-allocated memory to the caller
(returned, or written through an out-parameter) — `CString::into_raw`,
`Box::into_raw`, `Box::leak`, a `Vec`'s pointer after `mem::forget` or
`ManuallyDrop::new` — when no exported function of the crate gives that kind
of memory back to Rust (`CString::from_raw`, `Box::from_raw` of the same type,
`Vec::from_raw_parts`, or a `Box<T>` / `Option<Box<T>>` parameter the export
drops: `fn error_free(_e: Option<Box<Error>>) {}`). A forgotten `Vec`'s
pointer is handed out when it is taken directly (`v.as_mut_ptr()`), through a
reborrow (`let s = &v[..]; s.as_ptr()`), by a conversion of a borrow
(`Buffer::from(&v[..])`, `(&v[..]).into()`) or by a function of the file that
takes its argument's pointer (`to_buffer(&v)`); so is a `Vec` field's pointer
when the struct that owns it is forgotten (`*out = res.rows.as_mut_ptr();
mem::forget(res)`). Helpers that exports call and whose result they hand on
count as the export, also one given by name to `map_or` and its kin
(`bytes.map_or(null(), to_c_string)`). Releases in functions an export calls
count (a generic `fn free_box<T>(p: *mut T)` gives back the types its callers
pass it: `free_box(b)` of `b: *mut Blind`, `free_box(p as *mut Blind)`,
`free_box::<Blind>(p)`; any type when a caller's is not written), so do
releases in functions kept in a struct to be called through its field (a
vtable's `destroy: destroy::<W>`), and so do releases of pointers a handle kept
in a field's collection, given back when the handle is freed (`while let
Some(p) = it.name_ptrs.pop() { CString::from_raw(p); }`, `for p in
set.labels.drain(..)`), and releases of the elements of an array the caller
passes (`CString::from_raw(*names.add(i))`, or `Box::from_raw` of `r.values`
for each `r` of `slice::from_raw_parts_mut(results, n)`).

Opaque handles: memory is matched by its type in Rust and also by the type C
sees. A `Box<Session>` handed out as `*mut session_handle` is given back by an
export that takes a `*mut session_handle` and releases it as any type
(`Box::from_raw(h as *mut Session)`, or `Box::from_raw(s)` of a reference
`s: &mut Session` made from `h`: `(h as *mut Session).as_mut()`, `&mut *h`, a
macro given `h`).

A method of a trait implemented for a type (`impl Clone for Buf`) is not
reported for memory of a kind that the type's own `impl Drop` gives back
(`Vec::from_raw_parts(self.ptr, ..)`): the value owns that memory and frees
it when it is dropped, as the export that frees the value drops it. A
`Drop` written by a derive macro (`#[derive(DropStructMacro)]`, any derive
with `Drop` in its name) cannot be read: it counts for every kind.

Memory kept in a field of a struct that is handed out boxed
(`Box::into_raw(Box::new(Error { message: CString::new(m)?.into_raw() }))`)
is handed out too: freeing the box does not free a raw-pointer field, unless
the struct's own `Drop` gives it back, or a free function reads it from the
unboxed value (`CString::from_raw(Box::from_raw(err).message)`).

A release whose owner is given up again borrows and frees nothing: `let b =
Box::from_raw(p); ..; mem::forget(b)`, `ManuallyDrop::new(Box::from_raw(p))`,
`let s = CString::from_raw(p); ..; s.into_raw()`.

## Why is this bad?
Memory from Rust's allocator must be freed by Rust, with the type it was
allocated as. Without a release export the caller (Go, Python) has two
choices, both wrong: never free it (a leak on every call) or call `C.free` on it (undefined
behaviour: a different allocator, and for a `Box` or `Vec` the wrong layout).

## Example
```rust
#[no_mangle]
pub extern "C" fn engine_version() -> *mut c_char {
    CString::new(VERSION).unwrap().into_raw()
}
```

## Use instead
```rust
#[no_mangle]
pub extern "C" fn engine_version() -> *mut c_char {
    CString::new(VERSION).unwrap().into_raw()
}

/// # Safety
/// `s` must come from this library and must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn engine_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(CString::from_raw(s));
    }
}
```

## Known problems
When the type inside a `Box` or `Vec` cannot be told from the code (a
buffer behind a struct field of another crate), any release of the same
family counts as its release. A `free(p: *mut c_void)` that calls
`Box::from_raw(p)` frees a `Box<c_void>` (the wrong layout, and no
destructor runs): it gives back no other type, and the finding says so. `Arc::into_raw` /
`Rc::into_raw` are not followed.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.rust.facts import Allocation
from interop_lint.analyzer.rust.index import Crate, RustIndex
from interop_lint.analyzer.rust.ownership import describe_kind
from interop_lint.rules.registry import Rule

_RELEASES = {"cstring": "CString::from_raw", "box": "Box::from_raw", "vec": "Vec::from_raw_parts"}


class FfiLeakedAllocation(Rule):
    id = "RS105"
    name = "ffi-leaked-allocation"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    cwe = (401, 762)
    precision = "high"
    security_severity = 5.0

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        rust = ctx.facts.rust
        if rust is None or not any(f.hands_out for f in rust.functions):
            return
        index = ctx.index.rust
        crate = index.crate_of(ctx.file.path)
        calls = index.calls_of(crate)
        reached = index.called_from_exports(crate)
        for function in rust.functions:
            if calls.index_of(ctx.file.path, function.location, function.name) not in reached:
                continue
            owner = function.owner if function.trait_name is not None else None
            for allocation in function.hands_out:
                if index.releases_kind(crate, allocation.kind):
                    continue
                if allocation.handle and index.releases_kind(crate, allocation.handle):
                    continue  # given back as the handle type C sees (`*mut session_handle`)
                if owner is not None and index.released_by_drop(crate, owner, allocation.kind):
                    continue  # `impl Clone for Buf` whose memory `impl Drop for Buf` gives back
                if _dropped_with_holder(index, crate, function.owner, allocation):
                    continue  # kept in a field of a struct whose `Drop` gives it back
                kind = index.canonical_kind(crate, allocation.kind)
                family = kind.partition(":")[0]
                void = index.void_release_hint(crate, kind)
                typed = " of its type" if void and family == "box" else ""
                release = _RELEASES[family]
                handed = describe_kind(kind, allocation.what)
                if family == "vec" and allocation.what in ("Box::into_raw", "Box::leak"):
                    release = "Box::from_raw(slice::from_raw_parts_mut(..))"
                yield Violation(
                    allocation.location,
                    f"`{function.name}` hands {handed} to C (`{allocation.what}`) but "
                    "no export of the crate gives it back to "
                    f"Rust (`{release}`{typed}): "
                    + (f"{void}" if void else "the caller can only leak it or free it wrongly"),
                )


def _dropped_with_holder(
    index: RustIndex, crate: Crate, owner: str | None, allocation: Allocation
) -> bool:
    """Whether the struct whose literal holds the allocation (`Self { data: .. }` in an
    `impl`) gives it back in its `Drop`. A box of a type not written out (`Box<str>`
    made by `.into()`) is given back as the slice it is (`Box::from_raw(slice)`)."""
    holder = owner if allocation.held_by == "Self" else allocation.held_by
    if holder is None:
        return False
    kinds = [allocation.kind, "vec"] if allocation.kind == "box" else [allocation.kind]
    return any(index.released_by_drop(crate, holder, kind) for kind in kinds)
