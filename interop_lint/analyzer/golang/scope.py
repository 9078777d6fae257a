"""Local names of one Go function: declarations, their scopes, reads and writes.

A `FunctionScope` covers one top-level function (a function, a method, or a
package-level function literal) together with every closure nested in it,
because a value allocated in a function is often freed in a deferred
closure. Go's block scoping is followed: a name is visible from the end of
its declaring statement to the end of the innermost block (or the `if`,
`for`, `switch` or case clause that declares it); parameters in the whole
function. The walk is iterative; nothing here recurses on the tree.

Declarations are found from their tokens (`func`, `:=`, `var`); the reads
and writes of a name are resolved the first time a binding of that name is
asked for them, from the identifiers spelled like it.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from tree_sitter import Node

from interop_lint.analyzer.golang.nodes import TokenIndex
from interop_lint.analyzer.golang.syntax import FUNCTION_TYPES

# The statements a `:=` declares names in (its parent, when it declares).
_COLON_EQUALS = frozenset(
    {"short_var_declaration", "range_clause", "receive_statement", "type_switch_statement"}
)
_DECLARING = frozenset(
    {
        "short_var_declaration",
        "var_spec",
        "range_clause",
        "type_switch_statement",
        "receive_statement",
        "parameter_declaration",
        "variadic_parameter_declaration",
    }
)


@dataclass(eq=False)
class Binding:
    """One local variable or parameter."""

    name: str
    ident: Node  # the declaring identifier
    scope: Node  # the node it is visible in
    visible_from: int  # byte offset
    kind: str  # param, result, receiver, var, short, range, switch, receive
    type_node: Node | None = None  # the declared type, if written
    value: Node | None = None  # the initial value, when one expression gives it
    source: Node | None = None  # a multi-value source (`a, b := f()`) or the ranged value
    source_index: int = 0  # which value of `source` (range: 0 key, 1 element)
    variadic: bool = False
    _writes: list[tuple[Node, Node | None]] = field(default_factory=list, repr=False)
    _reads: list[Node] = field(default_factory=list, repr=False)
    # The scope that will resolve reads and writes on first use; a weak reference, so
    # that a scope and its bindings are no cycle and are freed with the file's view.
    _unresolved: weakref.ref[FunctionScope] | None = field(default=None, repr=False)

    @property
    def writes(self) -> list[tuple[Node, Node | None]]:
        """(lhs, value) of every later `name = value` (value None when not one-to-one)."""
        scope = self._unresolved() if self._unresolved is not None else None
        if scope is not None and scope.may_assign(self.name):
            scope.resolve(self.name)
        return self._writes

    @property
    def reads(self) -> list[Node]:
        scope = self._unresolved() if self._unresolved is not None else None
        if scope is not None:
            scope.resolve(self.name)
        return self._reads

    @property
    def is_parameter(self) -> bool:
        return self.kind in ("param", "receiver", "result")

    def definitions(self) -> list[tuple[Node, Node | None]]:
        """(where, value) of the declaration and of every later `name = value`."""
        return [(self.ident, self.value), *self.writes]

    def value_at(self, position: int) -> Node | None:
        """The value assigned last before `position` (the first one if none precedes)."""
        chosen, chosen_at = self.value, self.ident.start_byte
        if chosen_at > position:
            chosen_at = -1  # the declaration is the answer only when nothing precedes
        for where, value in self.writes:
            at = where.start_byte
            if chosen_at < at <= position:
                chosen, chosen_at = value, at
        return chosen

    def zero_at(self, read: Node) -> bool:
        """Whether `read` surely sees the zero value: a `var` or named result declared
        without a value, not written before it nor in a loop around it."""
        if self.kind not in ("var", "result") or self.value is not None or self.source:
            return False
        return not any(
            where.start_byte < read.start_byte or _loop_around(read, where, self.ident)
            for where, _ in self.writes
        )

    def value_reaching(self, read: Node) -> Node | None:
        """The value `read` surely sees: that of the declaration or of the last
        `name = value` before it that runs on every path to it (a statement of a block
        around it), when no write after it can reach it again through a loop around
        both (`dst = append(dst, 0)` right before `&dst[0]`). None when unknown."""
        reaching, reaching_at = self.value, self.ident
        for where, value in sorted(self.writes, key=lambda w: w[0].start_byte):
            if where.start_byte < read.start_byte:
                if _runs_before(where, read):
                    reaching, reaching_at = value, where
                else:
                    reaching = None  # a write that may or may not have run
            elif _loop_around(read, where, reaching_at):
                return None
        return reaching

    def overwritten_before(self, read: Node, after: int) -> bool:
        """Whether a `name = ..` written after byte `after` runs on every path from there
        to `read` (a whole statement of a block around `read`, ended before it): the
        value assigned at `after` cannot reach `read` (`cs = C.CString(b)` between the
        first `C.CString` and the `C.free(cs)`)."""
        for where, _ in self.writes:
            if not after < where.start_byte < read.start_byte or not _runs_before(where, read):
                continue
            if where.parent.parent.end_byte <= read.start_byte:  # type: ignore[union-attr]
                return True  # not `cs = f(cs)`'s own read of the old value
        return False


_STATEMENT_LISTS = frozenset(
    {"statement_list", "expression_case", "default_case", "type_case", "communication_case"}
)


def _runs_before(written: Node, read: Node) -> bool:
    """Whether the assignment of `written` is a statement of a block around `read`."""
    statement = written.parent.parent if written.parent is not None else None
    if statement is None or statement.type != "assignment_statement":
        return False
    block = statement.parent
    return (
        block is not None
        and block.type in _STATEMENT_LISTS
        and block.start_byte <= read.start_byte < block.end_byte
    )


def _loop_around(read: Node, later: Node, earlier: Node) -> bool:
    """Whether a `for` holds `read` and the `later` write but not the `earlier` one."""
    current = read.parent
    while current is not None and current.type not in ("function_declaration", "func_literal"):
        if current.type == "for_statement" and current.end_byte >= later.end_byte:
            return not (current.start_byte <= earlier.start_byte < current.end_byte)
        current = current.parent
    return False


class FunctionScope:
    def __init__(self, function: Node, tokens: TokenIndex) -> None:
        self.function = function
        self._tokens = tokens
        self._by_name: dict[str, list[Binding]] = defaultdict(list)
        self._of_ident: dict[int, Binding] = {}
        self._declaring_ids: set[int] = set()
        self._closures: list[Node] = []
        self._assigned: frozenset[str] | None = None
        self._itself = weakref.ref(self)
        self._collect()

    # -- queries ---------------------------------------------------------------

    def lookup(self, name: str, position: int) -> Binding | None:
        """The binding `name` refers to at byte `position`, or None (package level)."""
        best: Binding | None = None
        for binding in self._by_name.get(name, ()):
            scope = binding.scope
            if not (scope.start_byte <= position < scope.end_byte):
                continue
            if position < binding.visible_from:
                continue
            if best is None or (scope.start_byte, binding.visible_from) > (
                best.scope.start_byte,
                best.visible_from,
            ):
                best = binding
        return best

    def binding_of(self, identifier: Node) -> Binding | None:
        """The binding an identifier of this function declares, reads or writes."""
        found = self._of_ident.get(identifier.id)
        if found is None and identifier.type == "identifier":
            found = self.lookup(self._tokens.text(identifier), identifier.start_byte)
        return found

    def bindings(self) -> list[Binding]:
        return [b for group in self._by_name.values() for b in group]

    def is_declaration(self, identifier: Node) -> bool:
        return identifier.id in self._declaring_ids

    def may_assign(self, name: str) -> bool:
        """Whether the function may assign `name = ...` (a write of a binding): only
        where a `=` has it on its left, in a tree without errors (where every `:=`
        declares what is on its left)."""
        if self._tokens.has_error:
            return True
        if self._assigned is None:
            names = set()
            for token in self._tokens.tokens("=", within=self.function):
                statement = token.parent
                left = statement.child_by_field_name("left") if statement is not None else None
                if statement is None or statement.type != "assignment_statement" or left is None:
                    continue
                names.update(
                    self._tokens.text(n) for n in left.named_children if n.type == "identifier"
                )
            self._assigned = frozenset(names)
        return name in self._assigned

    def closures_around(self, node: Node) -> list[Node]:
        """The function literals of this function that contain `node`, innermost first."""
        start, end = node.start_byte, node.end_byte
        return [c for c in reversed(self._closures) if c.start_byte <= start and end <= c.end_byte]

    # -- building --------------------------------------------------------------

    def _add(self, binding: Binding) -> None:
        if binding.name == "_":
            return
        binding._unresolved = self._itself
        self._by_name[binding.name].append(binding)
        self._of_ident[binding.ident.id] = binding
        self._declaring_ids.add(binding.ident.id)

    def _declarations(self) -> list[Node]:
        """The functions, statements and specs that declare names here, in order."""
        tokens, function = self._tokens, self.function
        found = [t.parent for t in tokens.tokens("func", within=function)]
        found = [n for n in found if n is not None and n.type in FUNCTION_TYPES]
        self._closures = [n for n in found if n.type == "func_literal"]
        for token in tokens.tokens(":=", within=function):
            parent = token.parent
            if parent is not None and parent.type in _COLON_EQUALS:
                found.append(parent)
        for token in tokens.tokens("var", within=function):
            declaration = token.parent
            if declaration is None or declaration.type != "var_declaration":
                continue
            for child in declaration.named_children:
                if child.type == "var_spec":
                    found.append(child)
                elif child.type.endswith("_list"):
                    found += [c for c in child.named_children if c.type == "var_spec"]
        found.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return found

    def _collect(self) -> None:
        for node in self._declarations():
            kind = node.type
            if kind in FUNCTION_TYPES:
                self._collect_signature(node)
            elif kind == "short_var_declaration":
                self._collect_list(node, "short")
            elif kind == "var_spec":
                self._collect_var_spec(node)
            elif kind in ("range_clause", "receive_statement") and _declares(node):
                self._collect_list(node, "range" if kind == "range_clause" else "receive")
            elif kind == "type_switch_statement":
                alias = node.child_by_field_name("alias")
                for ident in alias.named_children if alias is not None else ():
                    name = self._tokens.text(ident)
                    self._add(Binding(name, ident, node, ident.end_byte, "switch"))

    def _collect_signature(self, function: Node) -> None:
        scope = function
        start = function.start_byte
        for field_name, kind in (("receiver", "receiver"), ("parameters", "param")):
            self._collect_parameters(function.child_by_field_name(field_name), scope, start, kind)
        result = function.child_by_field_name("result")
        if result is not None and result.type == "parameter_list":
            self._collect_parameters(result, scope, start, "result")

    def _collect_parameters(self, params: Node | None, scope: Node, start: int, kind: str) -> None:
        for declaration in params.named_children if params is not None else ():
            if declaration.type not in _DECLARING:
                continue
            type_node = declaration.child_by_field_name("type")
            variadic = declaration.type == "variadic_parameter_declaration"
            for ident in declaration.children_by_field_name("name"):
                binding = Binding(self._tokens.text(ident), ident, scope, start, kind, type_node)
                binding.variadic = variadic
                self._add(binding)

    def _collect_var_spec(self, spec: Node) -> None:
        statement = spec.parent
        while statement is not None and statement.type != "var_declaration":
            statement = statement.parent
        if statement is None or statement.parent is None or statement.parent.type == "source_file":
            return  # package-level variables are facts of the package
        names = spec.children_by_field_name("name")
        values = spec.child_by_field_name("value")
        value_list = values.named_children if values is not None else []
        type_node = spec.child_by_field_name("type")
        scope = _scope_of(statement)
        for i, ident in enumerate(names):
            name = self._tokens.text(ident)
            # Visible from the end of its own spec: in `var ( a = ..; b = len(a) )`,
            # `b`'s value reads this `a` (the Go spec's scope rule 5).
            binding = Binding(name, ident, scope, spec.end_byte, "var", type_node)
            _set_value(binding, value_list, i, len(names))
            self._add(binding)

    def _collect_list(self, statement: Node, kind: str) -> None:
        """`a, b := ...`, `for k, v := range x`, `case v, ok := <-ch`."""
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
        if left is None:
            return
        idents = [n for n in left.named_children if n.type == "identifier"]
        # A range or receive variable lives in its `for` statement or case clause.
        scope = _scope_of(statement) if kind == "short" else statement.parent
        values = (
            right.named_children if right is not None and right.type == "expression_list" else []
        )
        for i, ident in enumerate(idents):
            name = self._tokens.text(ident)
            binding = Binding(name, ident, scope or statement, statement.end_byte, kind)
            if kind == "short":
                _set_value(binding, values, i, len(idents))
            else:
                binding.source, binding.source_index = right, i
            self._add(binding)

    def resolve(self, name: str) -> None:
        """Give every binding named `name` its reads and writes in the function."""
        for binding in self._by_name.get(name, ()):
            binding._unresolved = None
        for node in self._tokens.tokens(name, within=self.function):
            if node.type != "identifier" or node.id in self._declaring_ids:
                continue
            if _is_literal_key(node):
                continue
            binding = self.lookup(name, node.start_byte)
            if binding is None:
                continue
            self._of_ident[node.id] = binding
            value = _assigned_value(node)
            if value is not False:
                binding._writes.append((node, value))  # type: ignore[arg-type]
            else:
                binding._reads.append(node)


def _declares(node: Node) -> bool:
    return any(child.type == ":=" for child in node.children)


def _scope_of(statement: Node) -> Node:
    parent = statement.parent
    if parent is None:
        return statement
    if parent.type == "statement_list" and parent.parent is not None:
        parent = parent.parent
    if parent.type == "for_clause" and parent.parent is not None:
        parent = parent.parent
    return parent


def _set_value(binding: Binding, values: list[Node], index: int, count: int) -> None:
    if len(values) == count and index < len(values):
        binding.value = values[index]
    elif len(values) == 1:
        binding.source, binding.source_index = values[0], index


def _is_literal_key(identifier: Node) -> bool:
    parent = identifier.parent
    if parent is None or parent.type != "literal_element":
        return False
    keyed = parent.parent
    return keyed is not None and keyed.type == "keyed_element" and keyed.named_children[0] == parent


def _assigned_value(identifier: Node) -> Node | bool | None:
    """For the target of `x = v`: v (None when not one-to-one); False for a read."""
    left = identifier.parent
    if left is None or left.type != "expression_list":
        return False
    statement = left.parent
    if statement is None or statement.type not in ("assignment_statement", "short_var_declaration"):
        return False
    if statement.child_by_field_name("left") != left:
        return False
    if statement.type == "assignment_statement" and not any(
        c.type == "=" for c in statement.children
    ):
        return False  # `x += 1` reads x
    right = statement.child_by_field_name("right")
    values = right.named_children if right is not None else []
    targets = left.named_children
    if len(values) != len(targets):
        return None
    return values[targets.index(identifier)] if identifier in targets else None
