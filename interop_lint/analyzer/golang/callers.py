"""The calls of package functions in a file, and what the calls of an unexported
function in its own file pass for a parameter.

An unexported helper is called from its own package only, nearly always
from its own file: when every call there passes a value the caller has
vetted, the helper may rely on it (`decompressSizeHint(src)` after `if
len(src) == 0 { return }`). Calls in other files of the package are not
seen. A function whose name the file uses other than as a callee (stored,
passed as a value, shadowed by a local, another method of that name
declared) has callers no one can list, and nothing is answered; so for an
exported function or method, which other packages call.
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import GoFuncDecl
from interop_lint.analyzer.golang.flow import value_uses
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.scope import Binding
from interop_lint.analyzer.golang.syntax import arguments, declared_names
from interop_lint.analyzer.golang.uses import UseKind
from interop_lint.analyzer.parsing import text

_DECLARED = frozenset({"function_declaration", "method_declaration"})
_PARAMETERS = frozenset({"parameter_declaration"})
MAX_CALLS = 64  # a helper called more often than this is not worth following


def package_function_calls(
    file: GoFile, wanted: Callable[[GoFuncDecl], object]
) -> list[tuple[Node, GoFuncDecl]]:
    """(call, function) of every call in the file, by its bare name (`f(x)`), of a package
    function (not a method) that `wanted` accepts by its facts, in order."""
    found = []
    for name, function in file.package.functions.items():
        if wanted(function):
            found += [
                (call, function)
                for call in file.syntax.calls_named(name)
                if file.syntax.spelled_callee(call) == name
            ]
    return sorted(found, key=lambda pair: pair[0].start_byte)


def passed_for(file: GoFile, parameter: Binding) -> list[Node] | None:
    """The argument every call of the parameter's unexported function in this file
    passes for it, or None when the calls are not all known (module docstring)."""
    if parameter.kind != "param" or parameter.variadic:
        return None
    function = _declaring_function(parameter.ident)
    if function is None:
        return None
    name_node = function.child_by_field_name("name")
    name = text(name_node) if name_node is not None else ""
    if not name or not (name[0].islower() or name[0] == "_") or name == "_":
        return None
    names = declared_names(function.child_by_field_name("parameters"))
    if parameter.ident not in names:
        return None
    position = names.index(parameter.ident)
    found = []
    for token in file.syntax.tokens.tokens(name):
        if token == name_node:
            continue
        call = _called_by(token, function.type == "method_declaration")
        if call is None or len(found) >= MAX_CALLS:
            return None  # a use that is no call: callers unknown
        args = arguments(call)
        if len(args) != len(names) or _spreads(call):
            return None
        found.append(args[position])
    return found or None


def calls_of_result(file: GoFile, value: Node) -> list[Node]:
    """When an unexported function of the file returns `value` (golz4's `func p(in
    []byte) *C.char { return (*C.char)(unsafe.Pointer(&in[0])) }`): the calls of it in
    the file. Empty when it returns something else or is used other than by calls."""
    function = file.syntax.top_function(value)
    if function is None or function.type != "function_declaration":
        return []
    name_node = function.child_by_field_name("name")
    name = text(name_node) if name_node is not None else ""
    if not name or not name[0].islower():
        return []
    if not any(u.kind == UseKind.RETURNED for u in value_uses(file, value).uses):
        return []
    calls = []
    for token in file.syntax.tokens.tokens(name):
        if token == name_node:
            continue
        call = _called_by(token, False)
        if call is None:
            return []  # stored or passed as a value: callers unknown
        calls.append(call)
    return calls


def _declaring_function(ident: Node) -> Node | None:
    declaration = ident.parent
    if declaration is None or declaration.type not in _PARAMETERS:
        return None
    parameters = declaration.parent
    function = parameters.parent if parameters is not None else None
    if function is None or function.type not in _DECLARED:
        return None
    if function.child_by_field_name("parameters") != parameters:
        return None  # a result or a receiver
    return function


def _called_by(token: Node, method: bool) -> Node | None:
    """The call whose callee `token` is (`name(...)`, or `x.name(...)` for a method)."""
    callee = token
    if method:
        selector = token.parent
        if selector is None or selector.type != "selector_expression":
            return None
        if selector.child_by_field_name("field") != token:
            return None
        callee = selector
    elif token.type != "identifier":
        return None
    call = callee.parent
    if call is None or call.type != "call_expression":
        return None
    return call if call.child_by_field_name("function") == callee else None


def _spreads(call: Node) -> bool:
    """`f(xs...)`: the arguments are not one per parameter."""
    argument_list = call.child_by_field_name("arguments")
    return argument_list is not None and any(c.type == "..." for c in argument_list.children)
