"""Calls between the functions of one crate, followed by name (RS101, RS105).

Rust has no cheap type information here, so a call is matched by its name
and shape: `f()` reaches free functions named `f`, and `module::f()` those of
the module `module` when it has one (else any), `Type::f()` the functions of
`impl Type` named `f`, and `x.f()` every method named `f` (a function with
`self`) — or only those of `impl T` when the receiver is `self` or a parameter
of type `T`, `&T`, `Box<T>`. Calls are followed transitively, each function
once, so recursion and cycles end.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from functools import cached_property

from msgspec import Struct
from msgspec.structs import replace

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.facts import Allocation, PanicSite, RustCall, RustFunction
from interop_lint.analyzer.rust.text_parameters import nul_free_parameters
from interop_lint.analyzer.rust.types import INTEGER_REPRS, STANDARD_CRATES

Guarded = Callable[[tuple[str, ...]], bool]  # whether wrappers of a site include a guard
_SEARCH_BUDGET = 256  # functions visited around an export when collecting its panic sites


class PanicTrace(Struct, frozen=True):
    """A panic site an export reaches, and the functions it goes through."""

    site: PanicSite
    function: str  # the function that holds the site
    chain: tuple[str, ...]  # functions called on the way from the export (empty: its own body)
    # A function on the way that runs its argument under `catch_unwind` (the holder
    # first, then the callers nearest it): the site is in that guard, or in what it
    # calls outside what it catches (its error handler, say). "" when none is.
    guard: str = ""


_SMART_POINTERS = frozenset({"Box", "Arc", "Rc"})
_ALIAS_DEPTH = 8  # `type A = *mut B; type B = Arc<C>;` chains followed at most this far


def method_owner(owner: str, resolve: Callable[[str], str]) -> str:
    """The type whose methods `x.f()` reaches, from the receiver's type as the call
    site names it (CallTarget.owner) and the crate's aliases (`resolve`): `Slice` of
    an alias `Slice<'a>` or `crate::ffi::Slice`, `Engine` of `*Handle` (`(*h).f()`)
    with `type Handle = *mut Arc<Engine>;`. A raw pointer the call does not
    dereference keeps its spelling, which names no type of the crate."""
    if owner.startswith("<"):
        return owner  # a raw pointer type, `<*const c_char>` (syntax.pointer_owner)
    derefs = len(owner) - len(owner.lstrip("*"))
    written = resolve(owner[derefs:])
    seen: set[str] = set()
    for _ in range(_ALIAS_DEPTH):
        written = written.strip()
        if written.startswith("*"):  # a raw pointer: each level needs its own `*`
            if derefs == 0:
                return written
            derefs -= 1
            written = written[1:].lstrip().removeprefix("mut ").removeprefix("const ")
        elif written.startswith("&"):  # a reference: method calls see through it
            derefs = max(derefs - 1, 0)
            written = written[1:].lstrip().removeprefix("mut ")
        elif written[:1] in ("(", "["):  # a tuple or slice: no type of the crate
            return written
        elif written.startswith(("dyn ", "impl ")):  # `Box<dyn Light + Send>`: Light's
            bound = written.split(None, 1)[1].split("+", 1)[0]
            return "dyn " + bound.split("<", 1)[0].rsplit("::", 1)[-1].strip()
        else:
            named = written.split("<", 1)[0].rsplit("::", 1)[-1].strip()
            if named in _SMART_POINTERS and written.endswith(">"):
                written = written.split("<", 1)[1][:-1]  # `Arc<Engine>`: Engine's methods
                continue
            if named in seen:  # `type Slice<'a> = ffi::Slice<'a>;` names itself
                return named
            seen.add(named)
            written = resolve(named)
    return written


_PRIMITIVES = INTEGER_REPRS | {"bool", "char", "str", "f32", "f64"}
# The standard library's traits: `From::from(x)` names one of many impls, and the
# argument's type (which decides) is not known here.
_STD_TRAITS = frozenset(
    {"From", "Into", "TryFrom", "TryInto", "Default", "Clone", "Drop", "Display", "Debug"}
    | {"FromStr", "AsRef", "AsMut", "Deref", "DerefMut", "Iterator", "PartialEq", "Hash"}
)


def _extends_builtin(owner: str | None) -> bool:
    """A method of a crate trait implemented for a raw pointer or a primitive
    (`impl ToStr for *const c_char`): reached only from a receiver known to be of
    that type. Such extension methods take the standard library's names
    (`to_str`), which a call on an unknown receiver far more often means."""
    return owner is not None and (owner.startswith("<") or owner in _PRIMITIVES)


_RELATIVE_MODULES = frozenset({"crate", "self", "super"})


def _file_module(path: str) -> str:
    """The module a file declares: its stem, the folder of a `mod.rs`, `crate` for a
    crate root."""
    folder, _, name = path.rpartition("/")
    stem = name.removesuffix(".rs")
    if stem in ("lib", "main"):
        return "crate"
    return folder.rpartition("/")[2] if stem == "mod" else stem


def display_name(function: RustFunction) -> str:
    return f"{function.owner}::{function.name}" if function.owner else function.name


class CrateCalls:
    """The functions of one crate and the calls between them."""

    def __init__(
        self,
        functions: list[tuple[str, RustFunction]],
        guarded: Guarded,
        resolve: Callable[[str], str] = lambda name: name,
        field_type: Callable[[str, str], str | None] = lambda kind, field: None,
        imported: dict[str, dict[str, str]] | None = None,
        reexported: frozenset[str] = frozenset(),
        file_modules: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.functions = functions
        # Names some `pub use` of the crate re-exports (`pub use imp::release;`): a path
        # through the module holding it (`crate::mem::release`) reaches the function.
        self._reexported = reexported
        # Per file, the functions its `use` declarations name (alias -> full path).
        self._imported = imported or {}
        self._guarded = guarded
        self._resolve = resolve
        self._field_type = field_type
        self._by_location: dict[tuple[str, Location, str], int] = {}
        self._called_by: list[list[int] | None] = [None] * len(functions)
        self._callees_by_key: dict[
            tuple[str, str | None, str | None, bool, int | None], list[int]
        ] = {}
        self._free: dict[str, list[int]] = defaultdict(list)
        # The module of each function: its inline `mod`, else its file's (`zstd` of
        # `src/zstd.rs` or `src/zstd/mod.rs`, `crate` of the crate root, `core` of a
        # file `#[path = "main.rs"] mod core;` names).
        declared = file_modules or {}
        self._modules = [
            f.module or (declared[path][1] if path in declared else _file_module(path))
            for path, f in functions
        ]
        self._module_names = frozenset(self._modules)
        # Functions declared in a function's body, by (file, that function, name).
        self._nested: dict[tuple[str, Location, str], list[int]] = defaultdict(list)
        self._associated: dict[tuple[str, str], list[int]] = defaultdict(list)
        # Trait methods by (trait, name): `Decode::decode(v)` names the trait.
        self._by_trait: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._methods: dict[str, list[int]] = defaultdict(list)
        for index, (path, function) in enumerate(functions):
            # Not a copy. The functions one macro invocation writes share its location
            # when their names are not spelled in it (`generate_ffi!(check, VERSION)`):
            # the name tells them apart.
            self._by_location.setdefault((path, function.location, function.name), index)
            if function.owner is None and function.enclosing is not None:
                self._nested[(path, function.enclosing, function.name)].append(index)
            elif function.owner is None:
                self._free[function.name].append(index)
            else:
                self._associated[(function.owner, function.name)].append(index)
                if function.trait_name is not None and function.trait_name not in _STD_TRAITS:
                    self._by_trait[(function.trait_name, function.name)].append(index)
            if function.has_self and not _extends_builtin(function.owner):
                self._methods[function.name].append(index)

    def index_of(self, path: str, location: Location, name: str) -> int | None:
        """The function named `name` whose name is at `location` in `path`."""
        return self._by_location.get((path, location, name))

    def callees(self, call: RustCall) -> list[int]:
        owner = self._owner_type(call.owner) if call.owner is not None else None
        if call.method and owner is None:  # by name: only a method taking as many arguments
            return self._taking(self._methods.get(call.name, []), call)
        if owner is not None and owner.startswith("dyn "):  # the trait's methods
            trait = owner[4:]
            # The crate's impls of it (a supertrait's methods are not followed).
            found = self._by_trait.get((trait, call.name), [])
            return found + self._associated.get((trait, call.name), [])
        if call.owner is not None:
            found = self._associated.get((owner or call.owner, call.name))
            if found or call.method:
                return found or []
            return self._by_trait.get((call.owner, call.name), [])  # `Decode::decode(v)`
        named = self._free.get(call.name, [])
        if call.module is not None:  # `thing::to_box(p)` of a C-style `struct thing`
            found = self._associated.get((call.module, call.name))
            if found:
                return found
            # `zstd::bound(n)` is not `deflate::bound`, nor is `zstd_safe::bound(n)`
            # when no module of the crate is `zstd_safe` (another crate's). A module
            # that only re-exports it (`pub use`), or `super::f()`, may reach any.
            in_module = [i for i in named if self._modules[i] == call.module]
            if in_module or call.module in _RELATIVE_MODULES:
                return in_module or named
            if call.module in self._module_names or call.name in self._reexported:
                return named
            return []
        return self._taking(named, call)

    def _taking(self, found: list[int], call: RustCall) -> list[int]:
        """The functions of `found` a call can reach by the number of its arguments
        (`.get()` is not the crate's `get(&self, handle)`)."""
        if call.arguments is None:
            return found
        return [i for i in found if self.functions[i][1].arity in (None, call.arguments)]

    def _owner_type(self, owner: str) -> str | None:
        """The type whose functions a call's owner names (aliases resolved), through
        the fields it names (`light.inner`: the type of `light`'s field `inner`);
        None when a field's type is not known."""
        if "." not in owner or owner.startswith("<"):
            return self._resolve(owner)
        base, *fields = owner.split(".")
        kind = self._resolve(base)
        for field in fields:
            derefs = len(field) - len(field.lstrip("*"))
            written = self._field_type(kind, field[derefs:])
            if written is None:
                return None
            kind = self._resolve("*" * derefs + written)
        return kind

    def callees_from(self, caller: int, call: RustCall) -> list[int]:
        """`callees`, a function declared in the caller's body (or beside the caller in
        the body declaring it) first: `inner(..)` of an export's own `fn inner`; then
        one of the caller's file, for a call that names no module."""
        if call.owner is not None or call.method:
            return self._callees_of(call)
        path, function = self.functions[caller]
        imported = self._imported.get(path)
        if imported and call.module is None and call.name in imported:
            return self._imported_callees(call, imported[call.name])
        if self._nested:
            for scope in (function.location, function.enclosing):
                nested = self._nested.get((path, scope, call.name)) if scope else None
                if nested:
                    return nested
        found = self._callees_of(call)
        if call.module is None and len(found) > 1:
            # `f()` is the caller's module's own `f` when it has one: a module cannot
            # both declare `f` and import another.
            own = [i for i in found if self.functions[i][0] == path]
            return own or found
        return found

    def _imported_callees(self, call: RustCall, path: str) -> list[int]:
        """A bare call of a name its file imports (`use crate::text::parse;`) reaches that
        module's function, none for another crate's (`use std::str::from_utf8;`) though
        the crate has a function of that name."""
        segments = path.removeprefix("::").split("::")
        if segments[0] in STANDARD_CRATES or not (
            segments[0] in _RELATIVE_MODULES or segments[0] in self._module_names
        ):
            return []
        return self._callees_of(replace(call, name=segments[-1], module=segments[-2]))

    def _callees_of(self, call: RustCall) -> list[int]:
        """`callees`, once per name, owner and kind of call."""
        key = (call.name, call.owner, call.module, call.method, call.arguments)
        found = self._callees_by_key.get(key)
        if found is None:
            found = self._callees_by_key[key] = self.callees(call)
        return found

    def _called(self, index: int) -> list[int]:
        """Every function the calls of one function reach, guarded or not (once)."""
        found = self._called_by[index]
        if found is None:
            targets: dict[int, None] = {}
            for call in self.functions[index][1].calls:
                targets.update(dict.fromkeys(self.callees_from(index, call)))
            found = self._called_by[index] = list(targets)
        return found

    def callers_of(self, targets: Iterable[int]) -> set[int]:
        """Every function that reaches one of `targets` by calls (the targets too)."""
        callers: dict[int, list[int]] = self._callers
        seen = set(targets)
        pending = deque(seen)
        while pending:
            for caller in callers.get(pending.popleft(), ()):
                if caller not in seen:
                    seen.add(caller)
                    pending.append(caller)
        return seen

    def callers(self, index: int) -> list[int]:
        """The functions that call one function directly."""
        return self._callers.get(index, [])

    @cached_property
    def _callers(self) -> dict[int, list[int]]:
        callers: dict[int, list[int]] = defaultdict(list)
        for caller in range(len(self.functions)):
            for callee in self._called(caller):
                callers[callee].append(caller)
        return callers

    @cached_property
    def _unguarded(self) -> tuple[list[list[int]], list[list[PanicSite]]]:
        """Per function: the functions it calls outside any guard, its own unguarded sites."""
        calls: list[list[int]] = []
        sites: list[list[PanicSite]] = []
        for index, (_, function) in enumerate(self.functions):
            targets = (
                self._run_unguarded(index, c) for c in function.calls if not self._guarded(c.guards)
            )
            calls.append(list(dict.fromkeys(i for found in targets for i in found)))
            # In source order: the message names the first site of the body.
            own = [s for s in function.panics if not self._guarded(s.guards)]
            sites.append(sorted(own, key=lambda site: site.location))
        wanted = [
            (index, site.text_parameter)
            for index, own in enumerate(sites)
            for site in own
            if site.text_parameter is not None
        ]
        if wanted:  # `CString::new(msg)` of a parameter every caller fills with a literal
            safe = nul_free_parameters(self, wanted)
            for index, own in enumerate(sites):
                sites[index] = [s for s in own if (index, s.text_parameter) not in safe]
        return calls, sites

    def _run_unguarded(self, index: int, call: RustCall) -> list[int]:
        """The functions a call outside any guard runs: not an `async fn` whose future it
        hands to a guard (`run_safely(parse_port(..))` polls it under `catch_unwind`)."""
        callees = self.callees_from(index, call)
        if call.handed_to and self._guarded(call.handed_to):
            return [i for i in callees if not self.functions[i][1].is_async]
        return callees

    @cached_property
    def _toward_panic(self) -> dict[int, int | None]:
        """For every function that can panic: the callee on a shortest way to a panic
        site (None when it holds one itself). Found backwards from the sites, once."""
        calls, sites = self._unguarded
        callers: dict[int, list[int]] = defaultdict(list)
        for caller, callees in enumerate(calls):
            for callee in callees:
                callers[callee].append(caller)
        toward: dict[int, int | None] = {i: None for i, own in enumerate(sites) if own}
        pending = deque(toward)
        while pending:
            callee = pending.popleft()
            for caller in callers.get(callee, ()):
                if caller not in toward:
                    toward[caller] = callee
                    pending.append(caller)
        return toward

    def panic_traces(self, start: int, limit: int) -> list[PanicTrace]:
        """Up to `limit` unguarded panic sites reachable from a function, nearest first.

        The search around `start` visits a bounded number of functions; the
        nearest site is always found, through the precomputed way toward it.
        """
        toward = self._toward_panic
        if start not in toward:
            return []
        calls, sites = self._unguarded
        came_from: dict[int, int | None] = {start: None}
        pending = deque([start])
        traces: list[PanicTrace] = []
        while pending and len(traces) < limit and len(came_from) <= _SEARCH_BUDGET:
            index = pending.popleft()
            traces += [self._trace(site, index, came_from) for site in sites[index]]
            for callee in calls[index]:
                if callee in toward and callee not in came_from:
                    came_from[callee] = index
                    pending.append(callee)
        if not traces:  # the nearest site lies beyond the budget: follow the way to it
            way = [start]
            while (following := toward[way[-1]]) is not None and len(way) <= len(toward):
                way.append(following)
            came_from = {index: way[i - 1] if i else None for i, index in enumerate(way)}
            traces = [self._trace(sites[way[-1]][0], way[-1], came_from)]
        return traces[:limit]

    def _trace(self, site: PanicSite, index: int, came_from: dict[int, int | None]) -> PanicTrace:
        chain = []
        guard = ""
        current: int | None = index
        while current is not None and came_from.get(current) is not None:
            function = self.functions[current][1]
            chain.append(display_name(function))
            if not guard and function.guards_its_argument:
                guard = display_name(function)
            current = came_from[current]
        holder = self.functions[index][1]
        if holder.guards_its_argument:
            guard = display_name(holder)
        return PanicTrace(site, display_name(holder), tuple(reversed(chain)), guard)

    def reachable(self, starts: Iterable[int], limit: int | None = None) -> set[int]:
        """Every function reached from `starts` by any call, guarded or not; the first
        `limit` found, nearest first, when given."""
        seen = set(starts)
        pending = deque(seen)
        while pending and (limit is None or len(seen) < limit):
            for callee in self._called(pending.popleft()):
                if callee not in seen:
                    seen.add(callee)
                    pending.append(callee)
        return seen

    def returned_allocations(self, start: int) -> tuple[Allocation, ...]:
        """The memory a function returns that it or the helpers it returns from make:
        every helper's, as either may run (`if bad { err(msg) } else { ok(v) }`), and a
        struct result may hold several kinds (a `Box` value and a `CString` error)."""
        seen = {start}
        pending = deque([start])
        found: list[Allocation] = []
        while pending:
            index = pending.popleft()
            function = self.functions[index][1]
            owned = [a for a in function.hands_out if a.via == "return"]
            if owned:
                found += owned
                continue
            for call in function.returned_calls:
                for callee in self.callees_from(index, call):
                    if callee not in seen:
                        seen.add(callee)
                        pending.append(callee)
        return tuple(found)

    def returned_kinds(self, start: int) -> tuple[str, ...]:
        """The kinds of `returned_allocations`, first made first."""
        return tuple(dict.fromkeys(a.kind for a in self.returned_allocations(start)))


def inherited_method(default: RustFunction, kind: str) -> RustFunction:
    """A trait's default method as a method of `kind`: its `self.f()` calls are calls
    of `kind`'s methods (the weld shape: `to_string` calls `self.to_str()`)."""
    trait = default.owner

    def owned(calls: tuple[RustCall, ...]) -> tuple[RustCall, ...]:
        return tuple(replace(c, owner=kind) if c.owner == trait else c for c in calls)

    return replace(
        default,
        owner=kind,
        trait_name=trait,
        calls=owned(default.calls),
        returned_calls=owned(default.returned_calls),
    )
