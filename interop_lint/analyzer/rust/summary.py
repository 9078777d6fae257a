"""What each function of a Rust file does that the crate-wide rules follow.

One query over the file and its macro bodies finds every call, macro and
index expression; each is given to the function that runs it. From those
come the facts of every function (panic sites, calls by name, memory handed
out and taken back) and the ownership facts of the exports. An invocation of
a macro that is not the standard library's is a call to `name!`, which
reaches the crate's `macro_rules!` of that name (macros.py).
"""

from __future__ import annotations

import re

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.allocations import allocation_sites
from interop_lint.analyzer.rust.body import Located, RustBodies, bodies_of, macro_name
from interop_lint.analyzer.rust.expressions import block_tail, callee
from interop_lint.analyzer.rust.facts import (
    Allocation,
    PanicSite,
    Release,
    RustCall,
    RustFunction,
)
from interop_lint.analyzer.rust.flow import destination, handed_to_caller_in
from interop_lint.analyzer.rust.function_runs import (
    CallKey,
    FunctionRuns,
    take_calls,
    take_macro_call,
)
from interop_lint.analyzer.rust.guard_calls import hands_argument_to_calls, runs_argument_guarded
from interop_lint.analyzer.rust.handed_results import result_holder, written_calls
from interop_lint.analyzer.rust.macros import macro_call
from interop_lint.analyzer.rust.ownership import OwnershipSite
from interop_lint.analyzer.rust.panics import panic_source
from interop_lint.analyzer.rust.pointer_arguments import pointer_arguments
from interop_lint.analyzer.rust.releases import dropped_box_parameters, release_sites
from interop_lint.analyzer.rust.scan import CALL, MACRO
from interop_lint.analyzer.rust.syntax import (
    enclosing_module,
    has_modifier,
    impl_trait_of,
    impl_type_of,
    is_test_code,
)
from interop_lint.analyzer.rust.typed_kinds import (
    handed_out_kind,
    may_be_pointer,
    may_return_pointer,
    parameter_releases,
    release_of,
)
from interop_lint.analyzer.source import SourceFile


class FunctionSummary(Struct, frozen=True):
    function: RustFunction
    releases: tuple[Release, ...]  # with parameters, for the export facts


def summarize(source: SourceFile, aliases: dict[str, Node]) -> dict[int, FunctionSummary]:
    """Every function of the file (tests left out), by the start byte of its item.

    `aliases` are the file's `type` aliases (name -> target type node), used
    to tell `T` of a returned `Handle` when `type Handle = *mut T;`.
    """
    bodies = bodies_of(source)
    scanned = bodies.scan
    kinds = sorted(scanned.kind_rank, key=scanned.kind_rank.__getitem__)  # panics in this order
    may_be_test = b"test" in source.data  # `#[test]`, `#[cfg(test)]`
    with_json = b"json" in source.data
    calls: dict[CallKey, RustCall] = {}  # one object for equal calls
    summaries = {}
    for function in scanned.functions:
        if may_be_test and is_test_code(function):
            continue
        into = FunctionRuns(function, impl_type_of(function), scanned.function(function))
        for kind in kinds:
            sites = into.scanned.sites.get(kind, ())
            if kind == CALL:
                take_calls(bodies, into, sites, calls, with_json)
                continue
            for node, fragment, guards in sites:
                found = panic_source(Located(node, fragment))
                if found is not None:
                    location = bodies.span_location(found.start, found.at)
                    site = PanicSite(found.what, location, guards, found.text_parameter)
                    into.panics.append(site)
                elif kind == MACRO and (made := macro_call(macro_name(node), guards)) is not None:
                    take_macro_call(into, made, calls)
        summaries[function.start_byte] = _summary(bodies, into, aliases)
    return summaries


def _in_trait(function: Node) -> bool:
    holder = function.parent.parent if function.parent is not None else None
    return holder is not None and holder.type == "trait_item"


def _summary(bodies: RustBodies, found: FunctionRuns, aliases: dict[str, Node]) -> FunctionSummary:
    function = found.function
    name = function.child_by_field_name("name")
    returns = function.child_by_field_name("return_type")
    parameters = found.parameters() if found.ownership or found.runs_catch_unwind else {}
    hands_out: list[Allocation] = []
    releases: tuple[Release, ...] = ()
    if found.ownership:
        owner, generics = found.owner, found.generics()
        if _in_trait(function):  # `Self` is any implementor there: a type parameter
            owner, generics = None, generics | {"Self"}
        pointers = {n for n, (_, kind) in parameters.items() if may_be_pointer(kind, aliases)}
        for site in allocation_sites(found.ownership, bodies):
            handed = (handed_to_caller_in(c, bodies, pointers) for c in site.carriers)
            via, held_by, field = next((h for h in handed if h[0] is not None), (None,) * 3)
            if via is None:
                continue
            kind, handle = handed_out_kind(
                site.kind, via, returns, parameters, aliases, generics, owner, held_by
            )
            location = _call_location(bodies, site)
            hands_out.append(Allocation(kind, location, via, site.what, handle, held_by, field))
        releases = tuple(
            release_of(bodies, site, parameters, aliases, generics, owner)
            for site in release_sites(found.ownership)
        )
    if b"Box<" in bodies.source.data:
        releases += tuple(dropped_box_parameters(bodies, function))
    returned: tuple[RustCall, ...] = ()
    plain_calls = [
        (node, fragment, call) for node, fragment, call in found.calls if not call.method
    ]
    if plain_calls and returns is not None and may_return_pointer(returns, aliases):
        spans = _returned_spans(bodies, found)
        returned = tuple(
            call
            for node, fragment, call in plain_calls
            if any(start <= node.start_byte + fragment.shift < end for start, end in spans)
            and destination(result_holder(Located(node, fragment))).kind == "return"
        )
    written: tuple[tuple[RustCall, str, str], ...] = ()
    if plain_calls:
        written = written_calls(
            found.function, found.parameters, found.generics, found.owner, plain_calls, aliases
        )
    guards_its_argument = bool(found.runs_catch_unwind) and runs_argument_guarded(
        found.runs_catch_unwind, _code_parameters(found, parameters)
    )
    handed = set(found.parameters()) if found.generics() else _code_without_generics(found)
    hands_argument_to = hands_argument_to_calls(found.calls, handed) if handed else ()
    trait = impl_trait_of(function) if found.owner is not None else None
    summary = RustFunction(
        name=text(name),
        owner=found.owner,
        has_self=found.has_self(),
        arity=found.arity(),
        location=bodies.source.location(name if name is not None else function),
        panics=tuple(found.panics),
        calls=(*(call for _, _, call in found.calls), *found.macro_calls),
        hands_out=tuple(hands_out),
        **parameter_releases(releases),
        pointer_arguments=pointer_arguments(found.calls, found.parameters, aliases, found.generics),
        returned_calls=returned,
        written_calls=written,
        guards_its_argument=guards_its_argument,
        is_async=has_modifier(function, "async"),
        hands_argument_to=hands_argument_to,
        trait_name=trait,
        drop_releases=tuple(
            dict.fromkeys(r.kind for r in releases if trait == "Drop" or r.param_name == "self")
        ),
        frees_parameters=tuple(r for r in releases if r.param_index is not None and not r.field),
        enclosing=_enclosing_function(bodies, function),
        module=enclosing_module(function),
    )
    return FunctionSummary(summary, releases)


def _code_parameters(found: FunctionRuns, parameters: dict[str, tuple[int, Node]]) -> set[str]:
    """The parameters that hold code to run: of a generic type (`f: F`, `future: Fut`),
    `impl FnOnce()`, `impl Future`, `Box<dyn Fn(..)>`. A guard runs one of them; a
    function that only hands a string parameter to a call under `catch_unwind`
    (scroll's `catch_unwind(|| Prover::from_params_dir(params_dir))`) is no guard."""
    generics = found.generics()
    return {
        name
        for name, (_, written) in parameters.items()
        if text(written) in generics or _RUNNABLE.search(text(written))
    }


def _code_without_generics(found: FunctionRuns) -> set[str]:
    """The parameters that hold code in a function without type parameters (`f: impl
    FnOnce()`, `f: Box<dyn Fn()>`): handing one to a guard makes the function a guard
    too (mobilecoin's `fn quiet_boundary(f: impl FnOnce())`)."""
    listed = found.function.child_by_field_name("parameters")
    if listed is None or not _RUNNABLE.search(text(listed)):
        return set()
    return _code_parameters(found, found.parameters())


_RUNNABLE = re.compile(r"\b(?:FnOnce|FnMut|Fn|Future)\b|\bfn\s*\(")


def _returned_spans(bodies: RustBodies, found: FunctionRuns) -> list[tuple[int, int]]:
    """Where a value can leave as the function's result: its body's tail expression
    and its `return`s (a value anywhere else is never `destination` "return")."""
    spans = list(found.scanned.returns)
    body = found.function.child_by_field_name("body")
    tail = block_tail(bodies.in_file(body)) if body is not None else None
    if tail is not None:
        spans.append((tail.start, tail.end))
    return spans


def _call_location(bodies: RustBodies, site: OwnershipSite) -> Location:
    """The whole call, or from the method's name for `CString::new(..)?.into_raw()`."""
    called = callee(site.call)
    function = site.call.field("function")
    name = function.field("field") if function is not None else None
    if called is not None and called.is_method and name is not None:
        return bodies.span_location(name, site.call)
    return bodies.location(site.call)


def _enclosing_function(bodies: RustBodies, function: Node) -> Location | None:
    """Where the name of the function whose body declares `function` is, if one does."""
    outer = function.parent
    while outer is not None and outer.type != "function_item":
        outer = outer.parent
    name = outer.child_by_field_name("name") if outer is not None else None
    return bodies.source.location(name) if name is not None else None
