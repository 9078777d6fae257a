"""Build the GO analyzer's view of Go source written inline in a test."""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.golang.facts import GoFileFacts
from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.package import GoPackage
from interop_lint.analyzer.parsing import descendants_of_type, text
from interop_lint.analyzer.source import SourceFile

HEADER = (
    'package p\n\n// #include <stdlib.h>\nimport "C"\n\n'
    'import (\n\t"runtime"\n\t"runtime/cgo"\n\t"unsafe"\n)\n\n'
    "var _ = runtime.GC\nvar _ cgo.Handle\nvar _ unsafe.Pointer\n\n"
)


def facts_of(source: str, path: str = "p/a.go") -> GoFileFacts:
    facts = extract_facts(SourceFile(path, FileKind.GO, source.encode()))
    assert facts.go is not None
    return facts.go


def go_file(source: str, *others: str) -> GoFile:
    """The model of `source` (p/a.go) in a package with the other files (p/b.go, ...)."""
    files = [facts_of(source)] + [facts_of(o, f"p/{chr(98 + i)}.go") for i, o in enumerate(others)]
    return GoFile(SourceFile("p/a.go", FileKind.GO, source.encode()), GoPackage(files))


def find(file: GoFile, kind: str, snippet: str, nth: int = 0) -> Node:
    """The `nth` node of type `kind` whose text is `snippet`."""
    found = [n for n in descendants_of_type(file.root, kind) if text(n) == snippet]
    assert len(found) > nth, f"no {kind} `{snippet}` (found {len(found)})"
    return found[nth]
