"""Allocations that a later assignment to their variable replaces before they are freed.

`cs = C.CString(b)` after `cs := C.CString(a)` loses the first string: the
`C.free(cs)` that follows frees the second (flow.py does not count a read that
an assignment on every path before it has overwritten; `overwriting_write`
names that assignment for the message). And `cs = C.CString(n)` as a statement
of a loop's body, into a variable declared outside the loop, is overwritten
by the next iteration: a free after the loop frees only the last string
(`overwritten_each_iteration`).
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from interop_lint.analyzer.golang.flow import ValueFlow
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import FUNCTION_TYPES
from interop_lint.analyzer.golang.uses import carrier
from interop_lint.analyzer.parsing import walk

# Statements that can leave a loop's iteration other than by its end (a `continue` still
# runs the next iteration's assignment, and `break` may leave before the overwrite).
_LEAVING = frozenset({"break_statement", "return_statement", "goto_statement"})


def _assigned_by(file: GoFile, origin: Node) -> tuple[Node, Binding] | None:
    """The `name = origin` statement that puts the value in a variable, and that variable."""
    top = carrier(file, origin)
    parent = top.parent
    statement = parent.parent if parent is not None else None
    if parent is None or parent.type != "expression_list" or statement is None:
        return None
    if statement.type != "assignment_statement":
        return None
    left, right = statement.child_by_field_name("left"), statement.child_by_field_name("right")
    if left is None or right != parent or len(left.named_children) != len(parent.named_children):
        return None
    target = left.named_children[parent.named_children.index(top)]
    if target.type != "identifier":
        return None
    binding = file.binding(target)
    return (statement, binding) if binding is not None else None


def overwriting_write(file: GoFile, origin: Node, flow: ValueFlow) -> Node | None:
    """The first later `name = ..` of the variable the value is put in that runs before
    every read after it (none when the value is not overwritten so)."""
    held = flow.aliases[0] if flow.aliases else None
    if held is None:
        return None
    for where, _ in sorted(held.writes, key=lambda w: w[0].start_byte):
        statement = where.parent.parent if where.parent is not None else None
        if where.start_byte <= origin.end_byte or statement is None:
            continue
        after = [r for r in held.reads if r.start_byte >= statement.end_byte]
        if after and all(held.overwritten_before(r, origin.end_byte) for r in after):
            return where
    return None


def overwritten_each_iteration(
    file: GoFile, origin: Node, flow: ValueFlow, released: Callable[[ValueFlow], bool]
) -> Node | None:
    """The loop whose every iteration overwrites the value, which only a use after the
    loop releases: `for .. { cs = C.CString(n); C.use(cs) }; C.free(cs)`. The
    assignment must be a statement of the loop's body, of a variable declared
    before the loop, in a body that nothing leaves early."""
    assigned = _assigned_by(file, origin)
    if assigned is None:
        return None
    statement, binding = assigned
    body = statement.parent
    block = body.parent if body is not None and body.type == "statement_list" else body
    loop = block.parent if block is not None else None
    if loop is None or loop.type != "for_statement" or binding.ident.start_byte > loop.start_byte:
        return None
    if any(n.type in _LEAVING for n in walk(block, prune=FUNCTION_TYPES)):
        return None
    inside = [u for u in flow.uses if loop.start_byte <= u.node.start_byte < loop.end_byte]
    in_loop = ValueFlow(flow.origin, inside, flow.aliases, flow.early_reads)
    return loop if not released(in_loop) and released(flow) else None
