"""Where a name is bound in a function body, and whether a binding hides another.

A parameter `p` stops being the parameter where `let p = ..`, `Some(p)` in
an `if let` or a match arm, a closure parameter or a `for` pattern binds `p`
again. Scopes are read from the syntax: a `let` binds for the rest of its
block, a pattern for its branch or arm.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator

from tree_sitter import Node

from interop_lint.analyzer.parsing import text, walk
from interop_lint.analyzer.rust.body import Located

_CONDITION_HOLDERS = frozenset({"if_expression", "while_expression"})
_TYPED_PATTERNS = frozenset({"tuple_struct_pattern", "struct_pattern"})


def pattern_names(pattern: Node | None) -> Iterator[str]:
    """The names a pattern binds: `p` of `Some(p)`, `a`, `b` of `(a, mut b)`."""
    if pattern is None:
        return
    for node in walk(pattern, prune=("scoped_identifier",)):
        if node.type != "identifier":
            continue
        parent = node.parent
        is_pattern_type = parent is not None and parent.type in _TYPED_PATTERNS
        if is_pattern_type and parent.child_by_field_name("type") == node:  # type: ignore[union-attr]
            continue  # `Some` of `Some(p)`
        yield text(node)


def local_name(declaration: Located) -> str | None:
    """The one name a `let` binds (`let p = ..`, `let mut v: Vec<u8> = ..`)."""
    pattern = declaration.field("pattern")
    if pattern is None or pattern.type != "identifier":
        return None
    return pattern.text


def _condition_binding(condition: Node | None, name: str) -> Node | None:
    """The `let` condition of an `if`/`while` condition that binds `name`, if one."""
    if condition is None:
        return None
    for node in walk(condition, prune=("block", "closure_expression")):
        if node.type == "let_condition" and name in pattern_names(
            node.child_by_field_name("pattern")
        ):
            return node
    return None


def lets_of(block: Located) -> dict[str, list[Node]]:
    """The `let` statements of a block by the names they bind, in order (computed once)."""

    def collect() -> dict[str, list[Node]]:
        lets: dict[str, list[Node]] = {}
        for statement in block.node.named_children:
            if statement.type == "let_declaration":
                for name in set(pattern_names(statement.child_by_field_name("pattern"))):
                    lets.setdefault(name, []).append(statement)
        return lets

    return block.fragment.remember(("lets", block.node.id), collect)


def binds_before(block: Located, child: Located, name: str) -> Located | None:
    """The last `let` of `name` in `block` before its statement `child`, if one."""
    found = None
    for statement in lets_of(block).get(name, ()):
        if statement.start_byte >= child.node.start_byte:
            break
        found = statement
    return block.at(found)


def binding_let(name: Located) -> Located | None:
    """The `let` statement that binds the identifier `name` where it is used; None when
    a closure's parameters, an `if let` or a match arm binds it nearer, or nothing
    of the function does."""
    child = name
    for ancestor in name.ancestors():
        if ancestor.type == "function_item":
            return None
        same_fragment = child.fragment is ancestor.fragment
        if ancestor.type == "block" and same_fragment:
            found = binds_before(ancestor, child, name.text)
            if found is not None:
                return found
        if same_fragment and _binds_around(ancestor.node, child.node, name.text):
            return None
        child = ancestor
    return None


def let_value(name: Located) -> Located | None:
    """The value of the `let` that binds the identifier `name` where it is used
    (`from_raw_parts(p, n)` for `s` of `let s = from_raw_parts(p, n); .. s ..`)."""
    child = name
    for ancestor in name.ancestors():
        if ancestor.type in ("function_item", "closure_expression"):
            return None
        if ancestor.type == "block" and child.fragment is ancestor.fragment:
            found = binds_before(ancestor, child, name.text)
            if found is not None:
                return found.field("value")
        child = ancestor
    return None


def is_shadowed(
    name: str,
    use: Located,
    same_value: Callable[[Located], bool] | None = None,
    bound: Container[str] | None = None,
) -> bool:
    """Whether `name` at `use` refers to a binding inside the function, not a parameter.

    A `let` whose value passes `same_value` (`let p = p.cast::<T>();` for a
    pointer) binds the same thing again and does not hide it. `bound` may
    name every name a pattern of the function binds (scan.FunctionScan):
    a name outside it is never hidden.
    """
    if bound is not None and name not in bound:
        return False
    child = use
    for ancestor in use.ancestors():
        kind = ancestor.type
        if kind == "function_item":
            return False
        node = ancestor.node
        same_fragment = child.fragment is ancestor.fragment
        found = binds_before(ancestor, child, name) if kind == "block" and same_fragment else None
        if found is not None:
            value = found.field("value")
            if same_value is None or value is None or not same_value(value):
                return True
        if same_fragment and _binds_around(node, child.node, name):
            return True
        child = ancestor
    return False


def _binds_around(node: Node, child: Node, name: str) -> bool:
    return _binder_around(node, child, name) is not None


def _binder_around(node: Node, child: Node, name: str) -> Node | None:
    """The pattern-holding node of `node` (a match arm, `let` condition, closure or
    `for`) that binds `name` for its part `child`, if one."""
    kind = node.type
    if kind == "match_arm" and child == node.child_by_field_name("value"):
        return node if name in pattern_names(node.child_by_field_name("pattern")) else None
    if kind in _CONDITION_HOLDERS and child != node.child_by_field_name("condition"):
        if child.type == "else_clause":
            return None
        return _condition_binding(node.child_by_field_name("condition"), name)
    if kind == "let_chain":
        return next(
            (
                c
                for c in node.named_children
                if c.type == "let_condition"
                and c.end_byte <= child.start_byte
                and name in pattern_names(c.child_by_field_name("pattern"))
            ),
            None,
        )
    if kind == "closure_expression" and child == node.child_by_field_name("body"):
        return node if name in pattern_names(node.child_by_field_name("parameters")) else None
    if kind == "for_expression" and child == node.child_by_field_name("body"):
        return node if name in pattern_names(node.child_by_field_name("pattern")) else None
    return None


def pattern_source(node: Node, child: Node, name: str) -> Node | None:
    """What a pattern around `child` that binds `name` takes apart: `out.as_mut()` of
    `if let Some(o) = out.as_mut() { .. }` and of `match out.as_mut() { Some(o) => .. }`.
    None when no such pattern binds it there (a closure's or a `for`'s takes apart
    values the code does not show)."""
    binder = _binder_around(node, child, name)
    if binder is None or binder.type not in ("let_condition", "match_arm"):
        return None
    if binder.type == "let_condition":
        value = binder.child_by_field_name("value")
    else:
        block = binder.parent
        match = block.parent if block is not None else None
        value = match.child_by_field_name("value") if match is not None else None
    return _part_binding(binder.child_by_field_name("pattern"), value, name)


# Methods that hand the value inside an `Option` or `Result` to their last argument, a
# closure: `s` of `r.map(|s| ..)` is what `r` holds.
_CONTENT_METHODS = frozenset(
    {"map", "and_then", "map_or", "map_or_else", "is_some_and", "is_ok_and", "inspect", "filter"}
)


def unwrapped_from(name: Located) -> Located | None:
    """The `Option` or `Result` whose value the identifier `name` is, where a pattern
    takes it out whole: `r` of `if let Ok(s) = r`, `match r { Some(s) => .. }` and
    `r.map(|s| ..)`. None when a `let` binds the name nearer, or another pattern
    (`Err(s)`, `(a, s)`) does."""
    child = name
    for ancestor in name.ancestors():
        kind = ancestor.type
        if kind == "function_item":
            return None
        if child.fragment is ancestor.fragment:
            if kind == "block" and binds_before(ancestor, child, name.text) is not None:
                return None
            binder = _binder_around(ancestor.node, child.node, name.text)
            if binder is not None:
                return ancestor.at(_unwrapped_value(binder, name.text))
        child = ancestor
    return None


def _unwrapped_value(binder: Node, name: str) -> Node | None:
    if binder.type == "closure_expression":
        listed = binder.child_by_field_name("parameters")
        if listed is None or [text(p) for p in listed.named_children] != [name]:
            return None
        given = binder.parent
        if given is None or given.type != "arguments" or given.named_children[-1] != binder:
            return None
        method = given.parent.child_by_field_name("function") if given.parent else None
        if method is None or method.type != "field_expression":
            return None
        field = method.child_by_field_name("field")
        if field is None or text(field) not in _CONTENT_METHODS:
            return None
        return method.child_by_field_name("value")
    pattern = binder.child_by_field_name("pattern")
    if pattern is not None and pattern.type == "match_pattern":  # `Ok(s) if ..`: the guard aside
        pattern = pattern.named_children[0] if pattern.named_children else None
    if pattern is None or pattern.type != "tuple_struct_pattern":
        return None
    wrapper = pattern.child_by_field_name("type")
    held = [c for c in pattern.named_children if c != wrapper]
    if wrapper is None or text(wrapper) not in ("Ok", "Some") or [text(c) for c in held] != [name]:
        return None
    if binder.type == "let_condition":
        return binder.child_by_field_name("value")
    match = binder.parent.parent if binder.parent is not None else None
    return match.child_by_field_name("value") if match is not None else None


def _part_binding(pattern: Node | None, value: Node | None, name: str) -> Node | None:
    """The part of `value` that the part of `pattern` binding `name` takes apart:
    `pk.as_mut()` for `ref_pk` of `(Some(ref_me), Some(ref_pk)) = (me.as_ref(),
    pk.as_mut())`."""
    while (
        pattern is not None
        and value is not None
        and pattern.type == "tuple_pattern"
        and value.type == "tuple_expression"
        and len(pattern.named_children) == len(value.named_children)
    ):
        pairs = zip(pattern.named_children, value.named_children, strict=True)
        pattern, value = next(((p, v) for p, v in pairs if name in pattern_names(p)), (None, None))
    return value


_BINDERS = {
    "let_declaration": "pattern",
    "let_condition": "pattern",
    "for_expression": "pattern",
    "match_arm": "pattern",
    "closure_expression": "parameters",
}


def only_decreased(name: str, block: Located, declaration: Located) -> bool:
    """Whether the local `name` bound by `declaration` is, in the rest of `block`, never
    bound again, borrowed mutably or assigned but by `name -= ..`."""
    for node in walk(block.node, prune=("function_item",)):
        kind = node.type
        if kind in _BINDERS and node != declaration.node:
            if name in pattern_names(node.child_by_field_name(_BINDERS[kind])):
                return False
        elif kind in ("assignment_expression", "compound_assignment_expr", "reference_expression"):
            target = node.child_by_field_name("left") or node.child_by_field_name("value")
            if target is None or target.type != "identifier" or text(target) != name:
                continue
            operator = node.child_by_field_name("operator")
            if kind == "reference_expression":
                if any(child.type == "mutable_specifier" for child in node.children):
                    return False
            elif operator is None or operator.type != "-=":
                return False
    return True


def module_constant(use: Located, name: str) -> Node | None:
    """The `static` or `const` item named `name` of a module enclosing `use` (from
    inside a macro's arguments too: `debug_assert_eq!(GLOBAL_EXNDATA[0], 0)`)."""
    wanted = name.encode()
    for scope in use.ancestors():
        if scope.type not in ("source_file", "declaration_list"):
            continue
        for item in scope.node.named_children:
            if item.type in ("static_item", "const_item"):
                named = item.child_by_field_name("name")
                if named is not None and named.text == wanted:
                    return item
    return None


def matched_value(binding: Located) -> tuple[Located, str] | None:
    """What the match arm or `if let` whose pattern binds the identifier `binding` takes
    apart, and the variant or struct named there: (`&*value`, `PlainValue`) for `s` of
    `match &*value { ConfigValue::PlainValue(s) => .. }`. None when no such pattern
    binds it (a `let` or a parameter does)."""
    name, child = binding.text, binding
    for ancestor in binding.ancestors():
        if ancestor.type in ("function_item", "closure_expression"):
            return None
        same_fragment = ancestor.fragment is child.fragment
        shadowed = ancestor.type == "block" and _let_before(ancestor.node, child.node, name)
        if same_fragment and shadowed:
            return None  # `let s = ..;` nearer than the pattern
        source = pattern_source(ancestor.node, child.node, name)
        if same_fragment and source is not None:
            return ancestor.at(source), _typed_pattern_name(ancestor, name)  # type: ignore[return-value]
        child = ancestor
    return None


def _let_before(block: Node, child: Node, name: str) -> bool:
    return any(
        statement.type == "let_declaration"
        and statement.end_byte <= child.start_byte
        and name in pattern_names(statement.child_by_field_name("pattern"))
        for statement in block.named_children
    )


def _typed_pattern_name(binder: Located, name: str) -> str:
    """`PlainValue` of the `ConfigValue::PlainValue(s)` around `s`; "0" when untyped."""
    for node in walk(binder.node, prune=("block", "closure_expression")):
        if node.type in _TYPED_PATTERNS and name in pattern_names(node):
            written = node.child_by_field_name("type")
            if written is not None:
                return text(written).rsplit("::", 1)[-1]
    return "0"
