"""Panic sources, panic guards and the calls a function makes (RS101).

Panic sources (rules.md): `.unwrap()`, `.expect()`, `panic!`, `unreachable!`,
`todo!`, `unimplemented!`, `assert!`/`assert_eq!`/`assert_ne!` and indexing
`a[i]`. The `assert!` family counts by name; any other macro counts only for
the code inside it (a `format!("{}", v[0])` indexes, a `println!("{x}")` does
not panic).

A site is guarded when it runs inside a closure handed to a guard
(`catch_unwind(|| ..)`, `catch_unwind(AssertUnwindSafe(|| ..))`, a configured
`call_with_result(.., || ..)`), or inside the body of a guard macro
(`ffi_guard!{ .. }`). A function of another crate whose name says it catches
panics is a guard without configuration: its last path segment contains
`catch_unwind` or `catch_panic` (`ffi_toolkit::catch_panic_response(|| ..)`,
`ffi_helpers::catch_panic(|| ..)`). Which names are guards depends on the configuration,
so the facts keep the names of the calls and macros that wrap each site
(`guard_candidates`) and the index decides.
"""

from __future__ import annotations

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.bounds import checked_in_bounds, checked_present
from interop_lint.analyzer.rust.expressions import (
    Callee,
    arguments,
    block_tail,
    callee,
    invocation_name,
)
from interop_lint.analyzer.rust.json_values import indexes_json_value
from interop_lint.analyzer.rust.literals import infallible_conversion, text_parameter
from interop_lint.analyzer.rust.pointee_arrays import constant_in_bounds
from interop_lint.analyzer.rust.spelling import identifiers_named

PANIC_MACROS = frozenset(
    {"panic", "unreachable", "todo", "unimplemented", "assert", "assert_eq", "assert_ne"}
)
PANIC_METHODS = frozenset({"unwrap", "expect"})
_UNWRAPPABLE = frozenset({"Option", "Result"})  # `Option::unwrap(x)`
# Panics inside these closures stay on the Rust side: a panic in a spawned
# thread ends that thread (and `join()` reports it), it does not unwind into C.
ISOLATING = frozenset({"catch_unwind", "spawn"})
# A closure boxed or shared (`opts.log = Some(Box::new(move |m| ..))`) is a value
# kept to run later: its panics are the code's that calls it.
_STORING = frozenset({("Box", "new"), ("Arc", "new"), ("Rc", "new")})

_MAX_WRAPPERS = 16
# Words in the name of another crate's function that runs a closure under `catch_unwind`.
_CATCHING = ("catch_unwind", "catch_panic")


class PanicSource(Struct, frozen=True):
    what: str  # "`.unwrap()`", "`panic!`", "indexing `v[i]`"
    at: Located  # the node to report (for a method: from its name to the end)
    start: Located
    text_parameter: int | None = None  # as PanicSite's


def panic_source(found: Located, called: Callee | None = None) -> PanicSource | None:
    """The panic a call, macro or index expression is, if it is one (`called`: the
    callee of a call, when the caller has it already)."""
    kind = found.type
    if kind == "macro_invocation":
        name = invocation_name(found)
        return PanicSource(f"`{name}!`", found, found) if name in PANIC_MACROS else None
    if kind == "index_expression":
        index = found.node.named_children[-1] if found.node.named_child_count else None
        if index is None or (index.type == "range_expression" and index.named_child_count == 0):
            return None  # `v[..]` cannot panic
        if constant_in_bounds(found) or checked_in_bounds(found) or indexes_json_value(found):
            return None
        return PanicSource(f"indexing `{_indexing(found)}`", found, found)
    if kind == "call_expression":
        called = called or callee(found)
        if called is None or called.name not in PANIC_METHODS:
            return None
        if called.is_method and not _std_unwrap_shape(found, called):
            return None
        if called.receiver is not None and infallible_conversion(called.receiver):
            return None  # `CString::new("literal").unwrap()`
        if called.receiver is not None and checked_present(found, called.receiver):
            return None  # after `if x.is_none() { return .. }`
        if called.is_method:
            function = found.field("function")
            name = function.field("field") if function is not None else None
            given = text_parameter(called.receiver) if called.receiver is not None else None
            return PanicSource(f"`.{called.name}()`", found, name or found, given)
        if called.qualifier in _UNWRAPPABLE:
            return PanicSource(f"`{called.qualifier}::{called.name}`", found, found)
    return None


def _std_unwrap_shape(call: Located, called: Callee) -> bool:
    """`.unwrap()` without arguments, `.expect(msg)` with one message: the shapes of
    `Option`/`Result`. A crate's own `self.expect(Token::Comma)` is another method."""
    receiver = called.receiver
    if receiver is not None and receiver.type == "self":
        return False
    given = arguments(call)  # `.unwrap(/* forward panic */)` has none
    if called.name == "unwrap":
        return not given
    if len(given) != 1:
        return False
    message = given[0].node
    if message.type in _NO_MESSAGES:
        return False  # a parser's own `p.expect(b'(')`: `expect` takes a `&str`
    return message.type not in ("scoped_identifier", "struct_expression", "call_expression") or (
        message.type == "call_expression" and b"format" in (message.text or b"")
    )


_NO_MESSAGES = frozenset({"char_literal", "integer_literal", "float_literal", "boolean_literal"})


def _indexing(expression: Located, limit: int = 40) -> str:
    """`v[i]`, or `…[i]` when what is indexed is long."""
    flat = " ".join(expression.text.split())
    if len(flat) <= limit:
        return flat
    index = expression.node.named_children[-1]
    return "…[" + " ".join((index.text or b"").decode("utf-8", "replace").split())[:limit] + "]"


_SEEN_THROUGH = frozenset({"reference_expression", "parenthesized_expression"})


def calls_taking(argument: Located, anchor: Node | None = None) -> list[str]:
    """The calls a closure is handed to, innermost first: `[AssertUnwindSafe,
    catch_unwind]` for `catch_unwind(AssertUnwindSafe(|| ..))`, also through a
    `let`: `let body = AssertUnwindSafe(|| ..); catch_unwind(body)`.

    `anchor`, a node of the closure's fragment known to hold it (its function,
    say), is where parents are looked for from, instead of the tree's root.
    """
    names: list[str] = []
    pending = [argument]
    parents: dict[int, Node] = {}  # found on the way down from `anchor`, by the child's id
    while pending and len(names) < _MAX_WRAPPERS:
        current = pending.pop(0)
        in_anchor = current.fragment is argument.fragment
        holder = _parent(current, anchor if in_anchor else None, parents)
        if holder is not None and holder.type in _SEEN_THROUGH:
            pending.append(holder)  # `guarded(&move || ..)` hands the closure itself
            continue
        if holder is not None and holder.type == "let_declaration":
            pattern = holder.field("pattern")
            if pattern is not None and pattern.type == "identifier":
                pending += _later_arguments(holder, pattern.text)
            continue
        if holder is None or holder.type != "arguments":
            continue
        call = _parent(holder, anchor if holder.fragment is argument.fragment else None, parents)
        if call is None or call.type != "call_expression":
            continue
        called = callee(call)
        if called is not None:
            names.append(called.path)
        pending.append(call)
    return names


def _parent(located: Located, anchor: Node | None, parents: dict[int, Node]) -> Located | None:
    """`located.parent()`, found by a descent from `anchor` when it holds the node
    (tree-sitter finds a parent by a descent from the root: deep code pays each time).
    The descent notes in `parents` the parent of every node on its way: the wrappers
    looked for next are among them."""
    node = located.node
    known = parents.get(node.id) if anchor is not None else None
    if known is not None:
        return located.at(known)
    current = anchor
    while current is not None and current != node:
        child = current.child_with_descendant(node)
        if child is None:
            break
        parents[child.id] = current
        if child == node:
            return located.at(current)
        current = child
    return located.parent()


def _later_arguments(declaration: Located, name: str) -> list[Located]:
    """`name` given as a call argument after its `let`, in the same block."""
    block = declaration.parent()
    if block is None or block.type != "block":
        return []
    found = identifiers_named(block, [name], after=declaration.node.end_byte)
    handed = ("arguments", *_SEEN_THROUGH)  # `guarded(pick)`, `guarded(&pick)`
    return [n for n in found if (holder := n.node.parent) is not None and holder.type in handed]


def body_wrapper(body: Located) -> str | None:
    """The function a body hands its code to in a closure, as written:
    `ffi_support::call_with_result` for `{ call_with_result(&mut e, || { .. }) }`, also
    under `unsafe { }`, a `match`, `?`, fields and methods of its result (`f(|| ..).code`).
    None when the body's value is no such call (a method taking a closure is none)."""
    if body.fragment.data.find(b"|", body.node.start_byte, body.node.end_byte) < 0:
        return None  # no closure
    current: Located | None = body
    for _ in range(8):
        if current is None:
            return None
        kind = current.type
        if kind == "block":
            current = block_tail(current)
        elif kind in _BODY_VALUE:
            current = current.field("value") or current.at(current.node.named_child(0))
        elif kind == "unsafe_block":
            current = next((c for c in current.named_children() if c.type == "block"), None)
        elif kind != "call_expression":
            return None
        else:
            function = current.node.child_by_field_name("function")
            if function is not None and function.type == "field_expression":
                current = current.at(function.child_by_field_name("value"))  # a method's receiver
                continue
            given = current.node.child_by_field_name("arguments")
            if given is None or not any(_holds_closure(a) for a in given.named_children):
                return None
            called = callee(current)
            return called.path if called is not None else None
    return None


# What a body's value stands under: `(..)`, `x as T`, `match x {..}`, `x?`, `x.field`.
_BODY_VALUE = frozenset(
    {
        "parenthesized_expression",
        "type_cast_expression",
        "match_expression",
        "try_expression",
        "field_expression",
    }
)


def _holds_closure(argument: Node) -> bool:
    """`|| ..`, or a call wrapping one: `AssertUnwindSafe(|| ..)`; not a method
    called with one (`File::open(p).and_then(|f| ..)` is a value, wkw's
    `check_return(..)` of it no guard)."""
    if argument.type == "closure_expression":
        return True
    function = argument.child_by_field_name("function")
    if argument.type != "call_expression" or function is None:
        return False
    if function.type == "field_expression":
        return False
    given = argument.child_by_field_name("arguments")
    return given is not None and any(a.type == "closure_expression" for a in given.named_children)


def runs_later(name: str) -> bool:
    """Whether a wrapper keeps the closure it is given to run later (`Box::new`,
    `Arc::new`, `Rc::new`): the panics in it are not the enclosing function's."""
    segments = tuple(s for s in name.replace(" ", "").split("::") if s)
    return segments[-2:] in _STORING


def is_thread_spawn(name: str) -> bool:
    """`spawn`, `thread::spawn`: isolating, but by ending a thread, not by catching the
    unwind (so `panic = "abort"` disables nothing there, DEP107)."""
    return name.replace(" ", "").rpartition("::")[2] == "spawn"


def is_guard_name(
    name: str, configured: tuple[str, ...], local: frozenset[str], *, by_words: bool = True
) -> bool:
    """Whether a wrapper name is a guard: `catch_unwind` by any path, a thread spawn,
    a name that says it catches panics (`catch_panic_response`; not `by_words` for a
    macro of the crate, whose body says), a guard of the crate (`local`), or a
    configured one (a path suffix either way)."""
    segments = [s for s in name.replace(" ", "").split("::") if s]
    if not segments:
        return False
    last = segments[-1]
    if last in ISOLATING or last in local:
        return True
    if by_words and any(word in last for word in _CATCHING):
        return True
    for entry in configured:
        wanted = [s for s in entry.strip().rstrip("!").split("::") if s]
        if not wanted:
            continue
        length = min(len(wanted), len(segments))
        if wanted[-length:] == segments[-length:]:
            return True
    return False
