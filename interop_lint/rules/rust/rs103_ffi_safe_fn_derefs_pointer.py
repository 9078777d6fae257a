"""## What it does
Checks for public `extern "C"` functions that are not declared `unsafe` but
dereference a raw-pointer parameter (`*p`, `&*p`, `CStr::from_ptr(p)`,
`slice::from_raw_parts(p, n)`, `p.read()`, `p.as_ref()`, `p.as_mut()`, ...:
`as_ref` spares a null pointer, not a dangling one), usually inside an `unsafe
{ }` block, or hand it to a function of the crate that dereferences it
unchecked (ttf-parser's `font_from_ptr(font).ascender`, where `fn
font_from_ptr(font: *const ttfp_font) -> &'static Font { unsafe { &*(font as
*const Font) } }`: the helper RS102 follows), checked for null there or not
(ja2-stracciatella's `unsafe_ref`, `assert!(!p.is_null()); unsafe { &*p }`: a
null check spares the null pointer, not a dangling one), a few helpers deep,
or another export that does (shadow's GLib `*Void` adapters), or name it to a
macro of the crate that dereferences it (lightningcss's `unwrap!(parse(s),
error, ..)` writing `*$error = ..`).

This is clippy's `not_unsafe_ptr_arg_deref` for `pub extern` functions, a
lint clippy denies by default: a crate-wide allow of it hides unsound
exports (mmtk-ruby removed its own and made eleven exports `unsafe`), so it
is no interop-lint suppression. With `follow-clippy-allows = true` in the
configuration it is one: `#[allow(clippy::not_unsafe_ptr_arg_deref)]` or
`#[expect(..)]` on the function, its `impl` or an enclosing `mod` (also in
`cfg_attr`), the same as an inner attribute `#![allow(..)]` of its file or of
a module above it up to the crate root, turns the rule off there. So does
the lint's group, `clippy::correctness`; `clippy::all` does not.

## Why is this bad?
A safe function promises that no argument can cause undefined behaviour.
This one cannot keep the promise: any caller, including safe Rust code in the
crate or a test, can pass a dangling or misaligned pointer and corrupt
memory without writing `unsafe`. Declaring it `unsafe` puts the obligation
where it belongs, on the caller, and makes the contract visible.

## Example
```rust
#[no_mangle]
pub extern "C" fn engine_len(engine: *const Engine) -> usize {
    unsafe { (*engine).items.len() }
}
```

## Use instead
```rust
/// # Safety
/// `engine` must come from `engine_new` and not have been freed.
#[no_mangle]
pub unsafe extern "C" fn engine_len(engine: *const Engine) -> usize {
    (*engine).items.len()
}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from tree_sitter import Node

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import RustBodies, bodies_of
from interop_lint.analyzer.rust.item_macros import exported_functions, may_export
from interop_lint.analyzer.rust.lints import RS103_LINTS, turned_off
from interop_lint.analyzer.rust.pointer_contracts import passed_to_helpers
from interop_lint.analyzer.rust.pointers import (
    pointer_parameters,
    pointer_uses,
    pointers_used_by_macros,
    referenced_pointers,
)
from interop_lint.analyzer.rust.syntax import (
    has_modifier,
    impl_type_of,
    is_test_code,
    public_extern_functions,
)
from interop_lint.rules.registry import Rule


class FfiSafeFnDerefsPointer(Rule):
    id = "RS103"
    name = "ffi-safe-fn-derefs-pointer"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.RUST})
    cwe = (822,)
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if b"extern" not in ctx.file.code and not may_export(ctx.facts.rust):
            return  # no `extern` function written, none made by a crate macro
        rust = ctx.index.rust
        crate = rust.crate_of(ctx.file.path)
        names = rust.type_names(crate)
        bodies = bodies_of(ctx.file)
        for function in self._safe_public_functions(ctx, bodies):
            parameters = {p.name for p in pointer_parameters(function, names.is_raw_pointer)}
            use = next(pointer_uses(bodies, function, parameters), None)
            if use is None:  # `unsafe { p.as_ref() }`: null-safe, not dangling-safe
                use = next(iter(referenced_pointers(bodies, function, parameters)), None)
            helper = None
            if use is None and parameters:
                owner_of = partial(rust.call_owner, crate, self_type=impl_type_of(function))
                demands = rust.pointer_dereferences(crate)
                helper = next(
                    iter(passed_to_helpers(bodies, function, parameters, demands, owner_of)), None
                )
                use = helper.use if helper is not None else None
            if use is None and parameters:
                # `unwrap!(parse(s), error, 0)` of a crate macro writing `*$error = ..`
                used = rust.null_checks(crate).dereferences
                use = next(iter(pointers_used_by_macros(bodies, function, parameters, used)), None)
            if use is None or (
                ctx.config.follow_clippy_allows
                and turned_off(function, RS103_LINTS, ctx.file, ctx.index.rust)
            ):
                continue
            name_node = function.child_by_field_name("name")
            name = text(name_node)
            where = bodies.location(use.at)
            if helper is not None:
                yield Violation(
                    ctx.file.location(name_node or function),
                    f"`{name}` is a safe `pub extern` function but hands raw pointer "
                    f"`{use.name}` to `{helper.helper}` at {where.place}, which dereferences "
                    f"it (`{helper.demand.what}`): declare it `unsafe` and document what "
                    "callers must guarantee",
                    related=(
                        RelatedLocation(where, f"`{use.name}` is passed here"),
                        RelatedLocation(helper.demand.location, f"`{helper.helper}` uses it"),
                    ),
                )
                continue
            yield Violation(
                ctx.file.location(name_node or function),
                f"`{name}` is a safe `pub extern` function but dereferences raw pointer "
                f"`{use.name}` (`{use.what}` at {where.place}): declare it "
                "`unsafe` and document what callers must guarantee",
                related=(RelatedLocation(where, f"`{use.name}` is dereferenced here"),),
            )

    @staticmethod
    def _safe_public_functions(ctx: RuleContext, bodies: RustBodies) -> list[Node]:
        """The file's public `extern` functions not declared `unsafe`, and the exports a
        crate macro makes `pub` and not `unsafe` of the functions its invocations
        write (pact_ffi's `ffi_fn! { fn name(..) -> T { .. } }`)."""
        written = list(public_extern_functions(bodies.scan.items))
        may_be_test = b"test" in ctx.file.code  # a `#[cfg(test)]` one never ships
        found = [
            f
            for f in written
            if not has_modifier(f, "unsafe") and not (may_be_test and is_test_code(f))
        ]
        for export in exported_functions(ctx.file, ctx.index.rust):
            made_safe = export.made_pub and not export.made_unsafe
            if made_safe and export.node not in written and not has_modifier(export.node, "unsafe"):
                found.append(export.node)
        return found
