"""## What it does
Checks for `&s[0]` (or `&s[0].field`, `unsafe.Pointer(&s[0])`, or `s[0].cptr()` where `cptr`
is a method of the package with a pointer receiver that returns a pointer: Go
takes `&s[0]` for it) of a slice that is passed to a C call, directly, through
a local variable (or the address of one: OpenSSL's cursor `buf :=
(*C.uchar)(&der[0])` passed as `d2i_X509(nil, &buf, n)`), in a field of a
local C struct passed to the call by value or by address (lazif's
`args.data = (*C.uchar)(&data[0]); C.lazifDecode(&args)`, an array field's
element too), or in a struct literal passed to
the call or whose address is (`&C.MDB_val{mv_data: unsafe.Pointer(&key[0])}`),
or returned by an unexported helper of the file whose result a call passes to
C (`func p(in []byte) *C.char { return (*C.char)(unsafe.Pointer(&in[0])) }`
with `C.LZ4_compress(p(in), ..)`), in a function that never checks `len(s)`. A
check is `len(s)` or `cap(s)` in a comparison or a `switch`, `n := len(s)`
with `n` compared, `str == ""` for `s := []byte(str)`, or the length of what
`s` was made from: `make([]T, len(parts))` (or `unsafe.Slice(p, len(parts))`;
a field the function so assigns, `w.iov = make([]C.iovec, len(bufs))`, too),
`make([]T, n)` with `n := len(parts)` or with `n` compared (`if n == 0 {
return }`) or raised to a positive constant (`if n < minLen { n = minLen }`),
`s = other` (every assignment counts, `s = one` of a fallback literal too), `s
= append(s, x)` in every iteration of `for ... range parts` (and then the
length of another slice, empty before, appended to in the same iterations:
`len(values)` for `keys`) (or of `for i := 0; i < n; i++` with `n` compared),
a field compared in the function (`if s.size == 0 { return }` before
`make([]T, s.size)`) and a product of such (`s.size*s.dimensions`), or the
type assertion `s := v.([]byte)` checked as `len(v.([]byte)) == 0`. Slices
that cannot be empty where they are used are left alone: arrays, `make([]T,
64)` (unless another slice may have replaced it since: `b = payload`),
`make([]T, C.KEY_BYTES)` and `make([]T, len(m)+C.MAC_BYTES)` (a C constant the
preamble does not define as 0), non-empty literals, and code inside `for ...
range s`; so is the parameter of an unexported function whose every call in
the file passes a slice the caller checks (or a non-empty literal, or a
re-slice that holds an element: `dst[n:cap(dst)]` under `if cap(dst) > n`,
`dst[n:n+bound]` with `bound := x + 1` or compared), and a slice a function of
the package returns non-empty or fails (`ids, err := s.fields(names)` where
every `return` of `fields` gives a slice it shows to be non-empty, or `nil`
with an error) when the caller compares `err` with nil; and a slice passed
first to a package function that checks its length and reports it in an
`error` or `bool` result the caller acts on (`if err := checkSignature(sig);
err != nil { return }`, `if !valid(sig) { .. }`), its parameter a slice or a
named type of the package (`type Shape []int64`), or to such a method of the
slice's own type (`if err := shape.Validate(); err != nil { return }`); and a
slice made with the length of one so validated (`input := make([]C.Note,
len(notes))` after `validate(notes)`); and a slice handed first to a function
of another package whose name says it checks, called as a statement of its
own, so that it can only act by panicking (libsodium-go's
`support.CheckSize(n, NonceBytes(), "nonce")`).

A clamp is no check: `if len(b) < n { n = len(b) }` (an `if` without `else` on
one ordered comparison, whose body only assigns to its operands) lets an empty
`b` through; nor is a sign test: `if size < 0 { return }` (or `>= 0`, or a
comparison with a negative constant) before `make([]byte, size)` lets a size
of 0 through; nor is an upper bound the function leaves on: `if len(sig) >
maxLen { return err }` lets every shorter length through, 0 too (liboqs-go's
`Verify`, portmidi's `Write`). The planes of the standard library's images are
slices (`&img.Pix[0]`, `&yuv.Y[0]`); an image the function makes itself
(`image.NewRGBA(rect)`) is left alone. Other comparisons count, even `if
len(b) < size { return }`.

Byte slices from other packages are known where their result type is
fixed: `json.Marshal`, `proto.Marshal`, `io.ReadAll`, `os.ReadFile`,
`hex.DecodeString`, and a `Marshal`, `MarshalBinary`, `MarshalJSON`,
`MarshalText` or `MarshalVT` method the package does not declare itself
(`data, _ := req.Marshal()`), and a `Bytes()` method's (`bytes.Buffer`,
`big.Int`, whose `Bytes()` is empty for zero). A JSON encoding is never empty when it
succeeds: `json.Marshal`'s result is left alone once its error is compared
with nil.

## Why is this bad?
Indexing an empty slice panics (`index out of range [0] with length 0`).
An empty input (an empty request body, an empty string converted to
`[]byte`) then crashes the process at the boundary instead of passing a
null pointer and a zero length.

## Example
```go
func Hash(data []byte) uint64 {
        return uint64(C.engine_hash((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data))))
}
```

## Use instead
```go
func Hash(data []byte) uint64 {
        p := (*C.uchar)(unsafe.Pointer(unsafe.SliceData(data)))
        return uint64(C.engine_hash(p, C.size_t(len(data))))
}
```
`unsafe.SliceData` of an empty slice is a valid (possibly nil) pointer;
or check `len(data) == 0` first.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from tree_sitter import Node

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.c_stores import filled_argument_call
from interop_lint.analyzer.golang.callers import calls_of_result
from interop_lint.analyzer.golang.first_elements import (
    first_element_addresses,
    reaches_c_call,
    receiver_addresses,
)
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.results import returned_non_empty
from interop_lint.analyzer.golang.slices import length_clamp, may_be_empty
from interop_lint.analyzer.golang.syntax import function_name, unparen
from interop_lint.analyzer.golang.validators import validated_before, validated_source
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoEmptySliceAddress(CgoRule):
    id = "GO104"
    name = "cgo-empty-slice-address"
    level = Level.WARNING
    cwe = (129,)
    precision = "high"
    security_severity = 5.5

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        inference = Inference.of(file)
        module = ctx.index.go_module_of(ctx.file.path)
        # `unsafe.SliceData` needs Go 1.20: older modules check the length instead.
        fix = "check `len({0}) == 0` first" if module and module.predates(1, 20) else _SLICE_DATA
        explicit = ((address, slice_, address) for address, slice_ in first_element_addresses(file))
        for address, slice_, value in chain(explicit, receiver_addresses(inference)):
            target = reaches_c_call(file, value) or filled_argument_call(inference, value)
            via = ""
            if target is None:  # a helper returning it: `C.f(p(in))` (golz4)
                target, line = _returned_to_c_call(file, value)
                via = f" (returned by `{function_name(value)}`, at line {line})" if line else ""
            if target is None or not may_be_empty(inference, slice_):
                continue
            if (
                returned_non_empty(file, slice_)
                or validated_before(file, slice_)
                or validated_source(file, slice_)
            ):
                continue  # a helper made it non-empty, or checked it (and was heeded)
            clamp = length_clamp(file, slice_)
            bounds = (
                f" (`{text(clamp)}` at line {clamp.start_point[0] + 1} only bounds a value)"
                if clamp is not None
                else ""
            )
            passed = (
                f"`{text(address)}`"
                if value is address
                else f"`{text(value)}`, which takes `&{text(address)}`,"
            )
            named = text(unparen(slice_) or slice_)  # `len(*sig)` for `(*sig)[0]`
            yield Violation(
                ctx.file.location(address),
                f"{passed} is passed to `C.{target}`{via} without a `len({named})` "
                f"check in `{function_name(address)}`{bounds}: it panics for an empty slice; "
                + fix.format(named),
            )


_SLICE_DATA = "use `unsafe.SliceData({0})`"


def _returned_to_c_call(file: GoFile, value: Node) -> tuple[str | None, int]:
    """The C function a call of the unexported function returning `value` passes the
    result to, and the line of that call."""
    for call in calls_of_result(file, value):
        target = reaches_c_call(file, call)
        if target is not None:
            return target, call.start_point[0] + 1
    return None, 0
