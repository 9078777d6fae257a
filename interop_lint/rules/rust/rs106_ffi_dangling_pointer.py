"""## What it does
Checks for `.as_ptr()` / `.as_mut_ptr()` pointers into memory that is freed
before the pointer is used: on a temporary that owns memory
(`CString::new(s).unwrap().as_ptr()`, `format!(..).as_ptr()`,
`name.to_string().as_ptr()`, a function of the same file declared to return
a `CString`, `String` or `Vec`) when the pointer is kept in a variable,
stored, returned, or returned from a closure (`args.iter().map(|a|
CString::new(a.as_str()).unwrap().as_ptr())`); or on a local
`CString`/`String`/`Vec` whose pointer is returned or written to an
out-parameter or static while the local itself drops at the end of the
function, or is used after the inner block or closure that declares the
local; or on a closure's parameter that owns its memory, returned from the
closure (`title.map_or(ptr::null(), |s| s.as_ptr())` on an `Option<CString>`,
which hands the closure the `CString` itself; `title.as_ref().map_or(..)`
lends it); or on an owner a pattern takes by value, given away by its match
arm or `if let` block (`match CString::new(path) { Ok(s) => s.as_ptr(), .. }`).
A temporary's pointer passed straight into a call is valid for that call and
is not reported. A `macro_rules!` macro of the crate whose value is such a
pointer (`macro_rules! str_conv { ($s:expr) => { CString::new($s).unwrap()
.as_ptr() } }`) is reported where an invocation's value is kept
(`let name = str_conv!("abuffer");`).

## Why is this bad?
The owner frees its buffer when it is dropped: a temporary at the end of the
statement, a local at the end of its scope. The pointer then points into
freed memory. It often still works in tests, because the allocator has not
reused the block yet, and then Go reads another request's data or crashes.

## Example
```rust
#[no_mangle]
pub extern "C" fn engine_name() -> *const c_char {
    let name = CString::new("engine").unwrap();
    name.as_ptr()
}
```

## Use instead
```rust
#[no_mangle]
pub extern "C" fn engine_name() -> *mut c_char {
    CString::new("engine").unwrap().into_raw() // and export a function that frees it
}
```
For a constant, `c"engine".as_ptr()` points into static memory and is fine.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.rust.body import bodies_of
from interop_lint.analyzer.rust.dangling import DanglingPointer, dangling_pointers
from interop_lint.rules.registry import Rule

_KEPT = {
    "let": "is kept in a variable",
    "assign": "is stored",
    "write": "is written through a pointer",
    "return": "is returned",
    "static": "is stored in a static",
}


def _explain(found: DanglingPointer) -> str:
    owner = " ".join(found.owner.split())
    if len(owner) > 48:
        owner = owner[:47] + "…"
    if found.macro is not None:
        return (
            f"`{found.macro}` points into the temporary `{owner}` it makes; the pointer "
            f"{_KEPT.get(found.kept, 'outlives it')}, but the temporary is freed at the end "
            "of the statement"
        )
    if found.kept == "closure" and found.local:
        return (
            f"the pointer into `{owner}`, which the closure takes by value, is returned from "
            f"the closure, but `{owner}` is freed when the closure returns"
        )
    if found.kept == "arm":
        return (
            f"the pointer into `{owner}`, which the pattern takes by value, is used after the "
            f"match arm or `if let` block that binds `{owner}`, where it is freed"
        )
    if found.kept == "closure":
        return (
            f"the pointer into the temporary `{owner}` is returned from the closure, but the "
            "temporary is freed when the closure returns"
        )
    if not found.local:
        return (
            f"the pointer into the temporary `{owner}` {_KEPT.get(found.kept, 'outlives it')}, "
            "but the temporary is freed at the end of the statement"
        )
    if found.kept == "block":
        return (
            f"the pointer into local `{owner}` is used after the block that declares it, "
            f"where `{owner}` is freed"
        )
    how = "is returned" if found.kept in ("return", "static") else f"is written to `{found.kept}`"
    if found.kept == "static":
        how = "is stored in a static"
    return (
        f"the pointer into local `{owner}` {how}, but `{owner}` is freed when the function returns"
    )


class FfiDanglingPointer(Rule):
    id = "RS106"
    name = "ffi-dangling-pointer"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    cwe = (416, 825)
    precision = "high"
    security_severity = 8.0

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        index = ctx.index.rust
        macros = index.dangling_macros(index.crate_of(ctx.file.path))
        if not macros and b"as_ptr" not in ctx.file.code and b"as_mut_ptr" not in ctx.file.code:
            return
        bodies = bodies_of(ctx.file)
        for found in dangling_pointers(bodies, macros):
            yield Violation(
                bodies.span_location(found.method, found.call),
                f"dangling pointer: {_explain(found)}",
            )
