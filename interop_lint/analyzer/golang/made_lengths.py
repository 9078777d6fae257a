"""What the length of a slice comes from, as GO104 reads it (golang/slices.py).

`x` in `make([]T, len(x))`, in `make([]T, n)` with `n := len(x)`, in
`[]byte(x)`, in `s = x`, in `s = append(s, ...)` run in every iteration of
`for ... range x`, and the argument a package function sizes its result by
(golang/sized_results.py): a check of that length checks the slice's.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.lengths import normal
from interop_lint.analyzer.golang.loops import appended_alongside, ranged_over
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.sized_results import sized_source
from interop_lint.analyzer.golang.syntax import arguments, assigned_value, unparen


def made_from(file: GoFile, container: Node) -> list[str]:
    """What a slice's length comes from: `x` in `make([]T, len(x))`, in `make([]T, n)`
    with `n := len(x)`, in `[]byte(x)`, in `s = x`, and in `s = append(s, ...)` inside
    a `for ... range x`; of a value itself (`return make([]T, n)`), what its length
    comes from."""
    if container.type in ("call_expression", "type_conversion_expression"):
        return _value_made_from(file, container, container)  # `&[]byte(name)[0]`
    binding = file.binding(container)
    sized = sized_source(file, binding) if binding is not None else None
    found = [sized] if sized is not None else []
    if binding is not None:
        definitions = binding.definitions()
    else:  # a field: `s.iov = make([]C.iovec, len(bufs))` earlier in the function
        definitions = [(container, v) for v in _field_values(file, container)]
    for where, value in definitions:
        found += _value_made_from(file, where, value)
    return found


def _value_made_from(file: GoFile, where: Node, value: Node | None) -> list[str]:
    """What the length of a slice value assigned at `where` comes from."""
    found: list[str] = []
    value = unparen(value)
    if value is not None:
        converted = file.conversion(value)
        if converted is not None:
            found.append(normal(converted[1]))
        elif value.type in ("type_assertion_expression", "identifier", "selector_expression"):
            found.append(normal(value))  # `bs := i.([]byte)` is checked by `len(i.([]byte))`
        elif file.builtin_call(value, "make") or file.calls(value, "unsafe", "Slice"):
            measured = measured_by(file, make_length(value))  # the length: argument 2 of both
            if measured is not None:
                found.append(normal(measured))
        elif file.builtin_call(value, "append"):
            ranged = ranged_over(where, unconditional=True)
            found += ranged
            if ranged:  # a slice appended to in the same iterations, empty before them
                found += [normal(o) for o in appended_alongside(where) if _empty_before(file, o)]
    return found


_ASSIGNMENTS = frozenset({"assignment_statement"})


def _field_values(file: GoFile, field: Node) -> list[Node]:
    """What the function assigns to a field path (`s.iov`) before `field`, in order."""
    scope = file.scope(field)
    if scope is None or field.type != "selector_expression":
        return []
    wanted, found = normal(field), []
    for assignment in file.syntax.parents("=", _ASSIGNMENTS, within=scope.function):
        left = assignment.child_by_field_name("left")
        if assignment.end_byte > field.start_byte or left is None:
            continue
        for target in left.named_children:
            value = assigned_value(target) if normal(target) == wanted else None
            if value is not None:
                found.append(value)
    return found


def make_length(make: Node) -> Node | None:
    args = arguments(make)
    return unparen(args[1]) if len(args) > 1 else None


def measured_by(file: GoFile, length: Node | None) -> Node | None:
    """`x` of a length `len(x)`, or of a variable `n` whose every value is `len(x)`."""
    if length is not None and length.type == "identifier":
        binding = file.binding(length)
        values = [unparen(v) for _, v in binding.definitions()] if binding is not None else []
        if not values or binding is None or binding.is_parameter:
            return None
        measured = {normal(arguments(v)[0]) if _is_len(file, v) else "" for v in values}
        length = values[0] if len(measured) == 1 and "" not in measured else None
    return arguments(length)[0] if length is not None and _is_len(file, length) else None


def _is_len(file: GoFile, node: Node | None) -> bool:
    return node is not None and file.builtin_call(node, "len") and len(arguments(node)) == 1


def _empty_before(file: GoFile, variable: Node) -> bool:
    """Whether a slice variable starts empty: `var s []T`, `s := []T{}`, `nil`."""
    binding = file.binding(variable)
    if binding is None or binding.is_parameter:
        return False
    value = unparen(binding.value)
    if value is None or value.type == "nil":
        return binding.source is None
    body = value.child_by_field_name("body") if value.type == "composite_literal" else None
    return body is not None and body.named_child_count == 0
