"""The index pass for Rust files: exports, C-layout types, aliases and renames."""

from __future__ import annotations

import re
from collections.abc import Iterator

from msgspec.structs import replace
from tree_sitter import Node

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.manifests.cbindgen_annotations import skipped_modules
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.attributes import (
    attribute_macros,
    foreign_function_symbols,
    module_paths,
)
from interop_lint.analyzer.rust.body import bodies_of
from interop_lint.analyzer.rust.dependency_macros import MARKER as DEPENDENCY_MACROS
from interop_lint.analyzer.rust.dependency_macros import dependency_exports
from interop_lint.analyzer.rust.facts import (
    ExportMacro,
    MacroFunction,
    NullCheckMacro,
    RustAbiFunction,
    RustEnum,
    RustExport,
    RustField,
    RustFileFacts,
    RustFunction,
    RustParam,
    RustStaticMut,
    RustStruct,
    RustTypeAlias,
    RustUseRename,
)
from interop_lint.analyzer.rust.generated import generated_exports, merged
from interop_lint.analyzer.rust.item_macros import export_macro, invoked_macros
from interop_lint.analyzer.rust.lengths import constant_value
from interop_lint.analyzer.rust.lints import file_settings, may_set_lints, module_declarations
from interop_lint.analyzer.rust.macros import handed_to, macro_summary
from interop_lint.analyzer.rust.null_macros import InvocationNullChecks, null_check_macro
from interop_lint.analyzer.rust.pointer_contracts import ParameterUses, pointer_demands
from interop_lint.analyzer.rust.statics import static_mut_uses
from interop_lint.analyzer.rust.stored_functions import stored_functions
from interop_lint.analyzer.rust.summary import FunctionSummary, summarize
from interop_lint.analyzer.rust.syntax import (
    ExportedFunction,
    derives_of,
    export_symbol,
    function_abi,
    has_modifier,
    impl_type_of,
    implemented_trait,
    is_pub,
    is_test_code,
    normalize_type,
    repr_of,
)
from interop_lint.analyzer.rust.uses import foreign_reexports, sort_use_clauses
from interop_lint.analyzer.source import SourceFile


def extract_rust(source: SourceFile, facts: FileFacts) -> None:
    structs: list[RustStruct] = []
    enums: list[RustEnum] = []
    aliases: list[RustTypeAlias] = []
    alias_targets: dict[str, Node] = {}
    renames: list[RustUseRename] = []
    imports: list[RustUseRename] = []
    imported_functions: list[RustUseRename] = []
    trait_impls: list[tuple[str, str]] = []
    reexported: list[tuple[str, str]] = []
    foreign_functions: list[str] = []
    static_muts: list[RustStaticMut] = []
    guard_macros: list[str] = []
    delegates: list[tuple[str, tuple[str, ...]]] = []
    macros: list[RustFunction] = []
    export_macros: list[Node] = []
    function_macros: list[ExportMacro] = []
    null_checking: list[NullCheckMacro] = []
    definitions: list[Node] = []
    written_in_macros = source.item_macros
    macro_functions: list[Node] = []
    data = source.code
    bodies = bodies_of(source)
    may_be_test = b"test" in data  # `#[cfg(test)]`
    may_derive_drop = b"Drop" in data and b"derive" in data
    derived_drops: list[str] = []
    rust_abi: list[RustAbiFunction] = []
    may_export = b"no_mangle" in data or b"export_name" in data
    for item in bodies.scan.items:
        kind = item.type
        if kind == "function_item" and item.start_byte in written_in_macros:
            if not (may_be_test and is_test_code(item)) and function_abi(item) != "Rust":
                macro_functions.append(item)  # `extern` ones for macros of whole items
        elif kind == "function_item" and may_export:
            found = _rust_abi_function(source, item)
            if found is not None and not (may_be_test and is_test_code(item)):
                rust_abi.append(found)
        elif kind == "static_item":
            name = item.child_by_field_name("name")
            if name is not None and any(c.type == "mutable_specifier" for c in item.children):
                static_muts.append(RustStaticMut(text(name), source.location(name)))
        elif kind == "macro_definition":
            definitions.append(item)
            name = item.child_by_field_name("name")
            if name is not None and data.find(b"catch_unwind", item.start_byte, item.end_byte) >= 0:
                guard_macros.append(text(name))
            elif name is not None:  # every macro of the crate is known by name
                delegates.append((text(name), handed_to(item)))
            if not (may_be_test and is_test_code(item)):
                macro = macro_summary(bodies, item)
                if macro is not None:
                    macros.append(macro)
                if (checking := null_check_macro(bodies, item)) is not None:
                    null_checking.append(checking)
                if data.find(b"no_mangle", item.start_byte, item.end_byte) >= 0 or (
                    data.find(b"export_name", item.start_byte, item.end_byte) >= 0
                ):
                    export_macros.append(item)
                    if (made := export_macro(item)) is not None:
                        function_macros.append(made)
        elif kind == "struct_item":
            structs.append(_struct(source, item))
            if may_derive_drop and any("Drop" in d for d in derives_of(item)):
                derived_drops.append(structs[-1].name)
        elif kind == "enum_item":
            enums.append(_enum(source, item))
            if may_derive_drop and any("Drop" in d for d in derives_of(item)):
                derived_drops.append(enums[-1].name)
        elif kind == "type_item":
            name = item.child_by_field_name("name")
            target = item.child_by_field_name("type")
            if name is not None and target is not None:
                aliases.append(
                    RustTypeAlias(text(name), normalize_type(target), source.location(name))
                )
                alias_targets.setdefault(text(name), target)
        elif kind == "impl_item" and (implemented := implemented_trait(item)) is not None:
            trait_impls.append(implemented)
        elif kind == "use_declaration":
            sort_use_clauses(data, item, renames, imports, imported_functions)
            reexported.extend(foreign_reexports(item))
        elif kind == "foreign_mod_item":
            foreign_functions.extend(foreign_function_symbols(item))
    taking_functions = frozenset(m.name for m in function_macros)
    generated = (
        generated_exports(source.root, export_macros, taking_functions) if export_macros else None
    )
    if DEPENDENCY_MACROS in data and (written := dependency_exports(source.root)) is not None:
        generated = written if generated is None else merged(generated, written)
    summaries = summarize(source, alias_targets)
    # The file's own null-checking macros only: another file's would make these facts
    # depend on that file.
    own_checks = InvocationNullChecks({m.name: m for m in null_checking}.get)
    demands = {
        f.start_byte: found
        for f in bodies.scan.functions
        if f.start_byte in summaries
        and any(found := pointer_demands(bodies, f, alias_targets, own_checks))
    }
    file_statics = {s.name for s in static_muts}
    statics_used = {
        f.start_byte: tuple(dict.fromkeys(u.text for u in found))
        for f in (bodies.scan.functions if file_statics else ())
        if f.start_byte in summaries and (found := static_mut_uses(bodies, f, file_statics))
    }
    lints = may_set_lints(data)
    may_catch = b"catch_unwind" in data  # once: a test of every export's attributes
    facts.rust = RustFileFacts(
        exports=tuple(
            _export(source, e, summaries.get(e.node.start_byte), may_catch) for e in bodies.exports
        ),
        structs=tuple(structs),
        enums=tuple(enums),
        aliases=tuple(aliases),
        renames=tuple(renames),
        imports=tuple(imports),
        imported_functions=tuple(imported_functions),
        reexported_symbols=tuple(reexported),
        foreign_functions=tuple(foreign_functions),
        trait_impls=tuple(trait_impls),
        functions=tuple(
            _with_pointer_and_static_uses(s.function, demands.get(at), statics_used.get(at))
            for at, s in summaries.items()
        ),
        static_muts=tuple(static_muts),
        guard_macros=tuple(guard_macros),
        macro_delegates=tuple(delegates),
        macros=tuple(macros),
        generated_symbols=generated.symbols if generated else (),
        exports_unknown_symbols=(generated is not None and generated.named_elsewhere)
        or any(e.symbol_guessed for e in bodies.exports),
        invoked_macros=invoked_macros(source, definitions),
        generated_release_kinds=generated.release_kinds if generated else (),
        derived_drops=tuple(derived_drops),
        lint_settings=file_settings(source.root) if lints else (),
        module_lint_settings=module_declarations(source.root) if lints else (),
        cbindgen_skipped_modules=(
            skipped_modules(source.text) if b"cbindgen:" in source.data else ()
        ),
        module_paths=module_paths(source.root) if b"path" in data else (),
        rust_abi_functions=tuple(rust_abi),
        export_macros=tuple(function_macros),
        null_check_macros=tuple(null_checking),
        stored_functions=stored_functions(bodies.scan.stored) if bodies.scan.stored else (),
        macro_functions=tuple(
            MacroFunction(
                written_in_macros[f.start_byte],
                _export(source, _as_written(f), summaries.get(f.start_byte), may_catch),
            )
            for f in macro_functions
        ),
    )


def _as_written(function: Node) -> ExportedFunction:
    """A function written in a macro invocation as the export the macro may make of it
    (its ABI and `pub` are the macro's, or its own `extern` ABI ("" if none) for a
    macro of whole items: RustIndex.exports_in_file)."""
    name = text(function.child_by_field_name("name"))
    return ExportedFunction(function, name, function_abi(function) or "")


def _rust_abi_function(source: SourceFile, function: Node) -> RustAbiFunction | None:
    """A function exported under a symbol that keeps the Rust ABI, or None."""
    if function_abi(function) not in (None, "Rust"):
        return None
    symbol = export_symbol(function)
    name = function.child_by_field_name("name")
    if symbol is None or name is None:
        return None
    return RustAbiFunction(text(name), symbol, source.location(name))


def _export(
    source: SourceFile,
    export: ExportedFunction,
    summary: FunctionSummary | None,
    may_catch: bool,
) -> RustExport:
    function = export.node
    name = function.child_by_field_name("name")
    parameters = function.child_by_field_name("parameters")
    returns = function.child_by_field_name("return_type")
    body = function.child_by_field_name("body")
    owner = impl_type_of(function)
    params = tuple(
        RustParam(
            name=text(param.child_by_field_name("pattern")) or "self",
            type=_parameter_type(param, owner),
            location=source.location(param),
        )
        for param in (parameters.named_children if parameters else ())
        if param.type == "parameter" or (param.type == "self_parameter" and owner)
    )
    return RustExport(
        name=text(name) or export.symbol,
        symbol=export.symbol,
        abi=export.abi,
        location=summary.function.location  # of the name, as here
        if summary
        else source.location(name if name is not None else function),
        is_unsafe=has_modifier(function, "unsafe"),
        is_pub=is_pub(function),
        params=params,
        return_type=_in_impl(normalize_type(returns), owner),
        return_location=source.location(returns) if returns is not None else None,
        uses_catch_unwind=(
            body is not None
            and source.code.find(b"catch_unwind", body.start_byte, body.end_byte) >= 0
        )
        or (may_catch and any("catch_unwind" in name for name in attribute_macros(function))),
        hands_out=summary.function.hands_out if summary else (),
        returns_owned=next((a.kind for a in summary.function.hands_out if a.via == "return"), None)
        if summary
        else None,
        releases=summary.releases if summary else (),
    )


def _parameter_type(parameter: Node, owner: str | None) -> str:
    """A parameter's type, `Self` spelled as the impl's type; C passes the receiver
    of an export declared in an impl block first (`&self` is `const T *self` in
    cbindgen's header)."""
    if parameter.type != "self_parameter" or owner is None:
        return _in_impl(normalize_type(parameter.child_by_field_name("type")), owner)
    borrowed = any(child.type == "&" for child in parameter.children)
    mutable = any(child.type == "mutable_specifier" for child in parameter.children)
    return ("&mut " if borrowed and mutable else "&" if borrowed else "") + owner


def _in_impl(written: str, owner: str | None) -> str:
    return _SELF.sub(owner, written) if owner is not None and "Self" in written else written


_SELF = re.compile(r"\bSelf\b")


def _struct(source: SourceFile, item: Node) -> RustStruct:
    name = item.child_by_field_name("name")
    body = item.child_by_field_name("body")
    fields: list[RustField] = []
    if body is not None and body.type == "field_declaration_list":
        for field in body.named_children:
            if field.type == "field_declaration":
                field_name = field.child_by_field_name("name")
                field_type = field.child_by_field_name("type")
                fields.append(
                    RustField(text(field_name), normalize_type(field_type), source.location(field))
                )
    elif body is not None and body.type == "ordered_field_declaration_list":
        types = body.children_by_field_name("type")
        fields = [
            RustField(str(i), normalize_type(t), source.location(t)) for i, t in enumerate(types)
        ]
    return RustStruct(
        name=text(name),
        location=source.location(name if name is not None else item),
        repr=repr_of(item),
        fields=tuple(fields),
        is_pub=is_pub(item),
        generics=_generic_names(item.child_by_field_name("type_parameters")),
    )


_PARAMETER_NAMES = ("type_identifier", "identifier")


def _generic_names(parameters: Node | None) -> tuple[str, ...]:
    """The names of a declaration's type and const parameters (`<'a, T: Copy, const N: usize>`
    -> ("T", "N")), in order; lifetimes have no C counterpart."""
    names = []
    for parameter in parameters.named_children if parameters is not None else ():
        if parameter.type in _PARAMETER_NAMES:
            names.append(text(parameter))
        elif "lifetime" not in parameter.type:
            named = (c for c in parameter.named_children if c.type in _PARAMETER_NAMES)
            name = parameter.child_by_field_name("name") or next(named, None)
            if name is not None:
                names.append(text(name))
    return tuple(names)


def _enum(source: SourceFile, item: Node) -> RustEnum:
    name = item.child_by_field_name("name")
    body = item.child_by_field_name("body")
    variants = body.named_children if body is not None else []
    return RustEnum(
        name=text(name),
        location=source.location(name if name is not None else item),
        repr=repr_of(item),
        has_fields=any(v.child_by_field_name("body") is not None for v in variants),
        is_pub=is_pub(item),
        generics=_generic_names(item.child_by_field_name("type_parameters")),
        payloads=tuple(_payloads(source, variants)),
        largest=_largest_discriminant(variants),
        held_types=tuple(dict.fromkeys(_variant_types(variants))),
    )


def _variant_types(variants: list[Node]) -> Iterator[str]:
    """The type of every field of every variant: `ByteBuffer` of `Upload { body:
    ByteBuffer }` and of `Done(ByteBuffer, u32)`."""
    for variant in variants:
        body = variant.child_by_field_name("body")
        if body is None:
            continue
        if body.type == "ordered_field_declaration_list":
            yield from map(normalize_type, body.children_by_field_name("type"))
        else:
            declared = (f.child_by_field_name("type") for f in body.named_children)
            yield from (normalize_type(t) for t in declared if t is not None)


def _largest_discriminant(variants: list[Node]) -> int | None:
    """`32` of `{ Success = 0, Input = 4, Timeout = 32 }`; implicit ones count on."""
    largest, following = 0, 0
    for variant in variants:
        if variant.type != "enum_variant":
            continue
        written = variant.child_by_field_name("value")
        value = constant_value(written) if written is not None else following
        if value is None or variant.child_by_field_name("body") is not None:
            return None
        largest, following = max(largest, value), value + 1
    return largest


def _payloads(source: SourceFile, variants: list[Node]) -> Iterator[RustField]:
    """`Secret` -> `*mut Secret` of `Secret(*mut Secret)`: the one value a tuple variant
    carries, by the variant's name."""
    for variant in variants:
        name, body = variant.child_by_field_name("name"), variant.child_by_field_name("body")
        if name is None or body is None or body.type != "ordered_field_declaration_list":
            continue
        types = body.children_by_field_name("type")
        if len(types) == 1:
            yield RustField(text(name), normalize_type(types[0]), source.location(types[0]))


def _with_pointer_and_static_uses(
    function: RustFunction, demands: ParameterUses | None, statics: tuple[str, ...] | None
) -> RustFunction:
    if demands is not None:
        function = replace(function, **demands._asdict())
    return replace(function, static_uses=statics) if statics else function
