"""C functions defined in the project that take ownership of a pointer parameter (GO101).

A package often wraps a C library call in a small C function of its preamble
(or of a header it includes, or of a C file beside it) and calls that from
Go, `C.resulttext(ctx, C.CString(s))`, with

    void resulttext(context *ctx, const char *s) {
        lib_resulttext(ctx, s, -1, &free);
    }

The library frees the string when it is done with it: the wrapper takes
ownership, and the allocation does not leak. A function defined (with a
body) in a C unit takes ownership of a parameter when its body

- frees it: `free(p)`, through casts and parentheses;
- passes it to a call that also receives a destructor: `free`, `&free`,
  `(void (*)(void *))free`, or a function of the unit that takes ownership of
  its first parameter (`my_free`);
- passes it to another function of the unit that takes ownership of it there.

- stores it where it outlives the call: in a global (`current = s;`), through a
  pointer (`item->title = title;`, `*out = s;`), or in an element of memory that
  is not a local array (`names[i] = s;`), the way a queue keeps it for later
  (getlantern/systray frees its menu titles in a GTK idle callback).

Nothing else counts (returning it, a field of a local struct value that a
call reads, `opts.name = s;`): the rule stays on the side of reporting, and
`ownership-taking` is the way to say so. The facts are (function, parameter
index) pairs of each unit; cgo passes a call's arguments to the C parameters
one to one. A unit that never
spells `free` is not read at all.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.parsing import text, walk

_FREE = re.compile(rb"(?<![A-Za-z0-9_])free(?![A-Za-z0-9_])")
_MAX_ROUNDS = 8
_DECLARATORS = frozenset(
    {"pointer_declarator", "parenthesized_declarator", "attributed_declarator"}
)
_WRAPPERS = frozenset({"cast_expression", "parenthesized_expression"})


def ownership_taking(source: bytes, root: Node) -> tuple[tuple[str, int], ...]:
    """(function, parameter index) of every function defined in the C unit `source`
    (parsed as `root`) that takes ownership of that parameter (see the module
    docstring), in order."""
    if _FREE.search(source) is None:
        return ()
    definitions: list[tuple[str, list[str], Node]] = []
    for node in walk(root, prune=("compound_statement",)):
        if node.type != "function_definition":
            continue
        found = _signature(node)
        body = node.child_by_field_name("body")
        if found is not None and body is not None:
            definitions.append((found[0], found[1], body))
    owned: dict[str, set[int]] = {}
    words = {"free"}
    for _ in range(_MAX_ROUNDS):
        pattern = re.compile(
            rb"(?<![A-Za-z0-9_])(?:"
            + b"|".join(re.escape(w.encode()) for w in sorted(words))
            + rb")(?![A-Za-z0-9_])"
        )
        changed = False
        for name, params, body in definitions:
            if not params or (
                pattern.search(source, body.start_byte, body.end_byte) is None
                and source.find(b"=", body.start_byte, body.end_byte) < 0
            ):
                continue
            for index in _owned_parameters(body, params, owned):
                if index not in owned.setdefault(name, set()):
                    owned[name].add(index)
                    changed = True
        if not changed:
            break
        words = {"free", *owned}
    return tuple((name, index) for name, indices in owned.items() for index in sorted(indices))


def _signature(definition: Node) -> tuple[str, list[str]] | None:
    """(name, parameter names) of a function definition ("" for an unnamed parameter)."""
    declarator = definition.child_by_field_name("declarator")
    while declarator is not None and declarator.type in _DECLARATORS:
        declarator = declarator.child_by_field_name("declarator")
    if declarator is None or declarator.type != "function_declarator":
        return None
    name = declarator.child_by_field_name("declarator")
    parameters = declarator.child_by_field_name("parameters")
    if name is None or name.type != "identifier" or parameters is None:
        return None
    names = []
    for parameter in parameters.named_children:
        if parameter.type == "parameter_declaration":
            names.append(_declared_name(parameter.child_by_field_name("declarator")))
        elif parameter.type == "variadic_parameter":
            break
    return text(name), names


def _declared_name(declarator: Node | None) -> str:
    for _ in range(16):
        if declarator is None:
            return ""
        if declarator.type == "identifier":
            return text(declarator)
        declarator = declarator.child_by_field_name("declarator")
    return ""


def _owned_parameters(body: Node, params: list[str], owned: dict[str, set[int]]) -> set[int]:
    found: set[int] = set()
    locals_: dict[str, bool] | None = None  # local name -> whether it is an array
    for node in walk(body):
        if node.type == "assignment_expression":
            value = _stripped(node.child_by_field_name("right"))
            if value is None or value.type != "identifier" or text(value) not in params:
                continue
            if locals_ is None:
                locals_ = _locals(body)
            if _outlives_call(node.child_by_field_name("left"), locals_):
                found.add(params.index(text(value)))
            continue
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or function.type != "identifier":
            continue
        called = text(function)
        args = [a for a in arguments.named_children if a.type != "comment"]
        for position, argument in enumerate(args):
            value = _stripped(argument)
            if value is None or value.type != "identifier":
                continue
            name = text(value)
            if name not in params:
                continue
            if (
                called == "free"
                or position in owned.get(called, ())
                or any(_is_destructor(a, owned) for a in args if a is not argument)
            ):
                found.add(params.index(name))
    return found


def _locals(body: Node) -> dict[str, bool]:
    """The variables a function body declares, each with whether it is an array."""
    found: dict[str, bool] = {}
    for node in walk(body):
        if node.type != "declaration":
            continue
        for declarator in node.children_by_field_name("declarator"):
            if declarator.type == "init_declarator":
                declarator = declarator.child_by_field_name("declarator")
            array = declarator is not None and declarator.type == "array_declarator"
            name = _declared_name(declarator)
            if name:
                found[name] = array
    return found


def _outlives_call(target: Node | None, locals_: dict[str, bool]) -> bool:
    """Whether an assignment to `target` keeps the value beyond the call: a global, a
    place reached through a pointer, an element of memory that is not a local array."""
    target = _stripped(target)
    if target is None:
        return False
    if target.type == "identifier":
        return text(target) not in locals_  # a global (a parameter is a local copy)
    if target.type == "pointer_expression":
        return True  # `*out = s`
    if target.type == "field_expression":
        operator = target.child_by_field_name("operator")
        if operator is not None and operator.type == "->":
            return True
        return _outlives_call(target.child_by_field_name("argument"), locals_)
    if target.type == "subscript_expression":
        indexed = _stripped(target.child_by_field_name("argument"))
        if indexed is not None and indexed.type == "identifier":
            return not locals_.get(text(indexed), False)
        return _outlives_call(indexed, locals_)
    return False


def _is_destructor(argument: Node, owned: dict[str, set[int]]) -> bool:
    """`free`, `&free`, `(void (*)(void *))free`, or a function of the unit that takes
    ownership of its first parameter."""
    value = _stripped(argument)
    if value is not None and value.type == "pointer_expression":
        operator = value.child_by_field_name("operator")
        if operator is None or operator.type != "&":
            return False
        value = _stripped(value.child_by_field_name("argument"))
    if value is None or value.type != "identifier":
        return False
    name = text(value)
    return name == "free" or 0 in owned.get(name, ())


def _stripped(node: Node | None) -> Node | None:
    """The expression under casts and parentheses."""
    for _ in range(16):
        if node is None or node.type not in _WRAPPERS:
            return node
        if node.type == "cast_expression":
            node = node.child_by_field_name("value")
        else:
            node = node.named_children[0] if node.named_children else None
    return node
