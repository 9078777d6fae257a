"""Questions about Go syntax trees that several rules and extractors ask."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from tree_sitter import Node

from interop_lint.analyzer.cgo import CgoPreamble, import_specs
from interop_lint.analyzer.golang.types import C_BUILTIN_TYPES, GLIB_TYPES
from interop_lint.analyzer.parsing import descendants_of_type, text

_TYPEDEF = re.compile(rb"typedef(?![A-Za-z0-9_])")
FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})
_BINARY_INT = {
    "<<": lambda a, b: a << b if 0 <= b < 256 else None,
    ">>": lambda a, b: a >> b if b >= 0 else None,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b if b else None,
    "%": lambda a, b: a % b if b else None,
    "|": lambda a, b: a | b,
    "&": lambda a, b: a & b,
    "^": lambda a, b: a ^ b,
}
# Constants of the standard library that the old array-cast idiom uses as lengths.
LIBRARY_CONSTANTS = {
    "math.MaxInt32": (1 << 31) - 1,
    "math.MaxUint32": (1 << 32) - 1,
    "math.MaxInt64": (1 << 63) - 1,
    "math.MaxInt": (1 << 63) - 1,
    "math.MaxInt16": (1 << 15) - 1,
    "math.MaxUint16": (1 << 16) - 1,
}


def unparen(node: Node | None) -> Node | None:
    """The expression inside any number of parentheses."""
    while node is not None and node.type == "parenthesized_expression":
        node = node.named_children[0] if node.named_children else None
    return node


# (qualifier, name) fields of a selector `x.f` and of a qualified type `pkg.T`.
_QUALIFIED_FIELDS = {
    "selector_expression": ("operand", "field"),
    "qualified_type": ("package", "name"),
}


def qualified_parts(node: Node) -> tuple[Node | None, Node | None]:
    """(`x`, `f`) of a selector `x.f` or a qualified type `x.f`; (None, None) otherwise."""
    fields = _QUALIFIED_FIELDS.get(node.type)
    if fields is None:
        return None, None
    return node.child_by_field_name(fields[0]), node.child_by_field_name(fields[1])


def outer_paren(node: Node) -> Node:
    """The outermost parentheses around an expression (itself without any)."""
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def callee(call: Node) -> str:
    """The called function as written, without spaces: `C.free`, `pkg.F`, `x.m`, `f`."""
    function = unparen(call.child_by_field_name("function"))
    return "".join(text(function).split())


def arguments(call: Node) -> list[Node]:
    argument_list = call.child_by_field_name("arguments")
    if argument_list is None:
        return []
    return [a for a in argument_list.named_children if a.type != "comment"]


def operator(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return text(op) if op is not None else ""


def is_address_of(node: Node | None) -> bool:
    return node is not None and node.type == "unary_expression" and operator(node) == "&"


def is_deref(node: Node | None) -> bool:
    return node is not None and node.type == "unary_expression" and operator(node) == "*"


def assignment_to(target: Node) -> Node | None:
    """The assignment statement whose left-hand side `target` is one of (`x.f = v`,
    `x.f, err = ..`), or None."""
    left = target.parent
    statement = left.parent if left is not None else None
    if left is None or left.type != "expression_list" or statement is None:
        return None
    if statement.type != "assignment_statement" or statement.child_by_field_name("left") != left:
        return None
    return statement


def assigned_value(target: Node) -> Node | None:
    """The value an assignment stores in `target`, one of its left-hand sides (`v` of
    `x.f = v`); None when `target` is assigned no single value of its own."""
    statement = assignment_to(target)
    right = statement.child_by_field_name("right") if statement is not None else None
    if statement is None or right is None:
        return None
    targets = statement.child_by_field_name("left").named_children  # type: ignore[union-attr]
    values = right.named_children
    return values[targets.index(target)] if len(targets) == len(values) else None


def literal_of(value: Node) -> tuple[Node, str] | None:
    """(the composite literal, the key as written or "") a value is an element of:
    `T{f: value}` gives "f", `T{value}` "". The literal's address, when it is taken
    (`&T{..}`), is what carries it: see `literal_carrier`."""
    element = value.parent
    if element is None or element.type != "literal_element":
        return None
    keyed = element.parent
    key = ""
    if keyed is not None and keyed.type == "keyed_element":
        if keyed.named_children[0] == element:
            return None  # the key itself
        key = text(keyed.named_children[0])
        element = keyed
    body = element.parent
    literal = body.parent if body is not None and body.type == "literal_value" else None
    if literal is None or literal.type != "composite_literal":
        return None
    return literal, key


def keyed_value(keyed: Node) -> Node | None:
    """The value expression of a keyed element `f: v` of a composite literal."""
    if keyed.type != "keyed_element" or keyed.named_child_count != 2:
        return None
    element = keyed.named_children[1]
    return element.named_children[0] if element.named_child_count else None


def literal_carrier(literal: Node) -> Node:
    """`&T{..}` when a composite literal's address is taken, else the literal."""
    address = outer_paren(literal).parent
    return address if is_address_of(address) else literal


def misread_dereference(node: Node | None) -> Node | None:
    """For `*(*T)(p)`, which tree-sitter-go reads as a conversion to the type `*(*T)`:
    the type node `(*T)`; else None. Go has no such conversion (a conversion to a type
    that starts with `*` must put it in parentheses): the expression is `*((*T)(p))`,
    the value `p` points to, read as a `T` (c-for-go copies arrays this way:
    `*(*[96]C.uint8_t)(unsafe.Pointer(&x.Inner))`)."""
    if node is None or node.type != "type_conversion_expression":
        return None
    written = node.child_by_field_name("type")
    if written is None or written.type != "pointer_type" or not written.named_children:
        return None
    return written.named_children[0]


def imports(root: Node) -> dict[str, str]:
    """The file's imports: local name -> import path (blank and dot imports left out)."""
    found: dict[str, str] = {}
    specs = [
        spec
        for declaration in root.children
        if declaration.type == "import_declaration"
        for spec in (
            descendants_of_type(declaration, "import_spec")
            if declaration.has_error  # specs may sit in ERROR nodes
            else (spec for spec, _ in import_specs(declaration))
        )
    ]
    for spec in specs:
        path = text(spec.child_by_field_name("path")).strip('"`')
        alias = spec.child_by_field_name("name")
        name = text(alias) if alias is not None else path.rsplit("/", 1)[-1]
        if name not in ("_", "."):
            found[name] = path
    return found


def enclosing_function(node: Node) -> Node | None:
    """The outermost function (declaration, method, or package-level literal) of a node."""
    found = None
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            found = parent
        parent = parent.parent
    return found


def exported_to_c(function: Node) -> bool:
    """Whether a function declaration carries cgo's `//export Name` in the comments
    right above it: C calls it, with C's arguments."""
    if function.type != "function_declaration":
        return False
    name = function.child_by_field_name("name")
    wanted = b"//export " + (name.text or b"" if name is not None else b"")
    comment = function.prev_sibling
    while comment is not None and comment.type == "comment":
        if (comment.text or b"").rstrip() == wanted:
            return True
        comment = comment.prev_sibling
    return False


def is_c_type_name(name: str, typedefs: frozenset[str]) -> bool:
    """Whether `C.name` names a C type (so `C.name(x)` converts, not calls).

    A name in capitals only is a type too: cgo cannot call a function-like
    macro, and C functions are hardly ever spelt so, while typedefs of C APIs
    often are (PKCS #11's `CK_BYTE_PTR`, defined in a header through a macro
    no preamble shows)."""
    return (
        name in C_BUILTIN_TYPES
        or name in typedefs
        or name in GLIB_TYPES
        or name.startswith(("struct_", "union_", "enum_"))
        or name.endswith("_t")
        or (name.isupper() and name.replace("_", "").isalnum())
    )


def preamble_typedefs(preamble: CgoPreamble | None) -> frozenset[str]:
    """The names a file's cgo preamble declares with `typedef`."""
    if preamble is None or _TYPEDEF.search(preamble.source) is None:
        return frozenset()  # not parsed: most preambles only include headers
    names = set()
    for definition in _type_definitions(preamble.tree.root_node):
        for declarator in definition.children_by_field_name("declarator"):
            names.update(text(n) for n in descendants_of_type(declarator, "type_identifier"))
    return frozenset(names)


def _type_definitions(root: Node) -> list[Node]:
    """The `typedef`s of a C tree, found from their keyword in the text it was parsed
    from (a preamble may hold whole C functions: no walk of them); a tree with
    syntax errors is walked."""
    data = root.text
    if root.has_error or data is None:
        return list(descendants_of_type(root, "type_definition"))
    found = []
    offset = root.start_byte  # the root's text starts at its first token
    for match in _TYPEDEF.finditer(data):
        start, end = match.span()
        if start and data[start - 1 : start].isalnum():
            continue
        keyword = root.descendant_for_byte_range(offset + start, offset + end)
        definition = keyword.parent if keyword is not None and keyword.type == "typedef" else None
        if definition is not None and definition.type == "type_definition":
            found.append(definition)
    return found


def evaluate_int(
    node: Node | None,
    known: Mapping[str, int | None],
    call: Callable[[Node], int | None] | None = None,
) -> int | None:
    """The value of a constant integer expression, or None (iterative, bounded); `call`
    gives the value of a call in it (`unsafe.Sizeof(x)`), when the caller can."""
    results: dict[int, int | None] = {}
    stack: list[tuple[Node, bool]] = [(node, False)] if node is not None else []
    while stack:
        current, ready = stack.pop()
        key = current.id
        if key in results:
            continue
        kids = current.named_children
        if current.type in ("binary_expression", "parenthesized_expression") and not ready:
            if len(stack) > 512:
                return None
            stack.append((current, True))
            stack.extend((k, False) for k in kids)
            continue
        if current.type == "call_expression":
            results[key] = call(current) if call is not None else None
        else:
            results[key] = _evaluate_one(current, kids, results, known)
    return results.get(node.id) if node is not None else None


def _evaluate_one(
    node: Node, kids: list[Node], results: dict[int, int | None], known: Mapping[str, int | None]
) -> int | None:
    if node.type == "int_literal":
        try:
            return int(text(node).replace("_", ""), 0)
        except ValueError:
            return None
    if node.type == "parenthesized_expression":
        return results.get(kids[0].id) if kids else None
    if node.type == "binary_expression" and len(kids) == 2:
        left, right = results.get(kids[0].id), results.get(kids[1].id)
        apply = _BINARY_INT.get(operator(node))
        if left is None or right is None or apply is None:
            return None
        return apply(left, right)
    if node.type in ("identifier", "selector_expression"):
        name = "".join(text(node).split())
        return known.get(name, LIBRARY_CONSTANTS.get(name))
    return None


def declared_names(parameters: Node | None) -> list[Node | None]:
    """The name of each parameter (or named result) of a parameter list, in order;
    None for an unnamed one."""
    names: list[Node | None] = []
    for declaration in parameters.named_children if parameters is not None else ():
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        named = declaration.children_by_field_name("name")
        names += named if named else [None]
    return names


def return_values(statement: Node) -> list[Node]:
    """The expressions a `return` statement gives (none for a bare `return`)."""
    listed = next((c for c in statement.named_children if c.type == "expression_list"), None)
    return list(listed.named_children) if listed is not None else []


def returns_in(body: Node) -> list[Node]:
    """The `return` statements of a function's body, outside function literals, in order."""
    return list(descendants_of_type(body, "return_statement", prune=tuple(FUNCTION_TYPES)))


def function_name(node: Node) -> str:
    """The name of the function or method a node is in (`Render`, `Engine.Close`);
    for a closure, its enclosing function's."""
    function = enclosing_function(node) if node.type not in FUNCTION_TYPES else node
    if function is None or function.type == "func_literal":
        return "a function literal"
    name = text(function.child_by_field_name("name"))
    if function.type != "method_declaration":
        return name
    receiver = function.child_by_field_name("receiver")
    types = descendants_of_type(receiver, "type_identifier") if receiver is not None else iter(())
    first = next(types, None)
    return f"{text(first)}.{name}" if first is not None else name
