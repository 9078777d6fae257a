"""## What it does
Checks that every `cgo.NewHandle(v)`, or call of a package function that
returns one (`cgoNewHandle(v)`, a wrapper over a type of the package's own),
is released with `.Delete()`: in the
same function (deferred or not), or elsewhere in the package where the
handle is stored (a `Close` method deleting `w.handle`, a callback deleting
`cgo.Handle(h)` that C hands back, a registry map whose entries are
deleted). A handle that is returned is the caller's to release. A handle
passed to a package function is followed into it: one that the function
only hands on to C (`NewValueExternalHandle(handle)` converting it for
`C.NewValueExternal`) can only be released by a callback deleting the
handle C gives back, not by a `Close` that deletes another field. The
`Delete` method of such a wrapper type, deleting its own receiver, releases
nothing by itself: its callers do.

## Why is this bad?
A handle keeps its value reachable until `Delete` is called: the value,
and everything it references, is never collected. Bindings that create a
handle per call (per callback registration, per request) leak without
bound, and the handle table only grows.

## Example
```go
func (e *Engine) OnEvent(fn func(Event)) {
        h := cgo.NewHandle(fn)
        C.engine_on_event(e.ptr, C.uintptr_t(h))
}
```
and nothing in the package ever calls `Delete`.

## Use instead
```go
func (e *Engine) OnEvent(fn func(Event)) {
        e.listener = cgo.NewHandle(fn)
        C.engine_on_event(e.ptr, C.uintptr_t(e.listener))
}

func (e *Engine) Close() {
        C.engine_free(e.ptr)
        e.listener.Delete()
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.flow import value_uses
from interop_lint.analyzer.golang.handles import handle_released, new_handles
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoHandleLeak(CgoRule):
    id = "GO105"
    name = "cgo-handle-leak"
    level = Level.WARNING
    cwe = (401,)
    precision = "high"

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        for call in new_handles(file):
            flow = value_uses(file, call)
            if handle_released(file, flow):
                continue
            stored = next((u.target for u in flow.uses if u.target is not None), None)
            if flow.aliases:
                held = f"`{flow.aliases[0].name}`"
            elif stored is not None and stored.type != "func_literal":
                held = f"`{text(stored)}`"
            else:
                held = "the handle"
            made = "cgo.NewHandle" if file.calls(call, "runtime/cgo", "NewHandle") else None
            yield Violation(
                ctx.file.location(call),
                f"{held} from `{made or file.syntax.spelled_callee(call)}` in "
                f"`{function_name(call)}` is never released: "
                "call its `Delete()` method when C no longer uses it (in this function, "
                "or in the package's `Close`)",
            )
