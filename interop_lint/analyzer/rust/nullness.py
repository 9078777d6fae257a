"""Whether a null check of a pointer comes before a use on every path (RS102).

Checks: `p.is_null()`, `p == ptr::null()` / `null_mut()` (either side, `!=`
too), `NonNull::new(p)`, `p.as_ref()` / `p.as_mut()` when matched. A check
protects a use when

- the use is in the branch where the pointer is known non-null: the `else`
  of `if p.is_null()`, the body of `if !p.is_null()`, `if let Some(r) =
  p.as_ref()`, a `Some` arm of `match NonNull::new(p)`, the right side of
  `!p.is_null() && ..`; conditions combine through `!`, `&&`, `||`, and
  tuples match element by element (`if let (Some(t), false) = (t,
  p.is_null())`): rust.null_conditions;
- or an earlier statement of an enclosing block leaves only when the pointer
  is non-null: `if p.is_null() { return .. }`, `let Some(r) = p.as_ref()
  else { .. }`, `let r = p.as_ref().ok_or(..)?`, `match p.as_mut() { Some(r)
  => r, None => return .. }`, `match p.is_null() { true => return .., false
  => {} }`, `assert!(!p.is_null())` or `ensure!(!p.is_null(), ..)`, or a call
  or macro whose name says it checks for null (`ffi_check_not_null!(p)`; in such a
  macro's own arguments, `p` checks `*p` after it), or
  `if invalid_pointer(p) { return .. }` with a function whose name says it
  validates the pointer;
- or an earlier `if p.is_null() && len > 0 { return .. }` leaves for a null
  pointer where the use's branch has `len > 0` (rust.null_given);
- or it is written in, or comes after, the invocation of a crate macro that
  checks the pointer and leaves otherwise (hyper's `non_null!(&*p ?= ())`),
  as the caller's `InvocationChecks` (rust.null_macros) tells.
"""

from __future__ import annotations

from collections.abc import Callable

from interop_lint.analyzer.rust.body import Located, RustBodies
from interop_lint.analyzer.rust.expressions import (
    arguments,
    binary_operator,
    block_tail,
    callee,
    invocation_name,
    strip,
    unary_operand,
    unary_operator,
    unsafe_value,
)
from interop_lint.analyzer.rust.null_conditions import (
    nonnull_if_matches,
    nonnull_unless_matches,
    nonnull_when,
    option_of_pointer,
)
from interop_lint.analyzer.rust.null_given import checked_given
from interop_lint.analyzer.rust.pointer_copies import pointer_of

# The pointers a macro invocation checks for null, leaving unless they are
# non-null, before the rest of it runs, or a call of a crate function that
# panics on null (rust.null_macros).
InvocationChecks = Callable[[Located], frozenset[str]]

_OPTION_DEMANDS = frozenset({"unwrap", "expect"})  # panic on null: RS101's business
_DIVERGING_MACROS = frozenset({"panic", "unreachable", "todo", "unimplemented", "bail"})
# Macros that leave (panic, or return an `Err`) unless their first argument holds.
_CONDITION_FIRST = frozenset({"assert", "ensure"})
_NON_DIVERGING_MACROS = frozenset(
    {"println", "eprintln", "print", "eprint", "dbg", "debug", "info", "warn", "error", "trace"}
)


def checked_before(
    use: Located, name: str, bodies: RustBodies, macros: InvocationChecks | None = None
) -> bool:
    """Whether every path to `use` has checked the pointer `name` for null; `macros`
    tells what the invocations of the crate's macros check."""
    child = use
    for ancestor in use.ancestors():
        kind = ancestor.type
        if kind == "function_item":
            break
        if kind == "macro_invocation" and child.fragment is not ancestor.fragment:
            # written in its body: checked by the invocation, or by an earlier
            # argument of a macro named for null checks (tract's
            # `check_not_null!(model, *model)` checks `model` before reading `*model`)
            if macros is not None and name in macros(ancestor):
                return True
            if _checked_by_earlier_argument(ancestor, use, name, bodies):
                return True
        if kind == "if_expression" and _if_protects(ancestor, child, name):
            return True
        if (
            kind == "while_expression"
            and child == ancestor.field("body")
            and name in nonnull_when(ancestor.field("condition"), True)
        ):
            return True
        if kind == "binary_expression" and child == ancestor.field("right"):
            truth = {"&&": True, "||": False}.get(binary_operator(ancestor))
            if truth is not None and name in nonnull_when(ancestor.field("left"), truth):
                return True
        if kind == "let_chain" and _earlier_conditions_protect(ancestor, child, name):
            return True
        if kind == "closure_expression" and name in nonnull_when(_run_when(ancestor), True):
            return True
        if kind == "match_arm" and _arm_protects(ancestor, child, name):
            return True
        if (
            kind == "block"
            and child.fragment is ancestor.fragment
            and _guarded_at(ancestor, name, bodies, macros, child.node.start_byte)
        ):
            return True
        child = ancestor
    return checked_given(use, name, lambda branch: _diverges(branch, bodies))


def _if_protects(branch_holder: Located, child: Located, name: str) -> bool:
    condition = branch_holder.field("condition")
    if child == branch_holder.field("consequence"):
        return name in nonnull_when(condition, True)
    if child.type == "else_clause":
        return name in nonnull_when(condition, False)
    return False


def _run_when(closure: Located) -> Located | None:
    """The condition under which a closure runs at all: `cond` of `cond.then(|| ..)`
    (`then_some(x)` evaluates `x` whatever `cond` is)."""
    holder = closure.parent()
    call = holder.parent() if holder is not None and holder.type == "arguments" else None
    function = call.field("function") if call is not None else None
    if function is None or function.type != "field_expression":
        return None
    method = function.field("field")
    if method is None or method.text != "then" or len(holder.named_children()) != 1:
        return None
    return function.field("value")


def _earlier_conditions_protect(chain: Located, child: Located, name: str) -> bool:
    return any(
        c.end <= child.start and name in nonnull_when(c, True) for c in chain.named_children()
    )


def _arm_protects(arm: Located, child: Located, name: str) -> bool:
    if child != arm.field("value"):
        return False
    match = arm.parent()
    match = match.parent() if match is not None and match.type == "match_block" else None
    scrutinee = match.field("value") if match is not None else None
    return name in nonnull_if_matches(arm.field("pattern"), scrutinee)


def _guarded_at(
    block: Located, name: str, bodies: RustBodies, macros: InvocationChecks | None, at: int
) -> bool:
    """Whether a statement of the block before byte `at` stops a null `name`, and no
    `let` binds `name` to another pointer between them (`let data = dest;` checked,
    then `let data = source;` unchecked: zlib-rs)."""
    guards, rebinds = block.fragment.remember(
        ("guards", block.node.id, name, macros), lambda: _guards(block, name, bodies, macros)
    )
    since = max((r for r in rebinds if r < at), default=-1)
    return any(since < end <= at for end in guards)


def _guards(
    block: Located, name: str, bodies: RustBodies, macros: InvocationChecks | None
) -> tuple[list[int], list[int]]:
    """Where the first statement of a block that stops a null `name` ends, after the
    start and after each `let` that binds `name` to another pointer; and where those
    `let`s start (computed once per block and pointer): a statement after a guard
    sees the pointer non-null, until such a `let`."""
    guards, rebinds = [], []
    guarded = False  # in the current stretch (from the start or the last rebinding)
    for statement in block.node.named_children:
        if statement.type == "let_declaration" and _binds_another_pointer(
            block.at(statement), name
        ):  # type: ignore[arg-type]
            rebinds.append(statement.start_byte)
            guarded = False
        elif not guarded and leaves_unless_nonnull(block.at(statement), name, bodies, macros):  # type: ignore[arg-type]
            guards.append(statement.end_byte)
            guarded = True
    return guards, rebinds


def _binds_another_pointer(statement: Located, name: str) -> bool:
    """`let name = other;`: a copy of another pointer (`let p = p.cast()` keeps it)."""
    pattern, value = statement.field("pattern"), statement.field("value")
    if pattern is None or value is None or pattern.type != "identifier" or pattern.text != name:
        return False
    source = pointer_of(value)
    return source is not None and source != name


def leaves_unless_nonnull(
    statement: Located, name: str, bodies: RustBodies, macros: InvocationChecks | None = None
) -> bool:
    """Whether execution gets past `statement` only when the pointer is non-null."""
    kind = statement.type
    inner = statement.named_children()[0] if statement.node.named_child_count else None
    if kind == "expression_statement" and inner is not None:
        return _expression_leaves_unless_nonnull(inner, name, bodies, macros)
    if kind == "let_declaration":
        value = statement.field("value")
        if value is None:
            return False
        if statement.field("alternative") is not None and (
            option_of_pointer(value) == name
            or name in nonnull_if_matches(statement.field("pattern"), value)
        ):
            return True
        return _expression_leaves_unless_nonnull(value, name, bodies, macros)
    if kind == "macro_invocation":
        return _expression_leaves_unless_nonnull(statement, name, bodies, macros)
    return False


def _expression_leaves_unless_nonnull(
    expression: Located, name: str, bodies: RustBodies, macros: InvocationChecks | None
) -> bool:
    current = strip(expression)
    if current.type == "if_expression":
        condition = current.field("condition")
        consequence = current.field("consequence")
        alternative = current.field("alternative")
        if (
            consequence is not None
            and name in nonnull_when(condition, False)
            and _diverges(consequence, bodies)
        ):
            return True
        if (
            alternative is not None
            and name in nonnull_when(condition, True)
            and _diverges(alternative, bodies)
        ):
            return True
        branches = [b for b in (consequence, alternative) if b is not None]
        return _validating_call(condition, name) and any(_diverges(b, bodies) for b in branches)
    if current.type == "macro_invocation":
        return _macro_checks(current, name, bodies) or (
            macros is not None and name in macros(current)
        )
    if current.type == "match_expression":
        scrutinee = current.field("value")
        if option_of_pointer(scrutinee) == name and _some_arm_diverges(current, bodies):
            return True
        return _only_nonnull_arms_continue(current, scrutinee, name, bodies)
    if current.type == "call_expression" and macros is not None and name in macros(current):
        return True  # a function of the crate that panics on null (`check_not_null(p)`)
    return _demands_some(current, name)


def _macro_checks(macro: Located, name: str, bodies: RustBodies) -> bool:
    """`assert!(!p.is_null())`, anyhow's or snafu's `ensure!(!p.is_null(), ..)` (an
    early `Err` when it fails), or a macro named for null checks that mentions `p`."""
    macro_name = invocation_name(macro)
    body = bodies.body_of(macro)
    if macro_name in _CONDITION_FIRST and body is not None:
        condition = next(iter(Located(body.root, body).named_children()), None)
        return name in nonnull_when(condition, True)
    if "null" in macro_name.lower():
        return any(
            n.type == "identifier" and n.text == name
            for n in bodies.walk(macro)
            if n.fragment is not macro.fragment
        )
    return False


def _checked_by_earlier_argument(
    macro: Located, use: Located, name: str, bodies: RustBodies
) -> bool:
    """`check_not_null!(p, *p)`: `p` given whole before `use` to a macro named for null
    checks, which checks its arguments in order."""
    if "null" not in invocation_name(macro).lower():
        return False
    for node in bodies.walk(macro):
        if node.start >= use.start:
            break  # pre-order: the nodes after are later in the text
        parent = node.parent()
        if (
            node.fragment is not macro.fragment
            and node.type == "identifier"
            and node.text == name
            and (parent is None or parent.type != "unary_expression")
        ):
            return True
    return False


def _demands_some(expression: Located, name: str) -> bool:
    """`p.as_ref().ok_or(..)?`, `NonNull::new(p).expect(..)`, `check_handle(p)?`."""
    current = expression
    while current.type in ("try_expression", "call_expression", "unsafe_block"):
        if current.type == "try_expression":
            inner = current.named_children()[0] if current.node.named_child_count else None
            if inner is None:
                return False
            if option_of_pointer(inner) == name or _null_check_call(inner, name):
                return True
            current = strip(inner)
            continue
        if current.type == "unsafe_block":
            tail = unsafe_value(current)
            if tail is None:
                return False
            current = strip(tail)
            continue
        called = callee(current)
        if called is None or called.receiver is None:
            return False
        if called.name in _OPTION_DEMANDS and option_of_pointer(called.receiver) == name:
            return True
        current = strip(called.receiver)
    return False


# Words in the name of a function whose answer about a pointer says whether it may be used.
_VALIDATING_WORDS = ("null", "valid", "check", "pointer", "ptr")


def _validating_call(condition: Located | None, name: str) -> bool:
    """`liq_received_invalid_pointer(p)` or `!is_valid_handle(p.cast())` as the whole
    condition: a function of the crate asked about the pointer, whose name says it
    validates it (imagequant-sys). Which answer means null is not read: one branch
    leaves."""
    current = strip(condition) if condition is not None else None
    operator = current.node.child_by_field_name("operator") if current is not None else None
    if current is not None and current.type == "binary_expression" and operator is not None:
        # `if size == 0 || invalid_pointer(p) { return .. }`
        return operator.type == "||" and any(
            _validating_call(part, name) for part in current.named_children()
        )
    while current is not None and unary_operator(current) == "!":
        inner = unary_operand(current)
        current = strip(inner) if inner is not None else None
    if current is None or current.type != "call_expression":
        return False
    called = callee(current)
    if called is None or called.receiver is not None:
        return False
    lowered = called.name.lower()
    return any(word in lowered for word in _VALIDATING_WORDS) and any(
        pointer_of(a) == name for a in arguments(current)
    )


def _null_check_call(call: Located, name: str) -> bool:
    """`validate(p)?`: a fallible call given the pointer itself checks it (or fails)."""
    current = strip(call)
    if current.type != "call_expression":
        return False
    return callee(current) is not None and any(pointer_of(a) == name for a in arguments(current))


def _some_arm_diverges(match: Located, bodies: RustBodies) -> bool:
    block = match.field("body")
    for arm in block.named_children() if block is not None else ():
        pattern, value = arm.field("pattern"), arm.field("value")
        some = pattern is not None and "Some" in pattern.text
        if pattern is not None and value is not None and not some and _diverges(value, bodies):
            return True
    return False


def _only_nonnull_arms_continue(
    match: Located, scrutinee: Located | None, name: str, bodies: RustBodies
) -> bool:
    """`match p.is_null() { true => return .., false => {} }`: every arm that goes on
    matches only where the pointer is non-null, or is a catch-all after an arm that
    leaves for the null case (`true => return .., _ => {}`)."""
    block = match.field("body")
    arms = block.named_children() if block is not None else []
    null_case_left = False
    for arm in arms:
        pattern, value = arm.field("pattern"), arm.field("value")
        if pattern is None or value is None:
            return False
        if _diverges(value, bodies):
            null_case_left = null_case_left or name in nonnull_unless_matches(pattern, scrutinee)
            continue
        inner = pattern.named_children()  # none for `_`; `x` binds anything
        catch_all = not inner or (len(inner) == 1 and inner[0].type == "identifier")
        if not (name in nonnull_if_matches(pattern, scrutinee) or (catch_all and null_case_left)):
            return False
    return null_case_left


_LEAVING = frozenset({"return_expression", "break_expression", "continue_expression"})


def _diverges(branch: Located, bodies: RustBodies) -> bool:
    """Whether a branch leaves the enclosing code: `return`, `break`, `continue`, `?`,
    a panic, `process::exit`/`abort`, or an unknown macro at its end (`bail!`)."""
    for node in bodies.walk(branch, prune=("closure_expression", "function_item")):
        kind = node.type
        if kind in _LEAVING or kind == "try_expression":
            return True
        if kind == "macro_invocation" and invocation_name(node) in _DIVERGING_MACROS:
            return True
        if kind == "call_expression":
            called = callee(node)
            if called is not None and called.name in ("exit", "abort") and not called.receiver:
                return True
    last = block_tail(branch) if branch.type == "block" else branch
    if last is None and branch.type == "block" and branch.node.named_child_count:
        statement = branch.named_children()[-1]
        last = statement.named_children()[0] if statement.node.named_child_count else statement
    if last is not None and last.type == "macro_invocation":
        return invocation_name(last) not in _NON_DIVERGING_MACROS
    return False
