"""Build the RS analyzer's view of Rust code written inline in a test."""

from __future__ import annotations

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind, classify
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.rust.body import Located, RustBodies, bodies_of
from interop_lint.analyzer.rust.facts import RustFileFacts
from interop_lint.analyzer.source import SourceFile

MANIFEST = '[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n'


def rust_source(code: str, path: str = "src/lib.rs") -> SourceFile:
    return SourceFile(path, FileKind.RUST, code.encode())


def bodies(code: str) -> RustBodies:
    return bodies_of(rust_source(code))


def rust_facts(code: str, path: str = "src/lib.rs") -> RustFileFacts:
    facts = extract_facts(rust_source(code, path))
    assert facts.rust is not None
    return facts.rust


def project_index(files: dict[str, str], config: Config | None = None) -> ProjectIndex:
    """The index of a project made of `files` (path -> text, of the kind its name says,
    else Rust); Cargo.toml added at the root."""
    files = {"Cargo.toml": MANIFEST, **files}
    facts = []
    for path, content in files.items():
        kind = classify(path.rsplit("/", 1)[-1]) or FileKind.RUST
        facts.append(extract_facts(SourceFile(path, kind, content.encode())))
    return ProjectIndex("/nonexistent", facts, config)


def find(found: RustBodies, kind: str, snippet: str, nth: int = 0) -> Located:
    """The `nth` node of type `kind` (file tree and macro bodies) whose text is `snippet`."""
    matches = [
        x
        for fragment in found.fragments
        for x in found.walk(Located(fragment.root, fragment))
        if x.type == kind and x.text == snippet
    ]
    unique = list({(x.start, x.end, x.fragment.depth): x for x in matches}.values())
    assert len(unique) > nth, f"no {kind} `{snippet}` (found {len(unique)})"
    return sorted(unique, key=lambda x: x.start)[nth]
