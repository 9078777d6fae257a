"""Values that pin Go memory until released: `cgo.Handle` and `runtime.Pinner`.

A handle may be created in one function and deleted in another (a `Close`
method, a callback that recovers it from C with `cgo.Handle(h).Delete()`).
Each file records what its `.Delete()` calls release as keys, the package
puts them together, and `handle_released` matches the handle's own flow
against them:

- `field:f`: `x.f.Delete()` (or `cgo.Handle(x.f).Delete()`): handles stored in a field `f`;
- `index:m`: `m[k].Delete()`, or `h.Delete()` for `h` ranged over or read from `m`;
- `global:g`: `g.Delete()` for a package variable `g`;
- `*`: a handle that came from elsewhere (a parameter, an integer from C);
- `local`: a handle created in the same function (releases nothing elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import package_function_calls
from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.flow import ValueFlow, binding_uses, value_uses
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.param_flows import followed_parameter
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import arguments, unparen
from interop_lint.analyzer.golang.types import Kind, underlying
from interop_lint.analyzer.golang.uses import Use, UseKind
from interop_lint.analyzer.parsing import text

ANYWHERE = "*"
LOCAL = "local"
_MAX_DEPTH = 16


def new_handles(file: GoFile) -> Iterator[Node]:
    """Every `cgo.NewHandle(v)` call of the file, and every call of a package function
    that returns one (`cgoNewHandle(v)`, go-yara's wrapper), in order."""
    found = []
    if file.import_name("runtime/cgo") is not None:
        found += [
            call
            for call in file.syntax.calls_named("NewHandle")
            if file.calls(call, "runtime/cgo", "NewHandle")
        ]
    found += [call for call, _ in package_function_calls(file, lambda f: f.new_handle)]
    yield from sorted(found, key=lambda call: call.start_byte)


def returns_new_handle(file: GoFile, function: Node) -> bool:
    """Whether a function returns a handle it makes (`return cgo.NewHandle(v)`, converted
    to a type of its own or not): its callers hold a new handle."""
    if file.import_name("runtime/cgo") is None or function.type != "function_declaration":
        return False
    return any(
        file.calls(call, "runtime/cgo", "NewHandle")
        and bool(value_uses(file, call).of_kind(UseKind.RETURNED))
        for call in file.syntax.calls_named("NewHandle", within=function)
    )


def handle_integers(file: GoFile) -> tuple[str, ...]:
    """The fields and package variables a new handle is stored in, whatever integer type
    it is converted to (`w.handle = uintptr(cgo.NewHandle(v))`, `saved = uintptr(h)`,
    `T{handle: C.uintptr_t(h)}`): keys "field:f" and "global:g". Such an integer was
    never an address (GO103)."""
    keys = set()
    for call in new_handles(file):
        for use in value_uses(file, call).uses:
            key = _wanted_key(file, use)
            if key and key.startswith(("field:", "global:")):
                keys.add(key)
    return tuple(sorted(keys))


def holds_handle(file: GoFile, expr: Node | None) -> bool:
    """Whether an expression is a `cgo.Handle`, as an integer of any type: a
    `cgo.NewHandle` call, a value of type `cgo.Handle`, a local variable that holds one,
    or a field or package variable the package stores handles in (`handle_integers`)."""
    for _ in range(_MAX_DEPTH):
        converted = file.conversion(expr)
        if converted is not None and converted[0].kind == Kind.NAME:
            if _is_handle_type(file, converted[0]):
                return True
            expr = converted[1]
            continue
        expr = unparen(expr)
        if expr is None:
            return False
        if expr.type == "call_expression":
            return file.calls(expr, "runtime/cgo", "NewHandle")
        if expr.type == "selector_expression":
            field = text(expr.child_by_field_name("field"))
            return "field:" + field in file.package.handle_integers
        if expr.type != "identifier":
            return False
        binding = file.binding(expr)
        if binding is None:
            return "global:" + text(expr) in file.package.handle_integers
        if binding.type_node is not None:
            return _is_handle_type(file, Inference.of(file).binding_type(binding))
        expr = binding.value_at(expr.start_byte)
    return False


def _is_handle_type(file: GoFile, t: TypeExpr | None) -> bool:
    cgo = file.import_name("runtime/cgo")
    return cgo is not None and t is not None and t.kind == Kind.NAME and t.name == cgo + ".Handle"


def release_keys(file: GoFile, inference: Inference) -> tuple[str, ...]:
    """What the file's zero-argument `.Delete()` calls release (see the module docstring)."""
    keys = []
    for call in file.syntax.calls_named("Delete"):
        function = unparen(call.child_by_field_name("function"))
        if function is None or function.type != "selector_expression" or arguments(call):
            continue
        if text(function.child_by_field_name("field")) != "Delete":
            continue
        receiver = function.child_by_field_name("operand")
        if _deletes_own_receiver(file, call, receiver):
            continue  # `func (h cgoHandle) Delete() { cgo.Handle(h).Delete() }`: its callers
            # are the releases
        t = inference.type_of(receiver)
        if t is not None and t.kind == Kind.POINTER:
            t = t.elem  # `p.Delete()` of a `*cgoHandle`: the method of the handle
        if t is None or _may_be_handle(underlying(t, file.package.lookup_type)):
            keys.append(_key(file, receiver))
    return tuple(sorted(set(keys)))


def _deletes_own_receiver(file: GoFile, call: Node, receiver: Node | None) -> bool:
    """Whether a `.Delete()` call is the body of a `Delete` method of a handle wrapper
    type deleting its own receiver."""
    method = file.syntax.top_function(call)
    if method is None or method.type != "method_declaration":
        return False
    if text(method.child_by_field_name("name")) != "Delete":
        return False
    for _ in range(_MAX_DEPTH):
        converted = file.conversion(receiver)
        receiver = unparen(converted[1] if converted is not None else receiver)
        if converted is None:
            break
    binding = file.binding(receiver) if receiver is not None else None
    return binding is not None and binding.kind == "receiver"


def _may_be_handle(t: TypeExpr) -> bool:
    """Not `Delete` of some other type: a `cgo.Handle`, or a type we cannot see."""
    return t.kind == Kind.UNKNOWN or (t.kind == Kind.NAME and t.name.endswith("Handle"))


def _key(file: GoFile, expr: Node | None) -> str:
    for _ in range(_MAX_DEPTH):
        converted = file.conversion(expr)
        expr = unparen(converted[1] if converted is not None else expr)
        if expr is None:
            return ANYWHERE
        if expr.type == "selector_expression":
            return "field:" + text(expr.child_by_field_name("field"))
        if expr.type == "index_expression":
            return "index:" + _last_name(expr.child_by_field_name("operand"))
        if expr.type != "identifier":
            return ANYWHERE
        binding = file.binding(expr)
        if binding is None:
            return "global:" + text(expr)
        if binding.is_parameter or binding.kind in ("receive", "switch"):
            return ANYWHERE
        if binding.kind == "range":
            source = unparen(binding.source)
            if source is None or source.type not in ("identifier", "selector_expression"):
                return ANYWHERE
            return "index:" + _last_name(source)
        value = binding.value_at(expr.start_byte)
        if value is None:
            source = unparen(binding.source)
            if source is not None and source.type == "index_expression":
                return "index:" + _last_name(source.child_by_field_name("operand"))
            return ANYWHERE
        if file.calls(unparen(value), "runtime/cgo", "NewHandle"):  # type: ignore[arg-type]
            return LOCAL
        expr = value
    return ANYWHERE


def _last_name(node: Node | None) -> str:
    node = unparen(node)
    if node is not None and node.type == "selector_expression":
        return text(node.child_by_field_name("field"))
    return text(node)


def handle_released(file: GoFile, flow: ValueFlow) -> bool:
    """Whether a new handle is deleted in its function, returned, or stored where the
    package's `.Delete()` calls find it (see the module docstring)."""
    if any(u.kind == UseKind.RECEIVER and u.callee == "Delete" for u in flow.uses):
        return True
    if flow.of_kind(UseKind.RETURNED):
        return True
    keys = file.package.handle_releases - {LOCAL}
    if not keys:
        return False
    for use in flow.uses:
        wanted = _wanted_key(file, use)
        if wanted is None:
            continue
        if ANYWHERE in keys or wanted == "" or wanted in keys:
            return True
    return False


def _wanted_key(file: GoFile, use: Use) -> str | None:
    """The release key that finds a handle used this way ("" for any key, None: none)."""
    kind, callee, node = use.kind, use.callee, use.node
    target = unparen(use.target)
    if kind == UseKind.FIELD and target is not None and target.type == "selector_expression":
        return "field:" + text(target.child_by_field_name("field"))
    if kind == UseKind.ELEMENT and target is not None:
        base = (
            target.child_by_field_name("operand") if target.type == "index_expression" else target
        )
        return "index:" + _last_name(base)
    if kind == UseKind.GLOBAL:
        return "global:" + text(target)
    if kind == UseKind.COMPOSITE:
        key = _composite_key(node)
        return "field:" + key if key else ""
    if kind == UseKind.ARGUMENT:
        return ANYWHERE if callee.startswith("C.") else _parameter_key(file, callee, use.index)
    if kind in (UseKind.FIELD, UseKind.SENT, UseKind.CAPTURED, UseKind.OTHER):
        return ""
    return None


def _parameter_key(file: GoFile, callee: str, index: int) -> str | None:
    """The release key that finds a handle passed to a package function, by what the
    function does with that parameter (its facts): "" (any key) when it keeps it or when
    that is not known, "*" when it only passes it on to C, None when it does neither."""
    work, seen, to_c = [(callee, index)], set(), False
    while work:
        name, position = work.pop()
        if (name, position) in seen or len(seen) > _MAX_DEPTH:
            continue
        seen.add((name, position))
        if name.startswith("C."):
            to_c = True
            continue
        function = file.package.function_for(name)
        if function is None or not 0 <= position < len(function.params):
            return ""
        if function.variadic or not followed_parameter(function.params[position], file):
            return ""
        flow = function.param_flows[position] if position < len(function.param_flows) else None
        if flow is None or flow.escapes or flow.frees:
            return ""
        work += flow.passed_to
    return ANYWHERE if to_c else None


def _composite_key(node: Node) -> str:
    element = node.parent
    keyed = element.parent if element is not None else None
    if keyed is None or keyed.type != "keyed_element":
        return ""
    return text(keyed.named_children[0])


# -- runtime.Pinner -----------------------------------------------------------------------


def local_pinners(file: GoFile, inference: Inference) -> Iterator[tuple[Binding, ValueFlow]]:
    """Local `runtime.Pinner` variables (not parameters, not fields) and their flows;
    also local struct values holding one (`var m message` with `runtime.Pinner`
    embedded, or a `pinner runtime.Pinner` field), whose flow is the Pinner's:
    `m.Pin(x)` and `m.pinner.Pin(x)` are its calls, reads of other fields are not
    its uses."""
    runtime = file.import_name("runtime")
    if runtime is None:
        return
    wanted = f"{runtime}.Pinner"
    if b"Pinner" not in file.source.data and wanted not in file.package.type_names:
        return  # no type here or in the package's facts can be a Pinner
    for function in file.functions():
        scope = file.scope(function)
        for binding in scope.bindings() if scope is not None else ():
            if binding.is_parameter:
                continue
            declared = t = inference.binding_type(binding)
            if t is not None and t.kind == Kind.POINTER:
                t = t.elem
            if t is not None and t.kind == Kind.NAME and t.name == wanted:
                yield binding, binding_uses(file, binding)
                continue
            # A struct reached through a pointer keeps its Pinner elsewhere.
            held = _pinner_field(declared, wanted, inference)
            if held is not None:
                yield binding, _held_pinner_flow(binding_uses(file, binding), *held)


def _pinner_field(t: TypeExpr | None, wanted: str, inference: Inference) -> tuple[str, bool] | None:
    """The field of a struct value that is a `runtime.Pinner` (not a pointer to one:
    then the Pinner lives elsewhere), and whether it is embedded."""
    if t is None or t.kind != Kind.NAME:
        return None
    u = underlying(t, inference.lookup)
    for f in u.fields if u.kind == Kind.STRUCT else ():
        if f.type.kind == Kind.NAME and f.type.name == wanted:
            return f.name.rpartition(".")[2], f.embedded
    return None


def _held_pinner_flow(flow: ValueFlow, field: str, embedded: bool) -> ValueFlow:
    """The uses of the Pinner a struct value holds, from the struct value's uses."""
    uses = []
    for use in flow.uses:
        if use.kind == UseKind.RECEIVER and not (embedded and use.callee in _PINNER_METHODS):
            uses.append(use)  # another method may unpin: handed on
            continue
        selector = use.node.parent
        if use.kind != UseKind.OTHER or selector is None or selector.type != "selector_expression":
            uses.append(use)
            continue
        if text(selector.child_by_field_name("field")) != field:
            continue  # another field read
        call = selector.parent.parent if selector.parent is not None else None
        method = selector.parent
        if (
            method is not None
            and method.type == "selector_expression"
            and call is not None
            and call.child_by_field_name("function") == method
        ):
            name = text(method.child_by_field_name("field"))
            uses.append(Use(UseKind.RECEIVER, selector, call=call, callee=name))
        else:
            uses.append(Use(UseKind.OTHER, selector))  # `&m.pinner`: handed on
    return ValueFlow(flow.origin, uses, flow.aliases, flow.early_reads)


_PINNER_METHODS = frozenset({"Pin", "Unpin"})
