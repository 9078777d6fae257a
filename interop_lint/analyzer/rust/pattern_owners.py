"""Locals that a pattern binds to a new owner (RS106).

`match CString::new(name) { Ok(s) => s.as_ptr(), Err(_) => return .. }` and
`if let Ok(s) = CString::new(name) { s.as_ptr() } else { .. }` move the
`CString` into `s`, a local of the arm or of the `if let` block: it is dropped
where that ends, so a pointer into it that the arm or block gives away dangles
(taglib-rust's `File::new`). `Ok(ref s)` borrows the scrutinee instead, and a
local declared again inside the arm is that `let`'s (ownership.local_declaration).
"""

from __future__ import annotations

from collections.abc import Callable

from interop_lint.analyzer.parsing import text, walk
from interop_lint.analyzer.rust.bindings import pattern_names
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.expressions import strip
from interop_lint.analyzer.rust.ownership import local_declaration

OwnsMemory = Callable[[Located], bool]  # whether an expression makes a new owner


def pattern_scope(name: Located, owns: OwnsMemory) -> Located | None:
    """The match arm or `if let` block where a pattern binds `name` (an identifier
    used there) by value to the new owner the scrutinee makes; else None."""
    declared = local_declaration(name.text, name)
    child = name
    for ancestor in name.ancestors():
        if ancestor.type in ("function_item", "closure_expression"):
            return None
        if declared is not None and ancestor.contains(declared):
            return None  # a `let` of the name nearer than any pattern
        scope = _bound_in(ancestor, child, name.text, owns)
        if scope is not None:
            return scope or None
        child = ancestor
    return None


def _bound_in(
    ancestor: Located, child: Located, name: str, owns: OwnsMemory
) -> Located | bool | None:
    """The scope `ancestor` gives `name` when its pattern binds it; False when it binds
    it otherwise (by reference, or to a value that is no new owner); None when it does
    not bind it."""
    if ancestor.type == "match_arm":
        pattern, scope = ancestor.field("pattern"), ancestor
        block = ancestor.parent()
        match = block.parent() if block is not None else None
        value = match.field("value") if match is not None else None
    elif ancestor.type == "if_expression":
        condition, scope = ancestor.field("condition"), ancestor.field("consequence")
        if condition is None or condition.type != "let_condition" or scope is None:
            return None
        if not scope.contains(child):
            return None  # the `else` branch: the pattern did not match
        pattern, value = condition.field("pattern"), condition.field("value")
    else:
        return None
    binding = _binding(pattern, name) if pattern is not None else None
    if binding is None:
        return None
    if binding == "ref" or value is None or not owns(strip(value)):
        return False
    return scope


def _binding(pattern: Located, name: str) -> str | None:
    """ "move" or "ref" when `pattern` binds `name`, else None."""
    if name not in pattern_names(pattern.node):
        return None
    by_reference = any(
        node.type == "identifier"
        and text(node) == name
        and node.parent is not None
        and node.parent.type == "ref_pattern"
        for node in walk(pattern.node)
    )
    return "ref" if by_reference else "move"
