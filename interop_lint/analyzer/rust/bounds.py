"""Whether an index expression is checked against the length it indexes (RS101).

Real exports guard their indexing: `if !items.is_empty() { &items[0] }`,
`if buf.len() < 4 { return ..; }` before `buf[..4]`, `i < v.len() && v[i] == x`,
`for i in 0..v.len() { v[i] }`. Such an index cannot panic, and reporting it
buries the panics that can.

A fact is "`bound` < `v.len()`" (strict) or "`bound` <= `v.len()`", the bound an
integer or the text of an expression. Facts come from the conditions around the
indexing (the branch of an `if`/`while` taken, the right side of `&&`/`||`),
from a `for` over `0..v.len()` or `v.iter().enumerate()` (and a closure an
iterator adapter calls with those items: `(0..v.len()).map(|i| v[i])`), and from
an earlier statement of an enclosing block that leaves when the check fails
(`if v.is_empty() { return .. }`), from a match arm (its guard, the failed guard
of an earlier arm with the same pattern, the lengths earlier arms of
`match v.len()` took), and from a local bound to the length
(`let mut n = v.len() - 1;` once `v` is known non-empty, then only decreased:
tokenizers' decode retry `while n > 0 { .. v[..n] .. n -= 1; }`), and from a
position found in the collection it indexes (`if let Some(i) = s.find('?')
{ &s[..i] }`, positions.py). The same conditions tell an `.unwrap()` that cannot
fail (`checked_present`). What is
indexed and the bound compare as written (whitespace aside), but for a constant
added to a bound (`at + 2 < v.len()` shows `v[at..at + 3]`); a mutation of the
vector between the check and the use is not looked for, nor whether `n -= 1`
is kept from wrapping below zero.
"""

from __future__ import annotations

from collections.abc import Iterator

from interop_lint.analyzer.rust.bindings import local_name, only_decreased
from interop_lint.analyzer.rust.body import Located
from interop_lint.analyzer.rust.comparisons import (
    BELOW,
    END_GETTERS,
    added_to,
    affix_fact,
    comparison_fact,
    index_bounds,
    largest_index,
    method_of,
    minimum_facts,
    receiver_of,
)
from interop_lint.analyzer.rust.expressions import (
    binary_operator,
    callee,
    leaves,
    strip,
    unary_operand,
    unary_operator,
    under_methods,
)
from interop_lint.analyzer.rust.iteration_facts import closure_fact, loop_fact
from interop_lint.analyzer.rust.lengths import (
    ALIAS,
    VALUE_OF,
    Fact,
    Lengths,
    bound_of,
    flat,
    least_left,
    lengths_of,
    range_parts,
    sized_by,
    viewless,
    with_aliases,
)
from interop_lint.analyzer.rust.pointee_arrays import fixed_length
from interop_lint.analyzer.rust.positions import (
    condition_scope,
    found_fact,
    one_past_facts,
    position_fact,
)

_MAX_DEPTH = 16


def checked_in_bounds(indexing: Located) -> bool:
    """Whether the conditions that reach `indexing` show its index within the length."""
    children = indexing.node.named_children
    if len(children) < 2:
        return False
    subject, index = flat(children[0]), indexing.at(children[-1])
    if index is None:
        return False
    # `out[..n]` of `out = from_raw_parts_mut(p, len)` after `if n > len { return }`
    sized = sized_by(indexing.at(children[0]))  # type: ignore[arg-type]
    subjects = {viewless(subject), VALUE_OF + sized} if sized else {viewless(subject)}
    around = with_aliases(list(_facts_around(indexing)))
    facts = [fact for fact in around if viewless(fact.subject) in subjects]
    if any(f.subject.startswith(BELOW) for f in around):  # `if i >= 16 { return }`
        facts += _below_fixed_length(indexing, subject, around)
        if index.type == "binary_expression":  # `table[i * 8 + j]`
            size, largest = fixed_length(indexing), largest_index(index, around)
            if size is not None and largest is not None and largest < size:
                return True
    return bool(facts) and _index_within(index, facts, around)


def _below_fixed_length(indexing: Located, subject: str, around: list[Fact]) -> list[Fact]:
    """Facts `i < K` as facts about an array of fixed length N >= K (`table[i]` of
    `let table = [0u32; 16]` after `if i >= 16 { return }`)."""
    size = fixed_length(indexing)
    if size is None:
        return []
    found = []
    for fact in around:
        if fact.subject.startswith(BELOW):
            limit = int(fact.subject[len(BELOW) :])
            if limit <= size if fact.strict else limit < size:
                found.append(Fact(subject, fact.bound, True))
    return found


def _index_within(index: Located, facts: list[Fact], around: list[Fact]) -> bool:
    """Whether `v[index]` (an element or a range) is proven by the facts about `v`
    (`around`: every fact there, for what they say of the index itself)."""
    if index.type != "range_expression":
        return any(_below(b, facts, strict=True) for b in index_bounds(index, around))
    start, operator, end = range_parts(index.node)
    if end is not None:
        # `..=e` reads element e; `s..e` needs s <= e, known only for numbers or `..e`.
        inclusive = operator == "..="
        first = bound_of(start) if start is not None else 0
        last = bound_of(end)
        return _ordered(first, last) and _below(last, facts, strict=inclusive)
    return start is not None and _below(bound_of(start), facts, strict=False)


def _below(bound: int | str, facts: list[Fact], *, strict: bool) -> bool:
    """Whether a fact shows `bound < len` (strict) or `bound <= len`."""
    for fact in facts:
        if fact.bound == bound and (fact.strict or not strict):
            return True
        # `at + 2 < len` gives `at + 3 <= len` (`v[at..at + 3]`), and every `at + k` below.
        offset, known = _offset(bound), _offset(fact.bound)
        if offset is not None and known is not None and offset[0] == known[0]:
            reach = known[1] + 1 if fact.strict else known[1]
            if (offset[1] + 1 if strict else offset[1]) <= reach:
                return True
        if isinstance(bound, int) and isinstance(fact.bound, int):
            # n < len gives every k <= n below len; n <= len every k < n.
            known = fact.bound + 1 if fact.strict else fact.bound
            if bound + 1 <= known if strict else bound <= known:
                return True
    return False


def _ordered(first: int | str, last: int | str) -> bool:
    """Whether a range's start is known not to pass its end: from 0, between numbers,
    `at..at + 3` (`at + k` for growing `k`), or a start that is a term of the end's
    sum (`4..4 + n`, `at..at + len`): indexes are `usize`, so adding never lowers."""
    if first == 0 or (isinstance(first, int) and isinstance(last, int) and first <= last):
        return True
    terms = _terms(last) if isinstance(last, str) else []
    if str(first) in terms or (
        isinstance(first, int) and any(t.isdigit() and int(t) >= first for t in terms)
    ):
        return True
    start, end = _offset(first), _offset(last)
    return start is not None and end is not None and start[0] == end[0] and start[1] <= end[1]


def _terms(written: str) -> list[str]:
    """The terms of a sum as written (`a+f(b+c)` -> [`a`, `f(b+c)`])."""
    terms, depth, start = [], 0, 0
    for at, char in enumerate(written):
        depth += (char in "([{") - (char in ")]}")
        if char == "+" and depth == 0:
            terms.append(written[start:at])
            start = at + 1
    return [*terms, written[start:]]


def _offset(bound: int | str) -> tuple[str, int] | None:
    """An expression bound as a base and a constant added to it: `at+3` as (`at`, 3),
    `i` as (`i`, 0); None for a number."""
    if isinstance(bound, int):
        return None
    base, plus, added = bound.rpartition("+")
    return (base, int(added)) if plus and base and added.isdigit() else (bound, 0)


def _facts_around(use: Located) -> Iterator[Fact]:
    child = use
    for ancestor in use.ancestors():
        kind = ancestor.type
        if kind == "function_item":
            return
        if kind in ("if_expression", "while_expression"):
            condition = ancestor.field("condition")
            if child == ancestor.field("consequence") or child == ancestor.field("body"):
                yield from facts_when(condition, True)
            elif child.type == "else_clause":
                yield from facts_when(condition, False)
        elif kind == "binary_expression" and child == ancestor.field("right"):
            truth = {"&&": True, "||": False}.get(binary_operator(ancestor))
            if truth is not None:
                yield from facts_when(ancestor.field("left"), truth)
        elif kind == "let_chain":
            for earlier in ancestor.named_children():
                if earlier.end <= child.start:
                    yield from facts_when(earlier, True)
        elif kind == "for_expression" and child == ancestor.field("body"):
            yield from loop_fact(ancestor)
        elif kind == "match_arm" and child == ancestor.field("value"):
            yield from _arm_facts(ancestor)
        elif kind == "closure_expression" and child == ancestor.field("body"):
            yield from closure_fact(ancestor)
        elif kind == "block" and child.fragment is ancestor.fragment:
            yield from _earlier_exits(ancestor, child.node.start_byte)
        child = ancestor


def facts_when(condition: Located | None, truth: bool) -> list[Fact]:
    """What `condition` evaluating to `truth` says about lengths."""
    found: list[Fact] = []
    pending = [(condition, truth)]
    while pending and len(found) < _MAX_DEPTH:
        current, holds = pending.pop()
        if current is None:
            continue
        current = strip(current)
        if unary_operator(current) == "!":
            pending.append((unary_operand(current), not holds))
            continue
        if current.type == "binary_expression":
            joined = binary_operator(current)
            if (joined == "&&" and holds) or (joined == "||" and not holds):
                pending.extend(((current.field("left"), holds), (current.field("right"), holds)))
                continue
            fact = comparison_fact(current, joined, holds)
        elif current.type == "let_condition":
            scope = condition_scope(current)
            fact = (
                found_fact(current, current.field("pattern"), current.field("value"), scope)
                if holds
                else None
            )
        else:
            emptiness = method_of(current, "is_empty")
            fact = Fact(emptiness, 0, True) if emptiness is not None and not holds else None
            fact = fact or _presence_fact(current, holds) or affix_fact(current, holds)
        if fact is not None:
            found.append(fact)
    return found


# The bound of a fact that says an `Option`/`Result` holds a value, not a length.
_PRESENT = "<present>"
_PRESENT_WHEN = {"is_some": True, "is_ok": True, "is_none": False, "is_err": False}


def _presence_fact(condition: Located, holds: bool) -> Fact | None:
    """`x.is_some()` holding, `x.is_none()` failing: `x` has a value."""
    receiver = receiver_of(condition, _PRESENT_WHEN)
    called = callee(condition) if receiver is not None else None
    if called is None or _PRESENT_WHEN[called.name] != holds:
        return None
    return Fact(flat(receiver.node), _PRESENT, True)  # type: ignore[union-attr]


# Methods that give an `Option` holding a value exactly when their receiver does.
_OPTION_VIEWS = frozenset({"as_mut", "as_ref", "as_deref", "as_deref_mut", "as_pin_mut"})


def checked_present(call: Located, receiver: Located) -> bool:
    """Whether the conditions that reach `x.unwrap()` show `x` holds a value: inside
    `if x.is_some()`, after `if x.is_none() { return ..; }` (clippy's
    `unnecessary_unwrap`): it cannot panic. So does `v.last()` of a `v` known not
    to be empty (`v.push(x); v.last_mut().unwrap()`)."""
    # `x.as_mut().unwrap()` holds a value when `x` does
    viewed = under_methods(receiver, _OPTION_VIEWS) or receiver
    subject = flat(strip(viewed).node)
    around = list(_facts_around(call))
    if any(f.subject == subject and f.bound == _PRESENT for f in around):
        return True
    end = receiver_of(strip(receiver), END_GETTERS)
    collection = flat(strip(end).node) if end is not None else None
    return _below(0, [f for f in around if f.subject == collection], strict=True)


def _earlier_exits(block: Located, before: int) -> Iterator[Fact]:
    """Facts from statements ending before `before` that leave unless a check holds:
    `if v.is_empty() { return ..; }`."""
    for end, facts in _exits_of(block):
        if end > before:
            return
        yield from facts


def _exits_of(block: Located) -> list[tuple[int, list[Fact]]]:
    """Where each exit statement of a block ends and what passing it shows (found once
    per block: every indexing in it asks)."""
    return block.fragment.remember(("bounds", block.node.id), lambda: list(_exits(block)))


def _exits(block: Located) -> Iterator[tuple[int, list[Fact]]]:
    known: list[Fact] = []  # what the statements passed so far show
    for statement in block.node.named_children:
        inner = statement.named_children[0] if statement.type == "expression_statement" else None
        if statement.type == "let_declaration":
            facts = _let_facts(block, block.at(statement), known)  # type: ignore[arg-type]
        elif inner is not None and inner.type == "if_expression":
            consequence = inner.child_by_field_name("consequence")
            if inner.child_by_field_name("alternative") is not None or not leaves(consequence):
                continue
            facts = facts_when(block.at(inner.child_by_field_name("condition")), False)
        elif (added := added_to(block.at(statement))) is not None:  # type: ignore[arg-type]
            facts = [added]
        else:
            continue
        if facts:  # most statements show nothing: every indexing after them would ask
            known.extend(facts)
            yield statement.end_byte, facts


def _let_facts(block: Located, declaration: Located, known: list[Fact]) -> list[Fact]:
    """`let n = v.len() - 1;` after `v` is known non-empty: `n < v.len()` for the rest of
    the block, as long as `n` only ever decreases (`n -= 1` in a `while n > 0` loop)."""
    name, value = local_name(declaration), declaration.field("value")
    if declaration.field("alternative") is not None:  # `let Some(i) = s.find(c) else { .. }`
        found = found_fact(declaration, declaration.field("pattern"), value, block)
        return [found] if found is not None else []
    if name is None or value is None:
        return []
    value = strip(value)
    subject = method_of(value, "len")
    position = position_fact(name, value) if subject is None else None
    if subject is not None:
        fact = Fact(subject, name, False)
        if only_decreased(name, block, declaration):  # `let n = v.len();`: `n` is `v.len()`
            return [fact, Fact(ALIAS + name, flat(value.node), False)]
    elif position is not None:  # `let n = f.read(&mut buf)?;`
        fact = position
    elif (found := minimum_facts(name, value)) or (
        found := one_past_facts(name, value, lambda: [*known, *_facts_around(block)])
    ):
        return found if only_decreased(name, block, declaration) else []
    else:
        operator = value.node.child_by_field_name("operator")
        left, right = value.field("left"), value.field("right")
        if operator is None or operator.type != "-" or left is None or right is None:
            return []
        subject = method_of(strip(left), "len")
        less = bound_of(strip(right).node)
        if subject is None:
            return []
        # `v.len() - k` wraps (or panics) unless the length is known to be at least k.
        before = [f for f in (*known, *_facts_around(block)) if f.subject == subject]
        if not _below(less, before, strict=False):
            return []
        fact = Fact(subject, name, isinstance(less, int) and less > 0)
    return [fact] if only_decreased(name, block, declaration) else []


def _arm_facts(arm: Located) -> Iterator[Fact]:
    """What reaching a match arm's value shows: its own guard held, each earlier arm that
    would have taken the value had a guard that failed (`Err(_) if v.is_empty() => ..`
    before `Err(_) => v[0]`), and on `match v.len()` the lengths left to the arm
    (`0 => return, _ => v[0]`)."""
    own_pattern, own_guard = _arm_parts(arm)
    yield from facts_when(own_guard, True)
    arms = arm.parent()
    matched = arms.parent() if arms is not None else None
    scrutinee = matched.field("value") if matched is not None else None
    if arms is None or scrutinee is None:
        return
    found = found_fact(arm, own_pattern, scrutinee, arm.field("value"))  # `Some(i) => &s[..i]`
    if found is not None:
        yield found
    own = flat(own_pattern.node) if own_pattern is not None else "_"
    measured = method_of(strip(scrutinee), "len")
    taken: Lengths = []  # lengths earlier arms without a guard take
    for earlier in arms.named_children():
        if earlier.start >= arm.start:
            break
        if earlier.type != "match_arm":
            continue
        pattern, guard = _arm_parts(earlier)
        if guard is not None:
            if pattern is None or flat(pattern.node) in ("_", own):
                yield from facts_when(guard, False)
        elif measured is not None and pattern is not None:
            taken += lengths_of(pattern.node) or []
    if measured is not None:
        left = least_left(lengths_of(own_pattern.node) if own_pattern else None, taken)
        if left:
            yield Fact(measured, left - 1, True)


def _arm_parts(arm: Located) -> tuple[Located | None, Located | None]:
    """(pattern, guard) of a match arm; the pattern None for `_`."""
    matched = arm.field("pattern")
    if matched is None:
        return None, None
    guard = matched.field("condition")
    pattern = next((c for c in matched.named_children() if c != guard), None)
    return pattern, guard
