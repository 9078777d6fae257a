"""Closure parameters that own memory (RS106).

`title.map_or(ptr::null(), |s| s.as_ptr())` on an `Option<CString>` hands the
closure the `CString` itself: it is dropped when the closure returns, and the
pointer the closure returns dangles (tcod-rs kept a comment about it). With
`title.as_ref()` the closure borrows, and the pointer stays valid. A closure
parameter owns memory when its type is written so (`|s: CString|`), or when
the closure is given to a by-value method of `Option`/`Result` (`map`,
`map_or`, `map_or_else`, `and_then`) called on what holds an owner: the value
that makes it (`CString::new(s).map(|c| c.as_ptr())`), or a local declared
`Option<CString>` or made by `CString::new(..).ok()`, `Some(owner)` or
`.map(|..| owner)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import block_tail, callee, strip
from interop_lint.analyzer.rust.ownership import local_binding
from interop_lint.analyzer.rust.syntax import normalize_type

OwnsMemory = Callable[[Located], bool]  # whether an expression makes a new owner

_BY_VALUE = frozenset({"map", "map_or", "map_or_else", "and_then"})
_OWNER_TYPE = re.compile(r"^(?:[\w:]*::)?(?:CString|String|Vec<.*>)$")
_HOLDER_TYPE = re.compile(r"^(?:Option|Result)<(?:[\w:]*::)?(?:CString|String|Vec<.*>)\b")


def owned_parameter(name: Located, owns: OwnsMemory) -> Located | None:
    """The closure whose parameter `name` is, when that parameter owns memory."""
    closure = next((a for a in name.ancestors() if a.type == "closure_expression"), None)
    parameters = closure.field("parameters") if closure is not None else None
    if closure is None or parameters is None:
        return None
    for parameter in parameters.named_children():
        pattern = parameter.field("pattern") if parameter.type == "parameter" else parameter
        if pattern is None or pattern.type != "identifier" or pattern.text != name.text:
            continue
        written = parameter.field("type") if parameter.type == "parameter" else None
        if written is not None:
            return closure if _OWNER_TYPE.match(normalize_type(written.node)) else None
        return closure if _given_by_value(closure, owns) else None
    return None


def _given_by_value(closure: Located, owns: OwnsMemory) -> bool:
    """`holder.map_or(.., |s| ..)` where `holder` is a local holding an owner."""
    arguments = closure.parent()
    call = arguments.parent() if arguments is not None else None
    called = callee(call) if call is not None and call.type == "call_expression" else None
    if called is None or called.name not in _BY_VALUE or called.receiver is None:
        return False
    receiver = strip(called.receiver)
    if owns(receiver) or _holds_owner(receiver, owns):
        return True  # `CString::new(s).map(|c| ..)`, `CString::new(s).ok().map_or(..)`
    bound = local_binding(receiver)
    if bound is None:
        return False
    written, value = bound
    if written is not None:
        return _HOLDER_TYPE.match(normalize_type(written.node)) is not None
    return value is not None and _holds_owner(strip(value), owns)


def _holds_owner(value: Located, owns: OwnsMemory) -> bool:
    """`CString::new(s).ok()`, `Some(owner)`, `x.map(|..| owner)`."""
    called = callee(value) if value.type == "call_expression" else None
    if called is None:
        return False
    if called.receiver is not None and called.name == "ok":
        return owns(strip(called.receiver))
    given = value.field("arguments")
    arguments = given.named_children() if given is not None else []
    if called.receiver is None and called.qualified == "Some" and len(arguments) == 1:
        return owns(strip(arguments[0]))
    if called.name != "map" or len(arguments) != 1 or arguments[0].type != "closure_expression":
        return False
    body = arguments[0].field("body")
    return body is not None and owns(strip(_value_of(body)))


def _value_of(body: Located) -> Located:
    """What a closure body gives: the expression, or a block's last expression."""
    return (block_tail(body) or body) if body.type == "block" else body
