"""Slices a package function validates before `&s[0]` (GO104).

Wrappers often check their input in a helper and give up when it fails:

    func checkSignature(sig []byte) error {
        if len(sig) != 65 { return ErrInvalidSignatureLen }
        ...
    }
    if err := checkSignature(sig); err != nil { return nil, err }
    C.parse(&sig[0])

(go-ethereum's secp256k1 bindings). A slice is validated when it is passed to
a package function that checks the length of that parameter (as GO104 asks of
any function: golang/slices.py) and says so in its result, an `error` or a
`bool`, and the caller acts on that result before taking `&s[0]`: the call is
in an `if` condition, or its error is compared with nil. So is a slice made with
the length of one so validated (`input := make([]C.Note, len(notes))`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import TypeExpr
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.slices import has_length_check
from interop_lint.analyzer.golang.syntax import (
    arguments,
    declared_names,
    operator,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.types import BUILTIN_TYPES, Kind
from interop_lint.analyzer.parsing import text

_VERDICTS = frozenset({"error", "bool"})


def length_checked_params(
    file: GoFile,
    function: Node,
    params: tuple[TypeExpr | None, ...],
    results: tuple[TypeExpr | None, ...],
) -> tuple[int, ...]:
    """The positions of slice parameters whose length `function` checks, when its last
    result (an `error` or a `bool`) can report what it found."""
    last = results[-1] if results else None
    if last is None or last.kind != Kind.NAME or last.name not in _VERDICTS:
        return ()
    names = declared_names(function.child_by_field_name("parameters"))
    checked = tuple(
        i
        for i, (name, kind) in enumerate(zip(names, params, strict=False))
        if name is not None and _slice_like(kind) and has_length_check(file, name)
    )
    receiver = _receiver_name(function)
    if receiver is not None and has_length_check(file, receiver):
        return (RECEIVER, *checked)  # `func (s Shape) Validate() error`
    return checked


RECEIVER = -1  # in `length_checked_params`: the method's receiver


def _slice_like(kind: TypeExpr | None) -> bool:
    """A slice, or a type of the package that may be one (`type Shape []int64`,
    perhaps declared in another file): `&s[0]` of what the caller passes is a
    slice's, the length check a slice's too."""
    if kind is None:
        return False
    return kind.kind == Kind.SLICE or (kind.kind == Kind.NAME and kind.name not in BUILTIN_TYPES)


def _receiver_name(function: Node) -> Node | None:
    receivers = function.child_by_field_name("receiver")
    declared = receivers.named_children[0] if receivers and receivers.named_children else None
    return declared.child_by_field_name("name") if declared is not None else None


def validated_before(file: GoFile, container: Node) -> bool:
    """Whether `container` was passed, before it is used here, to a package function
    that checks its length, and the caller acted on the verdict (module docstring)."""
    binding = file.binding(container) if container.type == "identifier" else None
    if binding is None or binding.writes:
        return False
    for read in binding.reads:
        if read.start_byte >= container.start_byte:
            continue
        argument_list = read.parent
        if argument_list is not None and argument_list.type == "selector_expression":
            if _validating_method(file, argument_list):  # `shape.Validate()`
                return True
            continue
        call = argument_list.parent if argument_list is not None else None
        if call is None or call.type != "call_expression":
            continue
        if call.child_by_field_name("arguments") != argument_list:
            continue
        position = argument_list.named_children.index(read)
        function = call.child_by_field_name("function")
        declared = file.package.function_for(text(function)) if function is not None else None
        checks = declared is not None and position in declared.length_checked_params
        if checks and _verdict_heeded(file, call):
            return True
        if declared is None and _panicking_check(function):
            return True
    return False


# A function of another package that checks its argument by name and gives no verdict
# to act on: it panics when the check fails (libsodium-go's `support.CheckSize(n,
# NonceBytes(), "nonce")`). Its body is not in sight; its name and its call as a
# statement of its own are what there is.
_CHECKING_NAME = re.compile(r"(?:Check|Validate|Assert|Must|Require|Ensure)[A-Z_]")


def _panicking_check(function: Node | None) -> bool:
    """`pkg.CheckSize(s, ..)` called as a statement, `pkg` another package of Go code."""
    if function is None or function.type != "selector_expression":
        return False
    package = function.child_by_field_name("operand")
    name = text(function.child_by_field_name("field"))
    if package is None or package.type != "identifier" or text(package) == "C":
        return False
    statement = outer_paren(function.parent).parent if function.parent is not None else None
    return (
        statement is not None
        and statement.type == "expression_statement"
        and _CHECKING_NAME.match(name) is not None
    )


def validated_source(file: GoFile, container: Node) -> bool:
    """Whether a local made once as `make([]T, len(x))` is sized by an `x` validated
    before that (`validate(notes)` then `input := make([]C.Note, len(notes))`,
    minacalc's wrappers)."""
    binding = file.binding(container) if container.type == "identifier" else None
    if binding is None or binding.is_parameter or binding.writes:
        return False
    value = unparen(binding.value)
    if value is None or not file.builtin_call(value, "make"):
        return False
    given = arguments(value)
    measured = unparen(given[1]) if len(given) > 1 else None
    if measured is None or not file.builtin_call(measured, "len"):
        return False
    counted = arguments(measured)
    source = unparen(counted[0]) if len(counted) == 1 else None
    return source is not None and source.type == "identifier" and validated_before(file, source)


def _validating_method(file: GoFile, selector: Node) -> bool:
    """`shape.Validate()` of a method that checks its receiver's length, heeded."""
    call = selector.parent
    if call is None or call.type != "call_expression":
        return False
    if call.child_by_field_name("function") != selector:
        return False
    declared = file.package.function_for(text(selector))
    return (
        declared is not None
        and RECEIVER in declared.length_checked_params
        and _verdict_heeded(file, call)
    )


def _verdict_heeded(file: GoFile, call: Node) -> bool:
    """The call is (part of) an `if` condition, or its error is compared with nil."""
    current = outer_paren(call)
    parent = current.parent
    while parent is not None and parent.type in ("unary_expression", "binary_expression"):
        current, parent = parent, parent.parent
    if parent is not None and parent.type == "if_statement":
        return parent.child_by_field_name("condition") == current
    statement = parent.parent if parent is not None and parent.type == "expression_list" else parent
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    error = file.binding(targets[-1]) if targets and targets[-1].type == "identifier" else None
    return error is not None and any(_compared_with_nil(read) for read in error.reads)


def _compared_with_nil(read: Node) -> bool:
    comparison = outer_paren(read).parent
    if comparison is None or comparison.type != "binary_expression":
        return False
    if operator(comparison) not in ("==", "!="):
        return False
    sides = (comparison.child_by_field_name("left"), comparison.child_by_field_name("right"))
    return any(side is not None and side.type == "nil" for side in sides)
