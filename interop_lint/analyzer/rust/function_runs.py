"""What one Rust function runs, as the summary reads it: its calls, panic sites and
the calls that may hand out or take back memory.

Calls are most of a function's nodes, so `take_calls` reads them in one tight
loop. Equal calls share one `RustCall` object (`CallKey` holds its fields),
which keeps the index and its cache small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import Fragment, Located, RustBodies
from interop_lint.analyzer.rust.expressions import (
    COMMENTS,
    arguments,
    call_given,
    callee,
    raw_callee_in,
)
from interop_lint.analyzer.rust.facts import PanicSite, RustCall
from interop_lint.analyzer.rust.flow import destination
from interop_lint.analyzer.rust.panics import PANIC_METHODS, panic_source
from interop_lint.analyzer.rust.receivers import receiver_type
from interop_lint.analyzer.rust.scan import FunctionScan, Site
from interop_lint.analyzer.rust.syntax import PARAMETER_KINDS, trait_bounds
from interop_lint.analyzer.rust.text_arguments import text_arguments
from interop_lint.analyzer.rust.types import base_name

# Calls that may hand out or take back memory (allocations.py and releases.py look
# closer), with `ManuallyDrop::new`.
_OWNERSHIP_CALLS = frozenset({"into_raw", "leak", "forget", "from_raw", "from_raw_parts"})


@dataclass
class FunctionRuns:
    """What one function runs."""

    function: Node
    owner: str | None  # the `impl` type
    scanned: FunctionScan
    panics: list[PanicSite] = field(default_factory=list)
    calls: list[tuple[Node, Fragment, RustCall]] = field(default_factory=list)
    macro_calls: list[RustCall] = field(default_factory=list)  # `check!(..)`: macros.py
    ownership: list[Located] = field(default_factory=list)
    runs_catch_unwind: list[Located] = field(default_factory=list)
    _parameters: tuple[dict[str, tuple[int, Node]], bool, int | None] | None = None
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

    def arity(self) -> int | None:
        """How many arguments a call passes (`self` not counted), where known."""
        if self._parameters is None:
            self._parameters = _parameters(self.function)
        return self._parameters[2]

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


# RustCall's fields, in order: one object for equal calls.
CallKey = tuple[
    str,
    str | None,
    bool,
    tuple[str, ...],
    tuple[str, ...],
    str | None,
    tuple[int, ...],
    tuple[tuple[int, int], ...],
    int | None,
]


def take_calls(
    bodies: RustBodies,
    into: FunctionRuns,
    sites: Iterable[Site],
    shared: dict[CallKey, RustCall],
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
        count = _argument_count(node, fragment)
        if receiver is not None:
            key = (name, owner_of(receiver, fragment), True, guards, (), None, *given, count)
        else:
            owner = _type_owner(into, qualifier)
            in_module = qualifier is not None and owner is None and qualifier != "Self"
            module = qualifier.rsplit("::", 1)[-1] if in_module and qualifier else None
            handed = _handed_to(Located(node, fragment), data)
            key = (name, owner, False, guards, handed, module, *given, count)
        made = shared.get(key)
        if made is None:
            made = shared[key] = RustCall(*key)
        into.calls.append((node, fragment, made))
        if receiver is not None and name in _TAKES_FUNCTIONS:
            _functions_passed(into, Located(node, fragment), guards, shared)
        elif name == "into" and receiver is not None:
            _conversion(into, Located(node, fragment), guards, shared)


def _argument_count(call: Node, fragment: Fragment) -> int | None:
    """How many arguments a call passes; None in a macro's transcriber, where one
    `$($arg),*` stands for any number."""
    if fragment.host is not None and fragment.host.type == "macro_rule":
        return None
    given = call.child_by_field_name("arguments")
    if given is None:
        return None
    count = 0
    for argument in given.named_children:
        if argument.type == "attribute_item":
            return None
        count += argument.type not in COMMENTS
    return count


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
    into: FunctionRuns, call: Located, guards: tuple[str, ...], shared: dict[CallKey, RustCall]
) -> None:
    """`x.into()` as the function's result calls `T::from` of its return type `T`
    (rgb-lib's exports end in `get().into()`, through `impl From<..> for CResultString`)."""
    returns = into.function.child_by_field_name("return_type")
    written = base_name(returns) if returns is not None else None
    if not written or not written[:1].isupper() or written == "Self":
        return
    if destination(call).kind != "return":
        return
    _add_call(into, call, ("from", written, False, guards, (), None, (), (), None), shared)


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
    into: FunctionRuns, call: Located, guards: tuple[str, ...], shared: dict[CallKey, RustCall]
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
        _add_call(into, argument, (name, owner, False, guards, (), None, (), (), None), shared)


def _type_owner(into: FunctionRuns, qualifier: str | None) -> str | None:
    """The type a path names a function of: `Engine` of `Engine::parse`, the impl's
    type for `Self`, the trait a type parameter is bound by for `F::to_box` with `F:
    BoxCastPtr` (its default method); None for a module (`engine::parse`)."""
    owner = into.owner if qualifier == "Self" else qualifier
    if owner is not None and owner in into.generics():
        return into.bounds().get(owner, owner)
    return owner if owner and owner[:1].isupper() else None


def _add_call(
    into: FunctionRuns, at: Located, key: CallKey, shared: dict[CallKey, RustCall]
) -> None:
    """A call `into` makes at `at` that a site does not spell (one object for equal calls)."""
    made = shared.get(key)
    if made is None:
        made = shared[key] = RustCall(*key)
    into.calls.append((at.node, at.fragment, made))


def _took_panic(
    bodies: RustBodies, into: FunctionRuns, call: Located, guards: tuple[str, ...]
) -> bool:
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


def take_macro_call(into: FunctionRuns, made: RustCall, shared: dict[CallKey, RustCall]) -> None:
    """An invocation of a crate macro, `check!(..)`, as a call to `check!` (macros.py)."""
    key = (made.name, made.owner, made.method, made.guards, (), None, (), (), None)
    into.macro_calls.append(shared.setdefault(key, made))


def _parameters(function: Node) -> tuple[dict[str, tuple[int, Node]], bool, int | None]:
    """Parameter name -> (position, type node), for plain `name: Type` parameters;
    whether one is `self`; how many others there are (None for a variadic one or one
    a `#[cfg]` may leave out)."""
    parameters = function.child_by_field_name("parameters")
    found = {}
    has_self = False
    position = 0
    arity: int | None = 0
    for parameter in parameters.named_children if parameters is not None else ():
        kind = parameter.type
        if kind == "attribute_item":
            arity = None
        if kind not in PARAMETER_KINDS:
            continue
        pattern = parameter.child_by_field_name("pattern")
        written = parameter.child_by_field_name("type")
        is_name = pattern is not None and pattern.type == "identifier"
        if is_name and written is not None:
            found[text(pattern)] = (position, written)
        is_self = kind == "self_parameter" or (kind == "parameter" and text(pattern) == "self")
        has_self = has_self or is_self
        if kind == "variadic_parameter":
            arity = None
        elif arity is not None and not is_self:
            arity += 1
        position += 1
    return found, has_self, arity
