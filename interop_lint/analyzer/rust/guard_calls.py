"""How a function of the crate can be a panic guard for its callers (RS101).

`runs_argument_guarded`: it runs one of its parameters under `catch_unwind`
(`fn guard<F: FnOnce()>(f: F) { catch_unwind(f) }`). `hands_argument_to_calls`:
the functions it hands a parameter to (`ffi_safe_ptr(f)` calling `ffi_safe(f)`),
a guard when one of them is (the index follows them to a fixed point).
"""

from __future__ import annotations

from collections.abc import Iterable

from tree_sitter import Node

from interop_lint.analyzer.rust.body import Fragment, Located
from interop_lint.analyzer.rust.expressions import callee
from interop_lint.analyzer.rust.facts import RustCall
from interop_lint.analyzer.rust.spelling import identifiers_named


def hands_argument_to_calls(
    calls: Iterable[tuple[Node, Fragment, RustCall]], parameters: set[str]
) -> tuple[str, ...]:
    """The free functions a generic function's parameters are handed to, in calls
    (`ffi_safe(f)`, `catch_unwind_result(AssertUnwindSafe(f))`)."""
    handed = []
    for node, fragment, call in calls:
        arguments = node.child_by_field_name("arguments") if not call.method else None
        if arguments is not None and next(
            identifiers_named(Located(arguments, fragment), parameters), None
        ):
            handed.append(call.name)
    return tuple(dict.fromkeys(handed))


def runs_argument_guarded(calls: list[Located], parameters: set[str]) -> bool:
    """`catch_unwind(f)` / `catch_unwind(AssertUnwindSafe(f))` with `f` a parameter."""
    for call in calls:
        called = callee(call)
        if called is None or called.name != "catch_unwind":
            continue
        arguments = call.field("arguments")
        if arguments is not None and next(identifiers_named(arguments, parameters), None):
            return True
    return False
