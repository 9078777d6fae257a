"""## What it does
Checks for `C.free` given a pointer to memory Go allocated: the address of
a Go variable, of a field or element of one, or of a composite literal
(`C.free(unsafe.Pointer(&cs))`, `C.free(unsafe.Pointer(&height))`), a
`new(T)`, or the array of a slice Go made (`make`, a slice literal,
`[]byte(s)`: `C.free(unsafe.Pointer(&buf[0]))`), directly or through local
variables every assignment of which is one of these.

A field through a pointer counts when the pointer is a local every value of
which is Go's (`s := &Decoder{}`), or when the struct it points to has a
field that holds Go pointers (a string, slice, map, channel, function or
interface: `err error`), which cgo forbids C memory to hold:
`func (s *Decoder) Free() { C.free(unsafe.Pointer(&s.id)) }`.

Only what the code shows is reported: a pointer parameter, a field read
through a pointer to a struct of C values only, or a slice of unknown origin
may hold `C.malloc` memory cast to a Go type, and is left alone.

## Why is this bad?
`free` may only be given what C's allocator returned. Memory of the Go
heap or a goroutine's stack handed to it corrupts the C allocator's
bookkeeping: glibc aborts the whole process (`free(): invalid pointer`),
or the corruption surfaces later, far from the cause. The usual slip is
`&cs` for `cs`: the address of the Go variable that holds the C pointer,
not the C pointer, so the C string leaks as well.

## Example
```go
func Put(key string) {
        ckey := C.CString(key)
        defer C.free(unsafe.Pointer(&ckey))
        C.store_put(ckey)
}
```

## Use instead
```go
func Put(key string) {
        ckey := C.CString(key)
        defer C.free(unsafe.Pointer(ckey))
        C.store_put(ckey)
}
```
Memory Go allocated is freed by the garbage collector: drop the call.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.go_objects import go_object
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoFreeGoMemory(CgoRule):
    id = "GO109"
    name = "cgo-free-go-memory"
    level = Level.ERROR
    cwe = (590, 762)
    precision = "very-high"
    security_severity = 7.5

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        inference: Inference | None = None
        for call, name, arguments in file.syntax.c_calls:
            if name != "free" or arguments.named_child_count != 1 or file.c_function(call) is None:
                continue
            inference = inference or Inference.of(file)
            freed = arguments.named_children[0]
            memory = go_object(inference, freed)
            if memory is None:
                continue
            yield Violation(
                ctx.file.location(call),
                f"`C.free` is given `{text(freed)}`, which points to {memory}, in "
                f"`{function_name(call)}`: C's allocator never allocated it, and freeing it "
                "corrupts the C heap or aborts the process",
            )
