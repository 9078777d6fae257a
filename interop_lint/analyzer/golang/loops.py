"""The loops around a node: what they range over or count to (GO104's helpers).

A `for ... range s` body runs only for a non-empty `s`, a `for i := 0; i < len(s);
i++` body too; a statement every iteration of `for i := 0; i < n; i++` reaches
runs `n` times (`s = append(s, x)` there makes `len(s) == n`).
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.lengths import normal
from interop_lint.analyzer.golang.syntax import (
    FUNCTION_TYPES,
    assigned_value,
    operator,
    unparen,
)
from interop_lint.analyzer.parsing import text


def inside_range_over(container: Node) -> bool:
    return normal(container) in ranged_over(container)


def inside_counting_loop(container: Node) -> bool:
    """In the body of `for i := 0; i < len(s); i++`: an iteration runs only for a
    non-empty `s` (the loop's bound is no check after it, see `in_comparison`)."""
    wanted = f"len({normal(container)})"
    current = container.parent
    while current is not None and current.type not in ("function_declaration", "func_literal"):
        if current.type == "for_statement":
            clause = next((c for c in current.named_children if c.type == "for_clause"), None)
            condition = clause.child_by_field_name("condition") if clause is not None else None
            if condition is not None and wanted in text(condition).replace(" ", ""):
                return True
        current = current.parent
    return False


_BRANCHES = frozenset(
    {"if_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)


def ranged_over(node: Node, unconditional: bool = False) -> list[str]:
    """What the `for ... range` loops around `node` range over (in its function); with
    `unconditional`, only loops whose every iteration reaches `node` (no branch between)."""
    found = []
    current = node.parent
    while current is not None and current.type not in FUNCTION_TYPES:
        if unconditional and current.type in _BRANCHES:
            break
        if current.type == "for_statement":
            clause = next((c for c in current.named_children if c.type == "range_clause"), None)
            if clause is None and unconditional:
                break
            if clause is not None:
                found.append(normal(clause.child_by_field_name("right")))
        current = current.parent
    return found


def appended_alongside(node: Node) -> list[Node]:
    """The other slices every iteration of the innermost loop around `node` appends to
    (`keys = append(..)` and `values = append(..)` in one `for k, v := range m`): as
    long as each was empty before the loop, one is non-empty exactly when the other is
    (go-keychain's `MapToCFDictionary` checks `len(values)` for `&keys[0]`)."""
    current = node.parent
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type in _BRANCHES:
            return []
        if current.type == "for_statement":
            break
        current = current.parent
    body = current.child_by_field_name("body") if current is not None else None
    statements = body.named_children[0] if body is not None and body.named_children else None
    if statements is None or statements.type != "statement_list":
        return []
    found = []
    for statement in statements.named_children:
        left = statement.child_by_field_name("left")
        for target in left.named_children if statement.type == "assignment_statement" else ():
            value = unparen(assigned_value(target))
            function = value.child_by_field_name("function") if value is not None else None
            if target.type == "identifier" and function is not None and text(function) == "append":
                found.append(target)
    return found


def counted_by(node: Node) -> Node | None:
    """`n` when every iteration of a loop `for i := 0; i < n; i++` around `node` (in its
    function, the innermost loop) reaches it: no branch between them."""
    current = node.parent
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type in _BRANCHES:
            return None
        if current.type == "for_statement":
            clause = next((c for c in current.named_children if c.type == "for_clause"), None)
            return _counting_bound(clause) if clause is not None else None
        current = current.parent
    return None


def _counting_bound(clause: Node) -> Node | None:
    """`n` of `i := 0; i < n; i++`."""
    initializer = clause.child_by_field_name("initializer")
    condition = unparen(clause.child_by_field_name("condition"))
    update = clause.child_by_field_name("update")
    if initializer is None or condition is None or update is None:
        return None
    declared = initializer.child_by_field_name("left")
    started = initializer.child_by_field_name("right")
    if declared is None or started is None or "".join(text(started).split()) != "0":
        return None
    counter = text(declared)
    if condition.type != "binary_expression" or operator(condition) != "<":
        return None
    if text(condition.child_by_field_name("left")) != counter:
        return None
    if "".join(text(update).split()) != f"{counter}++":
        return None
    return condition.child_by_field_name("right")
