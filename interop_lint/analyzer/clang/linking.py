"""Which Rust crate a header or cgo preamble binds.

One project may hold several crates exporting the same symbols (versions,
examples, separate services), so a C unit is never compared with "any
export of that name". A unit is linked to one crate:

1. By its declarations: the crates that export functions the unit declares
   (leaving out what C defines itself and libc) are candidates; the nearest
   by path wins (most leading directories shared), then the one matching
   most declarations. A tie links nothing. The winner must export at least
   half of those declarations (any one, for a cbindgen header): a lone name
   shared by chance with a far-away crate is no link.
2. A preamble that declares none: by `#cgo LDFLAGS` naming a crate's
   library (`-lengine`, `libengine.a`), else through the headers it includes.

A unit that declares the exports of several crates links none of them, but
each of its declarations of a symbol only one crate exports binds to that
crate's export (`export_for`).

Everything else the XL rules ask about "the other side" is answered here
relative to the link: candidates no nearer than the linked crate are not
considered, so a unit is never compared with an unrelated crate elsewhere.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from msgspec import Struct

from interop_lint.analyzer.clang.libc import LIBC_FUNCTIONS
from interop_lint.analyzer.clang.paths import directory_of, nearest_unique, shared_depth
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.golang.facts import CCallSite
from interop_lint.analyzer.rust.facts import RustExport

if TYPE_CHECKING:
    from interop_lint.analyzer.clang.facts import CFunction
    from interop_lint.analyzer.clang.index import CIndex
    from interop_lint.analyzer.index import ProjectIndex

Crate = str | None  # a crate's directory (None: a Rust file outside any crate)


# Libraries a Rust static library is linked with, which provide no function of it.
_SYSTEM_LIBRARIES = frozenset(
    {"m", "dl", "pthread", "rt", "c", "util", "resolv", "gcc_s", "stdc++", "c++", "unwind"}
)


class Link(Struct, frozen=True):
    crate: Crate  # the crate's directory
    depth: int  # leading directories the unit and the crate share
    matched: int  # declarations of the unit the crate exports


class CrateLinks:
    def __init__(self, project: ProjectIndex, c: CIndex) -> None:
        self._project = project
        self._c = c
        self._links: dict[str, Link | None] = {}
        self._splits: dict[str, bool] = {}  # whether a unit declares several crates' exports

    def rust_bound(self, path: str) -> list[str]:
        """The functions a unit declares that C does not provide: expected from Rust."""
        unit = self._c.units.get(path)
        if unit is None:
            return []
        names = [
            f.name
            for f in unit.functions
            if not f.is_definition
            and not f.is_static
            and f.name not in LIBC_FUNCTIONS
            and f.name not in self._c.definitions
        ]
        return list(dict.fromkeys(names))

    def crate_of(self, path: str) -> Link | None:
        """The crate a unit (header, C source, Go file's preamble) binds, or None."""
        if path in self._links:
            return self._links[path]
        self._links[path] = None  # a guard against include cycles
        unit = self._c.units.get(path)
        link = None
        if unit is not None:
            link = self._by_declarations(path, unit.generated_by_cbindgen)
            if link is None and unit.is_preamble:
                link = self._by_libraries(path, unit.link_libraries) or self._by_includes(path)
        self._links[path] = link
        return link

    def _by_declarations(self, path: str, cbindgen: bool) -> Link | None:
        symbols = self.rust_bound(path)
        matched: Counter[Crate] = Counter()
        for symbol in symbols:
            crates = {crate for crate, _, _ in self._exports(symbol)}
            crates.update(self._rust.crates_generating(symbol))
            matched.update(crates - {None})  # a loose .rs file is no crate to link to
        if not matched:
            return None
        here = directory_of(path)
        ranked = sorted(matched.items(), key=lambda item: (-shared_depth(here, item[0]), -item[1]))
        best, count = ranked[0]
        depth = shared_depth(here, best)
        if len(ranked) > 1 and (shared_depth(here, ranked[1][0]), ranked[1][1]) == (depth, count):
            return None
        if count * 2 < len(symbols) and not cbindgen:
            return None
        return Link(best, depth, count)

    def crate_linked_alone(self, path: str, header: str) -> Link | None:
        """The crate a Go file's preamble links as its one library (`#cgo LDFLAGS: -lw`,
        system libraries aside), when `header` declares one of its exports: the other
        declarations of that header are its functions too, even where too few match
        for the header to bind it by them (exports renamed since). A header none of
        whose declarations match may declare what a dependency of the crate exports
        (rust-brotli's `decode.h`, re-exported from brotli-decompressor)."""
        unit = self._c.units.get(path)
        if unit is None or not unit.is_preamble:
            return None
        libraries = [name for name in unit.link_libraries if name not in _SYSTEM_LIBRARIES]
        link = self._by_libraries(path, tuple(libraries)) if len(libraries) == 1 else None
        if link is None:
            return None
        exported = (
            crate for name in self.rust_bound(header) for crate, _, _ in self._exports(name)
        )
        return link if link.crate in exported else None

    def _by_libraries(self, path: str, libraries: tuple[str, ...]) -> Link | None:
        if not libraries:
            return None
        wanted = {name.replace("-", "_") for name in libraries}
        crates = [
            directory
            for directory, manifest in self._project.cargo_manifests.items()
            if manifest.package
            and (manifest.package.replace("-", "_") in wanted or manifest.library_name in wanted)
        ]
        return self._link_to_nearest(path, crates)

    def _by_includes(self, path: str) -> Link | None:
        crates = {
            link.crate
            for header in self._c.context(path)[1:]
            if (link := self.crate_of(header)) is not None
        }
        return self._link_to_nearest(path, crates)

    def _link_to_nearest(self, path: str, crates: Iterable[Crate]) -> Link | None:
        here = directory_of(path)
        crate = nearest_unique(here, list(dict.fromkeys(crates)), lambda c: c)
        return None if crate is None else Link(crate, shared_depth(here, crate), 0)

    def crate_for_types(self, path: str) -> Link | None:
        """The crate whose types a unit's structs mirror: its own link, else its includers'."""
        link = self.crate_of(path)
        if link is not None:
            return link
        links = [link for unit in self._c.includers.get(path, []) if (link := self.crate_of(unit))]
        crates = {link.crate for link in links}
        return self._link_to_nearest(path, crates)

    # -- the other side, relative to a link --------------------------------------------

    @property
    def _rust(self):  # type: ignore[no-untyped-def]
        return self._project.rust

    @cached_property
    def _exports_by_symbol(self) -> dict[str, list[tuple[Crate, str, RustExport]]]:
        return {
            symbol: [(self._rust.crate_of(path), path, export) for path, export in exports]
            for symbol, exports in self._rust.exports_by_symbol.items()
        }

    def _exports(self, symbol: str) -> list[tuple[Crate, str, RustExport]]:
        """(crate, file, export) of every export of a symbol."""
        return self._exports_by_symbol.get(symbol, [])

    def near(self, path: str, link: Link, directory: str | None) -> bool:
        """Whether a place is at least as near to the unit as its linked crate."""
        return shared_depth(directory_of(path), directory) >= link.depth

    def export_for(self, path: str, symbol: str) -> tuple[str, RustExport] | None:
        """The Rust export a unit's declaration of `symbol` binds to."""
        link = self.crate_of(path)
        if link is None:
            return self._split_export(path, symbol)
        exports = self._exports(symbol)
        own = [(p, e) for crate, p, e in exports if crate == link.crate]
        if own:
            return own[0]
        nearby = [x for x in exports if self.near(path, link, x[0])]
        found = nearest_unique(directory_of(path), nearby, lambda x: x[0])
        return None if found is None else (found[1], found[2])

    def _split_export(self, path: str, symbol: str) -> tuple[str, RustExport] | None:
        """The export a unit that links no one crate declares, when the unit declares
        the exports of several (da-codec's preamble: one function of each of two codec
        crates): a symbol only one crate of the project exports is that crate's, once
        at least half the unit's declarations are such symbols."""
        exports = self._exports(symbol)
        if len(exports) != 1 or exports[0][0] is None:
            return None
        split = self._splits.get(path)
        if split is None:
            symbols = self.rust_bound(path)
            unique = [only[0][0] for name in symbols if len(only := self._exports(name)) == 1]
            crates = set(unique) - {None}
            split = self._splits[path] = len(crates) > 1 and len(unique) * 2 >= len(symbols)
        return (exports[0][1], exports[0][2]) if split else None

    def export_called(self, go_path: str, name: str) -> tuple[str, RustExport] | None:
        """The Rust export a Go file's call `C.name` reaches: its linked crate's export of
        that symbol, unless C defines `name` for the file (a `static inline` in the
        preamble or an included header)."""
        if not self._exports(name):
            return None  # most names asked about: C.free, C.CString, C.int...
        if any(
            f.is_definition or f.is_static for _, f in self._c.functions_in_context(go_path, name)
        ):
            return None
        return self.export_for(go_path, name)

    @cached_property
    def _go_calls_by_name(self) -> dict[str, list[tuple[str, CCallSite]]]:
        found: dict[str, list[tuple[str, CCallSite]]] = defaultdict(list)
        for facts in self._project.by_kind[FileKind.GO]:
            go = facts.go
            for call in go.c_calls if go is not None else ():
                found[call.name].append((facts.path, call))
        return found

    def go_calls_of(self, rust_path: str, export: RustExport) -> list[tuple[str, CCallSite]]:
        """(Go file, call site) of every Go call `C.name(...)` that reaches this export."""
        # Binding a call to its export is the costly part: only the calls of this
        # symbol are bound (a one-file run asks about a few exports of many).
        found = []
        for go_path, call in self._go_calls_by_name.get(export.symbol, ()):
            bound = self.export_called(go_path, call.name)
            if bound is not None and bound[0] == rust_path and bound[1].location == export.location:
                found.append((go_path, call))
        return found

    def exported_near(self, path: str, symbol: str, link: Link) -> bool:
        """Whether a crate at least as near as the linked one exports `symbol`, or may
        through a macro that writes exports."""
        if any(self.near(path, link, crate) for crate, _, _ in self._exports(symbol)):
            return True
        return any(self.near(path, link, c) for c in self._rust.crates_that_may_generate(symbol))

    def defined_in_c(self, path: str, name: str, link: Link) -> bool:
        """Whether C provides `name` to a unit: libc, its own context, or a C definition nearby."""
        if name in LIBC_FUNCTIONS:
            return True
        if any(f.is_definition for _, f in self._c.functions_in_context(path, name)):
            return True
        return any(
            self.near(path, link, posixpath.dirname(p))
            for p, _ in self._c.definitions.get(name, [])
        )

    def rust_abi_near(self, path: str, symbol: str, link: Link) -> bool:
        """Whether a crate at least as near as the linked one defines `symbol` with the
        Rust ABI: the symbol links, but C cannot call it (XL108 says so)."""
        return any(
            self.near(path, link, crate)
            for crate, _, _ in self._rust.rust_abi_by_symbol.get(symbol, ())
        )

    def rust_abi_declarations(self, crate: Crate, symbol: str) -> list[tuple[str, CFunction]]:
        """(unit, declaration) of the contract units whose `symbol` is the Rust-ABI
        function `crate` exports under it: declared there, provided by no C definition
        nor Rust export, and `crate` the nearest unique one defining it (within the
        unit's link, when it has one)."""
        if symbol in LIBC_FUNCTIONS or self._exports(symbol) or self._c.definitions.get(symbol):
            return []  # C or a C-ABI export provides it (XL102/XL104 judge the rest)
        defining = list(
            dict.fromkeys(c for c, _, _ in self._rust.rust_abi_by_symbol.get(symbol, ()))
        )
        found = []
        for unit, declaration in self._contract_declarations.get(symbol, ()):
            if any(f.is_definition for _, f in self._c.functions_in_context(unit, symbol)):
                continue
            nearest = nearest_unique(directory_of(unit), defining, lambda c: c)
            link = self.crate_of(unit)
            if nearest != crate or (link is not None and not self.near(unit, link, nearest)):
                continue
            found.append((unit, declaration))
        return found

    @cached_property
    def _contract_declarations(self) -> dict[str, list[tuple[str, CFunction]]]:
        """Declarations (no body, external linkage) of the preambles and contract
        headers, by name."""
        found: dict[str, list[tuple[str, CFunction]]] = defaultdict(list)
        for path in self._c.units:
            unit = self._c.contract_unit(path)
            for function in unit.functions if unit is not None else ():
                if not function.is_definition and not function.is_static:
                    found[function.name].append((path, function))
        return found

    @cached_property
    def _headers_by_crate(self) -> dict[Crate, list[str]]:
        found: dict[Crate, list[str]] = defaultdict(list)
        for path in self._c.units:
            if self._c.is_contract_header(path):
                link = self.crate_of(path)
                if link is not None:
                    found[link.crate].append(path)
        return found

    def headers_of(self, crate: Crate) -> list[str]:
        """The contract headers linked to a crate."""
        return self._headers_by_crate.get(crate, [])

    @cached_property
    def _declared_by_crate(self) -> dict[Crate, frozenset[str]]:
        return {
            crate: frozenset(
                f.name
                for header in headers
                for unit in self._c.context(header)
                for f in self._c.units[unit].functions
            )
            for crate, headers in self._headers_by_crate.items()
        }

    def declared_for(self, crate: Crate) -> frozenset[str]:
        """Every function the crate's headers declare (with what they include)."""
        return self._declared_by_crate.get(crate, frozenset())
