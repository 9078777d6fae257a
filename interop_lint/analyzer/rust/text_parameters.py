"""The text parameters every caller in the crate fills with text that holds no NUL (RS101).

`CString::new(msg).expect(..)` in `fn set_last_error(code: i32, msg: &str)` cannot
fail when every call passes a literal without a NUL (`set_last_error(1, "bad
input")`), or a text parameter of its own that every call of it fills so
(`fn fail(code: i32, msg: &str) { set_last_error(code, msg) }`). Only calls inside
the crate matter: an export reaches the helper through them. The answer is the
largest set of parameters consistent with every call: a parameter stays while
each call of its function passes such a literal or a parameter that stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.callgraph import CrateCalls

# A parameter: (function index, position with `self` not counted).
Parameter = tuple[int, int]


def nul_free_parameters(calls: CrateCalls, wanted: Iterable[Parameter]) -> set[Parameter]:
    """Those of `wanted`, and the parameters they are filled from, that every call
    in the crate fills with text that holds no NUL."""
    considered: set[Parameter] = set()
    failed: set[Parameter] = set()
    # A caller's parameter -> the parameters it fills (they fail when it fails).
    fills: dict[Parameter, list[Parameter]] = defaultdict(list)
    pending = list(dict.fromkeys(wanted))
    considered.update(pending)
    while pending:
        parameter = pending.pop()
        function, position = parameter
        sources = _sources(calls, function, position)
        if sources is None:
            failed.add(parameter)
            continue
        for source in sources:
            fills[source].append(parameter)
            if source not in considered:
                considered.add(source)
                pending.append(source)
    spreading = list(failed)
    while spreading:  # a parameter filled from one that may hold a NUL may too
        for filled in fills.get(spreading.pop(), ()):
            if filled not in failed:
                failed.add(filled)
                spreading.append(filled)
    return considered - failed


def _sources(calls: CrateCalls, function: int, position: int) -> list[Parameter] | None:
    """The callers' parameters that fill a parameter (empty when every call passes
    NUL-free text there); None when a call may pass anything, or none is known."""
    callee = calls.functions[function][1]
    callers = calls.callers(function)
    if not callers:
        return None
    sources: list[Parameter] = []
    for caller in callers:
        for call in calls.functions[caller][1].calls:
            if function not in calls.callees_from(caller, call):
                continue
            if callee.has_self and not call.method:
                return None  # `Type::f(value, ..)`: the arguments are shifted
            if position in call.text_arguments:
                continue
            source = next((own for at, own in call.forwarded if at == position), None)
            if source is None:
                return None
            sources.append((caller, source))
    return sources
