"""C memory allocated from Go, and who owns it: allocations, frees, escapes.

Shared by GO101 (the leak) and the index (what each C call argument is made
from, for XL105/XL106); which package functions free or keep their
parameters is golang/param_flows.py's.

For the cross-language rules, on a Go file of a cgo package
(`file = GoFile.of(ctx)`):

- `c_call_results(file)`: every call of a C function with the flow of its
  result: start here for the calls of Rust exports that return owned memory;
- XL106: `released_by(file, flow, {"C.engine_string_free"})` and
  `escapes(flow, ownership_taken(file, config.ownership_taking))`, or both at
  once with `kept_or_released`; a result stored in a field of a local struct
  that never leaves is followed through that field's reads
  (`struct_holders.held_in_local_struct`);
- XL105: `is_freed(file, flow)` is the `C.free` the result reaches (directly,
  deferred, in a closure, or through a package function that frees it);
- `CCallSite.argument_sources` (facts) says which arguments come from
  `C.CString`/`C.CBytes`/`C.malloc`/`C.calloc`;
- `out_of_sight(file, flow, c_reads_only)` is the use that takes a result where
  the package's code cannot follow it (another package's function, `any`, a
  method): whether it is released is then unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import C_ALLOCATORS, TypeExpr
from interop_lint.analyzer.golang.flow import (
    ValueFlow,
    escapes,
    is_freed,
    matches_name,
    parameter_escapes,
    released_by,
    value_uses,
)
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import is_address_of, unparen
from interop_lint.analyzer.golang.uses import ESCAPING, Use, UseKind, carrier, classify
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.release_names import names_a_release

_ALLOCATOR_NAMES = {name.removeprefix("C."): name for name in C_ALLOCATORS}
_MAX_ALIAS_DEPTH = 16


def allocator(file: GoFile, node: Node | None) -> str | None:
    """ "C.CString", "C.CBytes", "C.malloc" or "C.calloc" when `node` is such a call."""
    node = unparen(node)
    if node is None or node.type != "call_expression":
        return None
    name = file.c_function(node)
    return _ALLOCATOR_NAMES.get(name) if name is not None else None


def allocations(file: GoFile) -> Iterator[tuple[Node, str]]:
    """(call, allocator) of every C allocation of the file, in order."""
    for call, name, _ in file.syntax.c_calls:
        if name in _ALLOCATOR_NAMES and file.c_function(call) == name:
            yield call, _ALLOCATOR_NAMES[name]


def argument_source(file: GoFile, argument: Node) -> str | None:
    """The allocator an argument is made from: directly (`C.f(C.CString(s))`), through
    conversions (`unsafe.Pointer(C.malloc(n))`) or a local variable (`cs := ...`)."""
    node = file.strip_conversions(argument)
    for _ in range(_MAX_ALIAS_DEPTH):
        found = allocator(file, node)
        if found is not None or node is None or node.type != "identifier":
            return found
        binding = file.binding(node)
        if binding is None or binding.is_parameter:
            return None
        value = binding.value_at(node.start_byte)
        if value is None and binding.source_index == 0 and _declared_last(binding, node):
            value = binding.source  # `mem, err := C.calloc(n, size)`: the result
        node = file.strip_conversions(value)
    return None


def _declared_last(binding: Binding, read: Node) -> bool:
    """Whether a variable holds at `read` what its declaration gave it."""
    return binding.kind in ("short", "var") and not any(
        w.start_byte <= read.start_byte for w, _ in binding.writes
    )


def argument_sources(file: GoFile, call: Node) -> tuple[str | None, ...]:
    return tuple(argument_source(file, a) for a in file.syntax.arguments(call))


def c_call_argument_sources(file: GoFile) -> list[tuple[str | None, ...]]:
    """`argument_sources` of every call of `file.syntax.c_calls`, in order.

    An argument can only come from an allocation of its own function: a local
    variable's values are expressions of the function that declares it. So the
    calls in a function that allocates nothing get None for every argument
    without any question asked of their arguments.
    """
    allocating = {_function_key(file, call) for call, _ in allocations(file)}
    found = []
    for call, _, _ in file.syntax.c_calls:
        key = _function_key(file, call)
        if key is None or key in allocating:
            found.append(argument_sources(file, call))
        else:
            found.append((None,) * len(file.syntax.arguments(call)))
    return found


def _function_key(file: GoFile, node: Node) -> int | None:
    function = file.syntax.top_function(node)
    return function.id if function is not None else None


def ownership_taken(file: GoFile, taking: tuple[str, ...]) -> Callable[[Use], bool]:
    """A predicate on ARGUMENT uses: the callee keeps the value (configured, or a package
    function that stores or returns that parameter)."""

    def takes(use: Use) -> bool:
        return matches_name(use.callee, taking) or parameter_escapes(
            file, use.callee, use.index, taking
        )

    return takes


def is_c_free_function(callee: str) -> bool:
    """Whether a callee as written is a C function whose name says it frees: of the
    words of its name (split at `_` and camel case), a free word (free, release,
    dealloc, destroy, dispose) is the first, the one after a library prefix, or the
    last: `C.free`, `C.free_string`, `C.xmlFreeDoc`, `C.SDL_FreeSurface`,
    `C.duckdb_free`, `C.g_string_free`, `C.lib_string_release`, and a free with a
    letter or two before it (`C.cfree`, `C.xfree`); not `C.lib_set_free_callback`."""
    return callee.startswith("C.") and names_a_release(callee[2:])


def names_a_free(callee: str) -> bool:
    """`is_c_free_function` for a function of any package, by the last part of its name
    (`freeString`, `cutil.FreeCString`): what a closure handed out with an allocation
    calls to free it."""
    return names_a_release(callee.rpartition(".")[2])


def is_released(
    file: GoFile, flow: ValueFlow, free_functions: tuple[str, ...], taking: tuple[str, ...]
) -> bool:
    """Whether C memory is freed in its function or escapes it (GO101's negation): a C
    function whose name says it frees (`is_c_free_function`) frees it, and to the
    ownership-taking functions it counts the C functions of the package's preambles
    that take ownership of the parameter (clang/ownership.py), called directly or
    through package functions."""
    if is_freed(file, flow, free_functions, is_c_free_function) is not None:
        return True

    def preamble_takes(called: str, index: int) -> bool:
        return called.startswith("C.") and (called[2:], index) in file.package.c_ownership

    def takes(use: Use) -> bool:
        return (
            matches_name(use.callee, taking)
            or (use.callee.startswith("C.") and given_a_destructor(file, use))
            or preamble_takes(use.callee, use.index)
            or parameter_escapes(file, use.callee, use.index, taking, preamble_takes)
        )

    return escapes(flow, takes) is not None or _element_address_kept(file, flow)


def _element_address_kept(file: GoFile, flow: ValueFlow) -> bool:
    """Whether the address of an element (`&space[i]`) is stored or returned: it keeps
    the memory it points into (liblinear's rows: `ptrs[i] = &space[i]` into one
    arena, `ptrs` returned). Freeing the arena would leave them dangling."""
    for use in flow.uses:
        index = use.node.parent if use.kind == UseKind.OTHER else None
        if index is None or index.type != "index_expression":
            continue
        address = index.parent
        if index.child_by_field_name("operand") != use.node or not is_address_of(address):
            continue
        kept = classify(file, carrier(file, address))  # type: ignore[arg-type]
        if isinstance(kept, Use) and kept.kind in ESCAPING:
            return True
    return False


def given_a_destructor(file: GoFile, use: Use) -> bool:
    """Whether the C call a value is passed to also gets a free function as a value,
    the destructor the library calls when done with it (`sqlite3_bind_text(s, i, cs,
    n, (*[0]byte)(C.free))`, or a local set to one): the library takes the value. A
    destructor after another pointer given after the value is that one's
    (`create_function(db, name, C.uintptr_t(id), destroy)`: `id`'s, not `name`'s)."""
    pointer_after = False
    for argument in file.syntax.arguments(use.call) if use.call is not None else ():
        if argument.start_byte <= use.node.start_byte < argument.end_byte:
            continue  # the value itself
        values = [file.strip_conversions(argument, pointers=True)]
        binding = file.binding(values[0]) if values[0] is not None else None
        if binding is not None:
            values = [file.strip_conversions(v, pointers=True) for _, v in binding.definitions()]
        if any(_names_a_free_function(file, v) for v in values):
            if not pointer_after:
                return True
        elif argument.start_byte > use.node.start_byte and _POINTER_ARGUMENT.match(text(argument)):
            pointer_after = True
    return False


# An argument that is plainly a pointer or a handle: its own destructor's.
_POINTER_ARGUMENT = re.compile(
    r"nil$|&|unsafe\.Pointer\(|(?:C\.)?uintptr(?:_t)?\(|C\.C(?:String|Bytes)\("
)


def _names_a_free_function(file: GoFile, value: Node | None) -> bool:
    """`C.free`, `C.lib_string_free` as a value (not called), or a function of a
    preamble that frees what it is given (`static void cfree(void *p) { free(p); }`)."""
    if value is None or value.type != "selector_expression":
        return False
    operand = value.child_by_field_name("operand")
    if operand is None or text(operand) != "C":
        return False
    name = text(value)
    return is_c_free_function(name) or (name[2:], 0) in file.package.c_ownership


# -- for the cross-language rules ----------------------------------------------------------


def c_call_results(
    file: GoFile, wanted: Callable[[str], bool] = lambda _: True
) -> Iterator[tuple[Node, str, ValueFlow]]:
    """(call, C function name, flow of its result) for every call of a C function in the
    file (conversions to C types left out), in document order; with `wanted`, only the
    calls of the functions it accepts (their flows alone are computed)."""
    for call, name, _ in file.syntax.c_calls:
        if file.c_function(call) == name and wanted(name):
            yield call, name, value_uses(file, call)


def filled_local(file: GoFile, argument: Node) -> Binding | None:
    """The local variable whose address a call argument is (`&out`, through
    conversions: `(**C.char)(unsafe.Pointer(&out))`), for the call to write into."""
    node = file.strip_conversions(argument, pointers=True)
    if not is_address_of(node):
        return None
    target = unparen(node.child_by_field_name("operand"))  # type: ignore[union-attr]
    if target is None or target.type != "identifier":
        return None
    binding = file.binding(target)
    if binding is None or binding.kind not in ("short", "var"):
        return None
    return binding


def kept_or_released(
    file: GoFile,
    flow: ValueFlow,
    release_functions: Iterable[str],
    ownership_taking: Iterable[str] = (),
) -> Use | None:
    """The use through which a result is released (passed to one of
    `release_functions`) or kept (escapes the function), or None when it is neither:
    XL106's finding. `C.GoString(p)` copies: it neither releases nor keeps `p`."""
    released = released_by(file, flow, release_functions)
    if released is not None:
        return released
    return escapes(flow, ownership_taken(file, tuple(ownership_taking)))


# Builtins that read a value and keep nothing of it.
_READING_BUILTINS = frozenset({"len", "cap", "copy"})


def out_of_sight(file: GoFile, flow: ValueFlow, c_reads_only: Callable[[str], bool]) -> Use | None:
    """The first use that takes the value where the package's code cannot follow it, so
    whether it is released is unknown (XL106 stays silent): a call of a function of
    another package, of a function value or of a method the package does not define
    (unless a reading builtin: `len`, `cap`, `copy`); a package function's parameter
    that cannot hold C memory (`any`: a type switch may keep it); a C function for which
    `c_reads_only(name)` is false; a method called on the value, its address (`&p`), or
    one of its fields read (`b.data`: the parts of a struct may be released one by one).
    Package functions are followed through the parameters they pass values on to."""
    for use in flow.uses:
        if use.kind == UseKind.RECEIVER:
            return use
        if use.kind == UseKind.OTHER and _taken_apart(use.node):
            return use
        if use.kind != UseKind.ARGUMENT or use.call is None:
            continue
        if file.builtin_call(use.call, _READING_BUILTINS) or _prints(file, use.callee):
            continue
        if not _followed(file, use.callee, use.index, c_reads_only):
            return use
    return None


# Functions that read their arguments to format them, by import path: they neither keep
# nor release one (`fmt.Println("result:", r)` of a struct holding a Rust string).
_PRINTING = {
    "fmt": re.compile(r"(?:S|F)?Print(?:f|ln)?|Errorf|Append(?:f|ln)?"),
    "log": re.compile(r"(?:Print|Fatal|Panic)(?:f|ln)?"),
}


def _prints(file: GoFile, called: str) -> bool:
    package, _, name = called.partition(".")
    pattern = _PRINTING.get(file.imports.get(package, ""))
    return pattern is not None and pattern.fullmatch(name) is not None


def _taken_apart(node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "selector_expression":
        return parent.child_by_field_name("operand") == node
    return parent.type == "unary_expression" and text(parent.child_by_field_name("operator")) == "&"


def _followed(file: GoFile, called: str, index: int, c_reads_only: Callable[[str], bool]) -> bool:
    """Whether every place a call's argument goes is in sight (see `out_of_sight`)."""
    work, seen = [(called, index)], set()
    while work:
        name, position = work.pop()
        if (name, position) in seen:
            continue
        if len(seen) > _MAX_ALIAS_DEPTH * 4:
            return False
        seen.add((name, position))
        if name.startswith("C."):
            if not c_reads_only(name.removeprefix("C.")):
                return False
            continue
        function = file.package.function_for(name)
        if function is None or not 0 <= position < len(function.param_flows):
            return False
        if not may_hold_c_memory(function.params[position], file):
            return False
        work += function.param_flows[position].passed_to
    return True


def may_hold_c_memory(declared: TypeExpr | None, file: GoFile) -> bool:
    """A parameter type that can carry C memory, and which `param_flows` follows: a C
    type, `unsafe.Pointer`, `uintptr`, a pointer to one, or a package type defined as one."""
    for _ in range(_MAX_ALIAS_DEPTH):
        if declared is None:
            return False
        if declared.kind == "pointer" and declared.elem is not None:
            declared = declared.elem
        if declared.kind != "name":
            return False
        if declared.name.startswith("C.") or declared.name in ("unsafe.Pointer", "uintptr"):
            return True
        declared = file.package.lookup_type(declared.name)
    return False
