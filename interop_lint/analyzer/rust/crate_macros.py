"""What the crate's own macros make of invocations in other files, asked by crate.

Mixed into `RustIndex`. A file records the macros it defines that export
the function an invocation writes (`ExportMacro`, rust.item_macros) and
those that check a pointer of their invocation for null (`NullCheckMacro`,
rust.null_macros); an invoking file records only what it wrote. Pairing the
two here, per crate, rather than in either file's facts keeps each file's
facts its own: editing macros.rs changes what body.rs exports and checks
without body.rs's cached facts changing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import cached_property, partial
from typing import TYPE_CHECKING, TypeVar

from msgspec.structs import replace

from interop_lint.analyzer.rust.facts import (
    ExportMacro,
    NullCheckMacro,
    RustExport,
    RustFileFacts,
)
from interop_lint.analyzer.rust.null_macros import InvocationNullChecks
from interop_lint.analyzer.rust.pointer_contracts import CrateDemands, crate_null_asserts

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.index import Crate, RustIndex

M = TypeVar("M", ExportMacro, NullCheckMacro)


class CrateMacroQueries:
    """The crate-macro part of `RustIndex`; each method reads the rest of the index
    (its crates, guards) through `self`, which is a `RustIndex`."""

    def __init__(self) -> None:
        self._null_checks: dict[Crate, InvocationNullChecks] = {}
        self._null_asserts: dict[Crate, CrateDemands] = {}

    @cached_property
    def _export_macros(self: RustIndex) -> dict[Crate, dict[str, ExportMacro]]:
        return _by_crate(self, lambda rust: rust.export_macros)

    @cached_property
    def _null_check_macros(self: RustIndex) -> dict[Crate, dict[str, NullCheckMacro]]:
        return _by_crate(self, lambda rust: rust.null_check_macros)

    def export_macro(self: RustIndex, crate: Crate, name: str) -> ExportMacro | None:
        """The crate's macro of that name if it exports the functions its invocations
        write (rust.item_macros)."""
        found = self._export_macros.get(crate)
        return found.get(name) if found else None

    def null_checks(self: RustIndex, crate: Crate) -> InvocationNullChecks:
        """What the invocations of the crate's macros check for null (rust.null_macros;
        RS102), one per crate and run (it remembers answers)."""
        found = self._null_checks.get(crate)
        if found is None:
            macros = self._null_check_macros.get(crate, {})
            asserted = partial(self.asserted_by_call, crate)
            found = self._null_checks[crate] = InvocationNullChecks(macros.get, asserted)
        return found

    def asserted_by_call(
        self: RustIndex, crate: Crate, name: str, qualifier: str | None
    ) -> frozenset[int]:
        """The argument positions a call so named passes to crate functions that all
        panic when that argument is null (RustFunction.asserts_nonnull; RS102)."""
        table = self._helper_table(self._null_asserts, crate, crate_null_asserts)
        return frozenset(table.get((self.call_owner(crate, qualifier, None), name), ()))

    def _exports_of(self: RustIndex, crate: Crate, rust: RustFileFacts) -> tuple[RustExport, ...]:
        """A file's exports: written out, and made by the crate's macros of the
        functions the file writes in their invocations."""
        if not rust.macro_functions:
            return rust.exports
        made = []
        written_out = {export.name for export in rust.exports}
        for written in rust.macro_functions:
            macro = self.export_macro(crate, written.macro)
            if macro is not None and macro.items:
                export = written.export
                if export.abi not in ("", "Rust") and export.name not in written_out:
                    made.append(export)
            elif macro is not None:
                export = written.export
                made.append(
                    replace(
                        export,
                        abi=macro.abi,
                        is_unsafe=export.is_unsafe or macro.is_unsafe,
                        is_pub=export.is_pub or macro.is_pub,
                        return_type=_returned(export.return_type, macro),
                        uses_catch_unwind=export.uses_catch_unwind
                        or macro.name in self.guard_names(crate),
                    )
                )
        return (*rust.exports, *made)

    def exports_in_file(self: RustIndex, path: str) -> tuple[RustExport, ...]:
        """The exports of a file, those its macro invocations make included."""
        facts = self._project.files.get(path)
        rust = facts.rust if facts is not None else None
        return () if rust is None else self._exports_of(self.crate_of(path), rust)


def _returned(written: str, macro: ExportMacro) -> str:
    """What an export a macro makes returns: `Result<T>` as `T` when the macro returns
    the inside of its wrapper; unknown (`_`) for a word of the macro (`-> Binary`)."""
    if written in macro.return_words:
        return "_"
    wrapper = macro.return_wrapper
    inside = re.fullmatch(rf"(?:\w+::)*{wrapper}<(.*)>", written) if wrapper else None
    return inside.group(1) if inside is not None else written


def _by_crate(
    index: RustIndex, recorded: Callable[[RustFileFacts], tuple[M, ...]]
) -> dict[Crate, dict[str, M]]:
    """Each crate's macros of one kind by name (the first definition of a name wins)."""
    macros: dict[Crate, dict[str, M]] = defaultdict(dict)
    for crate, files in index.files_by_crate.items():
        for _, rust in files:
            for macro in recorded(rust):
                macros[crate].setdefault(macro.name, macro)
    return macros
