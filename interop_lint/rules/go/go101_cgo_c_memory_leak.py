"""## What it does
Checks that C memory allocated from Go (`C.CString`, `C.CBytes`, `C.malloc`,
`C.calloc`) is freed in the function that allocates it, with `C.free`
(directly, deferred, or in a deferred closure), a C function whose name says
it frees (`C.duckdb_free`, `C.g_free`, `C.xmlFree`, `C.lib_string_release`: a
free, release, dealloc, destroy or dispose word first, after the library
prefix, or last) or a configured `free-functions` entry, unless it escapes the
function: returned, stored in a field, an element, a map key or a global (also
through a method that keeps its argument: `r.buf.Store(uintptr(p))` of an
atomic, `m.Store(k, p)` of a `sync.Map`), sent on a channel, captured by a
closure that is returned or stored, or passed to a configured
`ownership-taking` function. Package functions that free or keep their
parameter count as well (`freeCString(cs)`, `b.adopt(p)`), and so do methods
of the package that free their receiver (`defer v.Free()` with `func (v *Val)
Free() { C.free(unsafe.Pointer(v)) }`, resolved by the receiver's type). An
element of an array or slice of the function's own (`args[0] =
unsafe.Pointer(C.CString(s))`) is no escape while the array is only written,
read by element, measured and handed to C as `&args[0]`: the allocation is
then freed only if an element read frees it (or a C function whose name says
it frees gets the array). So is a field of a struct variable of the function's
own (`arg.name = C.CString(s)`, or a C union's member written through
`*(**C.char)(unsafe.Pointer(&obj.value[0])) = cs`, cgo's spelling of a union:
the Dart_CObject idiom) while the struct is only read for its fields or handed
to a C call, by address or by value; and a field of a composite literal
written in a C call's arguments (`C.apply(&C.opts{name: C.CString(s)})`): C
gets a copy of the pointer for the call, and nothing frees it.

A C call that is also given a free function as a value, the destructor the
library calls when it is done (`sqlite3_bind_text(s, i, cs, n,
(*[0]byte)(C.free))`, or a preamble function that frees its argument, or a
local set to one), takes the allocation.

`var p = C.malloc(n)` and the two-value form `p, err := C.calloc(n, size)`
hold the allocation like `p := C.malloc(n)`. A C function defined in a
preamble of the package takes ownership of a parameter that its body frees
or passes on with `free` as the destructor (`lib_result_text(ctx, s, -1,
&free)`).

A deferred call's arguments are evaluated at the `defer`: a
`defer C.free(unsafe.Pointer(cs))` above `cs = C.CString(s)` frees nil, and
the allocation is reported (a deferred closure does free it).

A package function that returns a C allocation it makes (`return
C.CString(s), nil`, and `nil` or that allocation on every `return`) hands it
to its caller: each call of it (`cs, err := ffiSerialize(v)`) is an
allocation the caller must free or hand on. One that returns with it a
closure that frees it (`return cs, func() { freeString(cs) }`) asks the
caller to call that: `cs, free := toCString(v)` leaks when `free` is dropped
(`cs, _ :=`) or called only after a `return` that can leave first.

An allocation used only as a call argument (`C.engine_log(C.CString(msg))`)
always leaks, unless the function takes ownership.

A function that frees the allocation, or lets it escape, only after a `return`
that can leave first (`if err := check(); err != nil { return err }` above
the `defer C.free(..)`, `if C.run(cs) != 0 { return errRun }` above
`C.free(..)`), or that frees it in some branches of an `if` or `switch` and
returns from another that does not (`case 0: C.free(..); return errA` beside
`case 1: return errB`), leaks it on that path: the allocation is reported with
the line of that `return`. A `return` under a test of the allocation itself (`if
p == nil`), or after `p, err := C.calloc(..)` fails, holds nothing.

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

from collections.abc import Callable, Iterator

from tree_sitter import Node

from interop_lint.analyzer.clang.libc import LIBC_FUNCTIONS, LIBC_TAKING
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.golang.allocating import free_closure_call, helper_allocations
from interop_lint.analyzer.golang.early_returns import leaving_return, return_before
from interop_lint.analyzer.golang.flow import (
    ValueFlow,
    deferred_too_early,
    is_freed,
    matches_name,
    value_uses,
)
from interop_lint.analyzer.golang.model import GO_RESULT_C_FUNCTIONS, GoFile
from interop_lint.analyzer.golang.overwrites import overwriting_write, overwritten_each_iteration
from interop_lint.analyzer.golang.ownership import (
    allocations,
    is_c_free_function,
    is_released,
)
from interop_lint.analyzer.golang.struct_holders import (
    CallLiteral,
    held_in_call_literal,
    held_in_local_array,
    held_in_local_struct,
)
from interop_lint.analyzer.golang.syntax import function_name
from interop_lint.analyzer.golang.uses import Use, UseKind, carrier
from interop_lint.analyzer.parsing import text
from interop_lint.rules.go.base import CgoRule


class CgoCMemoryLeak(CgoRule):
    id = "GO101"
    name = "cgo-c-memory-leak"
    level = Level.WARNING
    cwe = (401,)
    precision = "high"

    def check_cgo(self, ctx: RuleContext, file: GoFile) -> Iterator[Violation]:
        frees, taking = ctx.config.free_functions, ctx.config.ownership_taking
        for call, allocator, made, free_position in _allocations(file):
            if file.syntax.top_function(call) is None:
                continue  # a package variable lives as long as the program
            flow = value_uses(file, call)
            # (local, what it is) the value stays in, or the literal it is passed to C in
            kept: tuple[str, str] | CallLiteral | None = None
            where = function_name(call)
            released = is_released(file, flow, frees, taking)
            if not released and free_position >= 0:
                message = _free_closure_message(file, flow, call, allocator, free_position)
                if message is not None:
                    yield Violation(ctx.file.location(call), message)
                continue
            if released:
                loop = overwritten_each_iteration(
                    file, call, flow, lambda f: is_released(file, f, frees, taking)
                )
                if loop is not None:
                    held = flow.aliases[0].name
                    yield Violation(
                        ctx.file.location(call),
                        f"`{held}` from `{allocator}` is assigned again in every iteration of "
                        f"the loop at line {loop.start_point[0] + 1} and freed only after it in "
                        f"`{where}`: each iteration but the last leaks its allocation; free "
                        "it inside the loop",
                    )
                    continue
                kept = _held_locally(file, flow, frees, taking)
                if kept is None:
                    leaving = leaving_return(flow, _releasing(file, frees, taking))
                    if leaving is not None:
                        yield Violation(
                            ctx.file.location(call),
                            _leaving_message(flow, allocator, where, leaving),
                        )
                    continue
            early = _early_free(file, flow, frees)
            if early is not None:
                held, line = early
                message = (
                    f"`{held}` from `{allocator}` is never freed in `{where}`: the `defer` "
                    f"at line {line} evaluates `{held}` before the allocation is assigned to "
                    "it (it frees the old value); defer the free after the allocation"
                )
            elif isinstance(kept, CallLiteral):
                message = (
                    f"`{allocator}(...)` is stored in `{kept.field}`, a field of a "
                    f"`{kept.literal_type}` literal passed to `{kept.callee}` in `{where}`, "
                    "and never freed: assign it to a variable and `defer C.free(...)` it"
                )
            elif kept is not None:
                local, what = kept
                each = " each element" if what == "a local array" else " it"
                message = (
                    f"`{allocator}(...)` is stored in `{local}`, {what} that does not leave "
                    f"`{where}`, and never freed: `defer C.free(...)`{each}"
                )
            elif flow.aliases:
                held = flow.aliases[0].name
                direct = carrier(file, call) == call and made != "C.CString"
                freed = held if direct else f"unsafe.Pointer({held})"
                overwrite = overwriting_write(file, call, flow)
                lost = (
                    f" (`{held} = ..` at line {overwrite.start_point[0] + 1} replaces it first)"
                    if overwrite is not None
                    else ""
                )
                message = (
                    f"`{held}` from `{allocator}` is never freed in `{where}`{lost}: "
                    f"add `defer C.free({freed})` after the allocation"
                )
            else:
                passed = next((u.callee for u in flow.of_kind(UseKind.ARGUMENT)), "")
                used = f"is passed straight to `{passed}`" if passed else "is never stored"
                message = (
                    f"`{allocator}(...)` {used} in `{where}` and never freed: assign it to "
                    "a variable and `defer C.free(...)` it"
                )
            taker = _c_function_passed(file, flow) if early is None else None
            taker = kept.callee if isinstance(kept, CallLiteral) else taker
            if taker is not None:
                message += f", or list `{taker}` in `ownership-taking` if it takes ownership"
            yield Violation(ctx.file.location(call), message)


def _releasing(
    file: GoFile, frees: tuple[str, ...], taking: tuple[str, ...]
) -> Callable[[Use], bool]:
    """Which uses may release an allocation: all but reads and the arguments of C
    functions that neither free nor take ownership (`C.engine_render(cs)`)."""

    def releases(use: Use) -> bool:
        if use.kind in (UseKind.OTHER, UseKind.DISCARDED):
            return False
        if use.kind is not UseKind.ARGUMENT or not use.callee.startswith("C."):
            return True
        return (
            is_c_free_function(use.callee)
            or matches_name(use.callee, frees + taking)
            or (use.callee[2:], use.index) in file.package.c_ownership
        )

    return releases


def _leaving_message(flow: ValueFlow, allocator: str, where: str, leaving: Node) -> str:
    held = f"`{flow.aliases[0].name}`" if flow.aliases else f"`{allocator}(...)`"
    line = leaving.start_point.row + 1
    return (
        f"{held} from `{allocator}` is not freed when `{where}` returns at line {line}, "
        "though other paths free or keep it: free it before that return, or `defer` the "
        "free right after the allocation if nothing keeps it"
    )


def _allocations(file: GoFile) -> Iterator[tuple[Node, str, str, int]]:
    """(call, what it is called, the C allocator, the position of the function that
    frees it or -1) of the file's C allocations and of its calls of package functions
    that return one (`ffiSerialize`, a `C.CString`; `toCString`, with its free)."""
    for call, allocator in allocations(file):
        yield call, allocator, allocator, -1
    for call, function in helper_allocations(file):
        if function.allocated_result is not None:
            made, _, free_position = function.allocated_result
            yield call, function.name, made, free_position


def _free_closure_message(
    file: GoFile, flow: ValueFlow, call: Node, helper: str, position: int
) -> str | None:
    """`cs, free := toCString(s)`: the free function dropped or never called, or called
    after a `return` that leaves without it."""
    kept = free_closure_call(file, call, position)
    if kept is None:
        return None
    name, called = kept
    held = f"`{flow.aliases[0].name}`" if flow.aliases else f"`{helper}(...)`"
    where = function_name(call)
    if called is None:
        how = "dropped" if name == "_" else f"kept in `{name}` but never called"
        return (
            f"{held} from `{helper}` is never freed in `{where}`: the function `{helper}` "
            f"returns to free it is {how}; `defer` a call of it right after the allocation"
        )
    leaving = return_before(flow, [called.start_byte])
    if leaving is None:
        return None
    return (
        f"{held} from `{helper}` is not freed when `{where}` returns at line "
        f"{leaving.start_point.row + 1}: `{name}()` comes later; `defer {name}()` right after "
        "the allocation"
    )


def _held_locally(
    file: GoFile, flow: ValueFlow, frees: tuple[str, ...], taking: tuple[str, ...]
) -> tuple[str, str] | CallLiteral | None:
    """The local array (`args`) or struct field (`arg.name`) an allocation is kept in,
    with what it is, or the field of a literal written in a C call's arguments it is
    passed in
    (`args[0] = C.CString(s)`, the array handed to C as `&args[0]`; `arg.name = ..`, the
    struct as `&arg`), when that is the only way it leaves and no read of the element
    or field frees it or lets it go."""
    if is_freed(file, flow, frees, is_c_free_function) is not None:
        return None
    literal = held_in_call_literal(file, flow, is_c_free_function)
    if literal is not None:
        return None if matches_name(literal.callee, frees + taking) else literal
    local = held_in_local_array(file, flow, is_c_free_function)
    what = "a local array"
    if local is None:
        local, what = (
            held_in_local_struct(file, flow, is_c_free_function),
            "a field of a local struct",
        )
    if local is None or any(is_released(file, f, frees, taking) for f in local[1]):
        return None
    return local[0], what


def _early_free(file: GoFile, flow: ValueFlow, frees: tuple[str, ...]) -> tuple[str, int] | None:
    """(variable, line) of a deferred free that reads the variable before the
    allocation is assigned to it (`defer C.free(unsafe.Pointer(cs))` above
    `cs = C.CString(s)`)."""
    found = deferred_too_early(
        file, flow, lambda callee: is_c_free_function(callee) or matches_name(callee, frees)
    )
    return (text(found[0]), found[1]) if found is not None else None


def _c_function_passed(file: GoFile, flow: ValueFlow) -> str | None:
    """The first C function the allocation is passed to (`C.engine_use`), if any: one
    that might take ownership (not a cgo helper that copies, like `C.GoString`, nor a
    function whose name says it frees, nor a libc function that only reads or writes
    through the pointer, like `C.strncpy`)."""
    for use in flow.of_kind(UseKind.ARGUMENT):
        name = file.c_function(use.call) if use.call is not None else None
        if (
            name is not None
            and name not in GO_RESULT_C_FUNCTIONS
            and not is_c_free_function(f"C.{name}")
            and (name not in LIBC_FUNCTIONS or name in LIBC_TAKING)
        ):
            return f"C.{name}"
    return None
