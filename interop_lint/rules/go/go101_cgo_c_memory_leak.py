"""## What it does
Checks that C memory allocated from Go (`C.CString`, `C.CBytes`,
`C.malloc`, `C.calloc`) is freed in the function that allocates it, with
`C.free` (directly, deferred, or in a deferred closure) or a configured
`free-functions` entry, unless it escapes the function: returned, stored in
a field, an element or a global, sent on a channel, captured by a closure
that is returned or stored, or passed to a configured `ownership-taking`
function. Package functions that free or keep their parameter count as
well (`freeCString(cs)`, `b.adopt(p)`).

An allocation used only as a call argument (`C.engine_log(C.CString(msg))`)
always leaks.

## Why is this bad?
The Go garbage collector does not know about memory from C's `malloc`.
Every call of the function leaks the allocation: a long-running service
that crosses the boundary per request grows until the OOM killer stops it.

## Example
```go
func Render(name string) {
        cs := C.CString(name)
        C.engine_render(cs)
}
```

## Use instead
```go
func Render(name string) {
        cs := C.CString(name)
        defer C.free(unsafe.Pointer(cs))
        C.engine_render(cs)
}
```
A function of your own that frees, or a C function that takes ownership,
goes in the configuration:
```toml
free-functions = ["freeCBuffer", "bufpool.Release"]
ownership-taking = ["C.engine_take_buffer"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.flow import UseKind, value_uses
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.ownership import allocations, is_released
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.rules.go.base import CgoRule


class CgoCMemoryLeak(CgoRule):
    id = "GO101"
    name = "cgo-c-memory-leak"
    level = Level.WARNING
    cwe = (401,)
    precision = "high"

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        frees, taking = ctx.config.free_functions, ctx.config.ownership_taking
        for call, allocator in allocations(file):
            if file.syntax.top_function(call) is None:
                continue  # a package variable lives as long as the program
            flow = value_uses(file, call)
            if is_released(file, flow, frees, taking):
                continue
            where = function_name(call)
            if flow.aliases:
                held = flow.aliases[0].name
                direct = flow.aliases[0].value == call and allocator != "C.CString"
                freed = held if direct else f"unsafe.Pointer({held})"
                message = (
                    f"`{held}` from `{allocator}` is never freed in `{where}`: "
                    f"add `defer C.free({freed})` after the allocation"
                )
            else:
                passed = next((u.callee for u in flow.of_kind(UseKind.ARGUMENT)), "")
                used = f"is passed straight to `{passed}`" if passed else "is never stored"
                message = (
                    f"`{allocator}(...)` {used} in `{where}` and never freed: assign it to "
                    "a variable and `defer C.free(...)` it"
                )
            yield Violation(ctx.file.location(call), message)
