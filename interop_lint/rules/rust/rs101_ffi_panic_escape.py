"""## What it does
Checks for exported functions (`extern "C"` with `#[no_mangle]` or
`#[export_name]`, and the functions a `macro_rules!` macro of the crate
exports from a whole function its invocation is given, in any file of the
crate: `ffi_fn! { fn name(..) { .. } }`, or the `extern` functions it writes
out with `#[no_mangle]`: `unmangle!( pub extern "C" fn name(..) { .. } )`)
that can panic and have no panic guard. Panic sources are `.unwrap()`,
`.expect()`, `panic!`, `unreachable!`, `todo!`, `unimplemented!`, the
`assert!` family and indexing `a[i]`: in the function, including the code it
writes inside macro invocations (`format!("{}", v[0])` indexes); in the
expansion of each `macro_rules!` macro of the crate it invokes (what the
macro's rules write themselves; a panic in any rule counts); and in every
function of the same crate it calls (by name, transitively, through macros
too, or handed by name to a combinator: `.map(convert_options)`; a result
converted with `.into()` calls `from` of the return type). `.expect(x)` is
`Option`/`Result`'s only with one message: a crate's own `expect` method
taking a token (`parser.expect(b'(')`, `self.expect(Token::Comma)`) is not.
Macros of other crates are not expanded: only the code written in their
arguments counts. Unwrapping a conversion of a literal that cannot fail
(directly or through an immutable local bound to it) is no panic source:
`CString::new("no NUL")`, `CStr::from_bytes_with_nul(b"ends in its only
NUL\\0")`, `NonZeroU32::new(83)`; nor is `CString::new` of JSON text, which
holds no NUL (`serde_json::to_string(&v)?`, `json!(..).to_string()`;
unwrapping the encoding still is), nor `CString::new(msg)` of a helper's text
parameter that every call in the crate fills with such text, or with a text
parameter of its own filled so (`fn fail(code: i32, msg: &str) {
set_last_error(code, msg) }` called as `fail(1, "bad input")`); one call
passing other text makes it a panic source for every caller. Nor an
`.unwrap()` the code shows cannot
fail (inside `if x.is_some()`, after `if x.is_none() { return .. }` or `if
r.is_err() { return .. }`, as clippy's `unnecessary_unwrap` reads them).
Neither is indexing checked against the length first: in the branch of `if
!v.is_empty()`, `if i < v.len()` or `v.len() >= 4 && ..`, after `if v.len() <
4 { return .. }` (an unsigned parameter converted on either side: `if i >=
v.len() as u64 { .. } else { v[i as usize] }`, or a signed one also checked
`>= 0`: `if i < 0 || i >= v.len() as c_int { return }`), in `for i in
0..v.len()` (or `0..n` with `let n = v.len();`, or `n` the length a raw slice
was made with; `for i in 0..4` of a `[T; 4]`), a slice made with
`slice::from_raw_parts_mut(buf, buf_len)` indexed `out[..n]` after `if n >
buf_len { return .. }` or with `let n = src.len().min(buf_len)` (also
`cmp::min`), in a match arm past the arms that took the short lengths (`match
v.len() { 0 => .., _ => v[0] }`, `Err(_) if v.is_empty() => .., Err(_) =>
v[0]`), through a local bound to the length and only decreased (`let mut n =
v.len() - 1;` once `v` is non-empty, then `v[..n]` in `while n > 0 { .. n -=
1; }`), at a position found in the same string or slice (`if let Some(i) =
s.find('?') { &s[..i] }`, `&s[i + 1..]` after a `find` of a char, `v[i]` after
`v.iter().position(..)`), or a constant index or range within a fixed array
(`let b = [0u8; 256];` or `let k: [u8; 64] = ..;`, then `b[3]` or
`&b[0..128]`, or `b[i]` after `if i >= 256 { return }`; a parameter `key:
*const [u8; 32]`, then `(*key)[0]`, or `k[31]` of the `k` its `key.as_ref()`
gives) or a slice taken with constant bounds (`let m = &v[..4];`, then
`m[3]`).

A guard is `std::panic::catch_unwind` (by any path) around the code, a
`macro_rules!` macro or function of the crate that runs its argument under
`catch_unwind` (an export macro that runs the function's body so, such as
hyper's `ffi_fn!`, guards it; or a macro that hands its argument to such a
guard: `ffi_boundary_size_t!` expanding to `ffi_boundary_generic!(0, ..)`; or
a generic function that hands its closure to one: `ffi_safe_ptr(f)` calling
`ffi_safe(f)`), a function of another crate given the code in a closure whose
name says it catches panics (its last path segment contains `catch_unwind` or
`catch_panic`: `ffi_toolkit::catch_panic_response`,
`ffi_helpers::catch_panic`; a `macro_rules!` macro of the crate named so is a
guard only by its body), an attribute macro on the function with such a
name (getsentry/relay's `#[relay_ffi::catch_unwind]` rewrites the body to run
under `catch_unwind`), or a function, macro or attribute named in the
`panic-guards` setting. Async code runs where it is polled: an `async` block
or the future of a call of an `async fn` of the crate handed to such a guard
(cpex-ffi's `run_safely(parse(input))`, polled under `catch_unwind`) is
guarded, one given to `block_on` is not. A closure boxed into a value
(`Box::new`, `Arc::new`, `Rc::new`: a callback slot, `opts.log =
Some(Box::new(move |m| ..))`) runs later, where the code that calls it answers
for its panics. A guard that panics in its own code, outside its
`catch_unwind` (`*LAST_ERROR.lock().unwrap() = message;` where it handles the
caught panic), leaves the export unguarded there; what it calls to build its
error value (`FfiError::new(code, "FFI")`) is taken to be the crate's way of
reporting, not a panic source of every export. When the whole body is handed
in a closure to some other function (`ffi_support::call_with_result(&mut err,
|| ..)`), the finding says to add it to `panic-guards` if it is a guard.

## Why is this bad?
A panic cannot unwind into C, and a caller through cgo or ctypes is C here.
Since Rust 1.81 a panic that reaches an `extern "C"` boundary aborts the
whole process: the Go service or the Python interpreter that loaded the
library dies with everything in flight. Before 1.81 it was undefined
behaviour.

## Example
```rust
#[no_mangle]
pub extern "C" fn engine_port(config: *const c_char) -> u16 {
    let text = unsafe { CStr::from_ptr(config) }.to_str().unwrap();
    text.parse().expect("port")
}
```

## Use instead
```rust
#[no_mangle]
pub extern "C" fn engine_port(config: *const c_char) -> u16 {
    std::panic::catch_unwind(|| {
        let text = unsafe { CStr::from_ptr(config) }.to_str().ok()?;
        text.parse().ok()
    })
    .ok()
    .flatten()
    .unwrap_or(0)
}
```
Or return errors instead of panicking, and keep `catch_unwind` for what is left.
With `panic-guards = ["ffi_guard"]` a crate's own `ffi_guard!{ .. }` counts too.

## Known problems
Calls are matched by name and shape, not by type: `x.get(i)` on a local of
unknown type may be taken for the crate's own `get`. A method called on
`self` or on a parameter of a known type only reaches that type's methods.
Code in a closure given to `thread::spawn` panics in its own thread and is
not reported; `debug_assert!` is not counted (it is gone in release builds).
A macro is matched by name, not by which of its rules an invocation takes:
a panic in any rule counts for every invocation.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.analyzer.locations import RelatedLocation
from interop_lint.analyzer.rust.body import bodies_of
from interop_lint.analyzer.rust.callgraph import PanicTrace
from interop_lint.analyzer.rust.item_macros import exported_functions, may_export
from interop_lint.analyzer.rust.panics import body_wrapper
from interop_lint.rules.registry import Rule

MAX_SITES = 10


def _wrapper_hint(ctx: RuleContext, function: Node | None) -> str:
    """How to declare the function the body is handed to a guard, if it is handed to one
    that is not known as a guard (a known guard leaves the panic outside its closure:
    `match catch_unwind(|| ..) { Ok(v) => v.unwrap(), .. }`)."""
    body = function.child_by_field_name("body") if function is not None else None
    wrapper = body_wrapper(bodies_of(ctx.file).in_file(body)) if body is not None else None
    if wrapper is None:
        return ""
    rust = ctx.index.rust
    if rust.is_guarded(rust.crate_of(ctx.file.path), (wrapper,)):
        return ""
    return f"; if `{wrapper}` catches panics, add it to `panic-guards` in the configuration"


def _consequence(abi: str) -> str:
    """What a panic escaping an export of this ABI does to the process."""
    if abi.endswith("-unwind"):  # `extern "C-unwind"`: Rust unwinds into the caller
        return (
            "a panic here unwinds into the C caller, which neither Go nor Python can catch: "
            "the process crashes"
        )
    return "a panic here aborts the whole process (the Go runtime or Python interpreter with it)"


def _headline(traces: list[PanicTrace]) -> PanicTrace:
    """The panic the message names: the nearest explicit one (`.unwrap()`,
    `.expect(..)`, `assert!`) at most one call deeper than the nearest site, else
    the nearest site. An index is one a reader may have ruled out (`v[32 -
    h.len()..]` after `h.len() <= 32`); an explicit panic close by is the stronger
    evidence, a logger's `.unwrap()` three calls away is not."""
    depth = len(traces[0].chain) + 1
    return next(
        (
            trace
            for trace in traces
            if not trace.site.what.startswith("indexing") and len(trace.chain) <= depth
        ),
        traces[0],
    )


def _where(trace: PanicTrace) -> str:
    place = trace.site.location.place
    if not trace.chain:
        return f"{trace.site.what} at {place}"
    found = f"{trace.site.what} in `{trace.function}` at {place}"
    if len(trace.chain) == 1:
        return found
    names = [f"`{name}`" for name in trace.chain]
    if len(names) > 4:
        names = [*names[:2], "…", names[-1]]
    return found + ", via " + " → ".join(names)


class FfiPanicEscape(Rule):
    id = "RS101"
    name = "ffi-panic-escape"
    level = Level.ERROR
    file_kinds = frozenset({FileKind.RUST})
    cwe = (248, 755)
    precision = "high"
    security_severity = 7.5

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        if not may_export(ctx.facts.rust):
            return
        index = ctx.index.rust
        crate = index.crate_of(ctx.file.path)
        calls = index.calls_of(crate)
        nodes: dict[str, Node] | None = None
        for export in index.exports_in_file(ctx.file.path):
            start = calls.index_of(ctx.file.path, export.location, export.name)
            traces = calls.panic_traces(start, MAX_SITES) if start is not None else []
            traces = [t for t in traces if not t.guard or t.guard == t.function]
            if not traces:
                continue
            if nodes is None:  # the syntax tree, only for a file with a finding
                nodes = {e.symbol: e.node for e in exported_functions(ctx.file, index)}
            hint = _wrapper_hint(ctx, nodes.get(export.symbol))
            first = _headline(traces)
            unguarded = (
                f"outside the `catch_unwind` of its guard `{first.guard}`"
                if first.guard
                else "and has no panic guard"
            )
            yield Violation(
                export.location,
                f"`{export.name}` can panic ({_where(first)}) {unguarded}: "
                f"{_consequence(export.abi)}{hint}",
                related=tuple(
                    RelatedLocation(
                        t.site.location,
                        f"{t.site.what} can panic" + (f" (in `{t.function}`)" if t.chain else ""),
                    )
                    for t in traces
                ),
            )
