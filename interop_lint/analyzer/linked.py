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
  (the header XL104 names), the Go files calling its exports (XL105) and
  the files of its own crate (the helper whose `from_raw` XL105 relates);
- a Python file with ctypes bindings (XL107): every crate exporting a
  symbol it binds (the export and the struct it passes);
- a Rust file with Rust-ABI functions under a symbol (XL108): the C units
  declaring one of those symbols.

`tests/test_linked.py` checks on every fixture that each cross-language
finding's related files are among the targets of its file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable

from msgspec import Struct, field

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.index import ProjectIndex

Crate = str | None


class _ScopeSide(Struct):
    """What the files of the scope offer a link to (see the module docstring)."""

    crates: set[Crate] = field(default_factory=set)  # its crates: Rust files, manifests
    symbols: set[str] = field(default_factory=set)  # exported by those crates
    called: set[str] = field(default_factory=set)  # C functions its Go files call
    unit_crates: set[Crate] = field(default_factory=set)  # crates its C units bind
    declared: set[str] = field(default_factory=set)  # functions its C units declare


def _scope_side(index: ProjectIndex, in_scope: Callable[[str], bool]) -> _ScopeSide:
    side = _ScopeSide()
    rust, c = index.rust, index.c
    for path, facts in index.files.items():
        if not in_scope(path):
            continue
        if facts.kind is FileKind.RUST:
            side.crates.add(rust.crate_of(path))
        elif facts.kind is FileKind.CARGO_TOML:
            side.crates.add(posixpath.dirname(path))
        elif facts.kind is FileKind.GO and facts.go is not None:
            side.called.update(call.name for call in facts.go.c_calls)
        if path in c.units and (link := c.links.crate_of(path)) is not None:
            side.unit_crates.add(link.crate)
        if path in c.units:
            side.declared.update(f.name for f in c.units[path].functions)
    for crate in side.crates:
        side.symbols.update(export.symbol for _, export in rust.exports_in_crate(crate))
    return side


def linked_to_scope(
    index: ProjectIndex,
    candidates: Iterable[str],
    in_scope: Callable[[str], bool],
) -> set[str]:
    """The `candidates` (outside the scope) whose link targets meet the scope.

    Asked from the scope's side: what it exports, calls and binds is gathered
    once, and each candidate is then a few set lookups (a pre-commit run names
    one file of thousands)."""
    side = _scope_side(index, in_scope)
    return {path for path in candidates if _meets(index, path, side, in_scope)}


def _meets(
    index: ProjectIndex, path: str, side: _ScopeSide, in_scope: Callable[[str], bool]
) -> bool:
    c = index.c
    unit = c.units.get(path)
    if unit is not None:  # a header, C source or Go file's preamble
        if any(function.name in side.symbols for function in unit.functions):
            return True
        for link in (c.links.crate_of(path), c.links.crate_for_types(path)):
            if link is not None and link.crate in side.crates:
                return True
        if any(in_scope(included) for included in c.context(path)):
            return True
    facts = index.files.get(path)
    if facts is None:
        return False
    if facts.kind is FileKind.GO and facts.go is not None:
        return any(call.name in side.symbols for call in facts.go.c_calls)
    rust = facts.rust if facts.kind is FileKind.RUST else None
    if rust is not None and any(f.symbol in side.declared for f in rust.rust_abi_functions):
        return True
    exports = index.rust.exports_in_file(path) if facts.kind is FileKind.RUST else ()
    if exports:
        crate = index.rust.crate_of(path)
        if crate in side.unit_crates or crate in side.crates:
            return True
        return any(export.symbol in side.called for export in exports)
    if facts.kind is FileKind.PYTHON and facts.python is not None:
        return any(binding.symbol in side.symbols for binding in facts.python.bindings)
    return False
