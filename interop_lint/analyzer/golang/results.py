"""What a package function returns, for GO104: slices non-empty unless it
fails, and a method's own receiver.

cgo wrappers build the C array in a helper and take `&s[0]` in the caller:

    func (tc *Ctx) extractFields(names []string) ([]C.uint, error) {
        if len(names) == 0 { return nil, errors.New("empty") }
        ids := make([]C.uint, len(names))
        ...
        return ids, nil
    }
    ids, err := tc.extractFields(names)
    if err != nil { return err }
    C.use(&ids[0], C.size_t(len(ids)))

A result is non-empty unless the function fails when every `return` gives,
at its position, either a slice the function shows to be non-empty (as GO104
asks of any slice: golang/slices.py) or `nil` beside a non-nil error. The
caller must compare that error with nil; the helper is found by name in the
package (a method only when one method has that name), so a helper in
another file of the package counts too.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.slices import is_non_empty, shown_non_empty
from interop_lint.analyzer.golang.standard_types import NON_EMPTY_UNLESS_FAILED
from interop_lint.analyzer.golang.syntax import (
    operator,
    return_values,
    returns_in,
    unparen,
)
from interop_lint.analyzer.golang.types import Kind
from interop_lint.analyzer.parsing import text

_NOT_DEFINED_BY_CALL = frozenset({"param", "result", "receiver", "range", "switch", "receive"})


def non_empty_results(
    file: GoFile, function: Node, results: tuple[TypeExpr | None, ...]
) -> tuple[int, ...]:
    """The positions of slice results that every `return` of `function` gives non-empty
    or `nil` beside a non-nil error (module docstring)."""
    wanted = [i for i, t in enumerate(results) if t is not None and t.kind == Kind.SLICE]
    body = function.child_by_field_name("body")
    if not wanted or body is None:
        return ()
    failing = len(results) - 1 if _is_error(results[-1]) else None
    returned = [_unparened(return_values(r)) for r in returns_in(body)]
    if not returned or any(len(values) != len(results) for values in returned):
        return ()  # a bare `return` of named results, or `return f()`
    return tuple(i for i in wanted if _always_non_empty(file, returned, i, failing))


def returned_non_empty(file: GoFile, container: Node) -> bool:
    """Whether `container` is a local set once from a package function's result that
    is non-empty unless the function fails, and the caller checks the failure."""
    binding = file.binding(container) if container.type == "identifier" else None
    if binding is None or binding.kind in _NOT_DEFINED_BY_CALL or binding.writes:
        return False
    call = unparen(binding.source if binding.source is not None else binding.value)
    function = call.child_by_field_name("function") if call is not None else None
    if call is None or call.type != "call_expression" or function is None:
        return False
    operand = function.child_by_field_name("operand")
    if function.type == "selector_expression" and file.binding(operand) is None:
        # `pkg.F(..)`, or a method of a package variable: only the marshallers known
        # to give a non-empty encoding when they succeed (`json.Marshal`: "null")
        path = file.imports.get(text(operand)) if operand is not None else None
        field = text(function.child_by_field_name("field"))
        known = (path, field) in NON_EMPTY_UNLESS_FAILED and binding.source_index == 0
        return known and _error_checked(file, binding.ident, 1)
    declared = file.package.function_for(text(function))
    if declared is None or binding.source_index not in declared.non_empty_results:
        return False
    if not declared.results or not _is_error(declared.results[-1]):
        return True
    return _error_checked(file, binding.ident, len(declared.results) - 1)


def returns_receiver_address(file: GoFile, method: Node) -> bool:
    """Whether a method with a pointer receiver gives that pointer in every `return`,
    converted or not (`return (*C.Point)(unsafe.Pointer(p))`): `s[0].m()` then hands
    out `&s[0]` (GO104)."""
    receivers = method.child_by_field_name("receiver")
    declared = receivers.named_children[0] if receivers and receivers.named_children else None
    name = declared.child_by_field_name("name") if declared is not None else None
    kind = declared.child_by_field_name("type") if declared is not None else None
    body = method.child_by_field_name("body")
    if name is None or kind is None or kind.type != "pointer_type" or body is None:
        return False
    returned = [_unparened(return_values(r)) for r in returns_in(body)]
    receiver = text(name)
    return bool(returned) and all(
        len(values) == 1 and text(file.strip_conversions(values[0], pointers=True)) == receiver
        for values in returned
    )


def _always_non_empty(
    file: GoFile, returned: list[list[Node]], position: int, failing: int | None
) -> bool:
    succeeded = False
    for values in returned:
        value = values[position]
        if value.type == "nil":
            if failing is None or values[failing].type == "nil":
                return False  # nil and no error: an empty result the caller cannot tell
            continue
        if not (is_non_empty(file, value) or shown_non_empty(file, value)):
            return False
        succeeded = True
    return succeeded


def _error_checked(file: GoFile, declared: Node, position: int) -> bool:
    """Whether the error declared beside `declared` (`ids, err := f()`) is compared
    with nil."""
    left = declared.parent
    targets = left.named_children if left is not None and left.type == "expression_list" else []
    error = file.binding(targets[position]) if position < len(targets) else None
    for read in error.reads if error is not None else ():
        comparison = read.parent
        while comparison is not None and comparison.type == "parenthesized_expression":
            comparison = comparison.parent
        if comparison is None or comparison.type != "binary_expression":
            continue
        sides = (comparison.child_by_field_name("left"), comparison.child_by_field_name("right"))
        if operator(comparison) in ("==", "!=") and any(
            s is not None and s.type == "nil" for s in sides
        ):
            return True
    return False


def _is_error(result: TypeExpr | None) -> bool:
    return result is not None and result.kind == Kind.NAME and result.name == "error"


def _unparened(values: list[Node]) -> list[Node]:
    return [unparen(v) or v for v in values]
