"""Where code takes `&s[0]` and hands it to C (GO104's sites; golang.slices decides
whether the slice may be empty there).

`&s[0]` written out, or a method of the package with a pointer receiver that
returns it, called on `s[0]` (Go takes `&s[0]` for the call); the C call the
address reaches directly, converted, through locals, or as a cursor passed
by address (`d2i_X509(nil, &buf, n)`).
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from interop_lint.analyzer.golang.flow import value_uses
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.syntax import is_address_of, unparen
from interop_lint.analyzer.golang.types import Kind, element_type, is_slice
from interop_lint.analyzer.golang.uses import UseKind

_UNARY = frozenset({"unary_expression"})


def first_element_addresses(file: GoFile) -> Iterator[tuple[Node, Node]]:
    """(`&s[0]`, `s`) for every address of a first element in the file, or of a field
    of it (`&points[0].cgo` indexes the slice all the same: blst's `P1Affines`)."""
    for node in file.syntax.parents("&", _UNARY):
        if not is_address_of(node):
            continue
        operand = unparen(node.child_by_field_name("operand"))
        while operand is not None and operand.type == "selector_expression":
            operand = unparen(operand.child_by_field_name("operand"))
        container = _first_element_of(file, operand)
        if container is not None:
            yield node, container


def _first_element_of(file: GoFile, index: Node | None) -> Node | None:
    """`s` of `s[0]` (parentheses around it allowed); None for anything else."""
    index = unparen(index)
    if index is None or index.type != "index_expression":
        return None
    position = index.child_by_field_name("index")
    if position is None or file.constant(position) != 0:
        return None
    return index.child_by_field_name("operand")


def receiver_addresses(inference: Inference) -> Iterator[tuple[Node, Node, Node]]:
    """(`s[0]`, `s`, `s[0].cptr()`) for a call, on the first element of a slice, of a
    method of the package whose pointer receiver it returns (GoFuncDecl.returns_receiver):
    Go takes `&s[0]` for the call (go-sdl2's `func (p *Point) cptr() *C.SDL_Point`)."""
    file = inference.file
    for name, methods in file.package.methods.items():
        receivers = {m.receiver for m in methods if m.returns_receiver}
        if not receivers:
            continue
        for token in file.syntax.tokens.tokens(name):
            selector = token.parent
            call = selector.parent if selector is not None else None
            if (
                selector is None
                or selector.type != "selector_expression"
                or call is None
                or call.type != "call_expression"
                or call.child_by_field_name("function") != selector
            ):
                continue
            index = unparen(selector.child_by_field_name("operand"))
            container = _first_element_of(file, index)
            if index is None or container is None:
                continue
            held, lookup = inference.type_of(container), inference.lookup
            element = element_type(held, lookup) if is_slice(held, lookup) else None
            if element is not None and element.kind == Kind.NAME and element.name in receivers:
                yield index, container, call


def reaches_c_call(file: GoFile, expr: Node) -> str | None:
    """The C function a pointer expression is passed to (directly, converted, or
    through local variables), if any."""
    for use in value_uses(file, expr).uses:
        call = use.call if use.kind == UseKind.ARGUMENT else _cursor_call(use.node)
        name = file.c_function(call) if call is not None else None
        if name is not None:
            return name
    return None


def _cursor_call(variable: Node) -> Node | None:
    """The call `&buf` is an argument of: a cursor C reads and advances through a
    `const unsigned char **` (OpenSSL's `d2i_X509(NULL, &buf, len)`, gossl)."""
    address = variable.parent
    if variable.type != "identifier" or address is None or address.type != "unary_expression":
        return None
    listed = address.parent if address.children[0].type == "&" else None
    call = listed.parent if listed is not None and listed.type == "argument_list" else None
    return call if call is not None and call.type == "call_expression" else None
