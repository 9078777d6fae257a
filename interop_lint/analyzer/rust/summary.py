"""What each function of a Rust file does that the crate-wide rules follow.

One query over the file and its macro bodies finds every call, macro and
index expression; each is given to the function that runs it. From those
come the facts of every function (panic sites, calls by name, memory handed
out and taken back) and the ownership facts of the exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.parsing import Grammar, captures, text
from interop_lint.analyzer.rust.body import Located, RustBodies, bodies_of
from interop_lint.analyzer.rust.expressions import callee
from interop_lint.analyzer.rust.facts import (
    Allocation,
    PanicSite,
    Release,
    RustCall,
    RustFunction,
)
from interop_lint.analyzer.rust.flow import destination, handed_to_caller
from interop_lint.analyzer.rust.ownership import (
    OwnershipSite,
    allocation_sites,
    named_type,
    pointee_name,
    release_sites,
)
from interop_lint.analyzer.rust.panics import (
    BODY_QUERY,
    call_target,
    enclosing_function,
    panic_source,
    receiver_type,
)
from interop_lint.analyzer.rust.syntax import (
    has_self_parameter,
    impl_type_of,
    is_test_code,
)
from interop_lint.analyzer.source import SourceFile

# Calls that may hand out or take back memory (ownership.py looks closer).
_OWNERSHIP_CALLS = frozenset({"into_raw", "leak", "forget", "new", "from_raw", "from_raw_parts"})


@dataclass
class _Found:
    """The captures of one function."""

    owner: str | None  # the `impl` type
    panics: list[PanicSite] = field(default_factory=list)
    calls: list[tuple[Located, RustCall]] = field(default_factory=list)
    ownership: list[Located] = field(default_factory=list)
    runs_catch_unwind: list[Located] = field(default_factory=list)
    signature: tuple[dict[str, Node], set[str]] | None = None


@dataclass(frozen=True, slots=True)
class FunctionSummary:
    function: RustFunction
    releases: tuple[Release, ...]  # with parameters, for the export facts


def summarize(source: SourceFile, aliases: dict[str, Node]) -> dict[int, FunctionSummary]:
    """Every function of the file (tests left out), by the start byte of its item.

    `aliases` are the file's `type` aliases (name -> target type node), used
    to tell `T` of a returned `Handle` when `type Handle = *mut T;`.
    """
    bodies = bodies_of(source)
    found: dict[int, _Found] = {}
    for located in (x for group in bodies.captures(BODY_QUERY).values() for x in group):
        function, guards = enclosing_function(located)
        if function is None:
            continue
        into = found.get(function.start_byte)
        if into is None:
            into = found[function.start_byte] = _Found(impl_type_of(function))
        source_ = panic_source(located)
        if source_ is not None:
            location = bodies.span_location(source_.start, source_.at)
            into.panics.append(PanicSite(source_.what, location, guards))
        elif located.type == "call_expression":
            _add_call(into, located, function, guards)
    summaries = {}
    functions = captures(Grammar.RUST, "(function_item) @f", source.root).get("f", [])
    for function in sorted(functions, key=lambda f: f.start_byte):
        if is_test_code(function):
            continue
        own = found.get(function.start_byte) or _Found(impl_type_of(function))
        summaries[function.start_byte] = _summary(bodies, function, own, aliases)
    return summaries


def _add_call(into: _Found, call: Located, function: Node, guards: tuple[str, ...]) -> None:
    called = callee(call)
    if called is None:
        return
    if called.name in _OWNERSHIP_CALLS or _names_a_function(call):
        into.ownership.append(call)
    if called.name == "catch_unwind":
        into.runs_catch_unwind.append(call)
    if called.name[:1].isupper():
        return  # `Some(..)`, `Point(..)`: not a function of the crate
    receiver = None
    if called.receiver is not None:
        if into.signature is None:
            into.signature = signature_of(function)
        receiver = receiver_type(called.receiver, into.owner, *into.signature)
    target = call_target(called, into.owner, receiver)
    into.calls.append((call, RustCall(target.name, target.owner, target.method, guards)))


def _names_a_function(call: Located) -> bool:
    """`.map(CString::into_raw)`: a path among the arguments."""
    arguments = call.node.child_by_field_name("arguments")
    return arguments is not None and any(
        a.type == "scoped_identifier" for a in arguments.named_children
    )


def _summary(
    bodies: RustBodies, function: Node, found: _Found, aliases: dict[str, Node]
) -> FunctionSummary:
    name = function.child_by_field_name("name")
    parameters = _parameters(function)
    pointers = {n for n, (_, kind) in parameters.items() if _is_pointer(kind, aliases)}
    returns = function.child_by_field_name("return_type")
    hands_out = []
    for site in allocation_sites(found.ownership, bodies):
        via = next((v for c in site.carriers if (v := handed_to_caller(c, bodies, pointers))), None)
        if via is None:
            continue
        if via == "return":
            written = pointee_name(_expand(returns, aliases))
        else:  # `out: *mut *mut T`
            written = pointee_name(_expand(parameters[via][1], aliases), depth=2)
        kind = _with_type(site.kind, None if written in signature_of(function)[1] else written)
        hands_out.append(Allocation(kind, _call_location(bodies, site), via, site.what))
    generics = signature_of(function)[1]
    releases = tuple(
        _release(bodies, site, parameters, aliases, generics)
        for site in release_sites(found.ownership)
    )
    may_return_memory = returns is not None and _is_pointer(returns, aliases)
    returned = tuple(
        call
        for located, call in found.calls
        if may_return_memory and not call.method and destination(located).kind == "return"
    )
    summary = RustFunction(
        name=text(name),
        owner=impl_type_of(function),
        has_self=has_self_parameter(function),
        location=bodies.source.location(name if name is not None else function),
        panics=tuple(found.panics),
        calls=tuple(call for _, call in found.calls),
        hands_out=tuple(hands_out),
        # Only memory that comes from the caller is given back for the caller.
        release_kinds=tuple(dict.fromkeys(r.kind for r in releases if r.param_index is not None)),
        returned_calls=returned,
        guards_its_argument=_guards_its_argument(found.runs_catch_unwind, set(parameters)),
    )
    return FunctionSummary(summary, releases)


def signature_of(function: Node) -> tuple[dict[str, Node], set[str]]:
    """Parameter types by name, and the names of the function's generic type parameters."""
    parameters = {name: kind for name, (_, kind) in _parameters(function).items()}
    declared = function.child_by_field_name("type_parameters")
    generics = {
        text(p.child_by_field_name("name") or p)
        for p in (declared.named_children if declared is not None else ())
    }
    return parameters, generics


def _parameters(function: Node) -> dict[str, tuple[int, Node]]:
    """Parameter name -> (position, type node), for plain `name: Type` parameters."""
    parameters = function.child_by_field_name("parameters")
    found = {}
    position = 0
    for parameter in parameters.named_children if parameters is not None else ():
        if parameter.type not in ("parameter", "self_parameter", "variadic_parameter"):
            continue
        pattern = parameter.child_by_field_name("pattern")
        kind = parameter.child_by_field_name("type")
        if pattern is not None and kind is not None and pattern.type == "identifier":
            found[text(pattern)] = (position, kind)
        position += 1
    return found


def _expand(kind: Node | None, aliases: dict[str, Node]) -> Node | None:
    seen = set()
    while kind is not None and kind.type == "type_identifier" and text(kind) in aliases:
        if text(kind) in seen:
            break
        seen.add(text(kind))
        kind = aliases[text(kind)]
    return kind


def _is_pointer(kind: Node, aliases: dict[str, Node]) -> bool:
    """A raw pointer, or a name that may alias one in another file."""
    expanded = _expand(kind, aliases)
    return expanded is not None and expanded.type in ("pointer_type", "type_identifier")


def _with_type(kind: str, written: str | None) -> str:
    """`box` + `Engine` -> `box:Engine`; a kind that already names its type keeps it."""
    return f"{kind}:{written}" if kind in ("box", "vec") and written else kind


def _call_location(bodies: RustBodies, site: OwnershipSite) -> Location:
    """The whole call, or from the method's name for `CString::new(..)?.into_raw()`."""
    called = callee(site.call)
    function = site.call.field("function")
    name = function.field("field") if function is not None else None
    if called is not None and called.is_method and name is not None:
        return bodies.span_location(name, site.call)
    return bodies.location(site.call)


def _release(
    bodies: RustBodies,
    site: OwnershipSite,
    parameters: dict[str, tuple[int, Node]],
    aliases: dict[str, Node],
    generics: set[str],
) -> Release:
    """`free<T>(p: *mut T)` releases a `box` of any type: `T` is its type parameter."""
    parameter = parameters.get(site.pointer) if site.pointer is not None else None
    kind = site.kind
    if parameter is not None and site.field is None:
        written = pointee_name(_expand(parameter[1], aliases))
        kind = _with_type(kind, None if written in generics else written)
    elif parameter is not None:  # `buffer.data`: the index reads the field's type
        holder = named_type(_expand(parameter[1], aliases))
        kind = _with_type(kind, f"{holder}.{site.field}" if holder else None)
    return Release(
        kind=kind,
        location=bodies.location(site.call),
        param_index=parameter[0] if parameter is not None else None,
        param_name=site.pointer if parameter is not None else None,
        what=site.what,
        field=site.field if parameter is not None else None,
    )


def _guards_its_argument(calls: list[Located], parameters: set[str]) -> bool:
    """`catch_unwind(f)` / `catch_unwind(AssertUnwindSafe(f))` with `f` a parameter."""
    for call in calls:
        called = callee(call)
        if called is None or called.name != "catch_unwind":
            continue
        arguments = call.field("arguments")
        if arguments is not None and any(
            text(n) in parameters
            for n in captures(Grammar.RUST, "(identifier) @i", arguments.node).get("i", ())
        ):
            return True
    return False
