"""## What it does
Checks for Go pointers hidden from the garbage collector as integers:
`uintptr(unsafe.Pointer(p))` of a Go pointer that is kept in a variable
(whose address may then go to C: `unsafe.Pointer(&addr)`), a field or an
element, or passed to a C call, or returned while it addresses a local of
the function (`return uintptr(unsafe.Pointer(&surface))`: nothing keeps
`surface` alive once the function returns); and `unsafe.Pointer(u)` of a `uintptr` that
was not computed from a pointer in the same expression (a parameter, a
field, a global, a variable of unknown origin). A `cgo.Handle` converted to
a pointer is one such integer (`unsafe.Pointer(h)`,
`unsafe.Pointer(cgo.NewHandle(v))`, or a handle kept as a `uintptr` in a
field: `r.handle = uintptr(cgo.NewHandle(v))`, then
`unsafe.Pointer(r.handle)`).

Not reported: the one-expression pattern `unsafe.Pointer(uintptr(p) + off)`;
pointers into C memory, which never move (what a C call returns, directly or
through a function of the package that returns it: go-tflite's
`uintptr(t.Data())`); a `uintptr` parameter of an `//export` function, which C
calls with its own addresses (an event callback handed the native arrays as
`uintptr_t`), and one of an unexported function that every call in the file
gives such an address (portaudio's `silence(uintptr(buf), n)`, stepping it
with `p++`); addresses that are only compared or printed (an alignment check); the
address of an object the function pins (`pinner.Pin(buf)`, then
`addrs[i] = uintptr(unsafe.Pointer(buf))` for C) kept in a local, an element
of a local slice, or passed to C, as it stays put and alive until `Unpin`
(but not one stored in a field, a package variable, or returned);
the `Data` of a `*reflect.SliceHeader` or `*reflect.StringHeader` over a real
slice or string, read or written (the unsafe package's own pattern: `h :=
(*reflect.SliceHeader) (unsafe.Pointer(&b)); p := unsafe.Pointer(h.Data)`). A
header copied by value (`h := *(*reflect.StringHeader)(unsafe.Pointer(&s))`)
holds a plain integer, and `unsafe.Pointer(h.Data)` of it is reported.

## Why is this bad?
A `uintptr` is an integer: the garbage collector does not treat it as a
reference. The object it came from may be freed, and its memory reused,
while the integer is still around; converting it back yields a dangling
pointer. C code given such an integer sees memory it does not own. A
`cgo.Handle` never was an address: the runtime/cgo documentation says it
must not be coerced to an `unsafe.Pointer` (`go vet` reports it too, and
the checked-pointer mode of `-race` builds may abort on it). Pass the
handle to C as a `uintptr_t`, or store it in C memory and pass that.

## Example
```go
addr := uintptr(unsafe.Pointer(&state))
C.engine_register(C.uintptr_t(addr))
```

## Use instead
Pass an opaque `cgo.Handle` to C, and recover the value with `h.Value()`:
```go
h := cgo.NewHandle(&state)
C.engine_register(C.uintptr_t(h))
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.handles import holds_handle
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.golang.uintptr_origins import integer_made_elsewhere
from interop_lint.analyzer.golang.unsafeconv import (
    conversions,
    hidden_go_pointer,
)
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoUintptrPointer(CgoRule):
    id = "GO103"
    name = "cgo-uintptr-pointer"
    level = Level.WARNING
    cwe = (825,)
    precision = "medium"
    security_severity = 6.5

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        inference = Inference.of(file)
        for conversion, operand in conversions(file, "uintptr"):
            kept = hidden_go_pointer(inference, conversion, operand)
            if kept is not None:
                yield Violation(
                    ctx.file.location(conversion),
                    f"Go pointer converted to `uintptr` and {kept} in "
                    f"`{function_name(conversion)}`: the garbage collector no longer sees it; "
                    "pass a `cgo.Handle` or keep the pointer typed",
                )
        for conversion, operand in conversions(file, "unsafe.Pointer"):
            integer = integer_made_elsewhere(inference, operand)
            if integer is not None and holds_handle(file, integer):
                yield Violation(
                    ctx.file.location(conversion),
                    f"`unsafe.Pointer` of the `cgo.Handle` `{text(integer)}` in "
                    f"`{function_name(conversion)}`: a handle is an integer, not an address, "
                    "and must not be converted to a pointer; pass it to C as a `uintptr_t`, "
                    "or store it in C memory and pass that",
                )
            elif integer is not None:
                yield Violation(
                    ctx.file.location(conversion),
                    f"`unsafe.Pointer` of the uintptr `{text(integer)}` in "
                    f"`{function_name(conversion)}`, which was not computed from a pointer in "
                    "this expression: an object it held the address of may have moved or been "
                    "freed (for an integer key, pass a `cgo.Handle` as a `uintptr_t` instead)",
                )
