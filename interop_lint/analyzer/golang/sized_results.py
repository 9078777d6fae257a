"""Slices a package function returns with as many elements as a parameter has (GO104).

onnxruntime_go builds its C option arrays in a helper and checks the map in
the caller:

    func mapToCStrings(options map[string]string) ([]*C.char, []*C.char) {
        keys := make([]*C.char, 0, len(options))
        for k, v := range options { keys = append(keys, C.CString(k)); .. }
        return keys, values
    }
    if len(options) == 0 { return }
    keys, values := mapToCStrings(options)
    C.update(&keys[0], &values[0], C.int(len(options)))

A result is sized by a parameter when every `return` gives, at its position, a
local (a named result for a bare `return`) whose length the function makes
from that parameter, or such a value itself (what GO104 reads as "made from":
`make([]T, len(p))`, `make([]T, n)`, `append` in every iteration of `range
p`, `[]byte(p)`). A caller's check of the argument's length then checks the
result's.
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from interop_lint.analyzer.golang.lengths import normal
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import declared_names, return_values, returns_in, unparen
from interop_lint.analyzer.parsing import text

MadeFrom = Callable[[GoFile, Node], list[str]]  # slices.made_from


def sized_results(file: GoFile, function: Node, made_from: MadeFrom) -> tuple[tuple[int, int], ...]:
    """(result position, parameter position) of the slice results sized by a parameter."""
    body = function.child_by_field_name("body")
    parameters = [
        text(n) if n is not None else "_"
        for n in declared_names(function.child_by_field_name("parameters"))
    ]
    if body is None or not parameters:
        return ()
    named = list(declared_names(function.child_by_field_name("result")))
    # A bare `return` gives the named results (`func f(n int) (out []T) { out = ..; return }`).
    returned = [return_values(statement) or named for statement in returns_in(body)]
    if not returned:
        return ()
    found = []
    for position in range(min(len(values) for values in returned)):
        sized_by: set[int] = set()
        for values in returned:
            value = unparen(values[position])
            if value is None or value.type not in ("identifier", "call_expression"):
                sized_by = set()
                break
            made = set(made_from(file, value)) | _make_lengths(file, value)
            sized_by |= {i for i, name in enumerate(parameters) if name in made} or {-1}
        if len(sized_by) == 1 and -1 not in sized_by:
            found.append((position, sized_by.pop()))
    return tuple(found)


def _make_lengths(file: GoFile, value: Node) -> set[str]:
    """The variables a `make` gives the value as its length: `n` of `return make([]T,
    n)`, or of `out = make([]T, n)` for a local or named result `out`."""
    binding = file.binding(value) if value.type == "identifier" else None
    made = [v for _, v in binding.definitions()] if binding is not None else [value]
    found = set()
    for candidate in (unparen(v) for v in made):
        arguments = file.syntax.arguments(candidate) if candidate is not None else []
        if candidate is None or not file.builtin_call(candidate, "make") or len(arguments) < 2:
            continue
        length = unparen(file.strip_conversions(arguments[1]))
        if length is not None and length.type == "identifier":
            found.add(text(length))
    return found


def sized_source(file: GoFile, binding: Binding) -> str | None:
    """For a local set from a call of such a function (`keys, values :=
    mapToCStrings(options)`), the argument its length comes from (`options`)."""
    argument = sized_argument(file, binding)
    return normal(argument) if argument is not None else None


def sized_argument(file: GoFile, binding: Binding) -> Node | None:
    """`sized_source`'s argument itself: a slice whose length is the local's, or a
    count (`makeCopy(bounds, dim)` for `make([]C.double, n)`)."""
    call = unparen(binding.source if binding.source is not None else binding.value)
    if call is None or call.type != "call_expression":
        return None
    function = file.package.function_for(file.syntax.spelled_callee(call))
    sized = dict(function.sized_results) if function is not None else {}
    parameter = sized.get(binding.source_index if binding.source is not None else 0)
    arguments = file.syntax.arguments(call)
    if parameter is None or parameter >= len(arguments):
        return None
    return arguments[parameter]
