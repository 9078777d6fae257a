"""Pointers into memory that is freed before the pointer is used (RS106).

Two shapes:

- `.as_ptr()` / `.as_mut_ptr()` on a temporary that owns memory
  (`CString::new(s).unwrap().as_ptr()`, `format!(..).as_ptr()`,
  `s.to_string().as_ptr()`, a free function of the file declared `->
  CString`, or `-> Result<CString, E>` unwrapped, `.collect::<Vec<_>>()`), also
  through a borrowing view of it (`.as_bytes_with_nul().as_ptr()`): the temporary
  is dropped at the end of the statement, so a pointer kept in a `let`, an
  assignment, a tuple struct or returned (from the function or from a closure)
  dangles. Passed straight into a call it is still valid during the call.
- `.as_ptr()` on a local owner (`let s = CString::new(..)?;`) whose pointer is
  returned or stored through an out-parameter or in a static, while `s`
  itself is never moved or forgotten: it drops at the end of the function (or
  at an explicit `drop(s)`);
  or whose pointer leaves the inner block or closure that declares `s`; or a
  closure parameter that owns memory (rust.closure_owners) whose pointer the
  closure returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from msgspec import Struct

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.bindings import pattern_names
from interop_lint.analyzer.rust.body import Located, RustBodies, macro_name
from interop_lint.analyzer.rust.closure_owners import owned_parameter
from interop_lint.analyzer.rust.expressions import (
    Callee,
    block_tail,
    callee,
    invocation_name,
    raw_callee_in,
    strip,
    under_methods,
)
from interop_lint.analyzer.rust.flow import (
    Destination,
    destination,
    handed_to_caller,
    references_after,
)
from interop_lint.analyzer.rust.ownership import local_declaration
from interop_lint.analyzer.rust.pattern_owners import pattern_scope
from interop_lint.analyzer.rust.scan import MACRO
from interop_lint.analyzer.rust.syntax import impl_type_of, normalize_type

_POINTER_METHODS = frozenset({"as_ptr", "as_mut_ptr"})
_OWNING_CONSTRUCTORS = frozenset(
    {
        "CString::new",
        "CString::from",
        "CString::from_vec_unchecked",
        "String::from",
        "String::new",
        "String::with_capacity",
        "String::from_utf8",
        "Vec::new",
        "Vec::with_capacity",
        "Vec::from",
    }
)
_OWNING_METHODS = frozenset(
    {
        "to_string",
        "to_owned",
        "to_vec",
        "into_bytes",
        "into_bytes_with_nul",
        "into_boxed_slice",
        "concat",
        "join",
        "repeat",
        "to_uppercase",
        "to_lowercase",
    }
)
_OWNING_MACROS = frozenset({"format", "vec"})
# Borrowing views whose `.as_ptr()` points into the value viewed.
_VIEWS = frozenset(
    {
        "as_bytes",
        "as_bytes_with_nul",
        "to_bytes",
        "to_bytes_with_nul",
        "as_c_str",
        "as_str",
        "as_slice",
        "as_mut_slice",
        "as_mut_str",
    }
)
# `.collect::<Vec<u8>>()`: a collection made by the turbofish's owning type.
_OWNED_COLLECTION = re.compile(r"^(?:[\w:]*::)?(?:CString|String|Vec)\b")
_UNWRAPS = frozenset({"unwrap", "expect", "unwrap_or_default", "unwrap_or_else", "unwrap_or"})
_FORMATTING = frozenset(
    {"format", "print", "println", "eprint", "eprintln", "write", "writeln", "panic", "assert"}
)
_KEPT = frozenset({"let", "assign", "return", "write"})


class DanglingPointer(Struct, frozen=True):
    call: Located  # the `.as_ptr()` call
    method: Located  # its `as_ptr` name, where the report starts
    owner: str  # what owns the memory, as written
    local: bool  # a named local (else a temporary)
    kept: str  # how the pointer outlives it: "let", "assign", "return", "write" or a parameter
    macro: str | None = None  # the crate's macro (`str_conv!`) whose value the pointer is


def dangling_pointers(
    bodies: RustBodies, macros: Mapping[str, str] | None = None
) -> Iterator[DanglingPointer]:
    """The dangling pointers of the file; `macros`: the crate's macros whose value is a
    pointer into a temporary (RustIndex.dangling_macros), kept from an invocation."""
    if macros:
        yield from _macro_values(bodies, macros)
    owning: dict[str, bool] | None = None  # read from the file at its first `.as_ptr()`
    for node, fragment in bodies.scan.calls:
        found = raw_callee_in(node, fragment)
        if found is None or found[0] not in _POINTER_METHODS or found[2] is None:
            continue
        call = Located(node, fragment)
        called = callee(call)
        function = call.field("function")
        method = function.field("field") if function is not None else None
        if called is None or called.receiver is None or method is None:
            continue
        if called.name not in _POINTER_METHODS:
            continue
        if owning is None:
            owning = _owning_functions(bodies)
        receiver = _viewed(called.receiver)
        if _owns_memory(receiver, owning):
            reached = destination(call)
            kept = reached.kind if reached.kind in _KEPT else _out_of_closure(call, reached.at)
            if kept is not None:
                yield DanglingPointer(call, method, receiver.text, False, kept)
        elif receiver.type == "identifier":
            kept = _outlives_local(call, receiver, bodies, owning)
            if kept is None and _returned_by_owner(call, receiver, owning):
                kept = "closure"
            if kept is None and _leaves_pattern_scope(call, receiver, bodies, owning):
                kept = "arm"
            if kept is not None:
                yield DanglingPointer(call, method, receiver.text, True, kept)


def _returned_by_owner(call: Located, parameter: Located, owning: Mapping[str, bool]) -> bool:
    """`|s| s.as_ptr()` returned by a closure that owns `s` (rust.closure_owners)."""
    closure = owned_parameter(parameter, lambda value: _owns_memory(value, owning))
    return closure is not None and _out_of_closure(call, destination(call).at) is not None


def _leaves_pattern_scope(
    call: Located, owner: Located, bodies: RustBodies, owning: Mapping[str, bool]
) -> bool:
    """`Ok(s) => s.as_ptr()` given away by an arm of `match CString::new(..)`, or by the
    block of `if let Ok(s) = CString::new(..)` (rust.pattern_owners), `s` left there."""
    scope = pattern_scope(owner, lambda value: _owns_memory(value, owning))
    if scope is None:
        return False
    reached = destination(call)
    if reached.kind not in (*_KEPT, "argument"):
        return False
    if scope.contains(reached.at) and reached.kind != "return":
        return False  # `return s.as_ptr();` in the `if let` block leaves it all the same
    uses = [
        n
        for n in bodies.walk(scope, prune=("function_item",))
        if n.type == "identifier" and n.start >= call.end and n.text == owner.text
    ]
    return all(_borrows(use, bodies) for use in uses)


def _macro_values(bodies: RustBodies, macros: Mapping[str, str]) -> Iterator[DanglingPointer]:
    """`let name = str_conv!("abuffer");` of `macro_rules! str_conv { ($s:expr) =>
    { CString::new($s).unwrap().as_ptr() } }`: the value outlives the temporary."""
    for function in bodies.scan.of_function.values():
        for node, fragment, _ in function.sites.get(MACRO, ()):
            name = f"{macro_name(node)}!"
            temporary = macros.get(name)
            if temporary is None:
                continue
            invocation = Located(node, fragment)
            reached = destination(invocation)
            if reached.kind in _KEPT:
                path = node.child_by_field_name("macro")
                start = Located(path, fragment) if path is not None else invocation
                yield DanglingPointer(invocation, start, temporary, False, reached.kind, name)


def _out_of_closure(value: Located, reached: Located) -> str | None:
    """Returns "closure" when a value leaves the closure that makes it on its way to
    where it goes (`.map(|a| CString::new(a).unwrap().as_ptr())`): the closure's
    temporaries are freed when it returns."""
    for ancestor in value.ancestors():
        if ancestor.contains(reached):
            return None
        if ancestor.type == "closure_expression":
            return "closure"
    return None


def temporary_pointer(call: Located) -> Located | None:
    """The temporary that a `.as_ptr()` call points into (`CString::new(s).unwrap()`
    of `CString::new(s).unwrap().as_ptr()`); else None."""
    called = callee(call)
    if called is None or called.receiver is None or called.name not in _POINTER_METHODS:
        return None
    receiver = _viewed(called.receiver)
    return receiver if _owns_memory(receiver) else None


def _viewed(expression: Located) -> Located:
    """What a borrowing view looks into: `CString::new(s).unwrap()` of
    `CString::new(s).unwrap().as_bytes_with_nul()`; the view's pointer is the owner's."""
    return under_methods(expression, _VIEWS, stop_at_others=True) or strip(expression)


def _owns_memory(expression: Located, owning: Mapping[str, bool] | None = None) -> bool:
    """Whether an expression makes a new owned `CString`, `String` or `Vec`; `owning`:
    the file's functions that return one (`_owning_functions`)."""
    current = strip(expression)
    unwrapped = False
    while True:
        if current.type == "try_expression" and current.node.named_child_count:
            current, unwrapped = strip(current.named_children()[0]), True
            continue
        if current.type == "macro_invocation":
            return invocation_name(current) in _OWNING_MACROS
        if current.type != "call_expression":
            return False
        called = callee(current)
        if called is None:
            return False
        if called.receiver is None:
            qualified = called.qualified
            if qualified in _OWNING_CONSTRUCTORS:
                return True
            # `state_to_c_string(state).as_ptr()` (rust-systemd): the file's own function
            wrapped = owning.get(called.name) if owning and called.qualifier is None else None
            return wrapped is not None and (unwrapped or not wrapped)
        if called.name in _OWNING_METHODS or _collects_owned(called):
            return True
        if called.name not in _UNWRAPS:
            return False
        current, unwrapped = strip(called.receiver), True


def _collects_owned(called: Callee) -> bool:
    """`.collect::<Vec<u8>>()`, `.collect::<String>()`."""
    generic = called.function.parent()
    if called.name != "collect" or generic is None or generic.type != "generic_function":
        return False
    written = generic.field("type_arguments")
    return written is not None and bool(_OWNED_COLLECTION.match(written.text.strip("<> ")))


_OWNED_RETURN = re.compile(
    r"^(?:(?P<wrapper>Result|Option)<)?(?:[\w:]*::)?(?:CString|String|Vec<.*>)\b"
)


def _owning_functions(bodies: RustBodies) -> dict[str, bool]:
    """The file's free functions declared to return a new `CString`, `String` or `Vec`,
    by name: whether it comes wrapped in a `Result` or `Option` (so only an unwrap or
    `?` of the call is one)."""
    found: dict[str, bool] = {}
    for function in bodies.scan.functions:
        returned = function.child_by_field_name("return_type")
        name = function.child_by_field_name("name")
        if returned is None or name is None or impl_type_of(function) is not None:
            continue
        match = _OWNED_RETURN.match(normalize_type(returned))
        if match is not None:
            found.setdefault(text(name), match.group("wrapper") is not None)
    return found


def _outlives_local(
    call: Located, owner: Located, bodies: RustBodies, owning: Mapping[str, bool]
) -> str | None:
    """How a pointer into local `owner` leaves the function while `owner` stays behind."""
    declaration = local_declaration(owner.text, owner)
    value = declaration.field("value") if declaration is not None else None
    if declaration is None or value is None or not _bound_owner(declaration, value, owning):
        return None
    reached = destination(call)
    if reached.kind == "assign" and reached.target is None:
        left = reached.at.field("left")
        if left is not None and left.type == "identifier" and left.text.isupper():
            kept = "static"  # `LAST_ERROR = s.as_ptr()`
        else:
            kept = handed_to_caller(call, bodies, set())
    else:
        kept = handed_to_caller(call, bodies, _parameters(bodies, call))
    if kept is None and _leaves_inner_block(declaration, reached):
        kept = "block"
    if kept is None:
        return None
    uses = references_after(owner.text, declaration, bodies)
    return kept if all(_borrows(use, bodies) for use in uses) else None


def _bound_owner(declaration: Located, value: Located, owning: Mapping[str, bool]) -> bool:
    """Whether a `let` binds a new owner: its value makes one, or its written type is
    one (`let c: CString = ..`), or each way out of its `match`/`if` gives one or
    leaves (`let c = match CString::new(s) { Ok(c) => c, Err(_) => return null() };`)."""
    written = declaration.field("type")
    if written is not None:
        return bool(_OWNED_COLLECTION.match(written.text))
    return _owns_memory(value, owning) or _branches_own(value, owning)


def _branches_own(value: Located, owning: Mapping[str, bool]) -> bool:
    """`match CString::new(s) { Ok(c) => c, Err(_) => return .. }`, `if c { vec![..] }
    else { Vec::new() }`: an arm gives the owner its scrutinee makes, bound by its
    pattern, or a branch makes one. The arms and branches have one type, so every
    one that does not leave gives an owner then."""
    value = strip(value)
    if value.type == "match_expression":
        scrutinee, block = value.field("value"), value.field("body")
        if scrutinee is None or block is None or not _owns_memory(scrutinee, owning):
            return False
        arms = [a for a in block.named_children() if a.type == "match_arm"]
        return any(_arm_gives_owner(arm) for arm in arms)
    if value.type == "if_expression":
        alternative = value.field("alternative")
        if alternative is not None and alternative.type == "else_clause":
            alternative = next(iter(alternative.named_children()), None)
        branches = (value.field("consequence"), alternative)
        tails = (block_tail(b) if b is not None and b.type == "block" else b for b in branches)
        return any(t is not None and _owns_memory(t, owning) for t in tails)
    return False


def _arm_gives_owner(arm: Located) -> bool:
    """`Ok(c) => c`: the arm's value is a name its pattern binds."""
    given, pattern = arm.field("value"), arm.field("pattern")
    if given is not None and given.type == "block":
        given = block_tail(given)
    if given is None or pattern is None or given.type != "identifier":
        return False
    return given.text in pattern_names(pattern.node)


def _leaves_inner_block(declaration: Located, reached: Destination) -> bool:
    """Whether a value goes out of the inner block that declares a local (`let p = {
    let c = CString::new(s)?; c.as_ptr() };`, a closure's body) to be kept or passed
    on: the local is freed where the block ends, before the value is used."""
    scope = declaration.parent()
    holder = scope.parent() if scope is not None else None
    if scope is None or holder is None or scope.contains(reached.at):
        return False
    if holder.type == "closure_expression":
        return True  # returned by the closure, whatever its caller does with it
    return holder.type != "function_item" and reached.kind in (*_KEPT, "argument")


def _parameters(bodies: RustBodies, at: Located) -> set[str]:
    function = bodies.function_of(at)
    parameters = function.child_by_field_name("parameters") if function is not None else None
    return {
        (p.child_by_field_name("pattern").text or b"").decode()  # type: ignore[union-attr]
        for p in (parameters.named_children if parameters is not None else ())
        if p.type == "parameter" and p.child_by_field_name("pattern") is not None
    }


def _borrows(use: Located, bodies: RustBodies) -> bool:
    """Whether a use of a local leaves it where it is (no move, no `mem::forget`)."""
    parent = use.parent()
    if parent is None:
        return False
    if parent.type in ("reference_expression", "index_expression"):
        return True
    if parent.type == "field_expression":
        grand = parent.parent()
        called = callee(grand) if grand is not None and grand.type == "call_expression" else None
        if called is None:
            return True  # a field read
        return not (called.name.startswith("into_") or called.name in ("leak", "forget"))
    if parent.type == "arguments" and parent.fragment.is_macro_body:
        host = parent.parent()
        return host is not None and invocation_name(host) in _FORMATTING
    if parent.type == "arguments":  # `drop(owner)` frees it there and then
        host = parent.parent()
        called = callee(host) if host is not None and host.type == "call_expression" else None
        return called is not None and called.receiver is None and called.qualified in _DROPS
    return False


_DROPS = frozenset({"drop", "mem::drop", "std::mem::drop", "core::mem::drop"})
