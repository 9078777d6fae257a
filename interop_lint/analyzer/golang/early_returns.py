"""A `return` that leaves a function between an allocation and its release (GO101).

`cs := C.CString(s)`, then `if err != nil { return err }`, then `defer
C.free(unsafe.Pointer(cs))`: the function frees the string, but not on the
error path. The question is asked of the syntax alone, forward from the
statement that allocates: the statements that follow it in its block, then
those that follow the block's statement in the enclosing one, up to the
function's body, until the first statement that releases the value (frees it,
or lets it escape). A `return` in one of the statements before it leaves with
the allocation unreleased. A statement that compares or reads the value (`if
cs == nil { return }`) says nothing is held on its way out and is passed over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.flow import ValueFlow
from interop_lint.analyzer.golang.syntax import FUNCTION_TYPES
from interop_lint.analyzer.golang.uses import Use, UseKind

_ASSIGNMENTS = frozenset({"short_var_declaration", "assignment_statement", "var_spec"})


def leaving_return(flow: ValueFlow, releases: Callable[[Use], bool]) -> Node | None:
    """The first `return` that leaves the allocating function with `flow`'s value
    neither freed nor escaped, when a later statement releases it (`releases` says
    which uses do); None when no release follows, or no `return` comes first."""
    released_at = [use.node.start_byte for use in flow.uses if releases(use)]
    if not released_at or _with_error(flow.origin):
        return None
    return return_before(flow, released_at)


def return_before(flow: ValueFlow, released_at: list[int]) -> Node | None:
    """The first `return` after `flow`'s allocation that leaves before any of the
    releases at bytes `released_at`: in a statement before the first one, outside
    statements that read the value (`if cs == nil`), or in a branch of the `if` or
    `switch` that holds the first one where no release is (`case 1: C.free(..);
    return` beside `case 2: return err`)."""
    first_release = min(released_at)
    end = max(released_at)
    if not _return_written_before(flow.origin, end):
        return None
    compared = [use.node for use in flow.uses if use.kind is UseKind.OTHER]
    for statement in _statements_after(flow.origin):
        if statement.start_byte >= first_release:
            return None
        if any(_contains(statement, read) for read in compared):
            continue
        found = _first_return(statement)
        if found is not None and found.end_byte <= first_release:
            return found
        if statement.end_byte > first_release:
            return _unreleased_branch_return(statement, released_at)
    return None


_BRANCHING = frozenset({"if_statement", "expression_switch_statement", "type_switch_statement"})
_CASES = frozenset({"expression_case", "type_case", "default_case"})


def _unreleased_branch_return(statement: Node, released_at: list[int]) -> Node | None:
    """A `return` in a branch of `statement` (an `if` or `switch`) that holds none of
    the releases, when another branch holds one."""
    branches: list[Node] = []
    pending = [statement]
    while pending:  # `if .. {} else if .. {} else {}` is one chain of branches
        current = pending.pop()
        if current.type == "if_statement":
            for part in ("consequence", "alternative"):
                branch = current.child_by_field_name(part)
                if branch is not None and branch.type == "if_statement":
                    pending.append(branch)
                elif branch is not None:
                    branches.append(branch)
        elif current.type in _BRANCHING:
            branches += [c for c in current.named_children if c.type in _CASES]
    found: Node | None = None
    for branch in branches:
        if any(branch.start_byte <= at < branch.end_byte for at in released_at):
            continue
        leaving = _first_return(branch)
        if leaving is not None and (found is None or leaving.start_byte < found.start_byte):
            found = leaving
    return found


def _with_error(origin: Node) -> bool:
    """`p, err := C.calloc(n, size)`, `cs, err := toCString(v)`: a `return` on the
    error is where nothing was allocated."""
    current: Node | None = origin
    while current is not None and current.type not in _ASSIGNMENTS | FUNCTION_TYPES:
        current = current.parent
    if current is None or current.type in FUNCTION_TYPES:
        return False
    left = current.child_by_field_name("left") or current.child_by_field_name("name")
    return left is not None and left.named_child_count > 1


def _return_written_before(origin: Node, end: int) -> bool:
    """Whether `return` is written between an allocation and its first release (read
    from the bytes of the enclosing function, before any statement is walked)."""
    function: Node | None = origin
    while function is not None and function.type not in FUNCTION_TYPES:
        function = function.parent
    if function is None:
        return False
    start = function.start_byte
    return b"return" in (function.text or b"")[origin.end_byte - start : end - start]


def _statements_after(node: Node) -> Iterator[Node]:
    """The statements run after the one holding `node`: its later siblings, then those
    of each enclosing statement, up to the body of `node`'s function."""
    current: Node | None = node
    while current is not None and current.type not in FUNCTION_TYPES:
        parent = current.parent
        if parent is not None and parent.type == "statement_list":
            sibling = current.next_named_sibling
            while sibling is not None:
                yield sibling
                sibling = sibling.next_named_sibling
        current = parent


def _first_return(statement: Node) -> Node | None:
    """The first `return` statement in `statement`, outside function literals."""
    stack = [statement]
    found: Node | None = None
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            if found is None or node.start_byte < found.start_byte:
                found = node
            continue
        if node.type not in FUNCTION_TYPES:
            stack.extend(node.named_children)
    return found


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte
