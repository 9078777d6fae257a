"""## What it does
Checks the arguments of C calls for Go pointers to Go memory that itself
contains Go pointers: `&cfg` of a struct with a string, slice, map, pointer,
func, chan or interface field; `&names[0]` of a `[]string`;
`unsafe.SliceData(ptrs)` of a `[]*T`; `&p` of a `*T`; and a slice of C
pointers whose elements were assigned Go pointers
(`ptrs[i] = (*C.char)(unsafe.Pointer(&b[0]))`, then `&ptrs[0]`); and the
address of a local of C pointer type made from a Go pointer, as iconv's
in/out cursors are (`in := (*C.char)(unsafe.Pointer(&input[0]))`, then
`C.iconv(cd, &in, ..)`) — from the address of a variable, or of an element
of a Go-typed slice or array (a `[]C.T` is often a view of C memory: only one
the function makes counts, `buf := make([]C.uchar, n)`). Types are
resolved through the declarations of the whole package, so a struct
declared in another file is seen. A function that pins with
`runtime.Pinner` is left alone, unless all it pins is the value passed
itself (`pinner.Pin(o)` then `C.configure(unsafe.Pointer(o))`: the pointers
inside `o` stay unpinned, and cgo panics).

A struct of C type holds no Go pointer by its type, but one made from a
literal holds the Go pointers it is initialized with:
`ckey := &C.MDB_val{mv_data: unsafe.Pointer(&key[0])}` passed to C, or
`req := C.struct_req{data: p}` and `&req`, or a local set from a package
helper that returns such a literal (gomdb's `ckey := Wrap(key)` with `return
Val(C.MDB_val{mv_data: unsafe.Pointer(&p[0])})`, then `&ckey`). When a field of the struct is
assigned a Go pointer instead (`req.data = p`), GO107 reports that store and
this rule stays silent, so one bug is reported once. A struct passed by value
is a copy for the call and is not reported.

A pointer to a Go mirror of a C struct is C memory: a package type `T` whose
`*T` values the package only ever gets from C
(`(*T)(unsafe.Pointer(C.alloc_format(..)))`, `(*T)(C.malloc(C.size_t(unsafe.Sizeof(T{}))))`)
and never makes in Go (no `T{}` but the one `unsafe.Sizeof` measures, `&T{}`,
`new(T)`, `var x T`, `[]T`, field or parameter of type `T`).

Bindings often wrap each C function in a package function; cgo checks the
argument of the C call inside the wrapper. An argument of a call of a
package function whose pointer parameter goes, directly or through
conversions, into a C call (and which does not pin) is checked like an
argument of that C call, one call deep:
`cNewImportObject((*cByteArray)(unsafe.Pointer(&argsBytes)), ...)` where
`cNewImportObject` passes `(*C.byte_array)(args)` to C.

## Why is this bad?
The cgo pointer-passing rules allow passing a Go pointer to C only if the
Go memory it points to holds no Go pointers. C code can read and keep
those inner pointers, which the garbage collector neither sees nor keeps
alive. With the default `GODEBUG=cgocheck=1` the call panics at run time
("cgo argument has Go pointer to unpinned Go pointer"); with checks off it
corrupts memory.

## Example
```go
type Options struct {
        Name  string
        Level int32
}

func Configure(o *Options) {
        C.engine_configure(unsafe.Pointer(o))
}
```

## Use instead
Copy into C memory or a pointer-free struct of C types:
```go
func Configure(o *Options) {
        name := C.CString(o.Name)
        defer C.free(unsafe.Pointer(name))
        opts := C.engine_options{name: name, level: C.int32_t(o.Level)}
        C.engine_configure(&opts)
}
```
or pin the inner pointers with a `runtime.Pinner` for the duration of the call.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.pointers import c_function_calls, nested_go_pointers, pins_memory
from interop_lint.analyzer.golang.wrappers import wrapped_c_arguments
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoNestedGoPointer(CgoRule):
    id = "GO102"
    name = "cgo-nested-go-pointer"
    level = Level.ERROR
    cwe = (825,)
    precision = "high"
    security_severity = 7.5

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        inference = Inference.of(file)
        for call, argument, receiver in _c_arguments(file):
            memory = nested_go_pointers(inference, argument)
            if memory is None or pins_memory(file, call, argument):
                continue
            yield Violation(
                ctx.file.location(argument),
                f"`{text(argument)}` passed to {receiver} points to Go memory "
                f"(`{memory}`) that contains Go pointers: copy the data into C memory "
                "or pin the inner pointers with a `runtime.Pinner`",
            )


def _c_arguments(file: GoFile) -> Iterator[tuple[Node, Node, str]]:
    """(call, argument, what receives it) for each argument cgo checks: those of C calls,
    and those a package function hands on to a C call."""
    for call, name in c_function_calls(file):
        for argument in file.syntax.arguments(call):
            yield call, argument, f"`C.{name}`"
    for call, argument, wrapper, name in wrapped_c_arguments(file):
        yield call, argument, f"`{wrapper}`, which hands it to `C.{name}`,"
