"""Helpers that need a raw-pointer parameter non-null, and exports that call them (RS102).

A function of the crate that uses its pointer parameter as RS102 says
(`CStr::from_ptr(p)`, `&*p`, ...) with no null check first demands a
non-null argument:

    fn to_str<'a>(p: *const c_char) -> &'a str { unsafe { CStr::from_ptr(p) }.to_str().unwrap() }

An export that passes its own parameter there unchecked dereferences it as
surely as if it had written the use itself; so does one that passes a
reference to it (`params_unwrap(&p)`) to a helper that dereferences what its
`r: &*mut T` refers to (`&**r`, jieba-rs). The demand is a fact of the
helper's file (`RustFunction.needs_nonnull`); the export's file asks the
crate for it by the call's name: `f(p)` and `module::f(p)` reach free
functions named `f`, `Type::f(p)` the associated functions of `Type`. A name
that reaches several functions demands only what all of them demand.
Exported helpers are left out: they are reported themselves.

XL105 follows the same calls into helpers that free the memory their pointer
parameter points to (`fn drop_boxed<T>(p: *mut T) { drop(Box::from_raw(p)) }`):
`RustFunction.frees_parameters`, asked of the crate the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Generic, NamedTuple, TypeVar

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.body import Fragment, Located, RustBodies
from interop_lint.analyzer.rust.expressions import (
    arguments,
    callee,
    raw_callee_in,
    strip,
    unary_operand,
    unary_operator,
)
from interop_lint.analyzer.rust.facts import PointerDemand, PointerPass, Release, RustFunction
from interop_lint.analyzer.rust.null_asserts import asserted_nonnull
from interop_lint.analyzer.rust.nullness import (
    InvocationChecks,
    checked_before,
)
from interop_lint.analyzer.rust.pointer_copies import pointer_of
from interop_lint.analyzer.rust.pointers import (
    PointerUse,
    find_pointer_uses,
    pointer_parameters,
    pointer_uses,
    pointers_forwarded,
    referenced_pointers,
)
from interop_lint.analyzer.rust.scan import CALL, DEREF
from interop_lint.analyzer.rust.syntax import as_exported
from interop_lint.analyzer.rust.typed_kinds import expand_alias

# (owner or None, name) -> the positions every function so named needs non-null.
CrateDemands = dict[tuple[str | None, str], dict[int, PointerDemand]]
# (owner or None, name) -> the positions whose memory every function so named frees.
CrateReleases = dict[tuple[str | None, str], dict[int, Release]]
T = TypeVar("T", PointerDemand, Release)


class ParameterUses(NamedTuple):
    """What a helper does with its raw-pointer parameters (`RustFunction`'s fields)."""

    needs_nonnull: tuple[PointerDemand, ...]
    passes_pointers: tuple[PointerPass, ...]
    dereferences: tuple[PointerDemand, ...]
    asserts_nonnull: tuple[PointerDemand, ...] = ()


def pointer_demands(
    bodies: RustBodies, function: Node, aliases: dict[str, Node], macros: InvocationChecks
) -> ParameterUses:
    """The raw-pointer parameters `function` uses unchecked, those of the others it
    hands unchecked to a function of the crate, and those it uses after a null check
    (none for a method: its callers are not followed; an export, reported itself,
    has only the last); `macros` tells what invocations of the crate's macros check."""
    if _is_method(function):
        return ParameterUses((), (), ())
    exported = as_exported(function) is not None
    positions = {
        p.name: p.position for p in pointer_parameters(function, partial(_is_pointer, aliases))
    }
    behind = {  # `r: &*mut T`, `r: &'a mut *const T`
        p.name: p.position
        for p in pointer_parameters(function, partial(_is_pointer_reference, aliases))
    }
    if not positions and not behind:
        return ParameterUses((), (), ())

    def unchecked(use: PointerUse) -> bool:
        return not any(checked_before(use.at, name, bodies, macros) for name in use.held_by())

    demands: dict[str, PointerDemand] = {}
    checked: dict[str, PointerDemand] = {}
    for use in pointer_uses(bodies, function, set(positions)):
        if use.name in demands:
            continue
        found = PointerDemand(positions[use.name], bodies.location(use.at), use.what)
        if unchecked(use):
            demands[use.name] = found
        else:
            checked.setdefault(use.name, found)
    for use in _dereferenced_behind_references(bodies, function, set(behind)):
        if use.name not in demands and unchecked(use):
            position = behind[use.name]
            demands[use.name] = PointerDemand(position, bodies.location(use.at), use.what)
    passes = []
    for use in pointers_forwarded(bodies, function, set(positions) - set(demands)):
        called = callee(use.at)
        if called is None:
            continue
        passed = enumerate(arguments(use.at))
        argument = next((i for i, a in passed if pointer_of(a) == use.local), None)
        if argument is not None:
            position, was_checked = positions[use.name], not unchecked(use)
            passes.append(
                PointerPass(position, called.name, called.qualifier, argument, was_checked)
            )
    for use in referenced_pointers(bodies, function, set(positions)):  # `p.as_ref()`
        found = PointerDemand(positions[use.name], bodies.location(use.at), use.what)
        checked.setdefault(use.name, found)
    if exported:
        # Reported itself (RS102), but an export handing it its pointer (shadow's
        # GLib `*Void` adapters) dereferences that pointer (RS103).
        return ParameterUses((), (), _by_position({**checked, **demands}.values()))
    dereferences = (d for name, d in checked.items() if name not in demands)
    asserted = asserted_nonnull(bodies, function, positions, macros)
    return ParameterUses(
        _by_position(demands.values()), tuple(passes), _by_position(dereferences), asserted
    )


def _by_position(demands: Iterable[PointerDemand]) -> tuple[PointerDemand, ...]:
    return tuple(sorted(demands, key=lambda d: d.position))


# The argument positions at which a function named so needs a pointer non-null
# (empty: none): `to_str` -> {0} for `fn to_str(p: *const c_char) -> &str`.
Demands = Callable[[str, str | None], frozenset[int]]


def pointers_passed(
    bodies: RustBodies,
    function: Node,
    parameters: set[str],
    names: frozenset[str],
    demands: Demands,
) -> list[PointerUse]:
    """The calls of `function` that pass one of `parameters` (or a local copy) to a
    function that needs it non-null (`demands`, asked of calls named in `names`)."""

    def may_use(node: Node, fragment: Fragment, kind: int) -> bool:
        called = raw_callee_in(node, fragment) if kind == CALL else None
        return called is not None and called[0] in names and called[2] is None

    def used(node: Located) -> list[tuple[str, Located]]:
        called = callee(node) if node.type == "call_expression" else None
        if called is None or called.receiver is not None:
            return []
        needed = demands(called.name, called.qualifier)
        passed = [(passed_pointer(a), a) for i, a in enumerate(arguments(node)) if i in needed]
        return [(name, argument) for name, argument in passed if name]

    return find_pointer_uses(bodies, function, parameters, may_use, used)


def passed_pointer(argument: Located) -> str | None:
    """The pointer an argument passes: `p`, or `p` behind a reference `&p` (to a helper
    taking `&*mut T`: jieba's `params_unwrap(&cjieba)`)."""
    if argument.type == "reference_expression":
        inner = argument.field("value")
        return inner.text if inner is not None and inner.type == "identifier" else None
    return pointer_of(argument)


def _is_method(function: Node) -> bool:
    """Whether `function` takes `self` (its callers are not followed)."""
    parameters = function.child_by_field_name("parameters")
    listed = parameters.named_children if parameters is not None else ()
    return any(parameter.type == "self_parameter" for parameter in listed)


def _is_pointer(aliases: dict[str, Node], written: Node) -> bool:
    """A raw pointer, aliases resolved through the file's own `type` items."""
    expanded = expand_alias(written, aliases)
    return expanded is not None and expanded.type == "pointer_type"


def _is_pointer_reference(aliases: dict[str, Node], written: Node) -> bool:
    """A reference to a raw pointer (`&*mut T`, `&mut *const T`)."""
    if written.type != "reference_type":
        return False
    inner = written.child_by_field_name("type")
    return inner is not None and _is_pointer(aliases, inner)


def _dereferenced_behind_references(
    bodies: RustBodies, function: Node, parameters: set[str]
) -> list[PointerUse]:
    """`*(*r)` (`**r`) of a parameter `r: &*mut T`: the pointer it refers to, used."""

    def may_use(node: Node, fragment: Fragment, kind: int) -> bool:
        return kind == DEREF

    def used(node: Located) -> list[tuple[str, Located]]:
        operand = unary_operand(node) if unary_operator(node) == "*" else None
        inner = strip(operand) if operand is not None else None
        if inner is None or inner.type != "unary_expression" or unary_operator(inner) != "*":
            return []
        referred = unary_operand(inner)
        name = pointer_of(referred) if referred is not None else None
        return [(name, node)] if name and referred is not None else []

    return find_pointer_uses(bodies, function, parameters, may_use, used) if parameters else []


_MAX_HANDED_ON = 4  # helpers between an export and the unchecked use


def crate_demands(
    functions: list[tuple[str, RustFunction]],
    owner_of: Callable[[str | None, str | None], str | None],
) -> CrateDemands:
    """What the crate's functions demand, by how a call names them; a name shared by
    several functions keeps the positions all of them demand (with the first's use).
    A helper that hands its pointer unchecked to one that demands it demands it too
    (`fn keys(p) { to_string(p) }`), a few helpers deep; `owner_of(qualifier,
    impl type)` says whose functions a call's qualifier names."""
    own = {id(f): {d.position: d for d in f.needs_nonnull} for _, f in functions}
    return _handed_on(functions, own, owner_of, checked_too=False)


def _handed_on(
    functions: list[tuple[str, RustFunction]],
    own: dict[int, dict[int, PointerDemand]],
    owner_of: Callable[[str | None, str | None], str | None],
    *,
    checked_too: bool,
) -> CrateDemands:
    """`own` (each function's uses, by `id`) grown by the pointers each function hands
    to one that uses them, a few helpers deep, by how a call names the function; a
    pointer checked for null before it is handed on only `checked_too`."""
    handing = [f for _, f in functions if f.passes_pointers]
    for _ in range(_MAX_HANDED_ON if handing else 0):
        named = by_call_name(functions, lambda f: own[id(f)])
        grown = False
        for function in handing:
            demanded = own[id(function)]
            for handed in function.passes_pointers:
                if handed.checked and not checked_too:
                    continue
                key = (owner_of(handed.qualifier, function.owner), handed.callee)
                needed = named.get(key, {}).get(handed.argument)
                if handed.position in demanded or needed is None:
                    continue
                # Rendered inside backticks: "`CStr::from_ptr(p)` in `to_string`".
                what = f"{needed.what}` in `{handed.callee}"
                demanded[handed.position] = PointerDemand(handed.position, needed.location, what)
                grown = True
        if not grown:
            break
    return by_call_name(functions, lambda f: own[id(f)])


def crate_dereferences(
    functions: list[tuple[str, RustFunction]],
    owner_of: Callable[[str | None, str | None], str | None],
) -> CrateDemands:
    """What the crate's functions dereference, checked for null or not, themselves or
    in the helpers they hand the pointer to (RS103: a safe export handing its pointer
    to any of them dereferences it; ringrtc's handle accessors are two calls deep)."""
    own = {
        id(f): {d.position: d for d in (*f.dereferences, *f.needs_nonnull)} for _, f in functions
    }
    return _handed_on(functions, own, owner_of, checked_too=True)


def crate_null_asserts(
    functions: list[tuple[str, RustFunction]],
    owner_of: Callable[[str | None, str | None], str | None],
) -> CrateDemands:
    """The crate's functions that panic when a pointer argument is null, by call name."""
    return by_call_name(functions, lambda f: {d.position: d for d in f.asserts_nonnull})


def crate_parameter_releases(functions: list[tuple[str, RustFunction]]) -> CrateReleases:
    """The crate's helpers that free memory a pointer argument points to
    (`Box::from_raw(p)`), by how a call names them and the argument's position."""
    return by_call_name(
        functions,
        lambda f: {r.param_index: r for r in f.frees_parameters if r.param_index is not None},
    )


def by_call_name(
    functions: list[tuple[str, RustFunction]], at: Callable[[RustFunction], dict[int, T]]
) -> dict[tuple[str | None, str], dict[int, T]]:
    """What `at` says of each function's parameters, by how a call names the function
    (free functions and associated functions without `self`); a name shared by several
    functions keeps the positions all of them have, with the first's facts."""
    named: dict[tuple[str | None, str], list[dict[int, T]]] = {}
    for _, function in functions:
        if not function.has_self and not function.name.endswith("!"):
            # A function declared in another's body is named in that body only.
            scope = function.owner if function.enclosing is None else body_scope(function.enclosing)
            named.setdefault((scope, function.name), []).append(at(function))
    found: dict[tuple[str | None, str], dict[int, T]] = {}
    for key, candidates in named.items():
        common = set.intersection(*(set(positions) for positions in candidates))
        if common:
            found[key] = {i: fact for i, fact in candidates[0].items() if i in common}
    return found


def body_scope(function: Location) -> str:
    """How `by_call_name` names the body of the function whose name is at `function`:
    the scope of the functions declared in it (`fn inner` of an export)."""
    return f"fn {function.path}:{function.line}:{function.column}"


class HelperUse(Struct, Generic[T], frozen=True):
    """An export's call that passes its pointer to a helper that needs it non-null
    (or frees it)."""

    use: PointerUse  # at the call
    helper: str  # as the call names it: `to_str`, `Engine::from_handle`
    demand: T  # the helper's unchecked use (or its release)


def passed_to_helpers(
    bodies: RustBodies,
    function: Node,
    parameters: set[str],
    demands: dict[tuple[str | None, str], dict[int, T]],
    owner_of: Callable[[str | None], str | None],
) -> list[HelperUse[T]]:
    """The calls of `function` that pass one of its pointer `parameters` to a helper
    of the crate that needs it non-null (or frees it, given the crate's releases), in
    file order. `owner_of` turns a call's
    qualifier into the type whose functions it names (None: a free function)."""
    if not demands or not parameters:
        return []
    names = frozenset(name for _, name in demands)

    declared = function.child_by_field_name("name")
    own_scope = body_scope(bodies.source.location(declared)) if declared is not None else None

    def demanded(name: str, qualifier: str | None) -> dict[int, T]:
        nested = demands.get((own_scope, name)) if qualifier is None else None
        return nested if nested is not None else demands.get((owner_of(qualifier), name), {})

    found = []
    uses = pointers_passed(
        bodies, function, parameters, names, lambda n, q: frozenset(demanded(n, q))
    )
    for use in uses:
        called = callee(use.at)
        if called is None:
            continue
        needed = demanded(called.name, called.qualifier)
        passing = enumerate(arguments(use.at))
        position = next(
            (i for i, a in passing if i in needed and passed_pointer(a) == use.local), None
        )
        if position is not None:
            helper = f"{called.qualifier}::{called.name}" if called.qualifier else called.name
            found.append(HelperUse(use, helper, needed[position]))
    return found
