"""## What it does
Checks for assignments that store a Go pointer into a field or element of
a value of C type (`C.struct_x`, `*C.T`, `C.T`) or into C memory
(`arr[i]` of a view over `C.malloc` memory: `unsafe.Slice((*T)(p), n)`, a
slice whose `reflect.SliceHeader` has its `Data` set to `uintptr(C.malloc(..))`,
or one a package function returns so, as apache/arrow's cdata exports make
their arrays): `opts.name = (*C.char)(unsafe.Pointer(&buf[0]))`,
`req.data = unsafe.Pointer(&payload)`.
Values made from Go pointers in the same function are tracked through
local variables. What a C call returns is C memory; the declaration of the
function in the file's preamble or headers says whether it is a pointer
(`packet := C.tb_acquire_packet(client)`, then `packet.user_data = ..`) or a
struct returned by value. A dereferenced value is a copy, not a pointer:
`ref.inner = *(*[96]C.uint8_t)(unsafe.Pointer(&x.Inner))` is fine. A
`cgo.Handle` (an integer) is the right thing to store and is not reported;
nor is a C struct that lives in Go memory in a function that pins with
`runtime.Pinner` (the documented way to pass Go memory that holds pinned Go
pointers), nor a pointer to an object the function pins (`pinner.Pin(&b[0])`,
then `iovs[i].iov_base = unsafe.Pointer(&b[0])`: "a pointer to a pinned object
can be directly stored in C memory"). Nor is a local C struct that is only
passed by value to C calls (`view := C.struct_view{}; view.data = ..;
C.f(view)`, never `&view`, assigned, returned or captured; or a struct a C
function returns by value): it is a copy for the call, and GO104 checks a
`&s[0]` stored in it like a direct argument. That does not hold for a field
C hands back to callbacks (`userData`, `user_data`, webgpu.h's
`userdata1`, `cb_arg`, `opaque`, `cookie`): a callbacks struct registered by value
(`cbs.userData = unsafe.Pointer(&state); C.node_create(cbs)`) is kept.
A Go pointer put in a C struct by its literal (`C.struct_req{data: p}`) is
no assignment: GO102 reports it where the struct's address is passed to C. A
literal's callback field is kept all the same when the struct is passed by value
(`C.register_cb(C.cb_info{userdata1: unsafe.Pointer(&h)})`, cogentcore/webgpu
before its fix).
A literal stored whole into C memory stores its fields, nested literals
included (`*req = C.struct_req{data: unsafe.Pointer(&buf[0])}`, `pairs[i] =
C.kv_pair{key: C.kv_val{mv_data: p}}` of a view over `C.calloc` memory).

## Why is this bad?
C may keep the pointer after the call returns, and C memory is invisible
to the garbage collector: the Go object can be freed or moved while C still
points at it. cgo forbids it ("C code may not keep a copy of a Go pointer
after the call returns"); a C struct in Go memory that holds a Go pointer
fails the runtime check when it is passed to C.

## Example
```go
func SetName(cfg *C.engine_config, name []byte) {
        cfg.name = (*C.char)(unsafe.Pointer(&name[0]))
}
```

## Use instead
```go
func SetName(cfg *C.engine_config, name string) {
        cfg.name = C.CString(name) // freed by engine_config_free
}
```
or store a `cgo.Handle` and look the Go value up when C calls back.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.c_stores import callback_literal_pointers, stored_go_pointers
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoGoPointerInCMemory(CgoRule):
    id = "GO107"
    name = "cgo-go-pointer-in-c-memory"
    level = Level.ERROR
    cwe = (825,)
    precision = "high"
    security_severity = 7.5

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        inference = Inference.of(file)
        stores = [*stored_go_pointers(inference), *callback_literal_pointers(inference)]
        for assignment, target, value in sorted(stores, key=lambda s: s[0].start_byte):
            yield Violation(
                ctx.file.location(assignment),
                f"Go pointer `{text(value)}` is stored in `{text(target)}`, memory of C type, "
                f"in `{function_name(assignment)}`: C may keep it after the call; copy the data "
                "into C memory or store a `cgo.Handle`",
            )
