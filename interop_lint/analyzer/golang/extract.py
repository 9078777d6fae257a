"""The index pass for Go files: the facts other files and rules ask about."""

from __future__ import annotations

import re
from collections import defaultdict

from msgspec.structs import replace
from tree_sitter import Node

from interop_lint.analyzer.cgo import import_c_declarations
from interop_lint.analyzer.clang.ownership import ownership_taking
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.golang.allocating import returned_allocation
from interop_lint.analyzer.golang.c_results import c_memory_results
from interop_lint.analyzer.golang.facts import (
    CCallSite,
    GoFileFacts,
    GoFuncDecl,
    GoTypeDecl,
    GoVarDecl,
    TypeExpr,
)
from interop_lint.analyzer.golang.field_memory import field_stores
from interop_lint.analyzer.golang.handles import (
    handle_integers,
    release_keys,
    returns_new_handle,
)
from interop_lint.analyzer.golang.infer import Inference
from interop_lint.analyzer.golang.made_lengths import made_from
from interop_lint.analyzer.golang.mirrors import pointer_types
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.ownership import c_call_argument_sources
from interop_lint.analyzer.golang.package import GoPackage
from interop_lint.analyzer.golang.param_flows import param_flows, receiver_frees
from interop_lint.analyzer.golang.pointers import may_be_struct, returned_go_pointer_field
from interop_lint.analyzer.golang.results import non_empty_results, returns_receiver_address
from interop_lint.analyzer.golang.sized_results import sized_results
from interop_lint.analyzer.golang.syntax import evaluate_int
from interop_lint.analyzer.golang.types import Constant, pointer_to, slice_of, type_expr
from interop_lint.analyzer.golang.validators import length_checked_params
from interop_lint.analyzer.golang.wrappers import c_pointer_params
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.source import SourceFile


def package_name(source: SourceFile) -> str:
    clause = next((c for c in source.root.children if c.type == "package_clause"), None)
    name = clause.named_children[0] if clause is not None and clause.named_children else None
    return text(name)


def extract_go(source: SourceFile, facts: FileFacts) -> None:
    preamble = source.preamble
    root = source.root
    top_level = _TopLevel(root)
    imports_c = bool(import_c_declarations(root))
    constants = _constants(top_level)
    known = dict(constants)
    # The file's own declarations: what its functions' facts are computed with (a
    # helper returning a package variable `eb = []byte{0}` returns a non-empty slice).
    declared = GoFileFacts(
        package=package_name(source),
        imports_c=imports_c,
        cgo_directives=tuple(preamble.directives()) if preamble is not None else (),
        types=_types(top_level, lambda n: evaluate_int(n, known)),
        variables=_variables(top_level, lambda n: evaluate_int(n, known)),
        constants=constants,
        functions=tuple(_signature(f, known) for f in top_level.functions),
    )
    # What needs this file's own declarations to read (types, local functions);
    # files that touch neither C nor unsafe have none of it.
    calls: tuple[CCallSite, ...] = ()
    functions = declared.functions
    releases: tuple[str, ...] = ()
    handle_fields: tuple[str, ...] = ()
    mirrors: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    stores: tuple[tuple[str, str], ...] = ()
    data = source.data
    if imports_c or b'"unsafe"' in data or b".Delete()" in data or b"NewHandle" in data:
        file = GoFile(source, GoPackage([declared]))
        inference = Inference(file)
        if imports_c:
            sources = c_call_argument_sources(file)
            calls = tuple(
                CCallSite(name, source.location(call), args.named_child_count, argument_sources)
                for (call, name, args), argument_sources in zip(
                    file.syntax.c_calls, sources, strict=True
                )
            )
        if imports_c or b'"unsafe"' in data or b"NewHandle" in data:
            mirrors = pointer_types(file, inference)
            stores = field_stores(inference)
            functions = tuple(
                replace(
                    decl,
                    param_flows=param_flows(file, node),
                    non_empty_results=non_empty_results(file, node, decl.results),
                    length_checked_params=length_checked_params(
                        file, node, decl.params, decl.results
                    ),
                    new_handle=returns_new_handle(file, node),
                    returns_receiver=returns_receiver_address(file, node),
                    frees_receiver=freed[0],
                    freed_receiver_fields=freed[1],
                    go_pointer_field=returned_go_pointer_field(inference, node)
                    if imports_c and may_be_struct(decl.results)
                    else "",
                    sized_results=sized_results(file, node, made_from)
                    if imports_c and any(t is not None and t.kind == "slice" for t in decl.results)
                    else (),
                    allocated_result=returned_allocation(file, node) if imports_c else None,
                    c_pointer_params=c_pointer_params(file, node) if imports_c else (),
                    c_memory_results=c_memory_results(inference, node, decl.results)
                    if imports_c
                    else (),
                )
                for decl, node in zip(functions, top_level.functions, strict=True)
                for freed in [
                    receiver_frees(file, node) if node.type == "method_declaration" else (False, ())
                ]
            )
        if b".Delete()" in source.data:
            releases = release_keys(file, inference)
        if b"NewHandle" in source.data:
            handle_fields = handle_integers(file)
    facts.go = GoFileFacts(
        package=declared.package,
        imports_c=imports_c,
        cgo_directives=declared.cgo_directives,
        c_calls=calls,
        types=declared.types,
        variables=declared.variables,
        constants=constants,
        functions=functions,
        handle_releases=releases,
        handle_integers=handle_fields,
        c_ownership=(
            ownership_taking(preamble.source, preamble.tree.root_node) if preamble else ()
        ),
        c_pointer_types=mirrors[0],
        go_pointer_types=mirrors[1],
        field_stores=stores,
        c_exports=_c_exports(data) if imports_c and b"//export" in data else (),
    )


# cgo's directive: `//export Name` alone on its line, before the function.
_EXPORT = re.compile(rb"^//export ([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?$", re.MULTILINE)


def _c_exports(data: bytes) -> tuple[str, ...]:
    return tuple(name.decode() for name in _EXPORT.findall(data))


class _TopLevel:
    """The declarations of a file, read in one pass over its top level."""

    def __init__(self, root: Node) -> None:
        self.by_kind: dict[str, list[Node]] = defaultdict(list)
        self.functions: list[Node] = []  # functions and methods, in order
        for child in root.named_children:
            kind = child.type
            if kind in ("function_declaration", "method_declaration"):
                self.functions.append(child)
            else:
                self.by_kind[kind].append(child)


def _specs(declaration: Node, kind: str) -> list[Node]:
    specs = []
    for child in declaration.named_children:
        if child.type == kind:
            specs.append(child)
        elif child.type.endswith("_list"):
            specs += [c for c in child.named_children if c.type == kind]
    return specs


def _constants(top_level: _TopLevel) -> tuple[tuple[str, int | None], ...]:
    known: dict[str, int | None] = {}
    found = []
    for declaration in top_level.by_kind["const_declaration"]:
        for spec in _specs(declaration, "const_spec"):
            values = spec.child_by_field_name("value")
            items = values.named_children if values is not None else []
            for i, name in enumerate(spec.children_by_field_name("name")):
                value = evaluate_int(items[i], known) if i < len(items) else None
                known[text(name)] = value
                found.append((text(name), value))
    return tuple(found)


def _types(top_level: _TopLevel, constant) -> tuple[GoTypeDecl, ...]:
    found = []
    for declaration in top_level.by_kind["type_declaration"]:
        for spec in declaration.named_children:
            if spec.type in ("type_spec", "type_alias"):
                name = text(spec.child_by_field_name("name"))
                t = type_expr(spec.child_by_field_name("type"), constant)
                found.append(GoTypeDecl(name, t, alias=spec.type == "type_alias"))
    return tuple(found)


def _variables(top_level: _TopLevel, constant: Constant) -> tuple[GoVarDecl, ...]:
    """Package variables, typed as written or by an evident initializer (`T{}`, `&T{}`,
    `new(T)`, `make(T, n)`)."""
    found = []
    for declaration in top_level.by_kind["var_declaration"]:
        for spec in _specs(declaration, "var_spec"):
            type_node = spec.child_by_field_name("type")
            values = spec.child_by_field_name("value")
            items = values.named_children if values is not None else []
            names = spec.children_by_field_name("name")
            for i, name in enumerate(names):
                if type_node is not None:
                    t: TypeExpr | None = type_expr(type_node, constant)
                else:
                    t = _evident_type(items[i], constant) if len(items) == len(names) else None
                value = items[i] if len(items) == len(names) else None
                found.append(GoVarDecl(text(name), t, _non_empty_literal(value)))
    return tuple(found)


def _non_empty_literal(value: Node | None) -> bool:
    """A composite literal with elements (`[]byte{0}`): a slice that is never empty."""
    if value is None or value.type != "composite_literal":
        return False
    body = value.child_by_field_name("body")
    return body is not None and body.named_child_count > 0


def _evident_type(value: Node, constant: Constant) -> TypeExpr | None:
    pointer = (
        value.type == "unary_expression" and text(value.child_by_field_name("operator")) == "&"
    )
    if pointer:
        value = value.child_by_field_name("operand") or value
    if value.type == "composite_literal":
        t = type_expr(value.child_by_field_name("type"), constant)
        return pointer_to(t) if pointer else t
    if value.type == "call_expression" and not pointer:
        function = text(value.child_by_field_name("function"))
        args = value.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if function == "new" and first is not None:
            return pointer_to(type_expr(first, constant))
        if function == "make" and first is not None:
            return type_expr(first, constant)
    return None


def _signature(function: Node, known: dict[str, int | None]) -> GoFuncDecl:
    receiver = ""
    if function.type == "method_declaration":
        params = function.child_by_field_name("receiver")
        declaration = params.named_children[0] if params and params.named_children else None
        t = type_expr(declaration.child_by_field_name("type") if declaration else None)
        receiver = (t.elem if t.kind == "pointer" and t.elem else t).name
    parameters = function.child_by_field_name("parameters")
    return GoFuncDecl(
        name=text(function.child_by_field_name("name")),
        receiver=receiver or "",
        params=_parameter_types(parameters),
        variadic=parameters is not None
        and any(c.type == "variadic_parameter_declaration" for c in parameters.named_children),
        results=_results(function.child_by_field_name("result")),
    )


def _parameter_types(params: Node | None) -> tuple[TypeExpr | None, ...]:
    found: list[TypeExpr | None] = []
    for declaration in params.named_children if params is not None else ():
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        t = type_expr(declaration.child_by_field_name("type"))
        if declaration.type == "variadic_parameter_declaration":
            t = slice_of(t)
        found += [t] * max(1, len(declaration.children_by_field_name("name")))
    return tuple(found)


def _results(result: Node | None) -> tuple[TypeExpr | None, ...]:
    if result is None:
        return ()
    if result.type == "parameter_list":
        return _parameter_types(result)
    return (type_expr(result),)
