"""## What it does
Checks for exported `pub unsafe extern` functions whose documentation has no
`# Safety` section.

This is clippy's `missing_safety_doc` for exports. It reads the doc as clippy
does: a Markdown heading whose text is `Safety` (or `SAFETY`,
`Implementation safety`), at any level; `#Safety` without a space is no
heading, nor is `# Safety:`.

Clippy's own switch for the lint is not an interop-lint suppression (as
clippy and ruff honour only theirs; use `// interop-lint: ignore[RS108]`).
With `follow-clippy-allows = true` in the configuration it is one:
`#[allow(clippy::missing_safety_doc)]` or `#[expect(..)]` on the function,
its `impl` or an enclosing `mod` (also in `cfg_attr`), the same as an inner
attribute `#![allow(..)]` of its file or of a module above it up to the
crate root, turns the rule off there. So does the lint's group,
`clippy::style`; `clippy::all` does not.

## Why is this bad?
An `unsafe fn` shifts obligations to its caller: which pointers may be null,
how long they must live, who frees what, which thread may call. The caller
here is a Go programmer reading the header or the Rust docs; without a
`# Safety` section the contract exists only in the author's head, and the
Go side gets it wrong. Clippy's `missing_safety_doc` asks the same of every
public `unsafe fn`.

## Example
```rust
/// Frees an engine.
#[no_mangle]
pub unsafe extern "C" fn engine_free(engine: *mut Engine) {
    drop(Box::from_raw(engine));
}
```

## Use instead
```rust
/// Frees an engine.
///
/// # Safety
/// `engine` must come from `engine_new` and must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn engine_free(engine: *mut Engine) {
    drop(Box::from_raw(engine));
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.attributes import doc_comments_of
from interop_lint.analyzer.rust.doc_sections import has_safety_section, near_miss
from interop_lint.analyzer.rust.item_macros import exported_functions, may_export
from interop_lint.analyzer.rust.lints import RS108_LINTS, turned_off
from interop_lint.analyzer.rust.syntax import (
    has_modifier,
    is_public,
)
from interop_lint.rules.registry import Rule


class FfiMissingSafetyDoc(Rule):
    id = "RS108"
    name = "ffi-missing-safety-doc"
    level = Level.NOTE
    file_kinds = frozenset({FileKind.RUST})
    precision = "very-high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if not may_export(ctx.facts.rust):
            return
        for export in exported_functions(ctx.file, ctx.index.rust):
            function = export.node
            public = is_public(function) or export.made_pub
            if not (public and (has_modifier(function, "unsafe") or export.made_unsafe)):
                continue  # a crate macro may write `pub unsafe` itself (pact_ffi's `ffi_fn!`)
            docs = doc_comments_of(function)
            if has_safety_section(docs):
                continue
            if ctx.config.follow_clippy_allows and turned_off(
                function, RS108_LINTS, ctx.file, ctx.index.rust
            ):
                continue
            name = function.child_by_field_name("name")
            almost = near_miss(docs)
            hint = (
                f" (`{almost}` is no such heading for rustdoc and clippy: write `# Safety`)"
                if almost is not None
                else ""
            )
            yield Violation(
                ctx.file.location(name if name is not None else function),
                f"`{text(name)}` is a public `unsafe` export without a `# Safety` section in its "
                f"doc comment: say what the caller must guarantee{hint}",
            )
