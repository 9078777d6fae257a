"""Crate functions that panic when a pointer argument is null (RS102).

polyglot checks its status pointers through a helper:

    pub fn check_not_null(status: *mut Status) {
        if status.is_null() { panic!("status pointer is null"); }
    }
    Status::check_not_null(status);
    *status = Status::Pass;

A function that panics on a null pointer parameter before it can return
records it (`RustFunction.asserts_nonnull`); the crate's table of them, by
how a call names the function (pointer_contracts.crate_null_asserts), tells
`InvocationNullChecks` that a statement calling it checks its argument. One
that returns on null checks nothing for its caller: the caller goes on with
the null pointer.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.rust.body import RustBodies
from interop_lint.analyzer.rust.facts import PointerDemand
from interop_lint.analyzer.rust.nullness import InvocationChecks, leaves_unless_nonnull

_LEAVING = ("return_expression", "try_expression", "break_expression")


def asserted_nonnull(
    bodies: RustBodies, function: Node, positions: dict[str, int], macros: InvocationChecks
) -> tuple[PointerDemand, ...]:
    """The pointer parameters `function` panics on when null before it can return
    (`if p.is_null() { panic!(..) }`, `assert!(!p.is_null())` at the top of its
    body): past a call of it, its caller's argument is non-null (polyglot's
    `Status::check_not_null(status); *status = ..`)."""
    body = function.child_by_field_name("body")
    if body is None or not positions:
        return ()
    found = []
    pending = dict(positions)
    for statement in bodies.in_file(body).named_children():
        walked = bodies.walk(statement, prune=("closure_expression", "function_item"))
        if any(node.type in _LEAVING for node in walked):
            break  # it may return (on null too): the straight line ends
        for name, position in list(pending.items()):
            if leaves_unless_nonnull(statement, name, bodies, macros):
                del pending[name]
                found.append(PointerDemand(position, bodies.location(statement), "null check"))
        if not pending:
            break
    return tuple(sorted(found, key=lambda d: d.position))
