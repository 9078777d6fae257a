"""Crate macros that check a pointer of their invocation for null before the rest runs.

hyper guards its C API with a macro defined in one file and invoked in the
others:

    // macros.rs
    macro_rules! non_null {
        ($ptr:ident, $eval:expr, $err:expr) => {{
            if $ptr.is_null() { return $err; }
            unsafe { $eval }
        }};
        (&*$ptr:ident ?= $err:expr) => {{ non_null!($ptr, &*$ptr, $err) }};
        (Box::from_raw($ptr:ident) ?= $err:expr) => {{ .. }};
    }
    // body.rs
    drop(non_null!(Box::from_raw(body) ?= ()));

A rule checks a metavariable when its transcriber has a statement that leaves
unless that pointer is non-null (nullness.leaves_unless_nonnull: `if
$p.is_null() { return .. }`, `assert!(!$p.is_null())`, ..) on its straight
line (not in a branch, loop or closure), and no other metavariable of the
rule is written before that statement. A rule whose transcriber is one
invocation of a macro hands on to it. Each file records such macros
(`NullCheckMacro`, index pass); the check pass matches an invocation against
the crate's macro of its name (rust.macro_match), follows hand-ons a few
deep, and learns which pointer the invocation checks: `body` above; a
metavariable of a repetition (`$(if $p.is_null() { return -1; })+`) checks
each pointer it binds. An invocation that matches no rule checks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import Fragment, Located, RustBodies, macro_name
from interop_lint.analyzer.rust.expressions import arguments, callee
from interop_lint.analyzer.rust.facts import NullCheckMacro, NullCheckRule
from interop_lint.analyzer.rust.macro_match import (
    Fragment as Metavariable,
)
from interop_lint.analyzer.rust.macro_match import (
    Group,
    Repetition,
    first_match,
    rule_pattern,
    token_tree,
)
from interop_lint.analyzer.rust.nullness import checked_before, leaves_unless_nonnull
from interop_lint.analyzer.rust.pointer_copies import local_copies, pointer_of
from interop_lint.analyzer.rust.pointers import used_pointers
from interop_lint.analyzer.rust.token_trees import token_tree as invocation_tokens

# The nodes of a transcriber that its statements run through on a straight line.
_STRAIGHT = frozenset({"block", "expression_statement", "unsafe_block"})
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_MAX_HAND_ONS = 4
# Text that a transcriber checking for null holds: `is_null`, `ptr::null()`,
# `NonNull::new`, `as_ref()`.
_NULL_WORDS = (b"null", b"Null", b"as_ref", b"as_mut")
# Text that a transcriber using a pointer of its invocation holds: `*$p`, `from_ptr($p)`.
_USE_WORDS = (b"*$", b"from_ptr", b"from_raw", b"read", b"write")


def null_check_macro(bodies: RustBodies, definition: Node) -> NullCheckMacro | None:
    """What a `macro_rules!` definition of the file checks for null, rule by rule; None
    when no rule checks a pointer itself."""
    name = definition.child_by_field_name("name")
    data = bodies.source.code
    if name is None or not any(
        data.find(word, definition.start_byte, definition.end_byte) >= 0
        for word in (*_NULL_WORDS, *_USE_WORDS)
    ):
        return None
    rules: list[NullCheckRule] = []
    for rule in definition.named_children:
        left = rule.child_by_field_name("left")
        if rule.type != "macro_rule" or left is None:
            continue
        metavariables = _metavariables(text(left))
        transcriber = bodies.open_transcriber(bodies.in_file(rule))
        checks = _checked(bodies, transcriber, metavariables) if transcriber else ()
        hands_to = (
            _hands_to(bodies, transcriber) if transcriber is not None and not checks else None
        )
        uses, checked_uses = (
            _pointer_uses(bodies, transcriber, metavariables) if transcriber else ((), ())
        )
        rules.append(NullCheckRule(text(left), checks, hands_to, uses, checked_uses))
    if not any(rule.checks or rule.uses or rule.checked_uses for rule in rules):
        return None
    return NullCheckMacro(text(name), tuple(rules))


def _metavariables(matcher: str) -> set[str]:
    found: set[str] = set()
    stack: list[object] = list(rule_pattern(matcher) or ())
    while stack:
        element = stack.pop()
        if isinstance(element, Metavariable):
            found.add(element.name)
        elif isinstance(element, (Group, Repetition)):
            stack.extend(element.items if isinstance(element, Group) else element.pattern)
    return found


def _checked(bodies: RustBodies, transcriber: Fragment, metavariables: set[str]) -> tuple[str, ...]:
    """The metavariables a transcriber checks for null before any other one is written."""
    spelled = {f"_{m}": m for m in metavariables}  # as respelled (`$x` -> `_x`)
    written: list[tuple[str, int]] = []  # (metavariable, where) in the transcriber
    straight: list[Located] = []  # statements on the transcriber's straight line
    stack = [Located(transcriber.root, transcriber)]
    while stack:
        current = stack.pop()
        node = current.node
        if node.type == "identifier" and text(node) in spelled:
            written.append((spelled[text(node)], current.start))
        if node.type == "macro_invocation":
            body = bodies.open(current)
            if body is not None:
                stack.append(Located(body.root, body))
            continue
        if node.type == "block" and _on_straight_line(current, transcriber):
            straight += current.named_children()
        stack.extend(Located(c, current.fragment) for c in node.children)
    checked: list[str] = []
    for name in sorted(metavariables):
        guard = next(
            (
                s
                for s in straight
                if not _invokes_other_macro(s) and leaves_unless_nonnull(s, f"_{name}", bodies)
            ),
            None,
        )
        if guard is not None and not any(
            other != name and at < guard.start for other, at in written
        ):
            checked.append(name)
    return tuple(checked)


def _pointer_uses(
    bodies: RustBodies, transcriber: Fragment, metavariables: set[str]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(metavariable, the use as written) of each metavariable the transcriber uses as a
    pointer that must be valid (`*$len = n`, `CStr::from_ptr($p)`), the first use of
    each: those with no null check of it before, and those with one."""
    spelled = {f"_{m}": m for m in metavariables}
    unchecked: dict[str, str] = {}
    checked: dict[str, str] = {}
    # Not inside invocations in the transcriber: a hand-on (`non_null!($p, &*$p, ..)`)
    # checks what it is given before it runs it.
    root = Located(transcriber.root, transcriber)
    nodes = list(bodies.walk(root, prune=("macro_invocation",)))
    # `let p: *mut _ = $p; if p.is_null() { return .. }` (rpm-sequoia's
    # `check_mut_slice!`): a check of a local copy is a check of the metavariable.
    copied = {
        local: bindings[-1][1] for local, bindings in local_copies(nodes, set(spelled)).items()
    }
    copies: dict[str, set[str]] = {name: set() for name in spelled}
    for local, name in copied.items():
        copies[name].add(local)
    for node in nodes:
        if node.type not in ("unary_expression", "call_expression"):
            continue
        for used, _ in used_pointers(node):
            name = used if used in spelled else copied.get(used, "")
            metavariable = spelled.get(name)
            if metavariable is None or metavariable in unchecked:
                continue
            written = re.sub(r"\b_(\w+)", _respelled(spelled), " ".join(node.text.split()))
            if any(checked_before(node, held, bodies) for held in {name, *copies[name]}):
                checked.setdefault(metavariable, written)
            else:
                unchecked[metavariable] = written
    return tuple(sorted(unchecked.items())), tuple(sorted(checked.items()))


def _respelled(spelled: dict[str, str]) -> Callable[[re.Match[str]], str]:
    """`_len` back to `$len` for the metavariables of a rule."""
    return lambda found: f"${found.group(1)}" if found.group(0) in spelled else found.group(0)


def _invokes_other_macro(statement: Located) -> bool:
    """Whether a statement is an invocation of a macro other than `assert!` (a hand-on,
    followed at the invocation: nullness's guess from a name does not do here)."""
    node = statement.node
    if node.type == "expression_statement" and node.named_child_count == 1:
        node = node.named_children[0]
    elif node.type == "let_declaration":
        node = node.child_by_field_name("value") or node
    return node.type == "macro_invocation" and macro_name(node) != "assert"


def _on_straight_line(block: Located, transcriber: Fragment) -> bool:
    node: Node | None = block.node
    while node is not None and node != transcriber.root:
        if node.type not in _STRAIGHT:
            return False
        node = node.parent
    return node is not None


def _hands_to(bodies: RustBodies, transcriber: Fragment) -> tuple[str, str] | None:
    """(macro, its token tree as written, `$x` kept) when a transcriber is one invocation."""
    current: Node | None = transcriber.root
    while current is not None and current.type in _STRAIGHT and current.named_child_count == 1:
        current = current.named_children[0]
    if current is None or current.type != "macro_invocation":
        return None
    tokens = invocation_tokens(current)
    if tokens is None:
        return None
    start, end = tokens.start_byte + transcriber.shift, tokens.end_byte + transcriber.shift
    return macro_name(current), bodies.source.code[start:end].decode("utf-8", "replace")


class InvocationNullChecks:
    """The pointers an invocation of one of the crate's macros checks for null before
    the rest of it runs (nullness.InvocationChecks), remembered per invocation."""

    def __init__(
        self,
        macro_named: Callable[[str], NullCheckMacro | None],
        asserted_by: Callable[[str, str | None], frozenset[int]] | None = None,
    ) -> None:
        self._macro_named = macro_named
        # The argument positions a call of the crate's function of that name and
        # qualifier panics on when null (RustFunction.asserts_nonnull): a call checks too.
        self._asserted_by = asserted_by
        self._answers: dict[tuple[int, int], frozenset[str]] = {}
        self._uses_found: dict[tuple[int, int, bool], list[tuple[str, str]]] = {}

    def __call__(self, invocation: Located) -> frozenset[str]:
        key = (invocation.start, invocation.end)
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = self._checks(invocation)
        return found

    def _checks(self, invocation: Located) -> frozenset[str]:
        if invocation.type == "call_expression":
            return self._call_checks(invocation)
        macro = invocation.node.child_by_field_name("macro")
        tokens = invocation_tokens(invocation.node)
        if macro is None or tokens is None:
            return frozenset()
        name, given = macro_name(invocation.node), text(tokens)
        for _ in range(_MAX_HAND_ONS):
            found = self._macro_named(name)
            items = token_tree(given) if found is not None else None
            if found is None or not items or not isinstance(items[0], Group):
                return frozenset()
            matched = first_match(found.rules, items[0])
            if matched is None:
                return frozenset()
            rule, bindings = matched
            if rule.checks:
                bound = (bindings.get(m, []) for m in rule.checks)
                return frozenset(p for b in bound for p in _checked_in_order(b))
            if rule.hands_to is None:
                return frozenset()
            name, given = rule.hands_to[0], _substitute(rule.hands_to[1], bindings)
        return frozenset()

    def _call_checks(self, call: Located) -> frozenset[str]:
        """The pointers a call (a statement of its own) passes where the crate's
        function it names panics on null: past the call, they are non-null."""
        called = callee(call) if self._asserted_by is not None else None
        if called is None or called.receiver is not None or called.qualifier == "Self":
            return frozenset()
        positions = self._asserted_by(called.name, called.qualifier)  # type: ignore[misc]
        passed = enumerate(arguments(call)) if positions else ()
        return frozenset(p for i, a in passed if i in positions and (p := pointer_of(a)))

    def unchecked_uses(self, invocation: Located) -> list[tuple[str, str]]:
        """(pointer, the use as expanded: `*len`) for each pointer the invocation names
        that its macro's matching rule uses with no null check of its own (remembered
        per invocation: RS102 asks whether, then which)."""
        return self._uses(invocation, checked=False)

    def dereferences(self, invocation: Located) -> list[tuple[str, str]]:
        """(pointer, the use as expanded) for each pointer the invocation names that its
        macro's matching rule uses, null-checked or not (RS103)."""
        return self._uses(invocation, checked=True)

    def _uses(self, invocation: Located, checked: bool) -> list[tuple[str, str]]:
        key = (invocation.start, invocation.end, checked)
        found = self._uses_found.get(key)
        if found is None:
            found = self._uses_found[key] = self._find_uses(invocation, checked)
        return found

    def _find_uses(self, invocation: Located, checked: bool) -> list[tuple[str, str]]:
        tokens = invocation_tokens(invocation.node)
        found = self._macro_named(macro_name(invocation.node)) if tokens is not None else None
        if found is None or tokens is None:
            return []
        if not any(rule.uses or (checked and rule.checked_uses) for rule in found.rules):
            return []
        items = token_tree(text(tokens))
        if not items or not isinstance(items[0], Group):
            return []
        matched = first_match(found.rules, items[0])
        if matched is None:
            return []
        rule, bindings = matched
        uses = []
        for metavariable, written in (*rule.uses, *(rule.checked_uses if checked else ())):
            bound = bindings.get(metavariable, [])
            if len(bound) == 1 and _IDENTIFIER.fullmatch(bound[0]):
                uses.append((bound[0], _substitute(written, bindings)))
        return uses


def _checked_in_order(bound: list[str]) -> list[str]:
    """The pointers a checked metavariable binds: one, or each of a repetition
    (`$(if $p.is_null() { return -1; })+`) up to the first that is no plain name
    (`check!(*model, model)` reads `*model` before `model` is checked)."""
    plain: list[str] = []
    for value in bound:
        if not _IDENTIFIER.fullmatch(value):
            break
        plain.append(value)
    return plain


def _substitute(transcribed: str, bindings: dict[str, list[str]]) -> str:
    """A transcriber's tokens with each metavariable bound once replaced by its tokens."""

    def bound(found: re.Match[str]) -> str:
        values = bindings.get(found.group(1))
        return values[0] if values is not None and len(values) == 1 else found.group(0)

    return re.sub(r"\$([A-Za-z_]\w*)", bound, transcribed)
