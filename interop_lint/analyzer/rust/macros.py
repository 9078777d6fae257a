"""The crate's own `macro_rules!` macros as functions RS101 can follow.

A function that invokes `check!(p)` runs the code the macro expands to. Each
macro of the file is summarized like a function named `check!`: the panic
sites and the calls written in its transcribers (`(..) => { this }`, opened
by `RustBodies.open_transcriber`), with the wrappers around each (a closure
handed to `catch_unwind`, a macro holding it). Code a metavariable stands for
(`$body`) belongs to the invocation, where it is already seen; code in a
function the transcriber defines runs only when that function is called.
An invocation of a macro that is not the standard library's becomes a call
to `name!` (summary.py), which reaches these by name across the crate.
"""

from __future__ import annotations

import re

import tree_sitter
from tree_sitter import Node

from interop_lint.analyzer.parsing import Grammar, query, text
from interop_lint.analyzer.rust.body import NOT_EVALUATED, Fragment, Located, RustBodies, macro_name
from interop_lint.analyzer.rust.dangling import temporary_pointer
from interop_lint.analyzer.rust.expressions import callee, raw_callee
from interop_lint.analyzer.rust.facts import PanicSite, RustCall, RustFunction
from interop_lint.analyzer.rust.flow import destination
from interop_lint.analyzer.rust.panics import (
    PANIC_MACROS,
    calls_taking,
    is_guard_name,
    panic_source,
)
from interop_lint.analyzer.rust.releases import RELEASE_CALLS

# Macros of the standard library that are not panic sources and that a crate
# hardly defines again: their invocations are no calls to follow.
STANDARD = NOT_EVALUATED | {
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "format_args",
    "write",
    "writeln",
    "vec",
    "matches",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "thread_local",
    "addr_of",
    "addr_of_mut",
}

_CALL, _MACRO, _INDEX, _CLOSURE, _FUNCTION = range(5)
_QUERY = "\n".join(
    f"({node}) @node"
    for node in (
        "call_expression",
        "macro_invocation",
        "index_expression",
        "closure_expression",
        "function_item",
    )
)
_MAX_DEPTH = 4  # macros inside a transcriber opened at most this deep


def macro_call(name: str, guards: tuple[str, ...]) -> RustCall | None:
    """The call an invocation of macro `name` is, None for the standard library's."""
    if name in STANDARD or name in PANIC_MACROS:
        return None
    return RustCall(f"{name}!", None, False, guards)


def handed_to(definition: Node) -> tuple[str, ...]:
    """The macros and functions a `macro_rules!` definition hands tokens of its
    invocation to: `name!(.., $($tt)*)`, `name(|| { $body })` in a transcriber
    (by last path segment). A guard among them makes the macro a guard."""
    names: list[str] = []
    stack = [rule.child_by_field_name("right") for rule in definition.named_children]
    while stack:
        tree = stack.pop()
        if tree is None:
            continue
        tokens = tree.children
        for at, token in enumerate(tokens):
            if token.type in ("token_tree", "token_repetition"):
                stack.append(token)
            if token.type != "identifier":
                continue
            after = tokens[at + 1 : at + 3]
            if after and after[0].type == "!":
                after = after[1:]
            if after and after[0].type == "token_tree" and _has_metavariable(after[0]):
                names.append(text(token))
    return tuple(dict.fromkeys(names))


def delegating_guards(
    guards: set[str], delegating: list[tuple[str, tuple[str, ...]]], configured: tuple[str, ...]
) -> frozenset[str]:
    """`guards` with every macro that hands its tokens (`handed_to`) to a guard,
    to a fixed point: `ffi_boundary_size_t!` -> `ffi_boundary_generic!` -> `catch_unwind`."""
    names = set(guards)
    while delegating:
        local = frozenset(names)
        found = {
            name
            for name, handed in delegating
            if any(is_guard_name(to, configured, local) for to in handed)
        }
        if not found:
            break
        names |= found
        delegating = [d for d in delegating if d[0] not in names]
    return frozenset(names)


def _has_metavariable(tree: Node) -> bool:
    """Whether a token tree holds a metavariable of the invocation (not `$crate`)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.type == "metavariable" and text(node) != "$crate":
            return True
        stack.extend(node.children)
    return False


def macro_summary(bodies: RustBodies, definition: Node) -> RustFunction | None:
    """A `macro_rules!` definition of the file as a function named `name!`."""
    name = definition.child_by_field_name("name")
    if name is None:
        return None
    sweep = _Sweep(bodies)
    statics: dict[str, None] = {}
    for rule in definition.named_children:
        if rule.type == "macro_rule":
            transcriber = bodies.open_transcriber(bodies.in_file(rule))
            if transcriber is not None:
                sweep.fragment(transcriber, ())
                statics.update(dict.fromkeys(_STATIC_NAME.findall(transcriber.data)))
    if not sweep.panics and not sweep.calls and not sweep.releases and not statics:
        return None  # nothing to follow
    return RustFunction(
        name=f"{text(name)}!",
        owner=None,
        has_self=False,
        location=bodies.source.location(name),
        panics=tuple(sweep.panics),
        calls=tuple(dict.fromkeys(sweep.calls)),
        # What a destructor macro gives back (`to_box!`: `Box::from_raw($ptr)`), by
        # family: the tokens it is given have no type.
        release_kinds=tuple(dict.fromkeys(sweep.releases)),
        statics_named=tuple(n.decode() for n in statics),
        dangling_value=sweep.dangling_value,
    )


# How statics are named (`CLIENT`, `LAST_ERROR`): what a macro may use of its crate's.
_STATIC_NAME = re.compile(rb"\b[A-Z][A-Z0-9_]+\b")


class _Sweep:
    """The panic sites and calls of transcribers, with the wrappers around each."""

    def __init__(self, bodies: RustBodies) -> None:
        self.bodies = bodies
        self.panics: list[PanicSite] = []
        self.calls: list[RustCall] = []
        self.releases: list[str] = []  # families of the releases its transcribers write
        self.dangling_value: str | None = None

    def fragment(self, fragment: Fragment, around: tuple[str, ...]) -> None:
        # (end in the fragment, guards inside, in a function the transcriber defines)
        stack: list[tuple[int, tuple[str, ...], bool]] = [(1 << 62, around, False)]
        cursor = tree_sitter.QueryCursor(query(Grammar.RUST, _QUERY))
        for pattern, found in cursor.matches(fragment.root):
            node = found["node"][0]
            while stack[-1][0] <= node.start_byte:
                stack.pop()
            _, guards, in_function = stack[-1]
            if pattern == _FUNCTION or in_function:
                stack.append((node.end_byte, guards, True))
                continue
            located = Located(node, fragment)
            if pattern == _CLOSURE:
                taking = tuple(calls_taking(located))
                stack.append((node.end_byte, taking + guards, False))
                continue
            self._site(located, guards)
            if pattern == _MACRO:
                name = macro_name(node)
                stack.append((node.end_byte, (name, *guards), False))
                self._open(located, name, (name, *guards))

    def _site(self, located: Located, guards: tuple[str, ...]) -> None:
        found = panic_source(located)
        if found is not None:
            what = found.what
            if found.at.type == "index_expression":  # as written, `$v[0]` rather than `_v[0]`
                data = self.bodies.source.code[found.at.start : found.at.end]
                what = "indexing `" + " ".join(data.decode("utf-8", "replace").split()) + "`"
            location = self.bodies.span_location(found.start, found.at)
            self.panics.append(PanicSite(what, location, guards))
            return
        if located.type == "macro_invocation":
            call = macro_call(macro_name(located.node), guards)
        else:
            call = _call(located, guards)
            called = callee(located) if call is not None else None
            released = RELEASE_CALLS.get(called.qualified) if called is not None else None
            if released is not None:
                self.releases.append(released)
            if call is not None and call.name in ("as_ptr", "as_mut_ptr"):
                self._pointer_value(located)
        if call is not None:
            self.calls.append(call)

    def _pointer_value(self, call: Located) -> None:
        """Note a pointer into a temporary that is the transcriber's value."""
        if call.fragment.host is None or call.fragment.host.type != "macro_rule":
            return  # inside a macro the transcriber invokes: an argument, not the value
        temporary = temporary_pointer(call)
        if temporary is not None and destination(call).at.type == "macro_rule":  # its value
            # As the source has it: `$s`, where the parsed transcriber reads `_s`.
            written = self.bodies.source.code[temporary.start : temporary.end]
            self.dangling_value = self.dangling_value or written.decode("utf-8", "replace")

    def _open(self, macro: Located, name: str, guards: tuple[str, ...]) -> None:
        if name in NOT_EVALUATED or macro.fragment.depth >= _MAX_DEPTH:
            return
        body = self.bodies.open(macro)
        if body is not None:
            self.fragment(body, guards)


def _call(call: Located, guards: tuple[str, ...]) -> RustCall | None:
    """A call to a function by name, as summary.py keeps them (a receiver's type unknown)."""
    found = raw_callee(call.node)
    if found is None:
        return None
    name, qualifier, receiver, _ = found
    if receiver is not None:
        return RustCall(name, None, True, guards) if name else None
    if not name or name[:1].isupper():
        return None  # `Some(..)`, `Point(..)`: not a function of the crate
    owner = qualifier if qualifier and qualifier[:1].isupper() and qualifier != "Self" else None
    return RustCall(name, owner, False, guards)
