"""Exports that a crate's own `macro_rules!` macros write.

Crates often stamp out their C API with a macro:

    macro_rules! free_fn {
        ($name:ident, $t:ty) => {
            #[no_mangle]
            pub unsafe extern "C" fn $name(p: *mut $t) { drop(Box::from_raw(p)) }
        };
    }
    free_fn!(engine_free, Engine);

tree-sitter keeps a transcriber as tokens. Where an invocation can be
expanded (rust.expansion), the functions it writes are items of the file and
`RustExport`s like any other. The symbols are learnt here too, for every
invocation: they are what the cross-language rules need not to call a header
wrong, and an invocation that cannot be expanded still names them. A symbol a transcriber
spells out is known; one it takes from the invocation (`fn $name`, `paste`'s
`fn [<$name _free>]`) is learnt by matching the file's item-level
invocations against the macro's rules (rust.macro_match). When that fails,
or the macro is invoked from another file, the crate exports symbols no
fact names: "the crate does not export it" is unknown there, and unknown
never produces a finding.

Except for a macro that takes a whole function (`ffi_fn! { fn NAME(..) ..
{ .. } }`, hyper's and regex-capi's): the functions its invocations write
are items of their files and exports of the crate wherever they are
(rust.item_macros, RustIndex.exports_in_file), so that it is invoked from
another file leaves nothing unknown. What the crate's index still cannot
see is an invocation that was not unwrapped (it holds something else, or
stands in another macro's tokens: `cfg_if! { .. ffi_fn! { .. } .. }`): each
file records the macros it invokes outside of those unwrapped
(`invoked_macros`), and a crate that invokes one of its function-taking export
macros so stays open (RustIndex.crates_that_may_generate).
"""

from __future__ import annotations

import re

from msgspec import Struct
from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.item_macros import items_of_kind
from interop_lint.analyzer.rust.macro_match import (
    METAVARIABLE,
    Group,
    first_match,
    paste_parts,
    token_tree,
)
from interop_lint.analyzer.rust.releases import RELEASE_CALLS

# The attribute that exports the function written after it.
_EXPORT_ATTRIBUTE = re.compile(r"\bno_mangle\b|\bexport_name\s*=\s*(\"[^\"]*\"|\S)")
# The name of the next function: an identifier, a metavariable, or a paste group.
_NEXT_FUNCTION = re.compile(r"\bfn\s+(\$?[A-Za-z_][A-Za-z0-9_]*|\[<[^>]*>\])")


class GeneratedExports(Struct, frozen=True):
    symbols: tuple[str, ...]  # known: spelled out, or bound by an invocation
    named_elsewhere: bool  # some symbol could not be learnt from this file
    release_kinds: tuple[str, ...]  # what the exports give back to Rust (RS105)


class _Rule(Struct, frozen=True):
    matcher: str  # the rule's left side, delimiters included
    names: tuple[str, ...]  # `engine_free`, `$name`, `[<$name _free>]`, or "" for unknown
    release_kinds: tuple[str, ...]


def generated_exports(
    root: Node, definitions: list[Node], function_macros: frozenset[str] = frozenset()
) -> GeneratedExports | None:
    """The exports the file's `macro_rules!` `definitions` write when invoked; None
    when none writes an export. `function_macros` are those among them that take a
    whole function (rust.item_macros): the crate's index pairs their invocations."""
    macros: dict[str, list[_Rule]] = {}
    for definition in definitions:
        name = definition.child_by_field_name("name")
        rules = [r for r in map(_export_rule, definition.named_children) if r is not None]
        if name is not None and rules:
            macros[text(name)] = rules
    if not macros:
        return None
    symbols: list[str] = []
    named_elsewhere = False
    invoked: set[str] = set()
    for invocation in items_of_kind(root, "macro_invocation"):
        macro = invocation.child_by_field_name("macro")
        rules = macros.get(text(macro)) if macro is not None else None
        if rules is None:
            continue
        invoked.add(text(macro))
        found = _expand_names(rules, invocation)
        if found is None:
            named_elsewhere = True
        else:
            symbols += found
    for name, rules in macros.items():
        literal = [n for rule in rules for n in rule.names if _is_literal(n)]
        symbols += literal
        if (
            name not in invoked
            and name not in function_macros
            and any(not _is_literal(n) for r in rules for n in r.names)
        ):
            named_elsewhere = True  # invoked from another file (`#[macro_use]`), or never
    releases = tuple(
        dict.fromkeys(k for rules in macros.values() for r in rules for k in r.release_kinds)
    )
    return GeneratedExports(tuple(dict.fromkeys(symbols)), named_elsewhere, releases)


def merged(first: GeneratedExports, second: GeneratedExports) -> GeneratedExports:
    """The exports of both."""
    return GeneratedExports(
        tuple(dict.fromkeys((*first.symbols, *second.symbols))),
        first.named_elsewhere or second.named_elsewhere,
        tuple(dict.fromkeys((*first.release_kinds, *second.release_kinds))),
    )


def _is_literal(name: str) -> bool:
    return bool(name) and not name.startswith(("$", "[<"))


def _export_rule(rule: Node) -> _Rule | None:
    left, right = rule.child_by_field_name("left"), rule.child_by_field_name("right")
    if rule.type != "macro_rule" or left is None or right is None:
        return None
    transcriber = text(right)
    if "no_mangle" not in transcriber and "export_name" not in transcriber:
        return None
    names: list[str] = []
    for attribute in _EXPORT_ATTRIBUTE.finditer(transcriber):
        literal = attribute.group(1)
        function = _NEXT_FUNCTION.search(transcriber, attribute.end())
        if function is None:
            continue
        if literal is None:
            names.append(function.group(1))
        else:  # `export_name = "sym"`; `= $sym` or `= concat!(..)` is unknown
            names.append(literal[1:-1] if literal.startswith('"') else "")
    if not names:
        return None
    # The type is a metavariable more often than not, so the kind is left open.
    releases = tuple(kind for call, kind in RELEASE_CALLS.items() if call in transcriber)
    return _Rule(text(left), tuple(names), releases)


def _expand_names(rules: list[_Rule], invocation: Node) -> list[str] | None:
    """The symbols an invocation exports, by the first rule it matches; None if unknown."""
    arguments = next((c for c in invocation.named_children if c.type == "token_tree"), None)
    given = token_tree(text(arguments)) if arguments is not None else None
    if not given or not isinstance(given[0], Group):
        return None
    found = first_match(rules, given[0])
    if found is None:
        return None
    rule, bindings = found
    symbols: list[str] = []
    for name in rule.names:
        spelled = _spell(name, bindings)
        if spelled is None:
            return None
        symbols += spelled
    return symbols


def _spell(name: str, bindings: dict[str, list[str]]) -> list[str] | None:
    """The symbols a name template stands for: `foo`, `$name` (one per repetition), or
    `[<$name _free>]` / `[<free_ $t:snake>]` (pasted, one per repetition)."""
    if not name:
        return None
    inside = name[2:-2] if name.startswith("[<") else name
    values: dict[str, list[str]] = {}
    for variable in METAVARIABLE.findall(inside):
        bound = bindings.get(variable)
        if not bound or not all(re.fullmatch(r"[A-Za-z_]\w*", b) for b in bound):
            return None
        values[variable] = bound
    count = max((len(v) for v in values.values()), default=1)
    if any(len(v) not in (1, count) for v in values.values()):
        return None
    symbols: list[str] = []
    for number in range(count):
        written = METAVARIABLE.sub(
            lambda found, at=number: (v := values[found.group(1)])[at if len(v) > 1 else 0],
            inside,
        )
        symbol = paste_parts(written) if name.startswith("[<") else written
        if symbol is None:
            return None
        symbols.append(symbol)
    return symbols
