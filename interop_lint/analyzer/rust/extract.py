"""The index pass for Rust files."""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.facts import RustExport, RustFileFacts, RustParam
from interop_lint.analyzer.rust.syntax import (
    exported_functions,
    has_modifier,
    is_pub,
    normalize_type,
)
from interop_lint.analyzer.source import SourceFile


def extract_rust(source: SourceFile, facts: FileFacts) -> None:
    exports = []
    for export in exported_functions(source.root):
        function = export.node
        name = function.child_by_field_name("name")
        parameters = function.child_by_field_name("parameters")
        returns = function.child_by_field_name("return_type")
        body = function.child_by_field_name("body")
        params = tuple(
            RustParam(
                name=_pattern_text(param),
                type=normalize_type(param.child_by_field_name("type")),
                location=source.location(param),
            )
            for param in (parameters.named_children if parameters else ())
            if param.type == "parameter"
        )
        exports.append(
            RustExport(
                name=text(name) or export.symbol,
                symbol=export.symbol,
                abi=export.abi,
                location=source.location(name if name is not None else function),
                is_unsafe=has_modifier(function, "unsafe"),
                is_pub=is_pub(function),
                params=params,
                return_type=normalize_type(returns),
                return_location=source.location(returns) if returns is not None else None,
                uses_catch_unwind=body is not None and b"catch_unwind" in (body.text or b""),
            )
        )
    facts.rust = RustFileFacts(exports=tuple(exports))


def _pattern_text(param: Node) -> str:
    return text(param.child_by_field_name("pattern")) or "_"
