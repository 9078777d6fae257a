"""One walk over a libcst module: scopes, assignments, and what names mean.

Python's own rules, simplified for binding code: a name assigned in a
function is that function's local unless declared `global`; a class body's
names are the class's attributes; `self.x` / `cls.x` in a method, and
`C.x`, are attribute `x` of class `C`. Every assignable expression gets a
*key* (`lib`, `load:lib`, `Engine._lib`) and each key collects the values
assigned to it anywhere in the file: flow-insensitive, as a lazy loader
(`_lib = None` ... `global _lib; _lib = CDLL(..)`) needs.

The walk is iterative (an explicit stack); `guard` has already bounded how
deep the tree is.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property

import libcst as cst

Expr = cst.BaseExpression


@dataclass(eq=False)
class Scope:
    kind: str  # "module", "class" or "function"
    name: str  # qualified: "" (the module), "Engine", "Engine.__init__"
    parent: Scope | None = None
    assigned: set[str] = field(default_factory=set)
    params: list[str] = field(default_factory=list)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    class_name: str | None = None  # a method's class
    self_name: str | None = None  # a method's first parameter (`self`, `cls`)

    def qualify(self, name: str) -> str:
        return f"{self.name}.{name}" if self.name else name


@dataclass(frozen=True, eq=False)
class Assignment:
    scope: Scope
    target: Expr
    value: Expr
    statement: cst.CSTNode  # the `Assign` / `AnnAssign`, for its location


@dataclass(frozen=True, eq=False)
class Definition:
    scope: Scope  # the scope the definition opens
    node: cst.FunctionDef | cst.ClassDef


@dataclass(eq=False)
class ModuleScopes:
    """What the walk found, in source order."""

    assignments: list[Assignment] = field(default_factory=list)
    attributes: list[tuple[Scope, cst.Attribute]] = field(default_factory=list)
    calls: list[tuple[Scope, cst.Call]] = field(default_factory=list)
    subscripts: list[tuple[Scope, cst.Subscript]] = field(default_factory=list)
    returns: dict[str, list[tuple[Scope, Expr]]] = field(default_factory=lambda: defaultdict(list))
    functions: dict[str, Definition] = field(default_factory=dict)  # by qualified name
    classes: dict[str, Definition] = field(default_factory=dict)  # by qualified name
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    star_imports: set[str] = field(default_factory=set)  # modules of `from m import *`
    values: dict[str, list[tuple[Scope, Expr]]] = field(default_factory=lambda: defaultdict(list))
    loops: list[tuple[Scope, cst.For]] = field(default_factory=list)

    @cached_property
    def calls_by_name(self) -> dict[str, list[tuple[Scope, cst.Call]]]:
        """Calls of a name or a method (`f(...)`, `self.f(...)`), by that name."""
        found: dict[str, list[tuple[Scope, cst.Call]]] = defaultdict(list)
        for scope, call in self.calls:
            if isinstance(call.func, cst.Name):
                found[call.func.value].append((scope, call))
            elif isinstance(call.func, cst.Attribute):
                found[call.func.attr.value].append((scope, call))
        return found

    # -- names -----------------------------------------------------------------

    def key(self, expr: Expr, scope: Scope) -> str | None:
        """The key of an assignable expression (`lib`, `load:lib`, `Engine._lib`)."""
        if isinstance(expr, cst.Name):
            return name_key(expr.value, scope)
        if isinstance(expr, cst.Attribute):
            base, attribute = expr.value, expr.attr.value
            if isinstance(base, cst.Name):
                owner = self_class(base.value, scope)
                if owner is None and name_key(base.value, scope) in self.classes:
                    owner = name_key(base.value, scope)
                if owner is not None:
                    return f"{owner}.{attribute}"
            inner = self.key(base, scope)
            return f"{inner}.{attribute}" if inner is not None else None
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            # `_fn["hash"]`: a function kept in a dict under a literal key
            index = expr.slice[0].slice
            key = index.value if isinstance(index, cst.Index) else None
            inner = self.key(expr.value, scope)
            if inner is not None and isinstance(key, cst.SimpleString):
                return f"{inner}[{key.evaluated_value!r}]"
        return None

    def assigned_to(self, key: str) -> list[tuple[Scope, Expr]]:
        """Every value assigned to a key; for a class attribute, the bases' too."""
        found = self.values.get(key)
        if found:
            return found
        owner, _, attribute = key.rpartition(".")
        definition = self.classes.get(owner)
        if definition is None or not isinstance(definition.node, cst.ClassDef):
            return []
        for base in definition.node.bases:
            base_key = self.key(base.value, definition.scope.parent or definition.scope)
            if base_key in self.classes and base_key != owner:
                inherited = self.values.get(f"{base_key}.{attribute}")
                if inherited:
                    return inherited
        return []

    def qualified(self, expr: Expr, star: tuple[str, frozenset[str]] | None = None) -> str | None:
        """The imported name an expression refers to: `C.c_int` -> `ctypes.c_int`.

        `star` is a module and the names it exports, for `from module import *`,
        and for a star import of another module, which may pass them on.
        """
        parts = []
        while isinstance(expr, cst.Attribute):
            parts.append(expr.attr.value)
            expr = expr.value
        if not isinstance(expr, cst.Name):
            return None
        head = self.imports.get(expr.value)
        if head is None and star is not None:
            module, names = star
            if module in self.star_imports and expr.value in names:
                head = f"{module}.{expr.value}"
            elif self.star_imports and expr.value not in self.values:
                # `from mylib._lib import *` of a module that imports `ctypes` (or
                # `from ctypes import *`) passes those names on (opendp's generated
                # bindings); a module of the project naming its own `ctypes` or
                # `c_int` would be perverse.
                if expr.value == module:
                    head = module
                elif expr.value in names:
                    head = f"{module}.{expr.value}"
        if head is None:
            return None
        return ".".join([head, *reversed(parts)])


def name_key(name: str, scope: Scope) -> str:
    """Which variable a bare name is where it is used."""
    current: Scope | None = scope
    while current is not None:
        if current.kind == "function":
            if name in current.declared_global:
                return name
            local = name in current.assigned or name in current.params
            if local and name not in current.declared_nonlocal:
                return f"{current.name}:{name}"
        elif current.kind == "class":
            if current is scope and name in current.assigned:
                return f"{current.name}.{name}"
        else:
            return name
        current = current.parent
    return name


def self_class(name: str, scope: Scope) -> str | None:
    """The class `self` (or `cls`) stands for in the method that encloses `scope`."""
    current: Scope | None = scope
    while current is not None and current.kind == "function":
        if current.self_name is not None:
            return current.class_name if current.self_name == name else None
        if name in current.params or name in current.assigned:
            return None
        current = current.parent
    return None


def target_names(target: Expr) -> Iterator[str]:
    """The names an assignment target binds (`a`, `a, (b, *c)`)."""
    pending = [target]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Name):
            yield current.value
        elif isinstance(current, (cst.Tuple, cst.List)):
            pending.extend(element.value for element in current.elements)
        elif isinstance(current, cst.StarredElement):
            pending.append(current.value)


# Fields that hold only tokens and whitespace: nothing the walk looks at.
_TOKEN_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "equal", "colon", "dot", "operator",
        "leading_lines", "lines_after_decorators", "header", "footer", "trailing_whitespace",
        "newline", "default_indent", "default_newline", "asynchronous", "star_tok",
    }
)  # fmt: skip


@cache
def _child_fields(node_type: type) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in dataclasses.fields(node_type)
        if f.name not in _TOKEN_FIELDS and not f.name.startswith("whitespace")
    )


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes that are not tokens or whitespace, in field order (source
    order but for a definition's decorators). libcst's own `children` walks
    every token through a visitor, several times slower."""
    found: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if type(value) in (tuple, list):
            found.extend(v for v in value if _is_node(type(v)))
        elif _is_node(type(value)):
            found.append(value)
    return found


@cache
def _is_node(value_type: type) -> bool:
    # libcst's node classes are ABCs: `isinstance` against them is slow.
    return issubclass(value_type, cst.CSTNode)


def collect(module: cst.Module) -> ModuleScopes:
    found = ModuleScopes()
    stack: list[tuple[cst.CSTNode, Scope]] = [(module, Scope("module", ""))]
    while stack:
        node, scope = stack.pop()
        inner = _visit(node, scope, found)
        if inner is not None:
            stack.extend(reversed(inner))
        else:
            stack.extend((child, scope) for child in reversed(children(node)))
    for assignment in found.assignments:
        key = found.key(assignment.target, assignment.scope)
        if key is not None:
            found.values[key].append((assignment.scope, assignment.value))
    return found


_ASSIGNMENTS = frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr})
_LOOPS = frozenset({cst.For, cst.CompFor})


def _visit(
    node: cst.CSTNode, scope: Scope, found: ModuleScopes
) -> list[tuple[cst.CSTNode, Scope]] | None:
    """Record what `node` says; returns its children with their scopes when they
    are not all in `scope` (a definition opens one). Dispatches on the exact
    type: `isinstance` against libcst's abstract classes is slow."""
    kind = type(node)
    if kind is cst.Attribute:
        found.attributes.append((scope, node))  # type: ignore[arg-type]
    elif kind is cst.Call:
        found.calls.append((scope, node))  # type: ignore[arg-type]
    elif kind is cst.Subscript:
        found.subscripts.append((scope, node))  # type: ignore[arg-type]
    elif kind in _ASSIGNMENTS:
        _assignment(node, scope, found)
    elif kind is cst.FunctionDef:
        return _function(node, scope, found)  # type: ignore[arg-type]
    elif kind is cst.ClassDef:
        return _class(node, scope, found)  # type: ignore[arg-type]
    elif kind is cst.Lambda:
        assert isinstance(node, cst.Lambda)
        inner = Scope("function", scope.qualify("<lambda>"), scope)
        inner.params = [p.name.value for p in parameters(node.params)]
        return [(node.params, scope), (node.body, inner)]
    elif kind in _LOOPS:
        scope.assigned.update(target_names(node.target))  # type: ignore[attr-defined]
        if kind is cst.For:
            found.loops.append((scope, node))  # type: ignore[arg-type]
    elif kind is cst.AsName:
        scope.assigned.update(target_names(node.name))  # type: ignore[attr-defined]
    elif kind is cst.Global:
        scope.declared_global.update(n.name.value for n in node.names)  # type: ignore[attr-defined]
    elif kind is cst.Nonlocal:
        scope.declared_nonlocal.update(n.name.value for n in node.names)  # type: ignore[attr-defined]
    elif kind is cst.Import or kind is cst.ImportFrom:
        _import(node, found)  # type: ignore[arg-type]
    elif kind is cst.Return and node.value is not None:  # type: ignore[attr-defined]
        found.returns[scope.name].append((scope, node.value))  # type: ignore[attr-defined]
    return None


def _class(
    node: cst.ClassDef, scope: Scope, found: ModuleScopes
) -> list[tuple[cst.CSTNode, Scope]]:
    inner = Scope("class", scope.qualify(node.name.value), scope)
    scope.assigned.add(node.name.value)
    found.classes.setdefault(inner.name, Definition(inner, node))
    outer = [*node.decorators, *node.bases, *node.keywords]
    return [(n, scope) for n in outer] + [(node.body, inner)]


def _function(
    node: cst.FunctionDef, scope: Scope, found: ModuleScopes
) -> list[tuple[cst.CSTNode, Scope]]:
    inner = Scope("function", scope.qualify(node.name.value), scope)
    inner.params = [p.name.value for p in parameters(node.params)]
    scope.assigned.add(node.name.value)
    decorators = {_decorator_name(d) for d in node.decorators}
    if scope.kind == "class" and "staticmethod" not in decorators and inner.params:
        inner.class_name, inner.self_name = scope.name, inner.params[0]
    found.functions.setdefault(inner.name, Definition(inner, node))
    outer: list[cst.CSTNode] = [*node.decorators, node.params]
    if node.returns is not None:
        outer.append(node.returns)
    return [(n, scope) for n in outer] + [(node.body, inner)]


def parameters(params: cst.Parameters) -> list[cst.Param]:
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    star_kwarg = [params.star_kwarg] if params.star_kwarg is not None else []
    return [*params.posonly_params, *params.params, *star, *params.kwonly_params, *star_kwarg]


def _decorator_name(decorator: cst.Decorator) -> str:
    target = decorator.decorator
    if isinstance(target, cst.Call):
        target = target.func
    if isinstance(target, cst.Attribute):
        return target.attr.value
    return target.value if isinstance(target, cst.Name) else ""


def _assignment(node: cst.CSTNode, scope: Scope, found: ModuleScopes) -> None:
    if isinstance(node, cst.Assign):
        targets = [t.target for t in node.targets]
        value: Expr | None = node.value
    elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
        targets = [node.target]  # type: ignore[list-item]
        value = node.value if not isinstance(node, cst.AugAssign) else None
    else:
        return
    for target in targets:
        scope.assigned.update(target_names(target))
        if value is not None:
            found.assignments.append(Assignment(scope, target, value, node))
            # `f.argtypes, f.restype = [c_float], c_void_p`; `P, F = c_void_p, c_float`:
            # each target is assigned its own value.
            for one, its in unpacked(target, value):
                found.assignments.append(Assignment(scope, one, its, node))


def unpacked(target: Expr, value: Expr) -> Iterator[tuple[Expr, Expr]]:
    """(target, value) pairs of a tuple assigned a tuple of the same length, nested
    tuples included (`(a, b), c = (x, y), z`); none when a side is starred."""
    pending = [(target, value)]
    while pending:
        left, right = pending.pop()
        if not isinstance(left, (cst.Tuple, cst.List)) or not isinstance(
            right, (cst.Tuple, cst.List)
        ):
            continue
        if len(left.elements) != len(right.elements) or any(
            isinstance(e, cst.StarredElement) for e in (*left.elements, *right.elements)
        ):
            continue
        for one, its in zip(left.elements, right.elements, strict=True):
            if isinstance(one.value, (cst.Tuple, cst.List)):
                pending.append((one.value, its.value))
            else:
                yield one.value, its.value


def _import(node: cst.Import | cst.ImportFrom, found: ModuleScopes) -> None:
    if isinstance(node, cst.Import):
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                found.imports[alias.asname.name.value] = dotted
            else:
                head = dotted.split(".", 1)[0]
                found.imports.setdefault(head, head)
        return
    module = "." * len(node.relative) + (_dotted(node.module) if node.module else "")
    if isinstance(node.names, cst.ImportStar):
        found.star_imports.add(module)
        return
    for alias in node.names:
        name = _dotted(alias.name)
        local = alias.asname.name if alias.asname is not None else None
        local_name = local.value if isinstance(local, cst.Name) else name
        found.imports[local_name] = f"{module}.{name}" if module.strip(".") else module + name


def _dotted(expr: cst.BaseExpression) -> str:
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
    return ".".join(reversed(parts))
