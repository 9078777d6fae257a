"""Locals that hold a parameter's pointer: `let q = p.cast::<T>();`.

A use of `q` is a use of `p`, and a null check of either covers a use of the
other (rpm-sequoia checks `let p = out;` and then writes through `out`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import arguments, callee, strip, wrapped_pointer
from interop_lint.analyzer.rust.spelling import Spelled

# Methods that give another pointer into the same memory: `*p.add(i)` uses `p`
# (`as_ptr` for a `NonNull` bound under the parameter's name).
SAME_POINTER = frozenset(
    {
        "cast",
        "cast_mut",
        "cast_const",
        "add",
        "offset",
        "wrapping_add",
        "wrapping_offset",
        "sub",
        "as_ptr",
    }
)


# Functions that cast the pointer they are given (`cast(p)`, `F::cast_mut_ptr(p)`).
_CASTS = frozenset({"cast", "cast_ptr", "cast_mut_ptr", "cast_const_ptr"})


def pointer_of(expression: Located) -> str | None:
    """The identifier whose pointer `expression` is: `p` for `p`, `p as *mut T`, `p.add(1)`;
    `w.0` for the field of a local wrapper (`wrapped_pointer`)."""
    current: Located | None = strip(expression)
    while current is not None and current.type == "call_expression":
        called = callee(current)
        if called is not None and called.receiver is not None and called.name in SAME_POINTER:
            current = strip(called.receiver)
            continue
        # `cast(p)`, `F::cast_mut_ptr(p)`: the crate's helpers that cast a handle to its
        # Rust type (rustls-ffi's `CastPtr`, accesskit) give the same pointer
        given = arguments(current) if called is not None and called.name in _CASTS else []
        if called is None or called.receiver is not None or len(given) != 1:
            return None
        current = strip(given[0])
    if current is not None and current.type == "field_expression":
        value, field = current.field("value"), current.field("field")
        if value is not None and value.type == "identifier" and field is not None:
            return f"{value.text}.{field.text}" if field.text == "0" else None
    return current.text if current is not None and current.type == "identifier" else None


# A name checked for null, by its spelling: `q.is_null()`, `q == ..`, `NonNull::new(q)`.
_CHECKED_NAME = re.compile(
    r"\b([A-Za-z_]\w*)\s*(?:\.\s*is_null\s*\(|[=!]=)|NonNull\s*::\s*new\s*\(\s*([A-Za-z_]\w*)"
)
_FEW = 8  # names to look for in a `let` before reading its value


def local_copies(nodes: list[Located], parameters: set[str]) -> dict[str, list[tuple[int, str]]]:
    """Locals that hold a parameter's pointer: `let q = p.cast::<T>();` -> {q: [(start
    of the `let`, p)]}, in file order: one name may hold two parameters in turn
    (`let data = dest; .. let data = source;`, zlib-rs)."""
    copies: dict[str, list[tuple[int, str]]] = {}
    for node in nodes:
        if node.type != "let_declaration":
            continue
        pattern, value = node.field("pattern"), node.field("value")
        if pattern is None or value is None or pattern.type != "identifier":
            continue
        if len(parameters) + len(copies) <= _FEW:
            spelled = Spelled(value.fragment.data, [(value.node.start_byte, value.node.end_byte)])
            if not spelled.any_of(parameters | {c.split(".", 1)[0] for c in copies}):
                continue  # `pointer_of` names an identifier written in the value
        local, wrapped = pattern.text, wrapped_pointer(value)
        if wrapped is not None:
            local, value = f"{local}.0", wrapped
        source = pointer_of(value)
        parameter = source if source in parameters else copied_at(copies, source, node.start)
        if parameter is not None and local not in parameters:
            copies.setdefault(local, []).append((node.start, parameter))
    return copies


def copied_at(copies: dict[str, list[tuple[int, str]]], name: str | None, at: int) -> str | None:
    """The parameter the local `name` holds at byte `at`: that of its last copy before."""
    held = None
    for start, parameter in copies.get(name or "", ()):
        if start >= at:
            break
        held = parameter
    return held


def copies_checked_in(function: Node, copies: dict[str, list[tuple[int, str]]]) -> set[str]:
    """The copies a function checks for null somewhere, by their spelling (those whose
    check may cover a use of another name for the same pointer)."""
    spelled = (function.text or b"").decode("utf-8", "replace")
    return set(copies).intersection(
        name for found in _CHECKED_NAME.finditer(spelled) for name in found.groups() if name
    )
