"""Helpers that need a raw-pointer parameter non-null, and exports that call them (RS102).

A function of the crate that uses its pointer parameter as RS102 says
(`CStr::from_ptr(p)`, `&*p`, ...) with no null check first demands a
non-null argument:

    fn to_str<'a>(p: *const c_char) -> &'a str { unsafe { CStr::from_ptr(p) }.to_str().unwrap() }

An export that passes its own parameter there unchecked dereferences it as
surely as if it had written the use itself. The demand is a fact of the
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

from collections.abc import Callable
from functools import partial
from typing import Generic, TypeVar

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.rust.body import RustBodies
from interop_lint.analyzer.rust.expressions import callee
from interop_lint.analyzer.rust.facts import PointerDemand, PointerPass, Release, RustFunction
from interop_lint.analyzer.rust.nullness import InvocationChecks, checked_before
from interop_lint.analyzer.rust.pointers import (
    PointerUse,
    passed_arguments,
    pointer_of,
    pointer_parameters,
    pointer_uses,
    pointers_forwarded,
    pointers_passed,
)
from interop_lint.analyzer.rust.syntax import as_exported
from interop_lint.analyzer.rust.typed_kinds import expand_alias

# (owner or None, name) -> the positions every function so named needs non-null.
CrateDemands = dict[tuple[str | None, str], dict[int, PointerDemand]]
# (owner or None, name) -> the positions whose memory every function so named frees.
CrateReleases = dict[tuple[str | None, str], dict[int, Release]]
T = TypeVar("T", PointerDemand, Release)


def pointer_demands(
    bodies: RustBodies, function: Node, aliases: dict[str, Node], macros: InvocationChecks
) -> tuple[tuple[PointerDemand, ...], tuple[PointerPass, ...]]:
    """The raw-pointer parameters `function` uses unchecked, and those of the others it
    hands unchecked to a function of the crate (none for a method or an export: callers
    of a method are not followed, an export is reported itself); `macros` tells what
    invocations of the crate's macros check."""
    if _is_method(function) or as_exported(function) is not None:
        return (), ()
    positions = {
        p.name: p.position for p in pointer_parameters(function, partial(_is_pointer, aliases))
    }
    if not positions:
        return (), ()

    def unchecked(use: PointerUse) -> bool:
        return not any(
            checked_before(use.at, name, bodies, macros) for name in {use.name, use.local}
        )

    demands: dict[str, PointerDemand] = {}
    for use in pointer_uses(bodies, function, set(positions)):
        if use.name not in demands and unchecked(use):
            position = positions[use.name]
            demands[use.name] = PointerDemand(position, bodies.location(use.at), use.what)
    passes = []
    for use in pointers_forwarded(bodies, function, set(positions) - set(demands)):
        called = callee(use.at)
        if called is None or not unchecked(use):
            continue
        passed = enumerate(passed_arguments(use.at))
        argument = next((i for i, a in passed if pointer_of(a) == use.local), None)
        if argument is not None:
            pass_ = PointerPass(positions[use.name], called.name, called.qualifier, argument)
            passes.append(pass_)
    return tuple(sorted(demands.values(), key=lambda d: d.position)), tuple(passes)


def _is_method(function: Node) -> bool:
    """Whether `function` takes `self` (its callers are not followed)."""
    parameters = function.child_by_field_name("parameters")
    listed = parameters.named_children if parameters is not None else ()
    return any(parameter.type == "self_parameter" for parameter in listed)


def _is_pointer(aliases: dict[str, Node], written: Node) -> bool:
    """A raw pointer, aliases resolved through the file's own `type` items."""
    expanded = expand_alias(written, aliases)
    return expanded is not None and expanded.type == "pointer_type"


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
    handing = [f for _, f in functions if f.passes_pointers]
    for _ in range(_MAX_HANDED_ON if handing else 0):
        named = by_call_name(functions, lambda f: own[id(f)])
        grown = False
        for function in handing:
            demanded = own[id(function)]
            for handed in function.passes_pointers:
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
            named.setdefault((function.owner, function.name), []).append(at(function))
    found: dict[tuple[str | None, str], dict[int, T]] = {}
    for key, candidates in named.items():
        common = set.intersection(*(set(positions) for positions in candidates))
        if common:
            found[key] = {i: fact for i, fact in candidates[0].items() if i in common}
    return found


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

    def demanded(name: str, qualifier: str | None) -> dict[int, T]:
        return demands.get((owner_of(qualifier), name), {})

    found = []
    uses = pointers_passed(
        bodies, function, parameters, names, lambda n, q: frozenset(demanded(n, q))
    )
    for use in uses:
        called = callee(use.at)
        if called is None:
            continue
        needed = demanded(called.name, called.qualifier)
        passing = enumerate(passed_arguments(use.at))
        position = next((i for i, a in passing if i in needed and pointer_of(a) == use.local), None)
        if position is not None:
            helper = f"{called.qualifier}::{called.name}" if called.qualifier else called.name
            found.append(HelperUse(use, helper, needed[position]))
    return found
