"""The pointee types of the pointers a function passes to the functions it calls.

A generic helper gives back whatever its caller's pointer points to:

    fn free_box<T>(ptr: *mut T) { drop(unsafe { Box::from_raw(ptr) }) }

    pub unsafe extern "C" fn blind_free(b: *mut Blind) { free_box(b) }

`free_box` releases a `Box<Blind>` here, and nothing else unless another call
passes another type. The facts keep, for each call, the arguments whose pointee
is written where the call is (`PointerArgument`): the caller's own parameter
(`b: *mut Blind`), a cast (`p as *mut Blind`), or a turbofish
(`free_box::<Blind>(p)`). The index types a generic release by them
(`OwnershipQueries`); an argument left untyped keeps the release untyped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.body import Fragment, Located
from interop_lint.analyzer.rust.expressions import arguments
from interop_lint.analyzer.rust.facts import PointerArgument, RustCall
from interop_lint.analyzer.rust.ownership import pointee_name, type_name
from interop_lint.analyzer.rust.typed_kinds import expand_alias


def pointer_arguments(
    calls: Iterable[tuple[Node, Fragment, RustCall]],
    parameters: Callable[[], dict[str, tuple[int, Node]]],
    aliases: dict[str, Node],
    generics: Callable[[], set[str]],
) -> tuple[PointerArgument, ...]:
    """The arguments of the function's plain calls whose pointee type is written there
    (`parameters` and `generics` are asked only when a call has an argument)."""
    found: list[PointerArgument] = []
    for node, fragment, call in calls:
        if call.method:
            continue
        given = _turbofish_type(node)
        for position, argument in enumerate(arguments(Located(node, fragment))):
            pointee = given or _pointee_of(argument.node, parameters, aliases)
            if pointee is not None and pointee != "Self" and pointee not in generics():
                found.append(PointerArgument(call, position, pointee))
    return tuple(found)


def _pointee_of(
    argument: Node, parameters: Callable[[], dict[str, tuple[int, Node]]], aliases: dict[str, Node]
) -> str | None:
    """`Blind` of a parameter `b: *mut Blind` (through the file's aliases) or of `p as
    *mut Blind`."""
    while argument.type == "parenthesized_expression" and argument.named_child_count == 1:
        argument = argument.named_children[0]
    if argument.type == "type_cast_expression":
        return pointee_name(expand_alias(argument.child_by_field_name("type"), aliases))
    if argument.type == "identifier":
        declared = parameters().get(text(argument))
        if declared is not None:
            return pointee_name(expand_alias(declared[1], aliases))
    return None


def _turbofish_type(call: Node) -> str | None:
    """`Blind` of `free_box::<Blind>(p)`: the one type argument a generic call names."""
    function = call.child_by_field_name("function")
    if function is None or function.type != "generic_function":
        return None
    given = function.child_by_field_name("type_arguments")
    named = [a for a in given.named_children if a.type != "lifetime"] if given else []
    return type_name(named[0]) if len(named) == 1 else None
