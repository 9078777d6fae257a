"""Small questions about Rust expressions that every body-reading helper asks.

All of them take and return `Located` nodes (body.py), so they work the same
inside macro bodies.
"""

from __future__ import annotations

from typing import NamedTuple

from tree_sitter import Node

from interop_lint.analyzer.rust.body import Fragment, Located, macro_name

COMMENTS = frozenset({"line_comment", "block_comment"})  # named nodes that are not code
_TRANSPARENT = frozenset({"parenthesized_expression", "type_cast_expression"})


class Callee(NamedTuple):
    """What a call expression calls."""

    name: str  # the last segment: `catch_unwind`, `unwrap`
    qualifier: str | None  # the segment before the name: `CString` of `CString::new`
    receiver: Located | None  # `x` of `x.unwrap()`; None for path calls
    function: Located  # the callee expression

    @property
    def is_method(self) -> bool:
        return self.receiver is not None

    @property
    def qualified(self) -> str:
        """`Box::from_raw` for `std::boxed::Box::from_raw(..)` and `Box::<T>::from_raw(..)`."""
        return f"{self.qualifier}::{self.name}" if self.qualifier else self.name

    @property
    def path(self) -> str:
        """As written, generics left out: `std::panic::catch_unwind`; the name for methods."""
        if self.receiver is not None or self.function.type != "scoped_identifier":
            return self.name
        segments = []
        current: Located | None = self.function
        while current is not None and current.type == "scoped_identifier":
            segments.append(_segment(current.node))
            current = current.field("path")
        if current is not None:
            segments.append(_segment(current.node))
        return "::".join(reversed(segments))


def _segment(node: Node) -> str:
    """The last segment of a path node, without generic arguments; the type of a
    qualified path (`Tag` of `<Tag as Decode>`)."""
    if node.type == "bracketed_type" and node.named_child_count == 1:
        inner = node.named_children[0]
        if inner.type == "qualified_type":
            node = inner.child_by_field_name("type") or node
    if node.type == "generic_type":
        node = node.child_by_field_name("type") or node
    if node.type in ("scoped_identifier", "scoped_type_identifier"):
        node = node.child_by_field_name("name") or node
    return (node.text or b"").decode("utf-8", errors="replace")


def _name(node: Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", errors="replace")


RawCallee = tuple[str, "str | None", "Node | None", Node]  # as Callee, with bare nodes


def raw_callee(call: Node) -> RawCallee | None:
    """`callee` of a bare call node: (name, qualifier, receiver, function)."""
    function = call.child_by_field_name("function")
    if function is None:
        return None
    kind = function.type
    if kind == "generic_function":
        function = function.child_by_field_name("function")
        if function is None:
            return None
        kind = function.type
    if kind == "field_expression":
        name = _name(function.child_by_field_name("field"))
        return name, None, function.child_by_field_name("value"), function
    if kind == "identifier":
        return _name(function), None, None, function
    if kind == "scoped_identifier":
        name = _name(function.child_by_field_name("name"))
        path = function.child_by_field_name("path")
        return name, _segment(path) if path is not None else None, None, function
    return None


_UNKNOWN = object()


def raw_callee_in(call: Node, fragment: Fragment) -> RawCallee | None:
    """`raw_callee` of a call of `fragment`, worked out once (the fragment keeps it)."""
    known = fragment.callees
    found = known.get(call.id, _UNKNOWN)
    if found is _UNKNOWN:
        found = known[call.id] = raw_callee(call)
    return found  # type: ignore[return-value]


def callee(call: Located) -> Callee | None:
    """The callee of a `call_expression` (None for `(f)(x)`, closures called in place...)."""
    raw = raw_callee_in(call.node, call.fragment)
    if raw is None:
        return None
    name, qualifier, receiver, function = raw
    fragment = call.fragment
    located = None if receiver is None else Located(receiver, fragment)
    return Callee(name, qualifier, located, Located(function, fragment))


def arguments(call: Located) -> list[Located]:
    """The arguments of a call by position (comments among them left out:
    `.unwrap(/* forward panic */)` has none)."""
    found = call.field("arguments")
    return [a for a in found.named_children() if a.type not in COMMENTS] if found else []


def call_given(argument: Located) -> tuple[Located, Callee] | None:
    """The call an expression is an argument of, and what it calls (`(0..n).map(..)`
    and `map` for the closure of `(0..n).map(|i| ..)`)."""
    holder = argument.parent()
    call = holder.parent() if holder is not None and holder.type == "arguments" else None
    called = callee(call) if call is not None and call.type == "call_expression" else None
    return None if called is None else (call, called)  # type: ignore[return-value]


def invocation_name(macro: Located) -> str:
    return macro_name(macro.node)


def strip(expression: Located) -> Located:
    """`(p as *mut T)` -> `p`: the expression under parentheses and casts."""
    current = expression
    while current.type in _TRANSPARENT:
        inner = current.field("value") or next(iter(current.named_children()), None)
        if inner is None:
            break
        current = inner
    return current


def under_methods(
    expression: Located, methods: frozenset[str], *, stop_at_others: bool = False
) -> Located | None:
    """The receiver under a chain of calls of `methods`: `p` of `p.cast::<T>().add(1)`,
    the expression itself when it is no call; None when another call is in the chain
    (with `stop_at_others`, that other call: `f(x)` of `f(x).as_bytes()`)."""
    current = strip(expression)
    while current.type == "call_expression":
        called = callee(current)
        if called is None or called.receiver is None or called.name not in methods:
            return current if stop_at_others else None
        current = strip(called.receiver)
    return current


def unsafe_value(expression: Located) -> Located | None:
    """`e` of `unsafe { e }` (None when the block has no value); any other expression itself."""
    if expression.type != "unsafe_block":
        return expression
    block = expression.named_children()[0] if expression.node.named_child_count else None
    return block_tail(block) if block is not None else None


def binary_operator(expression: Located) -> str:
    """`&&`, `==`, `+`, ... of a binary expression ("" otherwise)."""
    operator = expression.node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def unary_operator(expression: Located) -> str:
    """`*`, `!` or `-` of a unary expression ("" otherwise)."""
    if expression.type != "unary_expression" or expression.node.child_count == 0:
        return ""
    return expression.node.children[0].type


def unary_operand(expression: Located) -> Located | None:
    children = expression.named_children()
    return children[0] if children else None


_STATEMENTS = frozenset(
    {
        "let_declaration",
        "empty_statement",
        "use_declaration",
        "macro_definition",
        "attribute_item",
        "inner_attribute_item",
    }
)


def block_tail(block: Located) -> Located | None:
    """The value of a block: its last expression when no `;` follows it (found once
    per block: every value in a function's tail asks)."""
    found = block.fragment.remember(("tail", block.node.id), lambda: _tail(block.node))
    return None if found is None else block.at(found)


def _tail(block: Node) -> Node | None:
    last = None
    for child in reversed(block.children):  # `children` is kept by the node: cheaper
        if child.is_named and child.type not in COMMENTS:
            last = child
            break
    if last is None:
        return None
    if last.type == "expression_statement":
        if last.children and last.children[-1].type == ";":
            return None
        return last.named_children[0] if last.named_child_count else None
    if last.type in _STATEMENTS or last.type.endswith("_item"):
        return None
    return last


def is_tail(expression: Located) -> bool:
    """Whether an expression is the value of the block it stands in."""
    parent = expression.node.parent
    if parent is not None and parent.type == "expression_statement":
        parent = parent.parent
    if parent is None or parent.type != "block":
        return False
    return is_value_of(expression.at(parent), expression)  # type: ignore[arg-type]


def is_value_of(block: Located, expression: Located) -> bool:
    """Whether an expression is the value of `block` (`is_tail` with its block known)."""
    tail = block_tail(block)
    return tail is not None and tail.node == expression.node


def wrapped_pointer(value: Located) -> Located | None:
    """`p` of `Wrapper(p)`, a one-field tuple struct made to carry a pointer where a raw
    pointer may not go (`catch_unwind` wants `UnwindSafe`, a thread wants `Send`):
    rust-brotli's `let wpp = UnsafeUnwindBox(p); .. (*wpp.0).f`."""
    if value.type != "call_expression":
        return None
    function = value.field("function")
    passed = arguments(value)
    if function is None or function.type != "identifier" or len(passed) != 1:
        return None
    named = function.text
    return passed[0] if named[:1].isupper() and named not in ("Some", "Ok", "Err") else None


_LEAVING = frozenset({"return_expression", "break_expression", "continue_expression"})
_PANICKING = frozenset({"panic", "unreachable", "todo", "unimplemented"})


def leaves(branch: Node | None) -> bool:
    """Whether a branch returns, breaks, continues or panics (closures aside)."""
    pending = [branch] if branch is not None else []
    while pending:
        node = pending.pop()
        if node.type in _LEAVING:
            return True
        if node.type == "macro_invocation":
            name = node.child_by_field_name("macro")
            if name is not None and (name.text or b"").decode().rsplit("::")[-1] in _PANICKING:
                return True
        if node.type not in ("closure_expression", "function_item"):
            pending.extend(node.named_children)
    return False
