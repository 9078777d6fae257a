"""## What it does
Checks for exported functions that use a raw-pointer parameter in a way that
requires it to be non-null (`*p`, `&*p`, `(*p).field`, `CStr::from_ptr(p)`,
`slice::from_raw_parts(p, n)`, `Box::from_raw(p)`, `CString::from_raw(p)`,
`ptr::read(p)`, `p.read()`, either pointer of `ptr::copy_nonoverlapping(src,
dst, n)` or `dst.copy_from(src, n)`, `ptr::write_bytes(p, 0, n)`, ...;
`from_raw_parts` needs a non-null pointer even when `n` is 0, the copies
whenever `n` is not) without checking it for null first
on every path: `p.is_null()` with an early return or in the branch's
condition, a comparison with `ptr::null()`/`null_mut()`, `NonNull::new(p)` or
`p.as_ref()`/`p.as_mut()` that is matched, alone or as an element of a tuple
(`if let (Some(t), false) = (t, p.is_null())`), or a `match p.is_null()` whose
null arm leaves (`true => return -1, false => {}`). A macro of the crate that
does such a check and leaves otherwise before the rest of it runs (hyper's
`non_null!(&*p ?= default)`, from another file too) checks the pointer its
invocation names. So does a call of a function of the crate that panics
when that argument is null before it can return (`Status::check_not_null(p);`
with `if p.is_null() { panic!(..) }` or `assert!(!p.is_null())` at the top of
its body): the panic is RS101's. Type aliases of pointers count as pointers. One finding per
parameter, at its first unchecked use.

A guard that rejects null only when a length says there is data (`if
p.is_null() && len > 0 { return -1; }`, C's `(NULL, 0)` for an empty array)
protects the uses that run only when that holds: in the branch of `if len >
0` (`!v.is_empty()` for `v.len()`), after `if len == 0 { return .. }`, in a
loop or a per-item closure over `0..len`.

Passing the parameter to a function of the crate that does one of those uses
unchecked (`fn to_str(p: *const c_char) -> &str { CStr::from_ptr(p) .. }`),
or hands it on unchecked to one that does (`fn keys(p) { to_str(p) }`), is
a use too, reported at the call: check before the call, or in the helper.
So is passing a reference to it to a helper that dereferences what it refers
to (`params_unwrap(&p)` with `fn params_unwrap(r: &*mut T) { &**r }`).
So is naming it to a macro of the crate whose transcriber uses it unchecked
(pkgcraft's `iter_to_array!(iter, len, f)` writing `*$len = ..`), reported at
the invocation; uses inside macros the transcriber invokes are theirs.

## Why is this bad?
Callers pass null easily: from Go a zero-value struct field, an empty slice's
`unsafe.SliceData`, a `C.CString` that was never made; from Python `None`.
Dereferencing a null pointer in Rust is undefined behaviour; in practice a
segmentation fault that takes the whole process down without a Go or Python
stack trace. Release functions (`Box::from_raw(p)`, `CString::from_raw(p)`)
are reported too: C's `free(NULL)` does nothing, so callers release without
checking (a Go finalizer, an error path that frees what it has).

## Example
```rust
#[no_mangle]
pub unsafe extern "C" fn engine_name_len(name: *const c_char) -> usize {
    CStr::from_ptr(name).to_bytes().len()
}
```

## Use instead
```rust
#[no_mangle]
pub unsafe extern "C" fn engine_name_len(name: *const c_char) -> usize {
    if name.is_null() {
        return 0;
    }
    CStr::from_ptr(name).to_bytes().len()
}
```

## Known problems
A fallible call given the pointer itself (`validate(handle)?`), a macro
whose name mentions null (`ffi_check_null!(p)`, which checks its arguments
in order: `check_not_null!(p, *p)` reads `*p` after checking `p`), and a function whose name
says it validates the pointer asked in an `if` that returns
(`if received_invalid_pointer(p) { return .. }`) are taken as checks,
without looking inside them. A local copy of the pointer (`let q = p.cast::<T>()`)
is followed; a pointer stored in a struct is not. Helpers are followed up
to four calls deep, by name (`f(p)`, `module::f(p)`, `Type::f(p)`), and
only when every function of that name needs the pointer; methods and
macros are not followed.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.release_names import has_release_word
from interop_lint.analyzer.rust.body import bodies_of
from interop_lint.analyzer.rust.expressions import callee
from interop_lint.analyzer.rust.item_macros import exported_functions, may_export
from interop_lint.analyzer.rust.nullness import checked_before
from interop_lint.analyzer.rust.pointer_contracts import passed_to_helpers
from interop_lint.analyzer.rust.pointers import (
    PointerUse,
    pointer_parameters,
    pointer_uses,
    pointers_used_by_macros,
)
from interop_lint.analyzer.rust.reboxed import given_up_again
from interop_lint.analyzer.rust.releases import RELEASE_CALLS
from interop_lint.analyzer.rust.syntax import impl_type_of
from interop_lint.rules.registry import Rule


class FfiUncheckedPointer(Rule):
    id = "RS102"
    name = "ffi-unchecked-pointer"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    cwe = (476,)
    precision = "high"
    security_severity = 7.5

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if not may_export(ctx.facts.rust):
            return
        rust = ctx.index.rust
        crate = rust.crate_of(ctx.file.path)
        names = rust.type_names(crate)
        demands = rust.pointer_demands(crate)
        bodies = bodies_of(ctx.file)
        macros = rust.null_checks(crate)
        for export in exported_functions(ctx.file, ctx.index.rust):
            parameters = {p.name: p for p in pointer_parameters(export.node, names.is_raw_pointer)}
            function = text(export.node.child_by_field_name("name"))
            owner_of = partial(rust.call_owner, crate, self_type=impl_type_of(export.node))
            helpers = passed_to_helpers(bodies, export.node, set(parameters), demands, owner_of)
            # One call can pass several pointers, each to a different use in the helper.
            by_call = {(h.use.at, h.use.name): h for h in helpers}
            in_macros = pointers_used_by_macros(
                bodies, export.node, set(parameters), macros.unchecked_uses
            )
            uses = [
                *pointer_uses(bodies, export.node, set(parameters)),
                *(h.use for h in helpers),
                *in_macros,
            ]
            reported: set[str] = set()
            for use in sorted(uses, key=lambda u: u.at.start):
                if use.name in reported or any(
                    checked_before(use.at, name, bodies, macros) for name in use.held_by()
                ):
                    continue
                reported.add(use.name)
                parameter = parameters[use.name]
                related = [
                    RelatedLocation(
                        ctx.file.location(parameter.node), f"parameter `{use.name}` of `{function}`"
                    )
                ]
                helper = by_call.get((use.at, use.name))
                if helper is not None:
                    message = (
                        f"`{function}` passes pointer `{use.local}` to `{helper.helper}` without "
                        f"checking it for null first, and `{helper.helper}` uses it "
                        f"(`{helper.demand.what}`) unchecked: a null pointer from the caller "
                        "(Go's nil, Python's None) is undefined behaviour there"
                    )
                    related.append(
                        RelatedLocation(helper.demand.location, f"the use in `{helper.helper}`")
                    )
                else:
                    message = _message(function, use)
                yield Violation(bodies.location(use.at), message, related=tuple(related))


def _message(function: str, use: PointerUse) -> str:
    called = callee(use.at) if use.at.type == "call_expression" else None
    # A box taken and handed back (`mem::forget(b)`) is borrowed: no free function.
    released = called is not None and called.qualified in RELEASE_CALLS
    released = released and not given_up_again(use.at)
    if released and has_release_word(function):
        return (
            f"`{function}` releases pointer `{use.local}` (`{use.what}`) without "
            "checking it for null first: free functions are called with NULL, as "
            f"C's free is: return early when `{use.local}` is null"
        )
    if released:
        # A consuming export (`writer_finish(w)`) is no free function C hands NULL to
        # by habit; the null is still the caller's nil or None.
        return (
            f"`{function}` takes ownership of pointer `{use.local}` (`{use.what}`) "
            "without checking it for null first: a null pointer from the caller "
            "(Go's nil, Python's None) is undefined behaviour here"
        )
    copy = f"a copy of `{use.name}`: " if use.local != use.name else ""
    return (
        f"`{function}` uses pointer `{use.local}` ({copy}`{use.what}`) without checking "
        "it for null first: a null pointer from the caller (Go's nil, Python's "
        "None) is undefined behaviour here"
    )
