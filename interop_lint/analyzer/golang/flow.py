"""Where a value goes inside one Go function: its uses, through conversions and aliases.

`value_uses(file, origin)` starts at an expression (an allocation, a
`cgo.NewHandle` call, the result of a C call) and follows it through
parentheses, conversions (`unsafe.Pointer(p)`, `(*C.char)(p)`,
`C.uintptr_t(h)`) and local variables it is assigned to (`cs := ...`,
`p := unsafe.Pointer(cs)`, `var p = ...`, and the result of a C call's
two-value form `p, err := C.calloc(...)`), including their uses inside
closures. A read of a variable that is evaluated before the value is
assigned to it is no use of the value (`ValueFlow.early_reads`: a
`defer C.free(p)` above `p = ...` frees the old value). Each use
says how the value is consumed (`uses.UseKind`): passed to a call, returned,
stored in a field, an element, a map key or a global, sent on a channel, put
in a composite literal, captured by a closure that leaves the function, or
discarded.

The public helpers (`escapes`, `is_passed_to`, `is_freed`) are what GO101,
GO105, GO106 and the cross-language rules (XL105, XL106) ask of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import FUNCTION_TYPES, unparen
from interop_lint.analyzer.golang.uses import (
    ESCAPING,
    Assigned,
    Use,
    UseKind,
    carrier,
    carrier_and_parent,
    classify,
)

_MAX_ALIASES = 64


@dataclass
class ValueFlow:
    """The uses of one value and the local variables that hold it."""

    origin: Node
    uses: list[Use] = field(default_factory=list)
    aliases: list[Binding] = field(default_factory=list)
    # Reads of an alias evaluated before the value was assigned to it (not uses).
    early_reads: list[Node] = field(default_factory=list)

    def of_kind(self, *kinds: UseKind) -> list[Use]:
        return [u for u in self.uses if u.kind in kinds]


def value_uses(file: GoFile, origin: Node) -> ValueFlow:
    """Every use of the value of `origin` in its function (see the module docstring)."""
    flow = ValueFlow(origin)
    _follow(file, flow, [origin])
    return flow


def binding_uses(file: GoFile, binding: Binding) -> ValueFlow:
    """Every use of a variable's value (a parameter's, say), aliases followed."""
    flow = ValueFlow(binding.ident)
    _follow(file, flow, [], [binding])
    return flow


def receiver_uses(file: GoFile, method: Node) -> ValueFlow | None:
    """Every use of a method's receiver in its body (None for an unnamed receiver)."""
    receivers = method.child_by_field_name("receiver")
    declared = receivers.named_children[0] if receivers and receivers.named_children else None
    name = declared.child_by_field_name("name") if declared is not None else None
    scope = file.scope(method) if name is not None else None
    binding = scope.binding_of(name) if scope is not None and name is not None else None
    return binding_uses(file, binding) if binding is not None else None


def filled_uses(file: GoFile, binding: Binding, call: Node) -> ValueFlow:
    """The uses of the value a call writes into a local variable through its address
    (`C.f(&out)`): the reads of `out` after the call, aliases followed; the reads the
    code evaluates before it (`defer free(out)` above the call) are its `early_reads`,
    and the `&out` in the call is neither."""
    flow = ValueFlow(call)
    _follow(file, flow, [], [binding], after=call.end_byte, skip=call)
    return flow


def _follow(
    file: GoFile,
    flow: ValueFlow,
    work: list[Node],
    bindings: Iterable[Binding] = (),
    after: int = 0,
    skip: Node | None = None,
) -> None:
    seen: set[int] = set()
    # (variable, where the value was assigned to it: its earlier reads cannot see it)
    pending = [(binding, after) for binding in bindings]
    while work or pending:
        if pending:
            binding, assigned_at = pending.pop()
            if id(binding) in seen or len(seen) >= _MAX_ALIASES:
                continue
            seen.add(id(binding))
            flow.aliases.append(binding)
            for read in binding.reads:
                if skip is not None and skip.start_byte <= read.start_byte < skip.end_byte:
                    continue  # the call that writes the value
                if read.start_byte < assigned_at and _read_before(read, assigned_at):
                    flow.early_reads.append(read)
                    continue
                if binding.overwritten_before(read, assigned_at):
                    continue  # it reads what a later `name = ..` put there
                work.append(read)
                captured = _escaping_closure(file, read, binding)
                if captured is not None:
                    flow.uses.append(Use(UseKind.CAPTURED, read, target=captured))
            continue
        top, parent = carrier_and_parent(file, work.pop())
        use = classify(file, top, parent)
        if isinstance(use, Assigned):
            binding = _alias_binding(file, use.target)
            if binding is None:
                flow.uses.append(Use(UseKind.GLOBAL, top, target=use.target))
            elif binding.kind == "result":
                flow.uses.append(Use(UseKind.RETURNED, top, target=use.target))
            else:
                pending.append((binding, use.target.start_byte))
        elif use is not None:
            flow.uses.append(use)
    flow.uses.sort(key=lambda u: u.node.start_byte)


def _read_before(read: Node, assigned_at: int) -> bool:
    """Whether a read that is written before the assignment at `assigned_at` is
    evaluated before it, so it cannot see the assigned value: it is not in a closure
    that may run later, and no loop around both runs it again after the assignment
    (`var cs *C.char; defer C.free(unsafe.Pointer(cs)); cs = C.CString(s)`: a deferred
    call's arguments are evaluated at the `defer`). Its address (`&cs`) is no such read:
    what it points to is read later."""
    node = read.parent
    if node is not None and node.type == "unary_expression" and node.children[0].type == "&":
        return False
    while node is not None and node.end_byte <= assigned_at:
        if node.type == "func_literal":
            return False  # a closure written before the assignment may run after it
        node = node.parent
    while node is not None and node.type not in FUNCTION_TYPES:
        if node.type == "for_statement":
            return False
        node = node.parent
    return True


def _alias_binding(file: GoFile, target: Node | None) -> Binding | None:
    scope = file.scope(target) if target is not None else None
    return scope.binding_of(target) if scope is not None and target is not None else None


def _escaping_closure(file: GoFile, read: Node, binding: Binding) -> Node | None:
    """The closure that captures `read` and leaves the function (returned, stored,
    sent, passed on), if there is one."""
    scope = file.scope(read)
    for node in scope.closures_around(read) if scope is not None else ():
        if node.start_byte < binding.scope.start_byte:
            break  # outside the variable's scope
        if node.start_byte <= binding.ident.start_byte:
            return None  # declared in this closure: not captured
        use = classify(file, carrier(file, node))
        if isinstance(use, Assigned):
            alias = _alias_binding(file, use.target)
            if alias is None or alias.kind == "result":
                return node
        elif (
            use is not None
            and (use.kind in ESCAPING or use.kind == UseKind.ARGUMENT)
            and (use.call is None or not _is_immediate_call(use.call, node))
        ):
            return node
    return None


def _is_immediate_call(call: Node, literal: Node) -> bool:
    return unparen(call.child_by_field_name("function")) == literal


# -- the questions rules ask ------------------------------------------------------------


def matches_name(called: str, names: Iterable[str]) -> bool:
    """Whether a callee as written (`freeBuf`, `pkg.Free`, `x.release`, `C.take`) is one of
    the configured names: equal, the package-local spelling of a qualified name
    (`Free` for `pkg.Free`), or a method call of an unqualified name (`x.freeBuf`)."""
    for name in names:
        if called == name or name.endswith("." + called):
            return True
        if "." not in name and called.endswith("." + name) and not called.startswith("C."):
            return True
    return False


def escapes(
    flow: ValueFlow, ownership_taking: Callable[[Use], bool] = lambda _: False
) -> Use | None:
    """The first use through which the value leaves its function: returned, stored in
    a field, element or global, sent, put in a composite literal, captured by a
    closure that leaves, or passed to a function that takes ownership."""
    for use in flow.uses:
        if use.kind in ESCAPING:
            return use
        if use.kind == UseKind.ARGUMENT and (ownership_taking(use) or _stored_by_method(use)):
            return use
    return None


# Methods that keep their argument in their receiver: `atomic.Uintptr`,
# `atomic.Pointer[T]`, `atomic.Value`, `sync.Map` (pam's `r.ptr.Store(uintptr(p))`).
_STORING_METHODS = frozenset({"Store", "Swap", "CompareAndSwap", "LoadOrStore"})


def _stored_by_method(use: Use) -> bool:
    receiver, _, method = (use.callee or "").rpartition(".")
    return bool(receiver) and receiver != "C" and method in _STORING_METHODS


def deferred_too_early(
    file: GoFile, flow: ValueFlow, accepts: Callable[[str], bool]
) -> tuple[Node, int] | None:
    """(the read, the line of its `defer`) of a deferred call to a callee `accepts` whose
    argument reads a variable before the value is put in it: `defer C.free(p)` above
    `p = C.CString(s)` (or above the call that fills `p` through `&p`) frees what `p`
    held at the `defer`."""
    for read in flow.early_reads:
        use = classify(file, carrier(file, read))
        if not isinstance(use, Use) or use.kind != UseKind.ARGUMENT or use.call is None:
            continue
        statement = use.call.parent
        if statement is not None and statement.type == "defer_statement" and accepts(use.callee):
            return read, statement.start_point[0] + 1
    return None


def is_passed_to(flow: ValueFlow, accepts: Callable[[Use], bool]) -> list[Use]:
    """The ARGUMENT uses whose call `accepts` (e.g. a call of the crate's release export)."""
    return [u for u in flow.uses if u.kind == UseKind.ARGUMENT and accepts(u)]


def is_freed(
    file: GoFile,
    flow: ValueFlow,
    free_functions: Iterable[str] = (),
    frees: Callable[[str], bool] | None = None,
    fields: Iterable[str] = (),
) -> Use | None:
    """The use that frees the value: `C.free(...)` (direct, deferred, or in a deferred
    closure), a configured free function, a callee that `frees` accepts, a package
    function that frees that parameter (transitively, by the package's facts), or a
    package method that frees the receiver or, for a struct value whose `fields` hold
    the memory, one of those fields (`b.Free()` freeing `b.data`)."""
    names = tuple(free_functions)
    held = frozenset(fields)

    def accepts(callee: str, _: int) -> bool:
        return frees is not None and frees(callee)

    for use in flow.uses:
        if use.kind == UseKind.RECEIVER and _frees_its_receiver(file, use, held):
            return use  # `defer ckey.Free()`
        if use.kind != UseKind.ARGUMENT:
            continue
        if use.callee == "C.free" or matches_name(use.callee, names):
            return use
        if accepts(use.callee, use.index):
            return use
        if _parameter_effect(file, use.callee, use.index, names, "frees", accepts):
            return use
    return None


def _frees_its_receiver(file: GoFile, use: Use, fields: frozenset[str]) -> bool:
    """Whether a method called on the value is a package method that frees its
    receiver, or one of `fields` of it (resolved by the receiver's type when several
    types have the name)."""
    declared = Inference.of(file).called_function(use.call) if use.call is not None else None
    return declared is not None and (
        declared.frees_receiver or not fields.isdisjoint(declared.freed_receiver_fields)
    )


def released_by(file: GoFile, flow: ValueFlow, release_functions: Iterable[str]) -> Use | None:
    """The use that hands the value to one of `release_functions` (`C.engine_string_free`,
    `pkg.Release`): directly, converted, deferred, in a deferred closure, or through a
    package function that passes that parameter on to one (by the package's facts).
    `C.free` counts only when it is one of the names."""
    names = tuple(release_functions)
    for use in flow.uses:
        if use.kind != UseKind.ARGUMENT:
            continue
        if matches_name(use.callee, names) or _parameter_effect(
            file, use.callee, use.index, names, None
        ):
            return use
    return None


def frees_parameter(file: GoFile, called: str, index: int, free_functions: Iterable[str]) -> bool:
    """Whether the package function `called` frees its parameter `index`: it passes it
    to `C.free`, a configured free function, or another such function."""
    return _parameter_effect(file, called, index, tuple(free_functions), "frees")


def parameter_escapes(
    file: GoFile,
    called: str,
    index: int,
    taking: Iterable[str],
    accepts: Callable[[str, int], bool] | None = None,
) -> bool:
    """Whether the package function `called` keeps its parameter `index` (returns or
    stores it, or passes it to an ownership-taking function: one of `taking`, or a
    (callee, argument index) that `accepts`)."""
    return _parameter_effect(file, called, index, tuple(taking), "escapes", accepts)


def _parameter_effect(
    file: GoFile,
    called: str,
    index: int,
    names: tuple[str, ...],
    effect: str | None,
    accepts: Callable[[str, int], bool] | None = None,
) -> bool:
    """Whether a package function's parameter has `effect` ("frees", "escapes") or
    reaches one of `names` (or a call `accepts` accepts), following the parameters it
    is passed on to."""
    work = [(called, index)]
    seen: set[tuple[str, int]] = set()
    while work:
        name, position = work.pop()
        if (name, position) in seen or position < 0 or len(seen) > 64:
            continue
        seen.add((name, position))
        function = file.package.function_for(name)
        if function is not None and function.variadic and function.param_flows:
            position = min(position, len(function.param_flows) - 1)
        if function is None or position >= len(function.param_flows):
            continue
        param = function.param_flows[position]
        if effect is not None and getattr(param, effect):
            return True
        for target, at in param.passed_to:
            if matches_name(target, names) or (accepts is not None and accepts(target, at)):
                return True
            work.append((target, at))
    return False
