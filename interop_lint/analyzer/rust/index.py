"""The Rust part of the project index: facts grouped by crate, looked up by name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cached_property, partial
from typing import TYPE_CHECKING

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.callgraph import CrateCalls, inherited_method, method_owner
from interop_lint.analyzer.rust.crate_macros import CrateMacroQueries
from interop_lint.analyzer.rust.crate_names import CrateNameQueries
from interop_lint.analyzer.rust.facts import (
    Allocation,
    RustAbiFunction,
    RustExport,
    RustFileFacts,
    RustFunction,
    RustStaticMut,
)
from interop_lint.analyzer.rust.macros import delegating_guards
from interop_lint.analyzer.rust.module_tree import ModuleTreeQueries
from interop_lint.analyzer.rust.ownership_queries import OwnershipQueries
from interop_lint.analyzer.rust.panics import is_guard_name, runs_later
from interop_lint.analyzer.rust.pointer_contracts import (
    CrateDemands,
    CrateReleases,
    crate_demands,
    crate_dereferences,
    crate_parameter_releases,
)
from interop_lint.analyzer.rust.typed_kinds import typed_kind
from interop_lint.analyzer.rust.types import TypeNames
from interop_lint.analyzer.typesys.kinds import crate_returns_kind

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex

# The directory of the crate's Cargo.toml, or of its root file without one
# (ProjectIndex.crate_dir_of).
Crate = str | None


# The ownership questions (RS105, XL105, XL106) are methods of OwnershipQueries,
# what the crate's macros make of their invocations (exports, null checks) of
# CrateMacroQueries, and what the module tree sets for a file (lint levels, cbindgen
# skips) of ModuleTreeQueries, mixed in so that callers ask them of the index like any other.
class RustIndex(OwnershipQueries, CrateMacroQueries, CrateNameQueries, ModuleTreeQueries):
    def __init__(self, project: ProjectIndex) -> None:
        OwnershipQueries.__init__(self)
        CrateMacroQueries.__init__(self)
        ModuleTreeQueries.__init__(self)
        self._project = project
        self._calls: dict[Crate, CrateCalls] = {}
        self._guards: dict[Crate, frozenset[str]] = {}
        self._called_from_exports: dict[Crate, set[int]] = {}
        self._type_names: dict[Crate, TypeNames] = {}
        self._guarded: dict[tuple[Crate, tuple[str, ...]], bool] = {}
        self._macro_names: dict[Crate, frozenset[str]] = {}
        self._pointer_demands: dict[Crate, CrateDemands] = {}
        self._pointer_dereferences: dict[Crate, CrateDemands] = {}
        self._functions_by_type: dict[Crate, list[tuple[str, RustFunction]]] = {}
        self._parameter_releases: dict[Crate, CrateReleases] = {}

    @cached_property
    def files_by_crate(self) -> dict[Crate, list[tuple[str, RustFileFacts]]]:
        grouped: dict[Crate, list[tuple[str, RustFileFacts]]] = defaultdict(list)
        for facts in self._project.by_kind[FileKind.RUST]:
            if facts.rust is not None:
                grouped[self.crate_of(facts.path)].append((facts.path, facts.rust))
        return grouped

    def crate_of(self, path: str) -> Crate:
        return self._project.crate_dir_of(path)

    @cached_property
    def _exports_by_crate(self) -> dict[Crate, list[tuple[str, RustExport]]]:
        return {
            crate: [(path, e) for path, rust in files for e in self._exports_of(crate, rust)]
            for crate, files in self.files_by_crate.items()
        }

    def exports_in_crate(self, crate: Crate) -> list[tuple[str, RustExport]]:
        """(file, export) of every exported function of a crate."""
        return self._exports_by_crate.get(crate, [])

    @cached_property
    def exports_by_symbol(self) -> dict[str, list[tuple[str, RustExport]]]:
        """Every export of the project by linker symbol (several crates may share one)."""
        grouped: dict[str, list[tuple[str, RustExport]]] = defaultdict(list)
        for exports in self._exports_by_crate.values():
            for path, export in exports:
                grouped[export.symbol].append((path, export))
        return grouped

    @cached_property
    def rust_abi_by_symbol(self) -> dict[str, list[tuple[Crate, str, RustAbiFunction]]]:
        """(crate, file, function) of the functions exported under a symbol with the
        Rust ABI (XL108), by symbol."""
        grouped: dict[str, list[tuple[Crate, str, RustAbiFunction]]] = defaultdict(list)
        for crate, files in self.files_by_crate.items():
            for path, rust in files:
                for function in rust.rust_abi_functions:
                    grouped[function.symbol].append((crate, path, function))
        return grouped

    @cached_property
    def _generating_crates(self) -> tuple[dict[str, list[Crate]], list[Crate]]:
        by_symbol: dict[str, list[Crate]] = defaultdict(list)
        open_crates: list[Crate] = []
        for crate, files in self.files_by_crate.items():
            manifest = self._project.cargo_manifests.get(crate)
            dependencies = manifest.dependency_crates if manifest else frozenset()
            for _, rust in files:
                reexported = [
                    name for root, name in rust.reexported_symbols if root in dependencies
                ]
                for symbol in (*rust.generated_symbols, *reexported):
                    by_symbol[symbol].append(crate)
                if crate not in open_crates and (
                    rust.exports_unknown_symbols
                    or "*" in reexported
                    or any(self.export_macro(crate, m) for m in rust.invoked_macros)
                ):
                    open_crates.append(crate)
        return by_symbol, open_crates

    def crates_generating(self, symbol: str) -> list[Crate]:
        """Crates whose `macro_rules!` macros export `symbol` (rust.generated), or that
        re-export it from a dependency (`pub use dep::symbol`)."""
        return self._generating_crates[0].get(symbol, [])

    def crates_that_may_generate(self, symbol: str) -> list[Crate]:
        """Those, and the crates whose macros export symbols no fact names or that
        re-export a dependency's module whole (`pub use dep::ffi::*`)."""
        by_symbol, open_crates = self._generating_crates
        return by_symbol.get(symbol, []) + open_crates

    @cached_property
    def _dangling_macros(self) -> dict[Crate, dict[str, str]]:
        found: dict[Crate, dict[str, str]] = defaultdict(dict)
        for crate, files in self.files_by_crate.items():
            for _, rust in files:
                for macro in rust.macros:
                    if macro.dangling_value is not None:
                        found[crate].setdefault(macro.name, macro.dangling_value)
        return found

    def dangling_macros(self, crate: Crate) -> dict[str, str]:
        """The `macro_rules!` macros of the crate (`name!`) whose value is a pointer into
        a temporary, with that temporary (RustFunction.dangling_value)."""
        return self._dangling_macros.get(crate, {})

    # -- Functions and calls (RS101, RS105) ------------------------------------

    def functions_in_crate(self, crate: Crate) -> list[tuple[str, RustFunction]]:
        """(file, function) of every function of a crate, exported or not, then its
        `macro_rules!` macros as functions named `name!` (rust.macros)."""
        files = self.files_by_crate.get(crate, [])
        functions = [(path, f) for path, rust in files for f in rust.functions]
        return functions + [(path, m) for path, rust in files for m in rust.macros]

    def functions_by_type(self, crate: Crate) -> list[tuple[str, RustFunction]]:
        """`functions_in_crate`, and each trait's default methods once more for every
        type that implements the trait without its own: `SourmashHyperLogLog::as_rust`
        for sourmash's `ForeignObject::as_rust` (a copy owned by the type)."""
        found = self._functions_by_type.get(crate)
        if found is None:
            functions = self.functions_in_crate(crate)
            implementers: dict[str, list[str]] = defaultdict(list)
            for _, rust in self.files_by_crate.get(crate, []):
                for kind, trait in rust.trait_impls:
                    implementers[trait].append(kind)
            own = {(f.owner, f.name) for _, f in functions}
            inherited = [
                (path, inherited_method(f, kind))
                for path, f in functions
                if f.owner in implementers and f.trait_name is None
                for kind in implementers[f.owner]
                if (kind, f.name) not in own
            ]
            found = self._functions_by_type[crate] = functions + inherited
        return found

    def guard_names(self, crate: Crate) -> frozenset[str]:
        """The crate's own panic guards: `macro_rules!` macros that expand to
        `catch_unwind` or hand their tokens to a guard, and functions that run a
        closure parameter under it."""
        found = self._guards.get(crate)
        if found is None:
            files = self.files_by_crate.get(crate, [])
            names = {m for _, rust in files for m in rust.guard_macros}
            names.update(f.name for _, f in self.functions_in_crate(crate) if f.guards_its_argument)
            delegating = [d for _, rust in files for d in rust.macro_delegates]
            # `ffi_safe_ptr(f)` hands `f` to `ffi_safe`, which runs it under `catch_unwind`.
            delegating += [
                (f.name, f.hands_argument_to)
                for _, f in self.functions_in_crate(crate)
                if f.hands_argument_to
            ]
            found = delegating_guards(names, delegating, self._project.config.panic_guards)
            self._guards[crate] = found
        return found

    def is_guarded(self, crate: Crate, wrappers: tuple[str, ...]) -> bool:
        """Whether one of the wrappers of a site (PanicSite.guards) is a panic guard."""
        if not wrappers:
            return False
        found = self._guarded.get((crate, wrappers))
        if found is None:
            local = self.guard_names(crate)
            configured = self._project.config.panic_guards
            # A macro of the crate named like a guard (`catch_panic!`) is one only when
            # its body runs `catch_unwind`: that body is in sight.
            own = self.macro_names(crate)
            found = self._guarded[(crate, wrappers)] = any(
                is_guard_name(
                    self.resolve_name(crate, name.rsplit("::", 1)[-1]),
                    configured,
                    local,
                    by_words=name.rsplit("::", 1)[-1] not in own,
                )
                or is_guard_name(name, configured, local, by_words=name not in own)
                or runs_later(name)  # a boxed closure runs where its caller guards it
                or self._dependency_guard(crate, name)
                for name in wrappers
            )
        return found

    def macro_names(self, crate: Crate) -> frozenset[str]:
        """The names of the crate's `macro_rules!` macros."""
        found = self._macro_names.get(crate)
        if found is None:
            files = self.files_by_crate.get(crate, [])
            found = frozenset(
                (
                    *(m for _, rust in files for m in rust.guard_macros),
                    *(m for _, rust in files for m, _ in rust.macro_delegates),
                )
            )
            self._macro_names[crate] = found
        return found

    def imports_from_c(self, crate: Crate, symbol: str) -> bool:
        """Whether an `extern "C" { .. }` block of the crate imports the symbol."""
        return symbol in self._imported_from_c.get(crate, frozenset())

    @cached_property
    def _imported_from_c(self) -> dict[Crate, frozenset[str]]:
        return {
            crate: frozenset(s for _, rust in files for s in rust.foreign_functions)
            for crate, files in self.files_by_crate.items()
        }

    @cached_property
    def _functions_imported(self) -> dict[Crate, dict[str, str]]:
        """By crate, the path a `use` of any of its files imports a function name by."""
        return {
            crate: {i.alias: i.path for _, rust in files for i in rust.imported_functions}
            for crate, files in self.files_by_crate.items()
        }

    def _dependency_guard(self, crate: Crate, name: str) -> bool:
        """Whether a wrapper is a guard of a crate the crate depends on by path, named
        through it (`sdk::guard(..)`) or imported from it (`use sdk::guard;`)."""
        segments = name.replace(" ", "").split("::")
        head = segments[0] if len(segments) > 1 else None
        if head is None:
            imported = self._functions_imported.get(crate, {}).get(segments[0])
            head = imported.lstrip(":").split("::")[0] if imported else None
        dependency = self._project.path_dependencies_by_name(crate).get(head) if head else None
        return (
            dependency is not None
            and dependency != crate
            and (segments[-1] in self.guard_names(dependency))
        )

    def type_names(self, crate: Crate) -> TypeNames:
        """The crate's names as types, one per crate and run (it remembers answers)."""
        found = self._type_names.get(crate)
        if found is None:
            found = self._type_names[crate] = TypeNames(self, crate)
        return found

    def calls_of(self, crate: Crate) -> CrateCalls:
        """The crate's call graph (built once per crate and run)."""
        found = self._calls.get(crate)
        if found is None:
            found = CrateCalls(
                self.functions_by_type(crate),
                lambda wrappers: self.is_guarded(crate, wrappers),
                partial(method_owner, resolve=partial(self.resolve_name, crate)),
                partial(self.field_type, crate),
                {
                    path: {i.alias: i.path for i in rust.imported_functions}
                    for path, rust in self.files_by_crate.get(crate, [])
                    if rust.imported_functions
                },
                frozenset(
                    name
                    for _, rust in self.files_by_crate.get(crate, [])
                    for _, name in rust.reexported_symbols
                ),
                self.file_modules(crate),
            )
            self._calls[crate] = found
        return found

    def pointer_demands(self, crate: Crate) -> CrateDemands:
        """The crate's helpers that need a pointer argument non-null, by how a call
        names them (rust.pointer_contracts; RS102)."""
        return self._helper_table(self._pointer_demands, crate, crate_demands)

    def pointer_dereferences(self, crate: Crate) -> CrateDemands:
        """The crate's helpers that dereference a pointer argument, null-checked or
        not (rust.pointer_contracts; RS103)."""
        return self._helper_table(self._pointer_dereferences, crate, crate_dereferences)

    def _helper_table(
        self,
        built: dict[Crate, CrateDemands],
        crate: Crate,
        build: Callable[
            [list[tuple[str, RustFunction]], Callable[[str | None, str | None], str | None]],
            CrateDemands,
        ],
    ) -> CrateDemands:
        """A table of the crate's helpers by call name, built once per crate and run."""
        found = built.get(crate)
        if found is None:
            owner_of = partial(self.call_owner, crate)
            found = built[crate] = build(self.functions_by_type(crate), owner_of)
        return found

    def parameter_releases(self, crate: Crate) -> CrateReleases:
        """The crate's helpers that free the memory a pointer argument points to, by
        how a call names them (rust.pointer_contracts; XL105)."""
        found = self._parameter_releases.get(crate)
        if found is None:
            functions = self.functions_by_type(crate)
            found = self._parameter_releases[crate] = crate_parameter_releases(functions)
        return found

    def function_at(self, crate: Crate, path: str, location: Location, name: str) -> int | None:
        """The call-graph index of the function whose name is at `location` (and is
        `name`, when several written by one macro invocation share the location)."""
        return self.calls_of(crate).index_of(path, location, name)

    def owned_return(self, crate: Crate, path: str, export: RustExport) -> str | None:
        """The kind of owned memory an export returns, made by itself or by a helper
        whose result it returns (`to_c_string(..)`); see facts.py for kinds. Only a
        kind its declared return type can be counts (`typesys.kinds`)."""
        kind = export.returns_owned
        if kind is None:
            kind = next(iter(self._helper_returns(crate, path, export)), None)
        if kind is None or not crate_returns_kind(self, crate, export.return_type, kind):
            return None
        return kind

    def owned_return_kinds(self, crate: Crate, path: str, export: RustExport) -> tuple[str, ...]:
        """Every kind `owned_return` could give: those of a struct result's fields."""
        kinds = tuple(dict.fromkeys(a.kind for a in export.hands_out if a.via == "return"))
        returned = export.return_type
        return tuple(
            k
            for k in kinds or self._helper_returns(crate, path, export)
            if crate_returns_kind(self, crate, returned, k)
        )

    def written_allocations(
        self, crate: Crate, path: str, export: RustExport
    ) -> tuple[tuple[str, str], ...]:
        """(out-parameter, kind) of the owned memory crate helpers make that an export
        writes through an out-parameter (`*out = into_handle(v)`), typed by it."""
        index = self.function_at(crate, path, export.location, export.name)
        if index is None:
            return ()
        calls = self.calls_of(crate)
        found = []
        for call, via, written in calls.functions[index][1].written_calls:
            for callee in calls.callees_from(index, call):
                found += ((via, typed_kind(k, written)) for k in calls.returned_kinds(callee))
        return tuple(dict.fromkeys(found))

    def _helper_returns(self, crate: Crate, path: str, export: RustExport) -> tuple[str, ...]:
        index = self.function_at(crate, path, export.location, export.name)
        return () if index is None else self.calls_of(crate).returned_kinds(index)

    def returned_allocations(
        self, crate: Crate, path: str, export: RustExport
    ) -> tuple[Allocation, ...]:
        """The owned memory an export returns: made by itself, else by the helpers whose
        results it returns (`ok(v)` / `err(msg)` building its result struct)."""
        own = tuple(a for a in export.hands_out if a.via == "return")
        index = None if own else self.function_at(crate, path, export.location, export.name)
        return own if index is None else self.calls_of(crate).returned_allocations(index)

    def called_from_exports(self, crate: Crate) -> set[int]:
        """Call-graph indexes of every function an export of the crate reaches."""
        found = self._called_from_exports.get(crate)
        if found is None:
            calls = self.calls_of(crate)
            starts = {
                i
                for path, export in self.exports_in_crate(crate)
                if (i := calls.index_of(path, export.location, export.name)) is not None
            }
            found = self._called_from_exports[crate] = calls.reachable(starts)
        return found

    # -- Statics (RS107) --------------------------------------------------------

    @cached_property
    def _static_muts_by_crate(self) -> dict[Crate, dict[str, tuple[str, RustStaticMut]]]:
        statics: dict[Crate, dict[str, tuple[str, RustStaticMut]]] = defaultdict(dict)
        for crate, files in self.files_by_crate.items():
            for path, rust in files:
                for static in rust.static_muts:
                    statics[crate].setdefault(static.name, (path, static))
        return statics

    def static_muts(self, crate: Crate) -> dict[str, tuple[str, RustStaticMut]]:
        """Every `static mut` of a crate by name, with its file."""
        return self._static_muts_by_crate.get(crate, {})
