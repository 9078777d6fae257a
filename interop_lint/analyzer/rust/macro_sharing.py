"""The crate's export macros each Rust file needs from its other files.

`#[macro_use]` and textual scope let a crate's `macros.rs` stamp out exports
in every module, and a macro may hand its input on to another that writes
the exports (wasmer's `wasm_declare_vec!` ends in `wasm_declare_vec_inner!`,
`wasm_declare_boxed_vec!` invokes `wasm_declare_vec!`). The engine gives each
file (`SourceFile.export_macros`, keyed into its cache entry) the macros of
its crate that it invokes, and those their transcribers invoke, so
rust.expansion can write every generated export out in the file.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Sequence

from tree_sitter import Node

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.manifests.cargo import manifest_library_name
from interop_lint.analyzer.parsing import Grammar, parse
from interop_lint.analyzer.prefilter import crate_dir_of, crate_directories, path_dependencies
from interop_lint.analyzer.rust.expansion import (
    MAX_DEPTH,
    WRITES_EXPORT_BYTES,
    ExportMacroText,
    export_macro_texts,
)
from interop_lint.analyzer.source import SourceFile

_DOLLAR_CRATE = re.compile(r"\$crate\b")

# (file, macro, whether it writes exports itself) by name, per crate directory.
_CrateMacros = dict[str, tuple[str, ExportMacroText, bool]]


def share_export_macros(sources: Sequence[SourceFile]) -> None:
    """Give each Rust file among `sources` the export macros of its crate that it
    needs from other files (module docstring); a macro of its own that only hands
    on to them is given too, since the file finds only its own writers."""
    crates = crate_directories(s.path for s in sources if s.kind is FileKind.CARGO_TOML)
    memo: dict[str, str | None] = {}
    rust = [s for s in sources if s.kind is FileKind.RUST]
    defining = [s for s in rust if b"macro_rules" in s.data]
    roots: dict[str, Node] = {}

    def root_of(source: SourceFile) -> Node:
        found = roots.get(source.path)
        if found is None:
            found = roots[source.path] = parse(Grammar.RUST, source.data).root_node
        return found

    by_crate: dict[str | None, _CrateMacros] = {}
    for source in defining:
        if WRITES_EXPORT_BYTES.search(source.data):
            known = by_crate.setdefault(crate_dir_of(source.path, crates, memo), {})
            for found in export_macro_texts(root_of(source)):
                known.setdefault(found.name, (source.path, found, True))
    if not by_crate:
        return
    manifests = {
        posixpath.dirname(s.path): s.data for s in sources if s.kind is FileKind.CARGO_TOML
    }
    for _ in range(MAX_DEPTH):  # macros handing on to those, and to those in turn
        added = False
        patterns = {crate: _invocation_of(known) for crate, known in by_crate.items()}
        for source in defining:
            crate = crate_dir_of(source.path, crates, memo)
            known, invoking = by_crate.get(crate, {}), patterns.get(crate)
            if invoking is None or not invoking.search(source.data.decode("utf-8", "replace")):
                continue
            for found in export_macro_texts(root_of(source), invoking):
                if found.name not in known:
                    known[found.name] = (source.path, found, False)
                    added = True
        if not added:
            break
    _share_with_dependents(by_crate, manifests)
    patterns = {crate: _invocation_of(known) for crate, known in by_crate.items()}
    for source in rust:
        crate = crate_dir_of(source.path, crates, memo)
        invoking = patterns.get(crate)
        if invoking is None:
            continue
        known = by_crate[crate]
        needed = _needed(known, invoking, source.data.decode("utf-8", "replace"))
        shared = tuple(
            macro
            for name in needed
            for path, macro, writes in (known[name],)
            if path != source.path or not writes
        )
        if shared:
            source.export_macros = shared


def _share_with_dependents(
    by_crate: dict[str | None, _CrateMacros], manifests: dict[str, bytes]
) -> None:
    """Give the crates that depend on a crate of the repository by `path` its
    `#[macro_export]` macros: a plugin SDK's `create_boilerplate!()` writes the
    plugin crate's exports (fluent-bit-rs). Their own macros of a name come first."""
    exporting: dict[str, _CrateMacros] = {}
    for crate, known in by_crate.items():
        exported = {n: found for n, found in known.items() if found[1].exported}
        if crate is not None and exported:
            library = _library_name(manifests.get(crate))
            exporting[crate] = {
                n: (path, _named_crate(macro, library), writes)
                for n, (path, macro, writes) in exported.items()
            }
    if not exporting:
        return
    for directory in manifests:
        for dependency in sorted(path_dependencies([directory], manifests) - {directory}):
            known = by_crate.setdefault(directory, {})
            for macro_name, found in exporting.get(dependency, {}).items():
                known.setdefault(macro_name, found)


def _library_name(manifest: bytes | None) -> str | None:
    try:
        return manifest_library_name(tomllib.loads(manifest.decode("utf-8"))) if manifest else None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # DEP rules report the manifest; `$crate` stays `crate`


def _named_crate(macro: ExportMacroText, library: str | None) -> ExportMacroText:
    """The macro with `$crate` written as the name its crate's dependents call it by
    (its library's name), so that `$crate::guard(..)` leads back to it."""
    if library is None:
        return macro
    rules = tuple((m, _DOLLAR_CRATE.sub(library, t)) for m, t in macro.rules)
    return ExportMacroText(macro.name, rules, macro.exported)


def _invocation_of(known: _CrateMacros) -> re.Pattern[str] | None:
    """`name!` for any of the names."""
    if not known:
        return None
    names = "|".join(re.escape(name) for name in sorted(known))
    return re.compile(rf"\b(?:{names})\s*!")


def _needed(known: _CrateMacros, invoking: re.Pattern[str], code: str) -> list[str]:
    """The macros `code` invokes (`invoking` matches their invocations), and those
    their transcribers invoke, in name order."""
    found: set[str] = set()
    pending = [code]
    while pending:
        for match in invoking.finditer(pending.pop()):
            name = match.group(0).rstrip("! \t\n")
            if name not in found:
                found.add(name)
                pending += [transcriber for _, transcriber in known[name][1].rules]
    return sorted(found)
