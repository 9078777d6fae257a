"""Package functions that hand a pointer parameter to C, and their calls (GO102).

Bindings wrap each C function in a package function and pass their pointers
through it (wasmerio/wasmer-go before it fixed issue #127):

    func cNewWasmerWasiImportObject(arguments *cWasmerByteArray, argumentsLength uint, ...) ... {
        return (*cWasmerImportObjectT)(C.wasmer_wasi_generate_import_object(
            (*C.wasmer_byte_array)(arguments), (C.uint)(argumentsLength), ...))
    }
    var inner = cNewWasmerWasiImportObject(
        (*cWasmerByteArray)(unsafe.Pointer(&argumentsBytes)), ...)  // a slice header: Go pointer

cgo checks the argument of the C call, so a Go pointer to Go memory that
holds Go pointers panics there as if the caller had passed it itself. The
index pass records, per function, the pointer parameters (`*T`,
`unsafe.Pointer`) whose value is, through conversions and local variables,
an argument of a C function call, in a function that does not pin with a
`runtime.Pinner`; the check pass reads that fact at the wrapper's calls. One
call deep: a parameter handed on to another package function is not
followed. A wrapper that copies the memory into C memory first passes the
copy, not the parameter, and is not recorded.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import package_function_calls
from interop_lint.analyzer.golang.flow import binding_uses
from interop_lint.analyzer.golang.model import GO_RESULT_C_FUNCTIONS, GoFile
from interop_lint.analyzer.golang.param_flows import parameter_bindings
from interop_lint.analyzer.golang.pointers import pins_memory
from interop_lint.analyzer.golang.uses import UseKind

# cgo's own helpers are Go functions: cgo checks no pointer passed to them.
_UNCHECKED = GO_RESULT_C_FUNCTIONS | {"CString", "CBytes"}


def _pointer_type(written: str) -> bool:
    return written.startswith("*") or written == "unsafe.Pointer"


def c_pointer_params(file: GoFile, function: Node) -> tuple[tuple[int, str], ...]:
    """(parameter position, C function) of each pointer parameter of `function` that
    it passes on to a C call (module docstring), the first such call's function."""
    if function.type != "function_declaration" or pins_memory(file, function):
        return ()
    found = []
    for position, binding in enumerate(parameter_bindings(file, function, _pointer_type)):
        if binding is None or binding.variadic:
            continue
        for use in binding_uses(file, binding).of_kind(UseKind.ARGUMENT):
            name = file.c_function(use.call) if use.call is not None else None
            if name is not None and name not in _UNCHECKED:
                found.append((position, name))
                break
    return tuple(found)


def wrapped_c_arguments(file: GoFile) -> Iterator[tuple[Node, Node, str, str]]:
    """(call, argument, wrapper, C function) for each argument of a call in the file of a
    package function that passes that parameter on to C, in order."""
    for call, function in package_function_calls(file, lambda f: f.c_pointer_params):
        arguments = file.syntax.arguments(call)
        for position, c_name in function.c_pointer_params:
            if position < len(arguments):
                yield call, arguments[position], function.name, c_name
