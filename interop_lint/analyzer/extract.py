"""The index pass for one file: from its source to its `FileFacts`."""

from __future__ import annotations

from collections.abc import Callable

from interop_lint.analyzer.clang.extract import extract_c, extract_preamble
from interop_lint.analyzer.clang.preprocess import is_cplusplus
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.findings import Notification, NotificationKind
from interop_lint.analyzer.golang.extract import extract_go
from interop_lint.analyzer.manifests.cargo import extract_cargo_manifest
from interop_lint.analyzer.manifests.cbindgen import extract_cbindgen
from interop_lint.analyzer.manifests.gomod import extract_go_mod
from interop_lint.analyzer.manifests.toolchain import extract_toolchain
from interop_lint.analyzer.python.extract import extract_python
from interop_lint.analyzer.rust.extract import extract_rust
from interop_lint.analyzer.source import SourceFile

Extractor = Callable[[SourceFile, FileFacts], None]

EXTRACTORS: dict[FileKind, tuple[Extractor, ...]] = {
    FileKind.RUST: (extract_rust,),
    FileKind.GO: (extract_go, extract_preamble),
    FileKind.C_HEADER: (extract_c,),
    FileKind.C_SOURCE: (extract_c,),
    FileKind.PYTHON: (extract_python,),
    FileKind.CARGO_TOML: (extract_cargo_manifest,),
    FileKind.GO_MOD: (extract_go_mod,),
    FileKind.RUST_TOOLCHAIN: (extract_toolchain,),
    FileKind.CBINDGEN_TOML: (extract_cbindgen,),
}


# Files whose existence is a fact and whose content nobody reads.
_PRESENCE_ONLY = frozenset({FileKind.CARGO_LOCK, FileKind.GO_SUM})


def is_binary(source: SourceFile) -> bool:
    """Source code never holds NUL bytes; a file that does is a blob with a source name."""
    return b"\0" in source.data


def extract_facts(source: SourceFile) -> FileFacts:
    """Every fact `source` contributes to the index, and what went wrong reading it."""
    facts = FileFacts(source.path, source.kind, source.digest)
    if source.kind in _PRESENCE_ONLY:
        return facts
    if is_binary(source):
        facts.notifications.append(
            Notification(
                source.path, 0, NotificationKind.SKIPPED, "skipped: binary content (NUL bytes)"
            )
        )
        return facts
    if source.kind is FileKind.C_HEADER and is_cplusplus(source.data):
        return facts  # not C: no declaration of it is part of the contract
    error = source.syntax_error()
    if error is not None:
        facts.notifications.append(
            Notification(
                source.path,
                error.line,
                NotificationKind.PARSE_ERROR,
                "syntax error; the file is analysed where it parsed",
            )
        )
    for extractor in EXTRACTORS.get(source.kind, ()):
        extractor(source, facts)
    return facts
