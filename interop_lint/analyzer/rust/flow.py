"""Where a value goes after it is made: to the caller, into a local, into a call.

RS105 asks whether an allocation is handed to the caller (returned, or
written through an out-parameter); RS106 whether a pointer outlives the
statement that made it. Both follow a value up the syntax tree through the
expressions that pass it on unchanged (`as` casts, `Some(..)`, `.cast()`,
`.unwrap_or(..)`, block and branch values, struct literals, closures handed
to `catch_unwind`) to the first place that does something else with it.
"""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace
from tree_sitter import Node

from interop_lint.analyzer.parsing import walk
from interop_lint.analyzer.rust.bindings import local_name, pattern_names, pattern_source
from interop_lint.analyzer.rust.body import Located, RustBodies
from interop_lint.analyzer.rust.expressions import Callee, arguments, callee, is_value_of, strip
from interop_lint.analyzer.rust.pointer_copies import pointer_of

# Expressions that carry a value on: `&p` hands on a reference to it (opengl_graphics'
# `shader_source(1, &match CString::new(src) { Ok(x) => x.as_ptr(), .. })`).
_PASSING = frozenset(
    {
        "parenthesized_expression",
        "type_cast_expression",
        "tuple_expression",
        "array_expression",
        "reference_expression",
    }
)
_BRANCHES = frozenset({"unsafe_block", "if_expression", "else_clause", "match_block"})
_WRAPPERS = frozenset(
    {"Some", "Ok", "Err", "NonNull::new", "NonNull::new_unchecked", "Box::new", "Box::into_raw"}
    | {"Option::Some", "Result::Ok", "Result::Err"}
)
_PASSING_METHODS = frozenset(
    {
        "cast",
        "cast_mut",
        "cast_const",
        "unwrap",
        "expect",
        "unwrap_or",
        "unwrap_or_else",
        "unwrap_or_default",
        "map_err",
        "ok",
        "into",
        "as_ptr",
        "as_mut_ptr",
    }
)
# Methods that keep what their closure makes in a cell and give out a reference to it.
_CELL_INITIALIZERS = frozenset(
    {"get_or_init", "get_or_try_init", "get_or_insert_with", "or_insert_with", "call_once"}
)
_RETURN_TARGETS = frozenset({"closure_expression", "function_item"})
# Methods whose argument (or what the closure given returns) is the error that `?` on
# their result returns.
_ERROR_MAKERS = frozenset({"map_err", "ok_or", "ok_or_else"})
# `out.replace(v)` too: on an out-parameter, `ptr::replace` writes `v` there.
POINTER_WRITES = frozenset({"write", "write_unaligned", "write_volatile", "replace"})
_MAX_STEPS = 64


class Destination(Struct, frozen=True):
    """The first place a value reaches that does not just pass it on."""

    kind: str  # "return", "let", "assign", "write", "argument", "other"
    at: Located  # the return, let, assignment or call
    # The pointer written through (`out` of `*out = v`), or the name a tuple `let`
    # binds the value to (`p` of `let (p, n) = (v, 0)`).
    target: str | None = None
    held_by: str | None = None  # the struct whose literal it went into on the way
    # The field of the outermost literal it went into (`value` of `CResult { value: v }`).
    field: str | None = None


def destination(value: Located) -> Destination:
    held: list[tuple[str, str | None]] = []
    found = _destination(value, held)
    return replace(found, held_by=held[0][0], field=held[-1][1]) if held else found


def _destination(value: Located, held: list[tuple[str, str | None]]) -> Destination:
    current = value
    while True:
        parent = current.parent()
        if parent is None:
            return Destination("other", current)
        kind = parent.type
        if kind == "tuple_expression" and (bound := _bound_in_tuple(current, parent)):
            return bound
        if kind in _PASSING or kind == "try_expression" or kind in _BRANCHES:
            current = parent
        elif kind in ("field_initializer", "shorthand_field_initializer"):
            literal = parent.parent()
            literal = literal.parent() if literal is not None else None
            if literal is None or literal.type != "struct_expression":
                return Destination("other", parent)
            held.append((_struct_name(literal), _field_name(parent)))
            current = literal
        elif kind == "match_arm":
            if current != parent.field("value"):
                return Destination("other", parent)
            current = parent
        elif kind == "match_expression":
            current = parent  # the scrutinee's value is what the arms bind
        elif kind == "block":
            if not is_value_of(parent, current):  # `is_tail`, the block known
                return Destination("other", parent)
            current = parent
        elif kind == "expression_statement":
            block = parent.parent()
            if block is None or block.type != "block" or not is_value_of(block, current):
                return Destination("other", parent)
            current = block
        elif kind == "function_item":
            return Destination("return", current)
        elif kind == "return_expression":
            found = _returned(parent)
            if isinstance(found, Destination):
                return found
            current = found
        elif kind == "closure_expression":
            current = parent  # what a closure returns is what the call running it returns
        elif kind == "macro_invocation":
            if current.type != "block":
                return Destination("argument", parent)
            current = parent  # `ffi_try!{ ..; value }`
        elif kind == "field_expression":
            call = parent.parent()
            if call is not None and call.type == "generic_function":  # `.cast::<T>()`
                call = call.parent()
            called = callee(call) if call is not None and call.type == "call_expression" else None
            if called is None or called.name not in _PASSING_METHODS:
                return Destination("other", parent)
            current = call  # type: ignore[assignment]
        elif kind == "arguments":
            found = _into_call(current, parent, held)
            if isinstance(found, Destination):
                return found
            current = found
        elif kind == "let_declaration":
            return Destination("let" if current == parent.field("value") else "other", parent)
        elif kind in ("assignment_expression", "compound_assignment_expr"):
            if current != parent.field("right"):
                return Destination("other", parent)
            return Destination("assign", parent, _written_through(parent.field("left")))
        else:
            return Destination("other", parent)


def _bound_in_tuple(element: Located, tuple_value: Located) -> Destination | None:
    """`let` binding one element of a tuple to the name at its place in the pattern
    (`p` of `let (p, n) = (v.as_mut_ptr(), v.len())`), the name as its target."""
    declaration = tuple_value.parent()
    if declaration is None or declaration.type != "let_declaration":
        return None
    pattern = declaration.field("pattern")
    if (
        pattern is None
        or pattern.type != "tuple_pattern"
        or tuple_value != declaration.field("value")
    ):
        return None
    names, elements = pattern.named_children(), tuple_value.named_children()
    if len(names) != len(elements):
        return None
    name = names[elements.index(element)]
    return Destination("let", declaration, name.text) if name.type == "identifier" else None


def _into_call(
    argument: Located, holder: Located, held: list[tuple[str, str | None]]
) -> Located | Destination:
    call = holder.parent()
    if call is None or call.type != "call_expression":
        return Destination("argument", call or holder)
    called = callee(call)
    if called is None:
        return Destination("argument", call)
    if called.is_method and called.name in _ERROR_MAKERS:
        tried = _outer(call)
        if tried is not None and tried.type == "try_expression":
            return _returned(tried)  # `.map_err(|e| CResult::with_error(e))?` returns it
    if argument.type == "closure_expression":
        if called.name in _CELL_INITIALIZERS:
            return Destination("other", call)  # kept in the cell: `VERSION.get_or_init(|| ..)`
        return call  # `catch_unwind(|| value)`, `guard(|| value)`
    qualified = called.qualified
    if not called.is_method and qualified in _WRAPPERS:
        return call
    constructed = _constructed_type(called)
    if constructed is not None:  # `Name(p)`, `Handle::Owned(p)`: kept in the value made
        held.append((constructed, None))
        return call
    if called.name in POINTER_WRITES:
        target = called.receiver if called.is_method else next(iter(arguments(call)), None)
        if target is not None and target != argument:
            return Destination("write", call, pointer_of(target))
    return Destination("argument", call)


def _constructed_type(called: Callee) -> str | None:
    """`Name` of a tuple-struct constructor `Name(..)` and `Handle` of an enum variant
    `Handle::Owned(..)`: types and variants are CamelCase, functions snake_case."""
    if called.is_method or called.qualified in _WRAPPERS or not _camel(called.name):
        return None  # not the crate's own `CResult::Err(p)` (x53-2)
    if called.qualifier is None:
        return called.name
    return called.qualifier if _camel(called.qualifier) else None


def _camel(name: str) -> bool:
    return name[:1].isupper() and not name.isupper()


def _returned(at: Located) -> Located | Destination:
    """Where a value that `return` or `?` gives back goes: to the caller, or out of the
    closure that encloses it (to follow on from there)."""
    owner = next((a for a in at.ancestors() if a.type in _RETURN_TARGETS), None)
    if owner is None or owner.type == "function_item":
        return Destination("return", at)
    return owner


def _outer(node: Located) -> Located | None:
    parent = node.parent()
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent()
    return parent


def _written_through(left: Located | None) -> str | None:
    """`out` of `*out = v`, `(*out).ptr = v`, `out.ptr = v`; None for a plain local."""
    current = strip(left) if left is not None else None
    through = False
    while current is not None:
        if current.type not in ("unary_expression", "field_expression", "index_expression"):
            break
        through = True
        inner = next(iter(current.named_children()), None)
        current = strip(inner) if inner is not None else None
    if current is None or current.type != "identifier":
        return None
    return current.text if through else None


def assigned_name(assignment: Located) -> str | None:
    left = assignment.field("left")
    return left.text if left is not None and left.type == "identifier" else None


def references_after(name: str, after: Located, bodies: RustBodies) -> list[Located]:
    """Uses of a local `name` after `after`, in the block that holds `after`."""
    block = next((a for a in after.ancestors() if a.type == "block"), None)
    if block is None:
        return []
    return [
        node
        for node in bodies.walk(block, prune=("function_item",))
        if node.type == "identifier"
        and node.start >= after.end
        and node.text == name
        and not _is_binding(node)
    ]


def _is_binding(identifier: Located) -> bool:
    parent = identifier.parent()
    return parent is not None and parent.type in ("let_declaration", "closure_parameters")


def _struct_name(literal: Located) -> str:
    """`Error` of `Error { .. }`, `errors::Error { .. }`, `Error::<T> { .. }`."""
    name = literal.field("name")
    written = name.text if name is not None else ""
    return written.split("<", 1)[0].rstrip(":").rsplit("::", 1)[-1]


def _field_name(initializer: Located) -> str | None:
    """`value` of `value: v` and of the shorthand `value`."""
    if initializer.type == "shorthand_field_initializer":
        return initializer.node.named_children[0].text.decode()
    name = initializer.field("field")
    return name.text if name is not None else None


def handed_to_caller(value: Located, bodies: RustBodies, parameters: set[str]) -> str | None:
    """How `value` reaches the caller: "return", or the out-parameter it is written to."""
    return handed_to_caller_in(value, bodies, parameters)[0]


def handed_to_caller_in(
    value: Located, bodies: RustBodies, parameters: set[str]
) -> tuple[str | None, str | None, str | None]:
    """`handed_to_caller`, the struct it is kept in on the way (`Error` of
    `Box::into_raw(Box::new(Error { message: v }))`), if any, and the field of the
    last struct literal it goes into (`value` of a returned `CResult { value: v }`)."""
    held_by: str | None = None
    field: str | None = None
    pending = [value]
    seen: set[tuple[int, int]] = set()
    steps = 0
    while pending and steps < _MAX_STEPS:
        steps += 1
        current = pending.pop()
        if (current.start, current.end) in seen:
            continue
        seen.add((current.start, current.end))
        reached = destination(current)
        held_by = held_by or reached.held_by
        field = reached.field or field
        if reached.kind == "return":
            return "return", held_by, field
        if reached.kind in ("write", "assign") and reached.target is not None:
            origin = _parameter_behind(reached.target, reached.at, parameters)
            if origin is not None:
                return origin, held_by, field
            pending += references_after(reached.target, reached.at, bodies)
        elif reached.kind == "let":
            name = reached.target or local_name(reached.at)
            if name is not None:
                pending += references_after(name, reached.at, bodies)
        elif reached.kind == "assign":
            name = assigned_name(reached.at)
            if name is not None:
                pending += references_after(name, reached.at, bodies)
    return None, None, None


def _parameter_behind(name: str, at: Located, parameters: set[str]) -> str | None:
    """The parameter a written-through pointer is: itself, or what a local reborrows
    (`let out = unsafe { &mut *out_param };`, `if let Some(o) = out_param.as_mut()`)."""
    if name in parameters:
        return name
    child = at
    for ancestor in at.ancestors():
        same_fragment = ancestor.fragment is child.fragment
        source = pattern_source(ancestor.node, child.node, name) if same_fragment else None
        child = ancestor
        if source is not None:
            return _parameter_in(source, parameters)
        if ancestor.type != "block":
            continue
        for statement in ancestor.node.named_children:
            if statement.start_byte >= at.node.start_byte and ancestor.fragment is at.fragment:
                break
            if statement.type != "let_declaration":
                continue
            if name not in pattern_names(statement.child_by_field_name("pattern")):
                continue
            value = statement.child_by_field_name("value")
            found = _parameter_in(value, parameters) if value is not None else None
            if found is not None:
                return found
    return None


def _parameter_in(value: Node, parameters: set[str]) -> str | None:
    """The first parameter an expression mentions."""
    for node in walk(value):
        if node.type == "identifier" and node.text.decode() in parameters:
            return node.text.decode()
    return None
