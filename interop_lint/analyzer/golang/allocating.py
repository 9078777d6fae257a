"""Package functions that return a fresh C allocation, and their calls (GO101).

Bindings serialize into C memory in a helper and pass the result on
(osohq/oso's Go binding, before it freed them):

    func ffiSerialize(input interface{}) (*C.char, error) {
        json, err := json.Marshal(input)
        if err != nil { return nil, err }
        return C.CString(string(json)), nil
    }
    json, err := ffiSerialize(queryTerm)
    C.polar_new_query_from_term(p.ptr, json, 0)   // never freed

A function returns an allocation when every `return` gives, at one
position, `nil` or a `C.CString`/`C.CBytes`/`C.malloc`/`C.calloc` it makes
and keeps nowhere else (no field, global, element, channel, closure, no
free): the caller owns it. Each call of such a function is an allocation of
the caller's, followed as one (`golang/flow.py`; the result's variable is
the target at that position of `p, err := helper(x)`).
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import package_function_calls
from interop_lint.analyzer.golang.facts import GoFuncDecl
from interop_lint.analyzer.golang.flow import is_freed, value_uses
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.ownership import allocations
from interop_lint.analyzer.golang.syntax import FUNCTION_TYPES, unparen
from interop_lint.analyzer.golang.uses import ESCAPING, UseKind, carrier
from interop_lint.analyzer.parsing import descendants_of_type

_NESTED = tuple(FUNCTION_TYPES)


def returned_allocation(file: GoFile, function: Node) -> tuple[str, int] | None:
    """(allocator, result position) when `function` returns an allocation it makes at
    that position on every `return` that gives a non-nil value there (module docstring)."""
    body = function.child_by_field_name("body")
    if function.type != "function_declaration" or body is None:
        return None
    returned: dict[int, str] = {}  # the carrier of a returned allocation -> allocator
    for call, allocator in allocations(file):
        if not (body.start_byte <= call.start_byte < body.end_byte):
            continue
        flow = value_uses(file, call)
        kinds = {use.kind for use in flow.uses}
        if UseKind.RETURNED not in kinds or kinds & ESCAPING != {UseKind.RETURNED}:
            continue  # kept somewhere too: whose is it to free?
        if is_freed(file, flow):
            continue
        returned.update((use.node.id, allocator) for use in flow.of_kind(UseKind.RETURNED))
    if not returned:
        return None
    statements = [_values(r) for r in descendants_of_type(body, "return_statement", prune=_NESTED)]
    for position in range(max(len(values) for values in statements)):
        found = _allocated_at(file, statements, position, returned)
        if found is not None:
            return found, position
    return None


def _allocated_at(
    file: GoFile, statements: list[list[Node]], position: int, returned: dict[int, str]
) -> str | None:
    """The allocator every `return` gives at `position` (or `nil`), if one does."""
    allocator = None
    for values in statements:
        if len(values) <= position:
            return None  # a bare `return` of named results, or `return f()`
        value = values[position]
        bare = unparen(value)
        if bare is not None and bare.type == "nil":
            continue
        given = returned.get(carrier(file, value).id)
        if given is None:
            return None
        allocator = given
    return allocator


def _values(statement: Node) -> list[Node]:
    listed = next((c for c in statement.named_children if c.type == "expression_list"), None)
    return list(listed.named_children) if listed is not None else []


def helper_allocations(file: GoFile) -> Iterator[tuple[Node, GoFuncDecl]]:
    """(call, function) of every call in the file of a package function that returns a
    fresh C allocation, in order."""
    yield from package_function_calls(file, lambda function: function.allocated_result)
