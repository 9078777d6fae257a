"""The index pass for Go files."""

from __future__ import annotations

from interop_lint.analyzer.cgo import import_c_declarations
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.golang.facts import CCallSite, GoFileFacts
from interop_lint.analyzer.golang.syntax import c_calls
from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.source import SourceFile


def package_name(source: SourceFile) -> str:
    clause = next((c for c in source.root.children if c.type == "package_clause"), None)
    name = clause.named_children[0] if clause is not None and clause.named_children else None
    return text(name)


def extract_go(source: SourceFile, facts: FileFacts) -> None:
    preamble = source.preamble
    imports_c = bool(import_c_declarations(source.root))
    calls = ()
    if imports_c:
        calls = tuple(
            CCallSite(name, source.location(call), arguments.named_child_count)
            for call, name, arguments in c_calls(source.root)
        )
    facts.go = GoFileFacts(
        package=package_name(source),
        imports_c=imports_c,
        cgo_directives=tuple(preamble.directives()) if preamble is not None else (),
        c_calls=calls,
    )
