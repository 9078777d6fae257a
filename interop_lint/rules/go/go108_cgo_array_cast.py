"""## What it does
Checks for the pre-Go 1.17 idiom that views C memory as a Go slice by
converting to a pointer to a huge array,
`(*[1 << 30]C.int)(unsafe.Pointer(p))[:n:n]` (or the array it points to,
`(*(*[1 << 30]byte)(p))[:n:n]`, or a package type declared as such a
pointer, `type cMemPtr *[1 << 30]byte` and `cMemPtr(p)`), with any length
of 1<<20 elements or more: a literal, a shift, a constant of the package or
the function, or a byte count divided by the element size,
`(math.MaxInt32 - 1) / unsafe.Sizeof(x)` (a struct's size counts as 1); or
any length the package's constants do not give (one that depends on
another package's constant) when the array is sliced to a count that is no
constant, `(*[valMaxSize]byte)(p)[:n:n]`. Not in a module whose go.mod
names a language version before 1.17 (`go 1.15`), where `unsafe.Slice` does
not compile.

## Why is this bad?
The array type is a lie the compiler believes: a forgotten or wrong
`[:n:n]` gives a slice that reaches far past the allocation, the bound
fails to compile for large element types on 32-bit targets, and the
intent is hard to read. Go 1.17 added `unsafe.Slice` for exactly this.

## Example
```go
values := (*[1 << 30]C.int)(unsafe.Pointer(p))[:n:n]
```

## Use instead
```go
values := unsafe.Slice((*C.int)(p), n)
```
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import function_name, misread_dereference
from interop_lint.analyzer.golang.unsafeconv import huge_array_casts
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoArrayCast(CgoRule):
    id = "GO108"
    name = "cgo-array-cast"
    level = Level.NOTE
    precision = "very-high"

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        module = ctx.index.go_module_of(ctx.file.path)
        if module is not None and module.predates(1, 17):
            return  # `unsafe.Slice` does not compile there: the cast is the only way
        for conversion in huge_array_casts(file):
            written = (
                misread_dereference(conversion)  # `(*[1 << 30]T)` of `*(*[1 << 30]T)(p)`
                or conversion.child_by_field_name("type")
                or conversion.child_by_field_name("function")
            )
            yield Violation(
                ctx.file.location(conversion),
                f"`{text(written)}` conversion in `{function_name(conversion)}` views memory "
                "as a slice the pre-Go 1.17 way: use `unsafe.Slice(ptr, n)`",
            )
