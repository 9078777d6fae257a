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
from collections.abc import Iterable
from dataclasses import dataclass, field

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.allocations import allocation_sites
from interop_lint.analyzer.rust.body import Fragment, Located, RustBodies, bodies_of, macro_name
from interop_lint.analyzer.rust.expressions import (
    arguments,
    block_tail,
    call_given,
    callee,
    raw_callee_in,
)
from interop_lint.analyzer.rust.facts import (
    Allocation,
    PanicSite,
    Release,
    RustCall,
    RustFunction,
)
from interop_lint.analyzer.rust.flow import destination, handed_to_caller_in
from interop_lint.analyzer.rust.guard_calls import hands_argument_to_calls, runs_argument_guarded
from interop_lint.analyzer.rust.handed_results import result_holder, written_calls
from interop_lint.analyzer.rust.macros import macro_call
from interop_lint.analyzer.rust.ownership import OwnershipSite
from interop_lint.analyzer.rust.panics import PANIC_METHODS, panic_source
from interop_lint.analyzer.rust.pointer_arguments import pointer_arguments
from interop_lint.analyzer.rust.receivers import receiver_type
from interop_lint.analyzer.rust.releases import dropped_box_parameters, release_sites
from interop_lint.analyzer.rust.scan import CALL, MACRO, FunctionScan, Site
from interop_lint.analyzer.rust.syntax import (
    PARAMETER_KINDS,
    enclosing_module,
    has_modifier,
    impl_trait_of,
    impl_type_of,
    is_test_code,
    trait_bounds,
)
from interop_lint.analyzer.rust.text_arguments import text_arguments
from interop_lint.analyzer.rust.typed_kinds import (
    handed_out_kind,
    may_be_pointer,
    may_return_pointer,
    parameter_releases,
    release_of,
)
from interop_lint.analyzer.rust.types import base_name
from interop_lint.analyzer.source import SourceFile

# Calls that may hand out or take back memory (allocations.py and releases.py look
# closer), with `ManuallyDrop::new`.
_OWNERSHIP_CALLS = frozenset({"into_raw", "leak", "forget", "from_raw", "from_raw_parts"})


@dataclass
class _Found:
    """What one function runs."""

    function: Node
    owner: str | None  # the `impl` type
    scanned: FunctionScan
    panics: list[PanicSite] = field(default_factory=list)
    calls: list[tuple[Node, Fragment, RustCall]] = field(default_factory=list)
    macro_calls: list[RustCall] = field(default_factory=list)  # `check!(..)`: macros.py
    ownership: list[Located] = field(default_factory=list)
    runs_catch_unwind: list[Located] = field(default_factory=list)
    _parameters: tuple[dict[str, tuple[int, Node]], bool] | None = None
    _types: dict[str, Node] | None = None
    _generics: set[str] | None = None
    _bounds: dict[str, str] | None = None
    # Receiver types by name, for names no pattern of the function binds.
    _owners: dict[bytes, str | None] = field(default_factory=dict)

    def owner_of_receiver(self, receiver: Node, fragment: Fragment) -> str | None:
        """`receiver_type` of a method's receiver, without looking further than needed."""
        kind = receiver.type
        if kind == "self":
            return self.owner
        if kind == "identifier":
            written = receiver.text or b""
            if written in self._owners:
                return self._owners[written]
            name = written.decode("utf-8", errors="replace")
            if name not in self.scanned:  # never bound here: the same type everywhere
                found = self._owners[written] = self._receiver_type(Located(receiver, fragment))
                return found
        elif kind not in ("parenthesized_expression", "unary_expression", "field_expression"):
            return None
        return self._receiver_type(Located(receiver, fragment))

    def _receiver_type(self, receiver: Located) -> str | None:
        return receiver_type(receiver, self.owner, self.types(), self.generics(), self.scanned)

    def parameters(self) -> dict[str, tuple[int, Node]]:
        """Parameter name -> (position, type), for plain `name: Type` parameters."""
        if self._parameters is None:
            self._parameters = _parameters(self.function)
        return self._parameters[0]

    def has_self(self) -> bool:
        if self._parameters is None:
            self._parameters = _parameters(self.function)
        return self._parameters[1]

    def types(self) -> dict[str, Node]:
        """Parameter types by name."""
        if self._types is None:
            self._types = {name: kind for name, (_, kind) in self.parameters().items()}
        return self._types

    def bounds(self) -> dict[str, str]:
        """The trait each generic type parameter is bound by, where one is named
        (`<F: BoxCastPtr>`, `where F: BoxCastPtr<RustType = T>`)."""
        if self._bounds is None:
            self._bounds = trait_bounds(self.function)
        return self._bounds

    def generics(self) -> set[str]:
        """The names of the function's generic type parameters."""
        if self._generics is None:
            declared = self.function.child_by_field_name("type_parameters")
            self._generics = {
                text(p.child_by_field_name("name") or p)
                for p in (declared.named_children if declared is not None else ())
            }
        return self._generics


class FunctionSummary(Struct, frozen=True):
    function: RustFunction
    releases: tuple[Release, ...]  # with parameters, for the export facts


# RustCall's fields, in order: one object for equal calls.
_CallKey = tuple[
    str,
    str | None,
    bool,
    tuple[str, ...],
    tuple[str, ...],
    str | None,
    tuple[int, ...],
    tuple[tuple[int, int], ...],
]


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
    calls: dict[_CallKey, RustCall] = {}  # one object for equal calls
    summaries = {}
    for function in scanned.functions:
        if may_be_test and is_test_code(function):
            continue
        into = _Found(function, impl_type_of(function), scanned.function(function))
        for kind in kinds:
            sites = into.scanned.sites.get(kind, ())
            if kind == CALL:
                _take_calls(bodies, into, sites, calls, with_json)
                continue
            for node, fragment, guards in sites:
                found = panic_source(Located(node, fragment))
                if found is not None:
                    location = bodies.span_location(found.start, found.at)
                    site = PanicSite(found.what, location, guards, found.text_parameter)
                    into.panics.append(site)
                elif kind == MACRO and (made := macro_call(macro_name(node), guards)) is not None:
                    key = (made.name, made.owner, made.method, made.guards, (), None, (), ())
                    into.macro_calls.append(calls.setdefault(key, made))
        summaries[function.start_byte] = _summary(bodies, into, aliases)
    return summaries


def _take_calls(
    bodies: RustBodies,
    into: _Found,
    sites: Iterable[Site],
    shared: dict[_CallKey, RustCall],
    with_json: bool,
) -> None:
    """The panic sites among calls and the calls the facts keep; ownership and
    `catch_unwind` calls for a closer look (one tight loop: calls are most nodes).
    `with_json`: whether the file may make JSON text (text_arguments.py)."""
    data, owner_of = bodies.source.code, into.owner_of_receiver
    for node, fragment, guards in sites:
        called = raw_callee_in(node, fragment)
        if called is None:
            continue
        name, qualifier, receiver, function = called
        if name in PANIC_METHODS and _took_panic(bodies, into, Located(node, fragment), guards):
            continue
        shift = fragment.shift  # a path among the arguments (after `function`) has `::`
        names_path = data.find(b"::", function.end_byte + shift, node.end_byte + shift) >= 0
        if (
            name in _OWNERSHIP_CALLS
            or (name == "new" and qualifier == "ManuallyDrop")
            or (names_path and _names_a_function(node))
        ):
            into.ownership.append(Located(node, fragment))
        if name == "catch_unwind":
            into.runs_catch_unwind.append(Located(node, fragment))
        if name[:1].isupper():
            continue  # `Some(..)`, `Point(..)`: not a function of the crate
        given = text_arguments(node, fragment, into.parameters, into.has_self, with_json)
        if receiver is not None:
            key = (name, owner_of(receiver, fragment), True, guards, (), None, *given)
        else:
            owner = _type_owner(into, qualifier)
            in_module = qualifier is not None and owner is None and qualifier != "Self"
            module = qualifier.rsplit("::", 1)[-1] if in_module and qualifier else None
            handed = _handed_to(Located(node, fragment), data)
            key = (name, owner, False, guards, handed, module, *given)
        made = shared.get(key)
        if made is None:
            made = shared[key] = RustCall(*key)
        into.calls.append((node, fragment, made))
        if receiver is not None and name in _TAKES_FUNCTIONS:
            _functions_passed(into, Located(node, fragment), guards, shared)
        elif name == "into" and receiver is not None:
            _conversion(into, Located(node, fragment), guards, shared)


_BLANKS = frozenset(b" \t\r\n")


def _handed_to(call: Located, data: bytes) -> tuple[str, ...]:
    """The calls a call's value is handed to as an argument, innermost first
    (`[AssertUnwindSafe, run_safely]` of `run_safely(AssertUnwindSafe(work()))`)."""
    handed: list[str] = []
    current = call
    while len(handed) < 2:
        at = current.node.start_byte + current.fragment.shift - 1
        while at > 0 and data[at] in _BLANKS:
            at -= 1
        if data[at : at + 1] not in (b"(", b","):  # a cheap test first: calls are most nodes
            break
        given = call_given(current)
        if given is None:
            break
        current, called = given
        handed.append(called.path)
    return tuple(handed)


def _conversion(
    into: _Found, call: Located, guards: tuple[str, ...], shared: dict[_CallKey, RustCall]
) -> None:
    """`x.into()` as the function's result calls `T::from` of its return type `T`
    (rgb-lib's exports end in `get().into()`, through `impl From<..> for CResultString`)."""
    returns = into.function.child_by_field_name("return_type")
    written = base_name(returns) if returns is not None else None
    if not written or not written[:1].isupper() or written == "Self":
        return
    if destination(call).kind != "return":
        return
    _add_call(into, call, ("from", written, False, guards, (), None, (), ()), shared)


# Methods that call a function they are given: `.map(convert_options)` calls
# `convert_options` as `.map(|o| convert_options(o))` would.
_TAKES_FUNCTIONS = frozenset(
    {
        "and_then", "all", "any", "filter", "filter_map", "find", "find_map", "flat_map",
        "for_each", "inspect", "map", "map_err", "map_or", "map_or_else", "or_else",
        "position", "then", "unwrap_or_else", "ok_or_else", "get_or_insert_with", "retain",
    }
)  # fmt: skip


def _functions_passed(
    into: _Found, call: Located, guards: tuple[str, ...], shared: dict[_CallKey, RustCall]
) -> None:
    """The functions of the crate a method is given by name (`.map(convert_options)`,
    `.map(Options::parse)`): calls of theirs. A name a pattern or parameter of the
    function binds is a value, not a function."""
    for argument in arguments(call):
        kind = argument.type
        if kind == "identifier":
            name, owner = argument.text, None
            if name in into.scanned or name in into.parameters():
                continue
        elif kind == "scoped_identifier":
            path = argument.field("path")
            leaf = argument.field("name")
            if path is None or leaf is None:
                continue
            name, owner = leaf.text, _type_owner(into, path.text.rsplit("::", 1)[-1])
        else:
            continue
        if not name[:1].islower():
            continue  # `Some`, a constant
        _add_call(into, argument, (name, owner, False, guards, (), None, (), ()), shared)


def _type_owner(into: _Found, qualifier: str | None) -> str | None:
    """The type a path names a function of: `Engine` of `Engine::parse`, the impl's
    type for `Self`, the trait a type parameter is bound by for `F::to_box` with `F:
    BoxCastPtr` (its default method); None for a module (`engine::parse`)."""
    owner = into.owner if qualifier == "Self" else qualifier
    if owner is not None and owner in into.generics():
        return into.bounds().get(owner, owner)
    return owner if owner and owner[:1].isupper() else None


def _add_call(into: _Found, at: Located, key: _CallKey, shared: dict[_CallKey, RustCall]) -> None:
    """A call `into` makes at `at` that a site does not spell (one object for equal calls)."""
    made = shared.get(key)
    if made is None:
        made = shared[key] = RustCall(*key)
    into.calls.append((at.node, at.fragment, made))


def _took_panic(bodies: RustBodies, into: _Found, call: Located, guards: tuple[str, ...]) -> bool:
    found = panic_source(call, callee(call))
    if found is not None:
        location = bodies.span_location(found.start, found.at)
        into.panics.append(PanicSite(found.what, location, guards, found.text_parameter))
    return found is not None


def _names_a_function(call: Node) -> bool:
    """`.map(CString::into_raw)`: a path among the arguments."""
    arguments = call.child_by_field_name("arguments")
    return arguments is not None and any(
        a.type == "scoped_identifier" for a in arguments.named_children
    )


def _in_trait(function: Node) -> bool:
    holder = function.parent.parent if function.parent is not None else None
    return holder is not None and holder.type == "trait_item"


def _summary(bodies: RustBodies, found: _Found, aliases: dict[str, Node]) -> FunctionSummary:
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
    hands_argument_to = (
        hands_argument_to_calls(found.calls, set(found.parameters())) if found.generics() else ()
    )
    trait = impl_trait_of(function) if found.owner is not None else None
    summary = RustFunction(
        name=text(name),
        owner=found.owner,
        has_self=found.has_self(),
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


def _code_parameters(found: _Found, parameters: dict[str, tuple[int, Node]]) -> set[str]:
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


_RUNNABLE = re.compile(r"\b(?:FnOnce|FnMut|Fn|Future)\b|\bfn\s*\(")


def _returned_spans(bodies: RustBodies, found: _Found) -> list[tuple[int, int]]:
    """Where a value can leave as the function's result: its body's tail expression
    and its `return`s (a value anywhere else is never `destination` "return")."""
    spans = list(found.scanned.returns)
    body = found.function.child_by_field_name("body")
    tail = block_tail(bodies.in_file(body)) if body is not None else None
    if tail is not None:
        spans.append((tail.start, tail.end))
    return spans


def _parameters(function: Node) -> tuple[dict[str, tuple[int, Node]], bool]:
    """Parameter name -> (position, type node), for plain `name: Type` parameters;
    whether one is `self`."""
    parameters = function.child_by_field_name("parameters")
    found = {}
    has_self = False
    position = 0
    for parameter in parameters.named_children if parameters is not None else ():
        kind = parameter.type
        if kind not in PARAMETER_KINDS:
            continue
        pattern = parameter.child_by_field_name("pattern")
        written = parameter.child_by_field_name("type")
        is_name = pattern is not None and pattern.type == "identifier"
        if is_name and written is not None:
            found[text(pattern)] = (position, written)
        has_self = (
            has_self
            or kind == "self_parameter"
            or (kind == "parameter" and text(pattern) == "self")
        )
        position += 1
    return found, has_self


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
