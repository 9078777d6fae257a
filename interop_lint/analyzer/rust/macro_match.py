"""Just enough of `macro_rules!` matching to learn what an invocation binds.

rust.generated asks one question: in `free_fn!(engine_free, Engine)`, what
does the rule `($name:ident, $t:ty) => { .. fn $name .. }` bind `$name` to?
Tokens are read from text (identifiers, `$var`, literals, punctuation, and
delimited groups as one token tree), a matcher is compiled into literals,
fragments and repetitions, and an invocation is matched greedily: a
fragment of one token tree (`ident`, `lifetime`, `literal`, `tt`, `block`)
takes one; any other (`ty`, `expr`, `path`, ...) takes tokens up to the
literal that follows it in the matcher. That is not rustc's full algorithm,
so a match that fails is "unknown", never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

# A token: `$name`, an identifier or lifetime, a string or char literal, a
# number, a group opener/closer, or one punctuation character.
_TOKEN = re.compile(
    r"""//[^\n]*|/\*(?:.|\n)*?\*/|\$[A-Za-z_]\w*|'[A-Za-z_]\w*(?!')|[A-Za-z_]\w*|r?b?"(?:\\.|[^"\\])*"|b?'(?:\\.|[^'\\])'"""
    r"""|\d[\w.]*|[()\[\]{}]|\S"""
)
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
METAVARIABLE = re.compile(r"\$([A-Za-z_]\w*)")  # `$name` in a matcher or transcriber
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_ONE_TREE = frozenset({"ident", "lifetime", "literal", "tt", "block"})
MAX_TOKENS = 20_000  # a macro this large is not a C API stamp; "unknown"

Tree = list["str | Group"]


class Token(str):
    """A token of the text a token tree was read from, and where it is in that text."""

    start: int
    end: int


class Bound(str):
    """What a fragment binds, spelled token by token, the span of the text it was read
    from (`start`, `end`: the text keeps the spacing `::` and `->` need), and in which
    iteration of each repetition around the fragment (`path`)."""

    start: int
    end: int
    path: tuple[int, ...]


@dataclass
class Group:
    opener: str
    items: Tree
    start: int = 0  # the span of the group, delimiters included, in its text
    end: int = 0

    def text(self) -> str:
        return self.opener + " ".join(_spell(self.items)) + _CLOSERS[self.opener]


def _spell(items: Tree) -> list[str]:
    return [item if isinstance(item, str) else item.text() for item in items]


def token_tree(source: str) -> Tree | None:
    """The token trees of `source`; None when its delimiters do not balance."""
    if len(_TOKEN.findall(source)) > MAX_TOKENS:
        return None
    stack: list[Group] = [Group("(", [])]
    for found in _TOKEN.finditer(source):
        token = found.group()
        if token.startswith(("//", "/*")):
            continue  # a comment; a doc comment is an attribute to rustc, no matter here
        if token in _CLOSERS:
            stack.append(Group(token, [], found.start()))
        elif token in (")", "]", "}"):
            if len(stack) == 1 or _CLOSERS[stack[-1].opener] != token:
                return None
            done = stack.pop()
            done.end = found.end()
            stack[-1].items.append(done)
        else:
            spelled = Token(token)
            spelled.start, spelled.end = found.span()
            stack[-1].items.append(spelled)
    return stack[0].items if len(stack) == 1 else None


@dataclass
class Fragment:
    name: str
    kind: str


@dataclass
class Repetition:
    pattern: list[object]
    separator: str | None


def compile_matcher(items: Tree) -> list[object] | None:
    """A matcher's token trees as literals (str), groups, fragments and repetitions."""
    pattern: list[object] = []
    index = 0
    while index < len(items):
        item = items[index]
        following = items[index + 1 : index + 4]
        if isinstance(item, str) and item.startswith("$") and following[:1] == [":"]:
            if len(following) < 2 or not isinstance(following[1], str):
                return None
            pattern.append(Fragment(item[1:], following[1]))
            index += 3
        elif item == "$" and following and isinstance(following[0], Group):
            inner = compile_matcher(following[0].items)
            if inner is None:
                return None
            index += 2
            separator = None
            if index < len(items) and items[index] not in ("*", "+", "?"):
                separator = items[index] if isinstance(items[index], str) else None
                index += 1
            if index >= len(items) or items[index] not in ("*", "+", "?"):
                return None
            pattern.append(Repetition(inner, separator))
            index += 1
        elif isinstance(item, Group):
            inner = compile_matcher(item.items)
            if inner is None:
                return None
            pattern.append(Group(item.opener, inner))  # type: ignore[arg-type]
            index += 1
        else:
            pattern.append(item)
            index += 1
    return pattern


Bindings = dict[str, list[str]]

# A part of a paste group `[<a _ $t:snake>]`: an identifier or string, a case modifier.
_PASTE_PART = re.compile(r"(\$?[A-Za-z_]\w*|\"[^\"]*\"|\d+)(?:\s*:\s*([a-z]+))?")
_CASES = {
    "lower": str.lower,
    "upper": str.upper,
    "snake": lambda s: re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", s).lower(),
    "camel": lambda s: "".join(p[:1].upper() + p[1:] for p in s.split("_")),
}


def paste_parts(inside: str) -> str | None:
    """What `paste!` makes of a `[< .. >]` group's inside (metavariables already
    replaced): its parts joined, each with its case modifier; None if unknown."""
    joined: list[str] = []
    at = 0
    for found in _PASTE_PART.finditer(inside):
        if inside[at : found.start()].strip():
            return None  # something paste does not join
        at = found.end()
        part, case = found.group(1).strip('"'), found.group(2)
        if case is not None and case not in _CASES:
            return None
        joined.append(_CASES[case](part) if case else part)
    return "".join(joined) if not inside[at:].strip() else None


class MacroRule(Protocol):
    @property
    def matcher(self) -> str: ...  # the rule's left side, delimiters included


R = TypeVar("R", bound=MacroRule)


@lru_cache(maxsize=1024)
def rule_pattern(matcher: str) -> list[object] | None:
    """The compiled pattern of a rule's matcher text (`($name:ident, $t:ty)`), once per
    text: every invocation of a crate's macro asks for the same few."""
    tokens = token_tree(matcher)
    return compile_matcher(tokens[0].items) if tokens and isinstance(tokens[0], Group) else None


def first_match(rules: Sequence[R], given: Group) -> tuple[R, Bindings] | None:
    """The first rule an invocation's tokens match, as rustc picks it, and its bindings."""
    for rule in rules:
        pattern = rule_pattern(rule.matcher)
        bindings = match(pattern, given.items) if pattern is not None else None
        if bindings is not None:
            return rule, bindings
    return None


def match(pattern: list[object], items: Tree) -> Bindings | None:
    """What each fragment binds (every repetition's, in order); None on no match."""
    bindings: Bindings = {}
    end = _match(pattern, items, 0, bindings)
    return bindings if end == len(items) else None


def _match(
    pattern: list[object],
    items: Tree,
    at: int,
    bindings: Bindings,
    path: tuple[int, ...] = (),
    inherited: tuple[str, ...] = (),
) -> int | None:
    """Match `pattern` from `items[at]`; the index past the match, or None. `path` is
    the iteration of each repetition the pattern is in (recorded on every binding);
    `inherited`, what ends a fragment at the end of a repetition's pattern: its
    separator, and what follows the repetition (`$(as $t:ty)? : $name:ident`)."""
    for number, element in enumerate(pattern):
        if isinstance(element, Fragment):
            taken = _take(element.kind, items, at, _stop_tokens(pattern, number, inherited))
            if taken is None:
                return None
            bound = Bound(" ".join(_spell(items[at:taken])))
            bound.start, bound.end = _span(items[at])[0], _span(items[taken - 1])[1]
            bound.path = path
            bindings.setdefault(element.name, []).append(bound)
            at = taken
        elif isinstance(element, Repetition):
            stops = _stop_tokens(pattern, number, inherited)
            inner = (element.separator, *stops) if element.separator else stops
            iteration = 0
            while at < len(items) and not (stops and _is_stop(items[at], stops)):
                taken_here: Bindings = {}
                reached = _match(element.pattern, items, at, taken_here, (*path, iteration), inner)
                if reached is None or reached == at:
                    break
                for name, values in taken_here.items():
                    bindings.setdefault(name, []).extend(values)
                at = reached
                iteration += 1
                if element.separator is None:
                    continue
                if at < len(items) and items[at] == element.separator:
                    at += 1
                else:
                    break
        elif isinstance(element, Group):
            item = items[at] if at < len(items) else None
            if not isinstance(item, Group) or item.opener != element.opener:
                return None
            if _match(element.items, item.items, 0, bindings, path) != len(item.items):  # type: ignore[arg-type]
                return None
            at += 1
        else:
            if at >= len(items) or items[at] != element:
                return None
            at += 1
    return at


def _span(item: str | Group) -> tuple[int, int]:
    """Where a token or group of a token tree read from text is in that text."""
    if isinstance(item, Group):
        return item.start, item.end
    return getattr(item, "start", 0), getattr(item, "end", 0)


def _stop_tokens(pattern: list[object], number: int, inherited: tuple[str, ...]) -> tuple[str, ...]:
    """What ends a fragment: the literal after it, or the opener of a group after it;
    at the end of a repetition's pattern, what ends the repetition (`inherited`)."""
    following = pattern[number + 1] if number + 1 < len(pattern) else None
    if isinstance(following, Group):
        return (following.opener,)
    if isinstance(following, str):
        return (following,)
    if isinstance(following, Fragment) and following.kind == "block":
        return ("{",)  # `-> $ret:ty $body:block`: a type ends where a block opens
    return inherited if following is None else ()


def _is_stop(item: str | Group, ends: tuple[str, ...]) -> bool:
    return (item.opener if isinstance(item, Group) else item) in ends


def _take(kind: str, items: Tree, at: int, stops: tuple[str, ...]) -> int | None:
    if at >= len(items):
        return None
    if kind in _ONE_TREE:
        item = items[at]
        if kind == "ident" and not (isinstance(item, str) and _IDENTIFIER.fullmatch(item)):
            return None
        if kind == "block" and not (isinstance(item, Group) and item.opener == "{"):
            return None
        return at + 1
    end = at
    # Without a literal to stop at, an expression or type ends where a list item would.
    ends = stops or (",", ";")
    while end < len(items) and not _is_stop(items[end], ends):
        end += 1
    return end if end > at else None
