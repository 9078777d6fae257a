"""## What it does
Checks that a local `runtime.Pinner` that pins (`p.Pin(x)`) is unpinned
(`p.Unpin()`, usually deferred) in the same function. A pinner that leaves
the function (returned, stored, passed on) is left alone: whoever holds it
unpins it. A local struct value holding a `runtime.Pinner` (embedded, so
that `m.Pin(x)` is its method, or a field `m.pinner`) is such a pinner too,
however it was made: a copy taken out of a `cgo.Handle` or a map pins
through its own Pinner, which the original never sees. A struct reached
through a pointer is not: its Pinner lives on elsewhere.

## Why is this bad?
Pinned objects are never moved or freed while pinned. A pinner that goes
out of scope without `Unpin` panics when the garbage collector finds it
("runtime.Pinner: found leaking pinned pointer; forgot to call Unpin()?"),
and until then keeps every pinned object alive.

## Example
```go
func Submit(req *Request) {
        var pinner runtime.Pinner
        pinner.Pin(&req.Body[0])
        C.engine_submit(unsafe.Pointer(req))
}
```

## Use instead
```go
func Submit(req *Request) {
        var pinner runtime.Pinner
        defer pinner.Unpin()
        pinner.Pin(&req.Body[0])
        C.engine_submit(unsafe.Pointer(req))
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.handles import local_pinners
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.golang.uses import UseKind
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoPinnerLeak(CgoRule):
    id = "GO106"
    name = "cgo-pinner-leak"
    level = Level.WARNING
    cwe = (401,)
    precision = "high"
    security_severity = 5.5

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        for _, flow in local_pinners(file, Inference.of(file)):
            pins = [u for u in flow.uses if u.kind == UseKind.RECEIVER and u.callee == "Pin"]
            rest = [u for u in flow.uses if u.kind != UseKind.RECEIVER or u.callee != "Pin"]
            if not pins or rest:
                continue  # nothing pinned, or unpinned, or handed on
            first = pins[0].call or pins[0].node
            name = text(pins[0].node)  # `h.pinner` for a Pinner field
            yield Violation(
                ctx.file.location(first),
                f"`{name}` pins memory in `{function_name(first)}` but is never "
                f"unpinned: add `defer {name}.Unpin()`",
            )
