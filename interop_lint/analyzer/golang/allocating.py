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
the target at that position of `p, err := helper(x)`). A closure returned
with the allocation that frees it (daos-stack/daos's `toCString`, `return
cString, func() { freeString(cString) }`) is the caller's way to free it:
its position is kept, and the caller's call of it (`defer free()`) frees.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import package_function_calls
from interop_lint.analyzer.golang.facts import GoFuncDecl
from interop_lint.analyzer.golang.flow import ValueFlow, is_freed, value_uses
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.ownership import allocations, names_a_free
from interop_lint.analyzer.golang.syntax import (
    enclosing_function,
    return_values,
    returns_in,
    unparen,
)
from interop_lint.analyzer.golang.uses import ESCAPING, UseKind, carrier
from interop_lint.analyzer.parsing import enclosing, text


def returned_allocation(file: GoFile, function: Node) -> tuple[str, int, int] | None:
    """(allocator, result position, free position) when `function` returns an allocation
    it makes at that position on every `return` that gives a non-nil value there (module
    docstring); the free position is that of a `func()` returned with it that frees it
    (`return cs, func() { C.free(unsafe.Pointer(cs)) }`), else -1."""
    body = function.child_by_field_name("body")
    if function.type != "function_declaration" or body is None:
        return None
    statements: list[list[Node]] | None = None  # read once an allocation is returned
    returned: dict[int, str] = {}  # the carrier of a returned allocation -> allocator
    freeing: dict[int, int] = {}  # a returned closure that frees one -> its position
    for call, allocator in allocations(file):
        if not (body.start_byte <= call.start_byte < body.end_byte):
            continue
        holder = enclosing_function(call)
        if holder is None or holder.id != function.id:
            continue  # a function literal's: returned by the literal, not by `function`
        flow = value_uses(file, call)
        kinds = {use.kind for use in flow.uses}
        if UseKind.RETURNED not in kinds:
            continue
        if statements is None:
            statements = _returns(body)
        closures = _returned_closures(flow, statements)
        escaping = kinds & ESCAPING
        if escaping - {UseKind.CAPTURED} != {UseKind.RETURNED} or (
            UseKind.CAPTURED in escaping and not closures
        ):
            continue  # kept somewhere too: whose is it to free?
        free = is_freed(file, flow)
        if free is None and closures:  # `func() { freeString(cs) }`, read from its name
            free = is_freed(file, flow, frees=names_a_free)
        if (free is None and closures) or (
            free is not None and (not closures or not _inside(free.node, closures))
        ):
            continue  # a closure returned with it that does not free it: whose is it?
        returned.update((use.node.id, allocator) for use in flow.of_kind(UseKind.RETURNED))
        if closures and free is not None:
            freeing.update(closures)
    if not returned or not statements:
        return None
    for position in range(max(len(values) for values in statements)):
        found = _allocated_at(file, statements, position, returned)
        if found is not None:
            return found, position, _freed_at(statements, position, freeing)
    return None


def _returns(body: Node) -> list[list[Node]]:
    return [return_values(r) for r in returns_in(body)]


def _returned_closures(flow: ValueFlow, statements: list[list[Node]]) -> dict[int, int] | None:
    """The function literals returned that capture the value, by id, with their result
    position, when every capture is in one (`{}` when it is captured nowhere); None when
    a closure kept elsewhere captures it."""
    bare = ((unparen(v), position) for values in statements for position, v in enumerate(values))
    returned = {
        v.id: position for v, position in bare if v is not None and v.type == "func_literal"
    }
    found: dict[int, int] = {}
    for use in flow.of_kind(UseKind.CAPTURED):
        closure = enclosing(use.node, "func_literal")
        if closure is None or closure.id not in returned:
            return None
        found[closure.id] = returned[closure.id]
    return found


def _inside(node: Node, closures: dict[int, int]) -> bool:
    literal = enclosing(node, "func_literal")
    return literal is not None and literal.id in closures


def _freed_at(statements: list[list[Node]], position: int, freeing: dict[int, int]) -> int:
    """The position of the freeing closure every `return` of the allocation gives."""
    positions = set(freeing.values())
    if len(positions) != 1 or position in positions:
        return -1
    free_position = positions.pop()
    for values in statements:
        if len(values) <= max(position, free_position):
            return -1
        value = unparen(values[free_position])
        allocated = unparen(values[position])
        if allocated is not None and allocated.type == "nil":
            continue
        if value is None or value.id not in freeing:
            return -1
    return free_position


def _allocated_at(
    file: GoFile, statements: list[list[Node]], position: int, returned: dict[int, str]
) -> str | None:
    """The allocator every `return` gives at `position` (or `nil`), if one does."""
    allocator = None
    for values in statements:
        if len(values) <= position:
            return None  # a bare `return` of named results, or `return f()`
        value = values[position]
        bare = file.strip_conversions(value)  # `nil`, `(*C.char)(nil)`
        if bare is not None and bare.type == "nil":
            continue
        given = returned.get(carrier(file, value).id)
        if given is None:
            return None
        allocator = given
    return allocator


def helper_allocations(file: GoFile) -> Iterator[tuple[Node, GoFuncDecl]]:
    """(call, function) of every call in the file of a package function that returns a
    fresh C allocation, in order."""
    yield from package_function_calls(file, lambda function: function.allocated_result)


def free_closure_call(file: GoFile, call: Node, position: int) -> tuple[str, Node | None] | None:
    """For `cs, free := toCString(s)` (a helper returning its free function at
    `position`): the name the free function is kept in (`_` when dropped) and the
    first call of it (`defer free()`), if any; None when the call is no such assignment,
    or the function is handed on rather than called."""
    statement = call.parent.parent if call.parent is not None else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    if position >= len(targets) or targets[position].type != "identifier":
        return None
    target = targets[position]
    binding = file.binding(target)
    name = text(target)
    if binding is None:
        return (name, None) if name == "_" else None
    first: Node | None = None
    for read in binding.reads:
        parent = read.parent
        function = parent.child_by_field_name("function") if parent is not None else None
        if parent is None or parent.type != "call_expression" or function is None:
            return None  # handed on (`cleanups = append(cleanups, free)`): called elsewhere
        if function.id != read.id:
            return None
        if first is None or parent.start_byte < first.start_byte:
            first = parent
    return name, first
