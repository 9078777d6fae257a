"""`&s[0]` at the C boundary (GO104): may the slice be empty where it is indexed?

A slice is taken to be non-empty where the code shows it: an array (fixed
length), a definition that cannot be empty (`make([]T, 64)`, a non-empty
literal, `append(s, x)`, `[]byte(s + "\\x00")`, `make([]T, len(x))` of
such an `x`), inside `for ... range s`,
or a function that checks its length: `len(s)` or `cap(s)` in a comparison
or a `switch`, `n := len(s)` with `n` compared, `s == ""` for the string a
byte slice was converted from, or the length of the slice it was made from
(`ptrs := make([]*C.char, len(parts))` is checked by `len(parts)`, so is
`make([]*C.char, n)` with `n := len(parts)`, `s = parts`, and
`s = append(s, x)` run in every iteration of `for range parts`;
`bs := v.([]byte)` by `len(v.([]byte))`), or `make([]T, n)` with `n` compared.
A length may be converted on its way (`n := C.size_t(len(parts))`), a slice made
with a sum of lengths is checked where that sum is (`make([]T, len(a)+len(b))`),
and a counter of the elements put in the slice guards it (golang/lengths.py).

The parameter of an unexported helper is non-empty when every call of the
helper in its file passes a slice the caller shows to be non-empty
(`decompressSizeHint(src)` after `if len(src) == 0 { return }`; see
golang/callers.py): one level of callers, not their callers.

A comparison that only clamps a value is no check (`_is_clamp`):
`if len(b) < n { n = len(b) }` lets both paths reach `&b[0]`, an empty `b`
too. Nothing finer is asked of the other comparisons (that they dominate the
`&s[0]`, or compare with a positive bound): `if len(b) < size { return }`
is a check. A flow-sensitive rule would report what this one leaves alone,
and the rule's precision comes first.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from interop_lint.analyzer.golang.callers import passed_for
from interop_lint.analyzer.golang.images import made_in_function
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.lengths import (
    counted_guard,
    equal_length_partner,
    in_comparison,
    is_clamp,
    normal,
    through_conversions,
)
from interop_lint.analyzer.golang.loops import (
    counted_by,
    inside_counting_loop,
    inside_range_over,
    ranged_over,
)
from interop_lint.analyzer.golang.made_lengths import made_from, make_length, measured_by
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.positive_lengths import known_positive
from interop_lint.analyzer.golang.reslices import reslice_non_empty
from interop_lint.analyzer.golang.sized_results import sized_argument
from interop_lint.analyzer.golang.syntax import (
    arguments,
    operator,
    outer_paren,
    unparen,
)
from interop_lint.analyzer.golang.types import is_slice
from interop_lint.analyzer.parsing import enclosing, text

_SWITCHES = frozenset({"expression_switch_statement", "expression_case"})
_UNARY = frozenset({"unary_expression"})
_BINARY = frozenset({"binary_expression"})


def may_be_empty(inference: Inference, container: Node) -> bool:
    """Whether a slice may be empty where `&s[0]` is taken (see the module docstring)."""
    if not is_slice(inference.type_of(container), inference.lookup):
        return False
    if shown_non_empty(inference.file, container) or made_in_function(inference.file, container):
        return False
    return not _vetted_by_callers(inference, container)


def shown_non_empty(file: GoFile, container: Node) -> bool:
    """Whether the function of `container` shows it to be non-empty where it is."""
    if _non_empty_definition(file, container) or inside_range_over(container):
        return True
    if _sized_by_range(file, container):
        return True
    if inside_counting_loop(container):
        return True
    return has_length_check(file, container)


def _vetted_by_callers(inference: Inference, container: Node) -> bool:
    """Whether `container` is a parameter every caller in the file passes a slice
    it shows to be non-empty (a literal, or one it checks)."""
    file = inference.file
    binding = file.binding(container) if container.type == "identifier" else None
    passed = passed_for(file, binding) if binding is not None else None
    if passed is None:
        return False
    return all(
        is_slice(inference.type_of(argument), inference.lookup)
        and (
            is_non_empty(file, argument)
            or reslice_non_empty(file, argument)
            or shown_non_empty(file, argument)
        )
        for argument in passed
    )


def _non_empty_definition(file: GoFile, container: Node, depth: int = 0) -> bool:
    binding = file.binding(container)
    if binding is None and container.type == "identifier":
        variable = file.package.variables.get(text(container))
        return variable is not None and variable.non_empty
    if binding is None:
        return False
    reaching = binding.value_reaching(container)
    if binding.is_parameter and reaching is None:
        return False  # `args = append([]string{"prog"}, args...)` before is the value
    values = [reaching] if reaching is not None else [v for _, v in binding.definitions()]
    definitions = [unparen(v) for v in values]
    return all(
        v is not None and (is_non_empty(file, v, depth) or reslice_non_empty(file, v))
        for v in definitions
    )


_MEASURED_DEPTH = 3  # `make(T, len(x))` followed to x's definition, and so on


def is_non_empty(file: GoFile, value: Node, depth: int = 0) -> bool:
    if value.type == "composite_literal":
        body = value.child_by_field_name("body")
        return body is not None and body.named_child_count > 0
    if file.builtin_call(value, "append"):
        appended = arguments(value)
        if appended and appended[-1].type == "variadic_argument":
            # `append(base, more...)`: as long as both, so non-empty with `base`
            base = unparen(appended[0])
            return base is not None and is_non_empty(file, base, depth)
        return len(appended) > 1
    if file.builtin_call(value, "make") or file.calls(value, "unsafe", "Slice"):
        args = arguments(value)  # the length is the second argument of both
        length = file.constant(args[1]) if len(args) > 1 else None
        if length is None and len(args) > 1 and depth < _MEASURED_DEPTH:
            # `argv := make([]*C.char, len(args))` for `args := []string{"", in, out}`
            measured = unparen(args[1])
            if file.builtin_call(measured, "len") and len(arguments(measured)) == 1:
                counted = unparen(arguments(measured)[0])
                return counted.type == "identifier" and _non_empty_definition(
                    file, counted, depth + 1
                )
        return length is not None and length > 0
    converted = file.conversion(value)
    if converted is not None:
        operand = unparen(converted[1])
        return operand is not None and _non_empty_string(file, operand)
    return False


# A verb of a format string: what it prints may be empty (`%s` of "").
_VERB = re.compile(r"%[-+# 0]*(?:\[\d+\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z]")


def _non_empty_string(file: GoFile, operand: Node) -> bool:
    """Whether a string expression cannot be empty: a non-empty literal, a `+` with
    one, or `fmt.Sprintf` of a format with text outside its verbs (`"id=%d"`). A
    call that takes a literal may still give "" (`os.Getenv("X")`,
    `strings.TrimPrefix(s, "v")`, `fmt.Sprintf("%s", err)`)."""
    pending = [operand]
    while pending:
        current = unparen(pending.pop())
        if current is None:
            continue
        if current.type in ("interpreted_string_literal", "raw_string_literal"):
            if len(text(current)) > 2:
                return True
        elif (
            current.type == "binary_expression"
            and text(current.child_by_field_name("operator")) == "+"
        ):
            pending += [current.child_by_field_name("left"), current.child_by_field_name("right")]
        elif file.calls(current, "fmt", "Sprintf"):
            given = arguments(current)
            form = unparen(given[0]) if given else None
            literal = form is not None and form.type == "interpreted_string_literal"
            if literal and _VERB.sub("", text(form)[1:-1]):
                return True
    return False


def has_length_check(file: GoFile, container: Node, depth: int = 0) -> bool:
    """Whether the function of `container` checks its length (see the module docstring);
    also through a slice it is shown as long as (`equal_length_partner`)."""
    scope = file.scope(container)
    if scope is None:
        return False
    if _length_compared(file, container) or counted_guard(file, container):
        return True
    binding = file.binding(container) if container.type == "identifier" else None
    count = sized_argument(file, binding) if binding is not None else None
    if count is not None and known_positive(file, count):
        return True  # `lower := makeCopy(bounds, dim)` after `if dim == 0 { return }`
    wanted = {normal(container), *made_from(file, container)}
    sums = _summed_lengths(file, container)
    function = scope.function
    for operator_ in ("==", "!="):
        for node in file.syntax.parents(operator_, _BINARY, within=function):
            if _is_empty_string_test(node, wanted):
                return True
    # A check of a parameter written after the use comes too late (openssl's `if n !=
    # len(buf)` after `C.BIO_write(.., &buf[0], ..)`), unless the use is in a function
    # literal that may run later. A buffer the code sizes itself is left alone: a late
    # check shows the code minds its length (one sized by a C function is non-empty).
    indexed = container.parent is not None and container.parent.type == "index_expression"
    late = indexed and binding is not None and binding.is_parameter
    before = container.start_byte if late and not enclosing(container, "func_literal") else None
    for name in ("len", "cap"):
        for node in file.syntax.calls_named(name, within=function):
            if not file.builtin_call(node, name) or (before and node.start_byte > before):
                continue
            args = arguments(node)
            if len(args) == 1 and normal(args[0]) in wanted:
                if _checked(file, node):
                    return True
                partner = equal_length_partner(node) if name == "len" and depth < 2 else None
                if partner is not None and has_length_check(file, partner, depth + 1):
                    return True
            if sums and name == "len":
                total = _sum_around(node)
                if normal(total) in sums and _checked(file, total):
                    return True
    return False


def length_clamp(file: GoFile, container: Node) -> Node | None:
    """The first comparison of `len(s)` in the function that only clamps another value
    (`if len(b) < n { n = len(b) }`): why a function that spells `len(s)` is reported."""
    scope = file.scope(container)
    if scope is None:
        return None
    wanted = normal(container)
    for node in file.syntax.calls_named("len", within=scope.function):
        args = arguments(node)
        if len(args) != 1 or normal(args[0]) != wanted:
            continue
        current = node.parent
        while current is not None and current.type == "parenthesized_expression":
            current = current.parent
        if current is not None and current.type == "binary_expression" and is_clamp(current):
            return current
    return None


def _summed_lengths(file: GoFile, container: Node) -> set[str]:
    """`len(a)+len(b)` of `make([]T, len(a)+len(b))`: a sum of lengths the slice is made
    with, checked where the same sum is compared (`n := C.size_t(len(a) + len(b))`
    with `if n > 0`)."""
    binding = file.binding(container)
    found = set()
    for _, value in binding.definitions() if binding is not None else ():
        value = unparen(value)
        if value is not None and file.builtin_call(value, "make"):
            length = make_length(value)
            if length is not None and length.type == "binary_expression":
                found.add(normal(length))
    return found


def _sum_around(length: Node) -> Node:
    """The whole sum `len(a) + len(b) + ..` that `length` is a term of (or itself)."""
    current = outer_paren(length)
    while current.parent is not None and current.parent.type == "binary_expression":
        if operator(current.parent) != "+":
            break
        current = outer_paren(current.parent)
    return current


def _sized_by_range(file: GoFile, container: Node) -> bool:
    """`ptrs := make([]T, len(names))` read inside `for .. range names`: an iteration
    runs only when `names`, and so `ptrs`, is non-empty (go-llama.cpp)."""
    binding = file.binding(container)
    made = binding.value_reaching(container) if binding is not None else None
    made = unparen(made) if made is not None else None
    if made is None or not (file.builtin_call(made, "make") or file.calls(made, "unsafe", "Slice")):
        return False
    measured = measured_by(file, make_length(made))
    return measured is not None and normal(measured) in ranged_over(container)


def _length_compared(file: GoFile, container: Node) -> bool:
    """`buf := make([]T, n)` where `n` is known positive: compared by the function
    (`if n == 0 { return }`, also when converted: `make([]T, int(n))`), raised to a
    positive bound, `e + 1` (`len(s) + 1` for a terminator), or a positive constant
    every caller passes (golang/lengths.py)."""
    binding = file.binding(container)
    definitions = binding.definitions() if binding is not None else []
    made = [unparen(v) for _, v in definitions if _made_positive(file, v)]
    if made:
        reaching = binding.value_reaching(container)  # type: ignore[union-attr]
        if unparen(reaching) in made or not any(
            _replaced_by_another(file, container, v) for _, v in definitions
        ):
            return True  # not when `b = payload` may have replaced `make([]byte, 4)`
    for where, value in binding.definitions() if binding is not None else ():
        # `s = append(s, x)` in every iteration of `for i := 0; i < n; i++` with `n`
        # known positive (go-geos's holes under `if nholes > 0`)
        if value is not None and file.builtin_call(unparen(value), "append"):
            bound = counted_by(where)
            if bound is not None and known_positive(file, bound):
                return True
    return False


def _made_positive(file: GoFile, value: Node | None) -> bool:
    """`make([]T, n)`, `unsafe.Slice(p, n)` or `C.GoBytes(p, n)` (all three as long as
    their second argument) with `n` known positive."""
    value = unparen(value)
    if value is None or not (
        file.builtin_call(value, "make")
        or file.calls(value, "unsafe", "Slice")
        or file.calls(value, "C", "GoBytes")
    ):
        return False
    length = make_length(value)
    return length is not None and known_positive(file, length)


def _replaced_by_another(file: GoFile, variable: Node, value: Node | None) -> bool:
    """A value assigned to a slice variable that is not made in place, nor the same
    slice re-sliced or appended to, nor non-empty: another slice, of any length."""
    value = unparen(value)
    if value is None or _made_positive(file, value) or is_non_empty(file, value):
        return False
    if file.builtin_call(value, "make"):
        return True
    if value.type == "slice_expression" or file.builtin_call(value, "append"):
        base = value.child_by_field_name("operand") if value.type == "slice_expression" else None
        base = base if base is not None else next(iter(arguments(value)), None)
        return normal(base) != normal(variable) if base is not None else True
    return True


def _checked(file: GoFile, length: Node) -> bool:
    """`len(s)` in a comparison or a switch, or kept in a variable that is compared;
    converted or not (`n := C.size_t(len(s))` keeps the length)."""
    length = through_conversions(file, length)
    if in_comparison(length):
        return True
    parent = length.parent
    statement = parent.parent if parent is not None else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = statement.child_by_field_name("left")
    values = parent.named_children
    if left is None or length not in values or len(left.named_children) != len(values):
        return False
    binding = file.binding(left.named_children[values.index(length)])
    return binding is not None and any(in_comparison(read) for read in binding.reads)


def _is_empty_string_test(node: Node, wanted: set[str]) -> bool:
    if operator(node) not in ("==", "!="):
        return False
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    sides = {normal(left), normal(right)}
    return ('""' in sides or "``" in sides) and bool(sides & wanted)
