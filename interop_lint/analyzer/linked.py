"""Changed-files mode: the files outside the scope whose cross-language findings
can point into it.

A cross-language finding in file G is reported when one of its related
locations lies in a named file. The XL rules relate a unit only to what the
index links it to, so instead of checking every file of the project, the
engine checks the files whose *link targets* meet the scope. The targets of
a file, by what its XL findings relate to (over-approximated: every file of
a crate where the rule points to one of them):

- a header, C source or cgo preamble (XL101, XL102, XL103, XL104): the
  headers it includes (the declaration XL102 names); the crates it binds
  (`links.crate_of`, `crate_for_types`: a struct, the Cargo.toml XL104
  names) and every crate exporting a function it declares (XL101 takes the
  nearest such export);
- a Go file with C calls (XL102, XL105, XL106): every crate exporting a
  function it calls (the export, what it allocates, its release);
- a Rust file with exports (XL104, XL105): the C units bound to its crate
  (the header XL104 names) and the Go files calling its exports (XL105);
- a Python file with ctypes bindings (XL107): every crate exporting a
  symbol it binds (the export and the struct it passes).

`tests/test_linked.py` checks on every fixture that each cross-language
finding's related files are among the targets of its file.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.index import ProjectIndex

Crate = str | None


@dataclass(slots=True)
class Targets:
    files: set[str] = field(default_factory=set)
    crates: set[Crate] = field(default_factory=set)


def link_targets(index: ProjectIndex, paths: Iterable[str]) -> dict[str, Targets]:
    """The link targets (see the module docstring) of each of `paths` that has any."""
    rust, c = index.rust, index.c
    exporters: dict[str, set[Crate]] = defaultdict(set)
    for symbol, exports in rust.exports_by_symbol.items():
        exporters[symbol] = {rust.crate_of(p) for p, _ in exports}
    wanted = set(paths)
    found: dict[str, Targets] = defaultdict(Targets)
    # C units: headers, C sources, cgo preambles.
    units_of_crate: dict[Crate, list[str]] = defaultdict(list)
    for path, unit in c.units.items():
        link = c.links.crate_of(path)
        if link is not None:
            units_of_crate[link.crate].append(path)
        if path not in wanted:
            continue
        targets = found[path]
        targets.files.update(c.context(path))
        for linked in (link, c.links.crate_for_types(path)):
            if linked is not None:
                targets.crates.add(linked.crate)
        for function in unit.functions:
            targets.crates |= exporters.get(function.name, set())
    # Go files: C calls.
    callers: dict[str, set[str]] = defaultdict(set)
    for facts in index.by_kind[FileKind.GO]:
        go = facts.go
        if go is None or not go.c_calls:
            continue
        for call in go.c_calls:
            callers[call.name].add(facts.path)
            if facts.path in wanted:
                found[facts.path].crates |= exporters.get(call.name, set())
    # Rust files with exports.
    for facts in index.by_kind[FileKind.RUST]:
        if facts.path not in wanted or facts.rust is None or not facts.rust.exports:
            continue
        targets = found[facts.path]
        targets.files.update(units_of_crate.get(rust.crate_of(facts.path), ()))
        for export in facts.rust.exports:
            targets.files |= callers.get(export.symbol, set())
    # Python files with bindings.
    for facts in index.by_kind[FileKind.PYTHON]:
        python = facts.python
        if facts.path not in wanted or python is None:
            continue
        for binding in python.bindings:
            found[facts.path].crates |= exporters.get(binding.symbol, set())
    return {path: targets for path, targets in found.items() if targets.files or targets.crates}


def linked_to_scope(
    index: ProjectIndex,
    candidates: Iterable[str],
    in_scope: Callable[[str], bool],
) -> set[str]:
    """The `candidates` (outside the scope) whose link targets meet the scope."""
    scope_crates: set[Crate] = set()
    for path in index.files:
        if not in_scope(path):
            continue
        kind = index.files[path].kind
        if kind is FileKind.RUST:
            scope_crates.add(index.rust.crate_of(path))
        elif kind is FileKind.CARGO_TOML:
            directory = posixpath.dirname(path)
            scope_crates.add(directory)
    linked = set()
    for path, targets in link_targets(index, candidates).items():
        if targets.crates & scope_crates or any(in_scope(p) for p in targets.files):
            linked.add(path)
    return linked
