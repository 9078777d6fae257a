"""Package functions whose results point to C memory (GO107, GO102, GO103).

A helper that allocates a C array and hands it back as a Go slice
(apache/arrow's `allocateArrowArrayPtrArr`, through a `reflect.SliceHeader`
over `C.malloc`: slice_headers.py; or `unsafe.Slice((*T)(C.malloc(..)), n)`)
returns C memory: storing into its elements stores into C memory, and
`&s[0]` of it is a C pointer. So does one that returns what a C call returns
(go-tflite's `Data()`). A result points to C memory when every
`return` gives there a value that does (by Inference.memory) or `nil`; a bare
`return` gives the named result as it is there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.syntax import declared_names, return_values, returns_in, unparen
from interop_lint.analyzer.golang.types import Kind

if TYPE_CHECKING:
    from interop_lint.analyzer.golang.infer import Inference

_ADDRESSES = frozenset({Kind.POINTER, Kind.SLICE})
# What a body that returns C memory writes: a C call (an allocation, or a
# library's own pointer: go-tflite's `func (t *Tensor) Data() unsafe.Pointer {
# return C.TfLiteTensorData(t.t) }`), or a view over one.
_C_MEMORY = re.compile(rb"\bC\.\w+\(|SliceHeader|unsafe\.Slice\(")


def c_memory_results(
    inference: Inference, function: Node, results: tuple[TypeExpr | None, ...]
) -> tuple[int, ...]:
    """The positions of the results that point to C memory on every `return`."""
    from interop_lint.analyzer.golang.infer import Memory  # infer.py asks this module

    body = function.child_by_field_name("body")
    wanted = [i for i, t in enumerate(results) if t is not None and _is_address(t)]
    if body is None or not wanted or not _C_MEMORY.search(body.text or b""):
        return ()
    statements = returns_in(body)
    if not statements:
        return ()
    named = _named_results(inference, function)
    found = []
    for position in wanted:
        memories = set()
        for statement in statements:
            values = return_values(statement)
            if values and len(values) == len(results):
                value = unparen(values[position])
                if value is not None and value.type == "nil":
                    continue
                memories.add(inference.memory(value))
            elif not values and position < len(named) and named[position] is not None:
                binding = named[position]
                memories.add(inference.binding_memory(binding, statement.start_byte))  # type: ignore[arg-type]
            else:
                memories.add(Memory.UNKNOWN)
        if memories == {Memory.C}:
            found.append(position)
    return tuple(found)


def _is_address(t: TypeExpr) -> bool:
    return t.kind in _ADDRESSES or (t.kind == Kind.NAME and t.name == "unsafe.Pointer")


def _named_results(inference: Inference, function: Node) -> list:
    result = function.child_by_field_name("result")
    if result is None or result.type != "parameter_list":
        return []
    return [
        inference.file.binding(name) if name is not None else None
        for name in declared_names(result)
    ]
