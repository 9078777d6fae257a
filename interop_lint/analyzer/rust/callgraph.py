"""Calls between the functions of one crate, followed by name (RS101, RS105).

Rust has no cheap type information here, so a call is matched by its name
and shape: `f()` and `module::f()` reach free functions named `f`,
`Type::f()` the functions of `impl Type` named `f`, and `x.f()` every
method named `f` (a function with `self`) — or only those of `impl T` when
the receiver is `self` or a parameter of type `T`, `&T`, `Box<T>`. Calls are followed transitively,
each function once, so recursion and cycles end.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.rust.facts import PanicSite, RustCall, RustFunction

Guarded = Callable[[tuple[str, ...]], bool]  # whether wrappers of a site include a guard


@dataclass(frozen=True, slots=True)
class PanicTrace:
    """A panic site an export reaches, and the functions it goes through."""

    site: PanicSite
    function: str  # the function that holds the site
    chain: tuple[str, ...]  # functions called on the way from the export (empty: its own body)


def display_name(function: RustFunction) -> str:
    return f"{function.owner}::{function.name}" if function.owner else function.name


class CrateCalls:
    """The functions of one crate and the calls between them."""

    def __init__(
        self,
        functions: list[tuple[str, RustFunction]],
        guarded: Guarded,
        resolve: Callable[[str], str] = lambda name: name,
    ) -> None:
        self.functions = functions
        self._guarded = guarded
        self._resolve = resolve
        self._by_location: dict[tuple[str, Location], int] = {}
        self._free: dict[str, list[int]] = defaultdict(list)
        self._associated: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._methods: dict[str, list[int]] = defaultdict(list)
        for index, (path, function) in enumerate(functions):
            self._by_location[(path, function.location)] = index
            if function.owner is None:
                self._free[function.name].append(index)
            else:
                self._associated[(function.owner, function.name)].append(index)
            if function.has_self:
                self._methods[function.name].append(index)
        self._panicky = self._reaching_panics()

    def index_of(self, path: str, location: Location) -> int | None:
        return self._by_location.get((path, location))

    def callees(self, call: RustCall) -> list[int]:
        if call.method and call.owner is None:
            return self._methods.get(call.name, [])
        if call.owner is not None:
            return self._associated.get((self._resolve(call.owner), call.name), [])
        return self._free.get(call.name, [])

    def _unguarded_calls(self, index: int) -> Iterable[int]:
        for call in self.functions[index][1].calls:
            if not self._guarded(call.guards):
                yield from self.callees(call)

    def _own_panics(self, index: int) -> list[PanicSite]:
        return [s for s in self.functions[index][1].panics if not self._guarded(s.guards)]

    def _reaching_panics(self) -> set[int]:
        """Functions that can panic, themselves or through unguarded calls."""
        callers: dict[int, set[int]] = defaultdict(set)
        for index in range(len(self.functions)):
            for callee in self._unguarded_calls(index):
                callers[callee].add(index)
        reached = {i for i in range(len(self.functions)) if self._own_panics(i)}
        pending = deque(reached)
        while pending:
            for caller in callers.get(pending.popleft(), ()):
                if caller not in reached:
                    reached.add(caller)
                    pending.append(caller)
        return reached

    def panic_traces(self, start: int, limit: int) -> list[PanicTrace]:
        """Up to `limit` unguarded panic sites reachable from a function, nearest first."""
        if start not in self._panicky:
            return []
        traces: list[PanicTrace] = []
        chains: dict[int, tuple[str, ...]] = {start: ()}
        pending = deque([start])
        while pending and len(traces) < limit:
            index = pending.popleft()
            function = self.functions[index][1]
            for site in self._own_panics(index):
                traces.append(PanicTrace(site, display_name(function), chains[index]))
            for callee in self._unguarded_calls(index):
                if callee in self._panicky and callee not in chains:
                    chains[callee] = (*chains[index], display_name(self.functions[callee][1]))
                    pending.append(callee)
        return traces[:limit]

    def reachable(self, starts: Iterable[int]) -> set[int]:
        """Every function reached from `starts` by any call, guarded or not."""
        seen = set(starts)
        pending = deque(seen)
        while pending:
            for call in self.functions[pending.popleft()][1].calls:
                for callee in self.callees(call):
                    if callee not in seen:
                        seen.add(callee)
                        pending.append(callee)
        return seen

    def returned_allocation(self, start: int) -> str | None:
        """The kind of memory a function returns that it or a helper it returns from makes."""
        seen = {start}
        pending = deque([start])
        while pending:
            function = self.functions[pending.popleft()][1]
            owned = next((a.kind for a in function.hands_out if a.via == "return"), None)
            if owned is not None:
                return owned
            for call in function.returned_calls:
                for callee in self.callees(call):
                    if callee not in seen:
                        seen.add(callee)
                        pending.append(callee)
        return None
