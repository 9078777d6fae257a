"""The ownership questions of the Rust index (RS105, XL105, XL106), asked by crate.

Mixed into `RustIndex` (`index.rust.releases_kind(crate, kind)`). A kind as the
facts write it (`box:Handle`, see rust/ownership.py) is made canonical through
the crate's aliases (`box:Engine` when `type Handle = *mut Engine;`), then
matched against the kinds the crate's exports give back to Rust, in their own
bodies or through the functions they call, and against the kinds an
`impl Drop` gives back. A kind without its type (`box`) matches its family.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from msgspec.structs import replace

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.facts import RustCall, RustEnum, RustExport, RustStruct
from interop_lint.analyzer.rust.types import base_name, parse_type
from interop_lint.analyzer.typesys.rust import PRIMITIVES, canonical

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.callgraph import CrateCalls
    from interop_lint.analyzer.rust.index import Crate, RustIndex


class OwnershipQueries:
    """The ownership part of `RustIndex`; each method reads the rest of the index
    (its crates, aliases, call graphs) through `self`, which is a `RustIndex`."""

    def __init__(self) -> None:
        # Per crate, computed on first use: a one-file run asks of one crate only.
        self._releases: dict[Crate, list[tuple[str, RustExport, frozenset[str]]]] = {}
        self._released: dict[Crate, frozenset[str]] = {}
        self._function_releases: dict[Crate, list[tuple[str, ...]]] = {}

    def canonical_kind(self: RustIndex, crate: Crate, kind: str) -> str:
        """A kind with its type resolved: `box:Handle` -> `box:Engine` when
        `type Handle = *mut Engine;`."""
        family, _, written = kind.partition(":")
        if not written:
            return family
        if "." in written:  # `Buffer.data`: the pointee of that field's type
            struct, field_type = self._field_type(crate, written)
            written = _pointer_held(field_type)
            if not written:
                return family
            if struct is not None and _pointee_is_parameter(written, struct.generics):
                return family  # `Holder<T> { inner: *mut T }`: any type
        resolved = parse_type(self.resolve_name(crate, written))
        if resolved is not None and resolved.type == "pointer_type":
            resolved = resolved.child_by_field_name("type")
        name = (base_name(resolved) or text(resolved)) if resolved is not None else written
        # `box:c_void` stays what it is: `Box::from_raw` of a `*mut c_void` frees a
        # `Box<c_void>`, with the wrong layout and no destructor, whatever was boxed.
        # The byte types share one layout: a `Vec<u8>` handed out as `*mut c_char`
        # is given back whole by `Vec::from_raw_parts(p as *mut u8, ..)`.
        # A C alias is the Rust type it names: `c_uint` is `u32`.
        name = "u8" if name in _BYTE_TYPES else _C_ALIASES.get(name, name)
        return f"{family}:{name}" if name else family

    def _field_type(self: RustIndex, crate: Crate, path: str) -> tuple[RustStruct | None, str]:
        """The struct holding the last field of `Holder.field` (`Scene.parts.shapes`, each
        field's type read under `Rc`, `RefCell` and the like), and that field's type."""
        holder, *fields = path.split(".")
        struct, written = None, ""
        for field in fields:
            name = _WRAPPED.sub("", holder.replace(" ", ""))
            declared = self.type_named(crate, self.resolve_name(crate, name.rstrip(">")))
            struct = declared[1] if declared and isinstance(declared[1], RustStruct) else None
            members = struct.fields if struct is not None else ()
            if declared and isinstance(declared[1], RustEnum):  # `Config.Text` of `Text(p)`
                members = declared[1].payloads
            written = next((f.type for f in members if f.name == field), "")
            holder = written
        return struct, written

    def _released_in(self: RustIndex, crate: Crate) -> frozenset[str]:
        """The kinds the crate's exports release; per crate, as a one-file run asks of one."""
        released = self._released.get(crate)
        if released is None:
            files = self.files_by_crate.get(crate, [])
            reached = self.called_from_exports(crate) if files else set()
            if stored := [c for _, rust in files for c in rust.stored_functions]:
                # Called through the field they are kept in (a handle's vtable `destroy`).
                calls = self.calls_of(crate)
                reached = reached | calls.reachable(i for c in stored for i in calls.callees(c))
            kinds = self._release_kinds_by_function(crate) if files else []
            released = self._released[crate] = (
                frozenset(self.canonical_kind(crate, kind) for i in reached for kind in kinds[i])
                | {
                    self.canonical_kind(crate, k)
                    for _, rust in files
                    for k in rust.generated_release_kinds
                }
                | self._released_by_dependencies(crate, reached)
                | self._released_by_dependency_exports(crate)
            )
        return released

    def _released_by_dependency_exports(self: RustIndex, crate: Crate) -> set[str]:
        """The kinds the exports of the crate's path dependencies give back: the
        library links them in and exports them too (Concordium's `ffi_helpers` with
        its `free_array_len_cap`, which `nm -D` lists in every cdylib using it)."""
        return {
            k
            for dependency in self._linked_dependencies(crate)
            for _, _, kinds in self._export_releases(dependency)
            for k in kinds
        }

    def _linked_dependencies(self: RustIndex, crate: Crate) -> list[str]:
        """The crate's path dependencies, whose exports its library exports too."""
        if crate is None:
            return []
        return [d for d in self._project.path_dependencies(crate) if d != crate]

    def _released_by_dependencies(self: RustIndex, crate: Crate, reached: set[int]) -> set[str]:
        """The kinds released by functions of the crate's path dependencies that the
        functions `reached` call, by the dependency's name (`ffi::free_c_string(s)`)
        or by a name the crate does not declare (stellar-rpc's `use
        ffi::free_c_string;`), or that those call in turn."""
        named = self._project.path_dependencies_by_name(crate)
        dependencies = {name: d for name, d in named.items() if d != crate}
        if not dependencies:
            return set()
        ours = self.calls_of(crate)
        found: set[str] = set()
        for index in reached:
            for call in ours.functions[index][1].calls:
                if call.module is not None:
                    theirs = [dependencies[call.module]] if call.module in dependencies else []
                elif call.owner is None and not call.method and not ours.callees(call):
                    theirs = list(dict.fromkeys(dependencies.values()))
                else:
                    continue
                for dependency in theirs:
                    found.update(self._released_by_call(dependency, replace(call, module=None)))
        return found

    def _released_by_call(self: RustIndex, crate: Crate, call: RustCall) -> set[str]:
        """The kinds the crate's functions a call names release, or those they call."""
        calls, kinds = self.calls_of(crate), self._release_kinds_by_function(crate)
        reached = calls.reachable(calls.callees(call))
        return {self.canonical_kind(crate, kind) for i in reached for kind in kinds[i]}

    def _release_kinds_by_function(self: RustIndex, crate: Crate) -> list[tuple[str, ...]]:
        """What each function of the crate's call graph (in its order) gives back of
        memory its parameters point to. A generic helper's release (`fn free_box<T>(p:
        *mut T)`) is its callers': `box:Blind` for `blind_free(b: *mut Blind)` calling
        `free_box(b)`; the helper's own, of any type, while a call passes a pointer
        whose type is not written there."""
        found = self._function_releases.get(crate)
        if found is None:
            calls = self.calls_of(crate)
            kinds = [[*f.release_kinds, *f.release_handles] for _, f in calls.functions]
            for index, (_, function) in enumerate(calls.functions):
                for position, family in function.generic_releases:
                    typed = _typed_by_callers(calls, index, position)
                    if typed is None:
                        kinds[index].append(family)
                        continue
                    for caller, pointees in typed.items():
                        kinds[caller].extend(f"{family}:{t}" for t in pointees)
            found = self._function_releases[crate] = [tuple(k) for k in kinds]
        return found

    @cached_property
    def _dropped_by_crate(self: RustIndex) -> dict[Crate, dict[str, frozenset[str]]]:
        """Per crate, what each type's `Drop` gives back: in its own body, or in the
        functions it calls, a few calls deep (glean's `body.destroy()` -> `into_vec()`
        -> `Vec::from_raw_parts`; ebpf-profiler's `Box::<[T]>::from(slice)`)."""
        dropped: dict[Crate, dict[str, frozenset[str]]] = {}
        for crate in self.files_by_crate:
            by_type: dict[str, set[str]] = defaultdict(set)
            calls = self.calls_of(crate)
            drops = [i for i, (_, f) in enumerate(calls.functions) if f.trait_name == "Drop"]
            released = self._release_kinds_by_function(crate) if drops else []
            for start in drops:
                function = calls.functions[start][1]
                owner = self.resolve_name(crate, function.owner)  # type: ignore[arg-type]
                for reached in calls.reachable([start], limit=_DROP_DEPTH):
                    run = calls.functions[reached][1]
                    # A method releasing what `self` holds, or what a parameter points to.
                    kinds = (*run.drop_releases, *released[reached])
                    by_type[owner].update(self.canonical_kind(crate, k) for k in kinds)
            for _, rust in self.files_by_crate[crate]:
                for name in rust.derived_drops:  # what a derived Drop frees is out of sight
                    by_type[self.resolve_name(crate, name)].update(_ANY_KIND)
            dropped[crate] = {owner: frozenset(kinds) for owner, kinds in by_type.items()}
        return dropped

    def released_by_drop(self: RustIndex, crate: Crate, owner: str, kind: str) -> bool:
        """Whether `impl Drop for owner` gives memory of this kind back to Rust: memory
        a value of that type holds is released when the value is dropped. So does the
        `Drop` of a type holding an `owner` in a field (glean's `Task { body:
        ByteBuffer }`), which runs what gives the field's memory back."""
        dropped = self._dropped_by_crate.get(crate, {})
        if not dropped:
            return False
        owner = self.resolve_name(crate, owner)
        wanted = self.canonical_kind(crate, kind)
        holders = self._holders_by_crate.get(crate, {}).get(owner, ())
        return any(
            _same_kind(wanted, k) for name in (owner, *holders) for k in dropped.get(name, ())
        )

    @cached_property
    def _holders_by_crate(self: RustIndex) -> dict[Crate, dict[str, tuple[str, ...]]]:
        """Per crate, the types whose fields (or variants' payloads) hold each type: the
        type's name is a word of the field's type (`Option<ByteBuffer>` holds one)."""
        found: dict[Crate, dict[str, tuple[str, ...]]] = {}
        for crate, files in self.files_by_crate.items():
            by_type: dict[str, list[str]] = defaultdict(list)
            for _, rust in files:
                held = [(s.name, tuple(f.type for f in s.fields)) for s in rust.structs]
                held += ((e.name, e.held_types) for e in rust.enums)
                for holder, types in held:
                    for word in {w for t in types for w in _WORD.findall(t)} - {holder}:
                        by_type[self.resolve_name(crate, word)].append(holder)
            found[crate] = {name: tuple(dict.fromkeys(h)) for name, h in by_type.items()}
        return found

    def releases_kind(self: RustIndex, crate: Crate, kind: str) -> bool:
        """Whether an export of the crate (or a function it calls) gives memory of
        this kind back to Rust. An unknown type (`box`) matches any of its family."""
        wanted = self.canonical_kind(crate, kind)
        return any(_same_kind(wanted, k) for k in self._released_in(crate))

    def release_exports(self: RustIndex, crate: Crate, kind: str) -> list[tuple[str, RustExport]]:
        """(file, export) of every export of the crate (or of a path dependency it links
        in) that gives memory of this kind back to Rust (XL106 names them): those that
        release it in their own body first, then those that do through a function they
        call."""
        wanted = self.canonical_kind(crate, kind)
        direct, indirect = [], []
        linked = [r for d in self._linked_dependencies(crate) for r in self._export_releases(d)]
        for path, export, kinds in [*self._export_releases(crate), *linked]:
            if any(_same_kind(wanted, k) for k in kinds):
                own = (self.canonical_kind(crate, r.kind) for r in export.releases)
                (direct if any(_same_kind(wanted, k) for k in own) else indirect).append(
                    (path, export)
                )
        return direct + indirect

    def void_release_hint(self: RustIndex, crate: Crate, kind: str) -> str:
        """For memory no export gives back, why a crate's `free(p: *mut c_void)` does not:
        "`flux_free` frees a `Box<c_void>` ..."; "" when the crate has none."""
        void = self.canonical_kind(crate, "box:c_void")
        found = [  # a `Box::from_raw` of a type not known (a macro's `$p`) says nothing
            (path, export) for path, export, kinds in self._export_releases(crate) if void in kinds
        ]
        if not found:
            return ""
        hint = (
            f"`{found[0][1].symbol}` frees a `Box<c_void>` (`Box::from_raw` of a `*mut c_void`), "
            "with the wrong layout"
        )
        if self.canonical_kind(crate, kind).startswith("box"):
            hint += " and without running its destructor"
        return hint

    def _export_releases(
        self: RustIndex, crate: Crate
    ) -> list[tuple[str, RustExport, frozenset[str]]]:
        """(file, export, kinds it releases itself or through its callees), per crate."""
        found = self._releases.get(crate)
        if found is None:
            calls = self.calls_of(crate)
            # Backwards from each function that releases: the functions that reach it.
            kinds_of: dict[int, set[str]] = defaultdict(set)
            own = self._release_kinds_by_function(crate)
            for index, released in enumerate(own):
                # As C sees them too: `box:flux_error_t` of `Box::from_raw(err as *mut
                # FluxError)` whose `err` is a `*mut flux_error_t` (RustFunction).
                if released:
                    for caller in calls.callers_of({index}):
                        kinds_of[caller].update(released)
            found = self._releases[crate] = []
            for path, export in self.exports_in_crate(crate):
                start = calls.index_of(path, export.location, export.name)
                kinds = kinds_of.get(start, set()) if start is not None else set()
                if kinds:
                    canonical = frozenset(self.canonical_kind(crate, k) for k in kinds)
                    found.append((path, export, canonical))
        return found


def _typed_by_callers(calls: CrateCalls, helper: int, position: int) -> dict[int, list[str]] | None:
    """The pointee types the direct callers of a generic helper pass at `position`, by
    caller; None when a call passes one not written there (or none calls it)."""
    found: dict[int, list[str]] = {}
    for caller in calls.callers(helper):
        _, calling = calls.functions[caller]
        sites = sum(helper in calls.callees_from(caller, c) for c in calling.calls)
        typed = [
            a.pointee
            for a in calling.pointer_arguments
            if a.argument == position and helper in calls.callees_from(caller, a.call)
        ]
        if len(typed) < sites:
            return None
        found[caller] = typed
    return found or None


# `*mut Item` in a field's type, also as the element of a collection in a cell
# (`RefCell<Vec<*mut Item>>`, whose elements a context frees).
_HELD_POINTER = re.compile(r"\*\s*(?:mut|const)\s+[A-Za-z_][\w:]*(?:<[^<>]*>)?")


def _pointer_held(written: str) -> str:
    """The one pointer type a field's type holds: itself, or its collection's element."""
    if written.startswith("*"):
        return written
    held = set(_HELD_POINTER.findall(written))
    return held.pop() if len(held) == 1 else ""


# The wrappers a field's struct is read under: `Rc<RefCell<Parts>>` -> `Parts`.
_WRAPPED = re.compile(
    r"(?:(?:std|alloc|core)::(?:\w+::)*)?(?:Rc|Arc|RefCell|Cell|Mutex|RwLock|Box)<"
)
_WORD = re.compile(r"[A-Za-z_]\w*")
_DROP_DEPTH = 32  # functions a `Drop` is followed into
_ANY_KIND = ("cstring", "box", "vec")  # a kind without its type matches its whole family
_BYTE_TYPES = frozenset({"u8", "i8", "c_char", "c_uchar", "c_schar"})
# The `std::ffi` aliases by the Rust type they name (`c_uint` is `u32`); `c_long` is
# that only on LP64, and the byte types are one above.
_C_ALIASES = {
    name: spelled
    for name, kind in PRIMITIVES.items()
    if name.startswith("c_")
    and name not in ("c_long", "c_ulong")
    and (spelled := canonical(kind)) not in (None, name)
}


def _pointee_is_parameter(pointer: str, generics: tuple[str, ...]) -> bool:
    """Whether `*mut T` points to one of a struct's type parameters."""
    pointee = pointer.removeprefix("*").strip().removeprefix("mut ").removeprefix("const ")
    return pointee.strip() in generics


def _same_kind(wanted: str, released: str) -> bool:
    """Whether two canonical kinds are one; an unknown type (`box`, or `vec:_` of a
    `Vec<_>` whose element is inferred) matches its family."""
    family, _, written = wanted.partition(":")
    other_family, _, other = released.partition(":")
    return other_family == family and (written in _UNKNOWN or other in _UNKNOWN or written == other)


_UNKNOWN = ("", "_")
