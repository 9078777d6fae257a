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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import RustBodies
from interop_lint.analyzer.rust.expressions import callee
from interop_lint.analyzer.rust.facts import PointerDemand, RustFunction
from interop_lint.analyzer.rust.nullness import InvocationChecks, checked_before
from interop_lint.analyzer.rust.pointers import (
    PointerUse,
    passed_arguments,
    pointer_of,
    pointer_uses,
    pointers_passed,
)
from interop_lint.analyzer.rust.syntax import as_exported
from interop_lint.analyzer.rust.typed_kinds import expand_alias

# (owner or None, name) -> the positions every function so named needs non-null.
CrateDemands = dict[tuple[str | None, str], dict[int, PointerDemand]]


def pointer_demands(
    bodies: RustBodies, function: Node, aliases: dict[str, Node], macros: InvocationChecks
) -> tuple[PointerDemand, ...]:
    """The raw-pointer parameters `function` uses unchecked (none for a method or an
    export: callers of a method are not followed, an export is reported itself);
    `macros` tells what invocations of the crate's macros check."""
    positions = _pointer_positions(function, aliases)
    if not positions or as_exported(function) is not None:
        return ()
    demands: dict[str, PointerDemand] = {}
    for use in pointer_uses(bodies, function, set(positions)):
        if use.name in demands or any(
            checked_before(use.at, name, bodies, macros) for name in {use.name, use.local}
        ):
            continue
        demands[use.name] = PointerDemand(positions[use.name], bodies.location(use.at), use.what)
    return tuple(sorted(demands.values(), key=lambda d: d.position))


def _pointer_positions(function: Node, aliases: dict[str, Node]) -> dict[str, int]:
    """name -> position of the raw-pointer parameters; empty when one is `self`."""
    parameters = function.child_by_field_name("parameters")
    found: dict[str, int] = {}
    listed = parameters.named_children if parameters else ()
    kinds = ("parameter", "self_parameter", "variadic_parameter")  # not comments
    for position, parameter in enumerate(p for p in listed if p.type in kinds):
        if parameter.type == "self_parameter":
            return {}
        if parameter.type != "parameter":
            continue
        pattern = parameter.child_by_field_name("pattern")
        written = expand_alias(parameter.child_by_field_name("type"), aliases)
        is_name = pattern is not None and pattern.type == "identifier"
        if is_name and written is not None and written.type == "pointer_type":
            found[text(pattern)] = position
    return found


def crate_demands(functions: list[tuple[str, RustFunction]]) -> CrateDemands:
    """What the crate's functions demand, by how a call names them; a name shared by
    several functions keeps the positions all of them demand (with the first's use)."""
    named: dict[tuple[str | None, str], list[tuple[str, RustFunction]]] = {}
    for path, function in functions:
        if not function.has_self and not function.name.endswith("!"):
            named.setdefault((function.owner, function.name), []).append((path, function))
    found: CrateDemands = {}
    for key, candidates in named.items():
        common = set.intersection(*({d.position for d in f.needs_nonnull} for _, f in candidates))
        if common:
            first = candidates[0][1]
            found[key] = {d.position: d for d in first.needs_nonnull if d.position in common}
    return found


@dataclass(frozen=True, slots=True)
class HelperUse:
    """An export's call that passes its pointer to a helper that needs it non-null."""

    use: PointerUse  # at the call
    helper: str  # as the call names it: `to_str`, `Engine::from_handle`
    demand: PointerDemand  # the helper's unchecked use


def passed_to_helpers(
    bodies: RustBodies,
    function: Node,
    parameters: set[str],
    demands: CrateDemands,
    owner_of: Callable[[str | None], str | None],
) -> list[HelperUse]:
    """The calls of `function` that pass one of its pointer `parameters` to a helper
    of the crate that needs it non-null, in file order. `owner_of` turns a call's
    qualifier into the type whose functions it names (None: a free function)."""
    if not demands or not parameters:
        return []
    names = frozenset(name for _, name in demands)

    def demanded(name: str, qualifier: str | None) -> dict[int, PointerDemand]:
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
