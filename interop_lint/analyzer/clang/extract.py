"""The index pass for C text: headers, C sources, and the cgo preambles of Go files.

Declarations are searched among all descendants, not only top-level
children: include guards, `#ifdef` blocks and C++ `extern "C" {` blocks
nest them at any depth (tree-sitter-c recovers such headers with odd
nesting). Function bodies are skipped.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Iterable
from functools import cache

from tree_sitter import Node

from interop_lint.analyzer.cgo import CgoDirective
from interop_lint.analyzer.clang.enums import int_sized_enum
from interop_lint.analyzer.clang.facts import (
    CField,
    CFileFacts,
    CFunction,
    CInclude,
    CKind,
    CStruct,
    CTypedef,
)
from interop_lint.analyzer.clang.macro_bodies import type_macro_definitions
from interop_lint.analyzer.clang.ownership import ownership_taking
from interop_lint.analyzer.clang.syntax import base_type, declared, has_storage
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.parsing import Grammar, captures, parse, text
from interop_lint.analyzer.source import SourceFile

Locate = Callable[[tuple[int, int], tuple[int, int]], Location]

CBINDGEN_MARK = b"Generated with cbindgen"
_RECORD_TYPES = frozenset({"struct_specifier", "union_specifier"})
_QUOTING = re.compile(r"[\"'\\]")
_SHELL_WORD = re.compile(r"[^ \t\r\n]+")  # shlex's whitespace, nothing else
_LIBRARY_FILE = re.compile(r"(?:^|/)lib(?P<name>[A-Za-z0-9_.+-]+?)\.(?:a|so|dylib)(?:\.[0-9.]+)?$")


def extract_c(source: SourceFile, facts: FileFacts) -> None:
    """Facts of a header or C source file."""
    locate = source.lines.point_location
    facts.c = c_facts(
        source.root,
        locate,
        generated_by_cbindgen=CBINDGEN_MARK in source.data,
        ownership=ownership_taking(source.data, source.root),
        macro_types=tuple(_macro_typedefs(source.data, locate)),
    )


def _macro_typedefs(data: bytes, locate: Locate) -> Iterable[CTypedef]:
    """The type macros of a header (`#define X_ENCODER Encoder`) as typedefs, for the
    headers that include it: a macro used in the header itself is substituted
    before parsing (clang/macro_bodies.py), one from an included header cannot be.
    The values are read as the typedefs `typedef VALUE NAME;`, parsed together."""
    macros = type_macro_definitions(data)
    if not macros:
        return
    snippet = b"\n".join(b"typedef %s %s;" % (value, name) for name, value, _ in macros)
    places, row, last = [], 0, 0  # each macro's name, where the header defines it
    for name, _, offset in macros:
        row, last = row + data.count(b"\n", last, offset), offset
        column = offset - data.rfind(b"\n", 0, offset) - 1
        places.append(locate((row, column), (row, column + len(name))))
    for statement in parse(Grammar.C, snippet).root_node.named_children:
        line = statement.start_point[0]  # the snippet's line `line` is macro `line`'s
        if statement.type != "type_definition" or statement.has_error:
            continue
        if statement.end_point[0] == line:
            yield from _typedefs(statement, lambda _, at=places[line]: at)


def extract_preamble(source: SourceFile, facts: FileFacts) -> None:
    """Facts of the cgo preamble of a Go file, located in the Go file."""
    preamble = source.preamble
    if preamble is None:
        return
    directives = preamble.directives()
    facts.c = c_facts(
        preamble.tree.root_node,
        preamble.point_location,
        is_preamble=True,
        include_dirs=include_dirs(directives),
        link_libraries=link_libraries(directives),
    )


# What the facts are made of, in document order: a query finds them in C
# instead of a walk over every token of the header in Python.
_DECLARATIONS = """[
  (declaration) (function_definition) (type_definition) (struct_specifier)
  (union_specifier) (enum_specifier) (preproc_include) (compound_statement)
] @node"""


def c_facts(
    root: Node,
    locate: Locate,
    *,
    generated_by_cbindgen: bool = False,
    is_preamble: bool = False,
    include_dirs: tuple[str, ...] = (),
    link_libraries: tuple[str, ...] = (),
    ownership: tuple[tuple[str, int], ...] = (),
    macro_types: tuple[CTypedef, ...] = (),
) -> CFileFacts:
    functions: list[CFunction] = []
    structs: list[CStruct] = []
    typedefs: list[CTypedef] = []
    enums: list[str] = []
    int_enums: list[str] = []
    includes: list[CInclude] = []

    def where(node: Node) -> Location:
        return locate(node.start_point, node.end_point)

    body_end = -1  # the end of the function body last seen: what it holds is skipped
    found = captures(Grammar.C, _DECLARATIONS, root).get("node", [])
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))  # pre-order: outer first
    for node in found:
        if node.start_byte < body_end:
            continue
        kind = node.type
        if kind == "compound_statement":
            body_end = node.end_byte
            continue
        if kind in ("declaration", "function_definition"):
            functions += _functions(node, where)
        elif kind == "type_definition":
            typedefs += _typedefs(node, where)
        elif kind in _RECORD_TYPES and node.child_by_field_name("body") is not None:
            structs.append(_struct(node, where, locate))
        elif kind == "enum_specifier":
            enums += _enum_names(node)
            int_sized = int_sized_enum(node)
            if int_sized is not None:
                int_enums.append(int_sized)
        elif kind == "preproc_include":
            include = _include(node, locate)
            if include is not None:
                includes.append(include)
    return CFileFacts(
        functions=tuple(functions),
        structs=tuple(structs),
        typedefs=(*typedefs, *macro_types),
        enums=tuple(dict.fromkeys(enums)),
        int_enums=tuple(int_enums),
        includes=tuple(includes),
        include_dirs=include_dirs,
        link_libraries=link_libraries,
        generated_by_cbindgen=generated_by_cbindgen,
        is_preamble=is_preamble,
        ownership=ownership,
    )


def _functions(node: Node, where: Callable[[Node], Location]) -> Iterable[CFunction]:
    base = base_type(node)
    is_definition = node.type == "function_definition"
    for declarator in node.children_by_field_name("declarator"):
        one = declared(declarator, base)
        if one.name is None or one.type.kind is not CKind.FUNCTION:
            continue  # a variable, or a declarator we could not read
        yield CFunction(
            name=text(one.name),
            type=one.type,
            params=one.params,
            location=where(one.name),
            is_definition=is_definition,
            is_static=has_storage(node, "static"),
        )


def _typedef_names(definition: Node) -> list[str]:
    """The names a `typedef` gives to its type itself (not to pointers to it)."""
    return [
        text(d)
        for d in definition.children_by_field_name("declarator")
        if d.type == "type_identifier"
    ]


def _typedefs(node: Node, where: Callable[[Node], Location]) -> Iterable[CTypedef]:
    names = _typedef_names(node)
    base = base_type(node, anonymous_as=names[0] if names else "")
    for declarator in node.children_by_field_name("declarator"):
        one = declared(declarator, base)
        if one.name is not None:
            yield CTypedef(text(one.name), one.type, where(one.name))


def _struct(node: Node, where: Callable[[Node], Location], locate: Locate) -> CStruct:
    parent = node.parent
    typedef_names: list[str] = []
    statement = node
    if parent is not None and parent.child_by_field_name("type") == node:
        if parent.type == "type_definition":
            typedef_names = _typedef_names(parent)
            statement = parent
        elif parent.type == "declaration":
            statement = parent
    name = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    assert body is not None
    return CStruct(
        tag=text(name) if name is not None else "",
        typedef_names=tuple(typedef_names),
        fields=tuple(_fields(body, where)),
        # The first line of the definition, from `typedef struct X` to its `{`.
        location=locate(statement.start_point, body.children[0].end_point),
        is_union=node.type == "union_specifier",
    )


def _fields(body: Node, where: Callable[[Node], Location]) -> Iterable[CField]:
    for field in body.named_children:
        if field.type != "field_declaration":
            continue
        base = base_type(field)
        bitfield = any(c.type == "bitfield_clause" for c in field.children)
        declarators = field.children_by_field_name("declarator")
        if not declarators:  # an anonymous struct or union member
            yield CField("", base, where(field), bitfield)
        for declarator in declarators:
            one = declared(declarator, base)
            yield CField(text(one.name), one.type, where(field), bitfield)


def _enum_names(node: Node) -> list[str]:
    name = node.child_by_field_name("name")
    names = [text(name)] if name is not None else []
    parent = node.parent
    if parent is not None and parent.type == "type_definition":
        names += _typedef_names(parent)
    return names


def _include(node: Node, locate: Locate) -> CInclude | None:
    path = node.child_by_field_name("path")
    if path is None:
        return None
    spelled = text(path)
    line = locate(node.start_point, node.start_point).line
    if path.type == "system_lib_string":
        return CInclude(spelled.strip("<>"), True, line)
    if path.type == "string_literal":
        return CInclude(spelled.strip('"'), False, line)
    return None  # `#include MACRO`


# -- #cgo directives ------------------------------------------------------------


def _arguments(directive: CgoDirective) -> tuple[str, ...]:
    return _split(directive.values)


@cache
def _split(values: str) -> tuple[str, ...]:
    """The words of a directive as a shell splits them (a package repeats its flags in
    every file: split each text once). Without quotes or backslashes that is a split
    on shlex's whitespace, without shlex's slow tokenizer."""
    if not _QUOTING.search(values):
        return tuple(_SHELL_WORD.findall(values))
    try:
        return tuple(shlex.split(values))
    except ValueError:
        return tuple(values.split())


def _flag_values(directives: Iterable[CgoDirective], names: set[str], flag: str) -> list[str]:
    """Every value of `-Xvalue` / `-X value` in the directives of the given names."""
    found = []
    for directive in directives:
        if directive.name not in names:
            continue
        arguments = _arguments(directive)
        for i, argument in enumerate(arguments):
            if argument == flag and i + 1 < len(arguments):
                found.append(arguments[i + 1])
            elif argument.startswith(flag) and len(argument) > len(flag):
                found.append(argument[len(flag) :])
    return found


def include_dirs(directives: Iterable[CgoDirective]) -> tuple[str, ...]:
    """`-I` directories relative to the Go file's directory (absolute ones left out)."""
    found = []
    for value in _flag_values(directives, {"CFLAGS", "CPPFLAGS"}, "-I"):
        relative = value.replace("${SRCDIR}", ".")
        if not relative.startswith("/"):
            found.append(posixpath.normpath(relative))
    return tuple(dict.fromkeys(found))


def link_libraries(directives: Iterable[CgoDirective]) -> tuple[str, ...]:
    """Library names a preamble links: `-lengine`, `${SRCDIR}/lib/libengine.a`."""
    directives = list(directives)
    found = _flag_values(directives, {"LDFLAGS"}, "-l")
    for directive in directives:
        if directive.name == "LDFLAGS":
            for argument in _arguments(directive):
                match = _LIBRARY_FILE.search(argument)
                if match and not argument.startswith("-"):
                    found.append(match.group("name"))
    return tuple(dict.fromkeys(found))
