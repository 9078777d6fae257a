"""Which arguments of a call are text that holds no NUL, and which are the caller's
own parameters handed on (RS101).

`CString::new(msg).unwrap()` in a helper panics only if a caller passes text with
a NUL as `msg`. The facts keep, per call, the positions of arguments known to
hold none (`set_error("bad input")`) and of the caller's text parameters passed on
as they are (`fn fail(code: i32, msg: &str) { set_error(code, msg) }`); the call
graph decides whether every caller passes such text (callgraph.py).
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from interop_lint.analyzer.rust.body import Fragment, Located
from interop_lint.analyzer.rust.expressions import COMMENTS
from interop_lint.analyzer.rust.literals import nul_free_text
from interop_lint.analyzer.rust.ownership import local_declaration

_TEXT_TYPES = (b"str", b"String")


def text_arguments(
    call: Node,
    fragment: Fragment,
    parameters: Callable[[], dict[str, tuple[int, Node]]],
    has_self: Callable[[], bool],
    json_in_file: bool,
) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    """(positions of NUL-free text arguments, (position, caller's parameter position)
    of the caller's text parameters passed on); parameter positions leave `self` out."""
    given = call.child_by_field_name("arguments")
    if given is None or given.named_child_count == 0:
        return (), ()
    texts: list[int] = []
    forwarded: list[tuple[int, int]] = []
    position = 0
    for argument in given.named_children:
        kind = argument.type
        if kind in COMMENTS or kind == "attribute_item":
            continue
        own = _own_parameter(argument, fragment, parameters) if kind == "identifier" else None
        if own is not None:
            forwarded.append((position, own - 1 if has_self() else own))
        elif _worth_reading(argument, json_in_file) and nul_free_text(Located(argument, fragment)):
            texts.append(position)
        position += 1
    return tuple(texts), tuple(forwarded)


def _own_parameter(
    argument: Node, fragment: Fragment, parameters: Callable[[], dict[str, tuple[int, Node]]]
) -> int | None:
    """The position (`self` counted) of the caller's text parameter an argument is."""
    name = (argument.text or b"").decode()
    declared = parameters().get(name)
    if declared is None or not any(t in (declared[1].text or b"") for t in _TEXT_TYPES):
        return None
    if local_declaration(name, Located(argument, fragment)) is not None:
        return None  # a local of that name shadows it
    return declared[0]


def _worth_reading(argument: Node, json_in_file: bool) -> bool:
    """A literal, `"x".to_string()`, `n.to_string()`, or (where the file may make JSON
    text) a local: the arguments that may be NUL-free text, found cheaply."""
    kind = argument.type
    if kind in ("string_literal", "raw_string_literal"):
        return True
    if kind == "identifier":
        return json_in_file
    written = argument.text or b""
    return kind == "call_expression" and (b'"' in written or written.endswith(b"to_string()"))
