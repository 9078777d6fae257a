"""One Go package (the Go files of one directory) as the GO rules see it.

Built from the facts of every file of the package, so a type declared in
one file resolves in another, and a `Close` method in one file releases the
handles that another file creates.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from interop_lint.analyzer.golang.facts import GoFileFacts, GoFuncDecl, GoVarDecl, TypeExpr


class GoPackage:
    def __init__(
        self, files: Iterable[GoFileFacts], c_ownership: Iterable[tuple[str, int]] = ()
    ) -> None:
        self.files = tuple(files)
        self._c_ownership = frozenset(c_ownership)

    @cached_property
    def uses_cgo(self) -> bool:
        """Whether a file of the package imports "C" (the GO rules' scope)."""
        return any(f.imports_c for f in self.files)

    @cached_property
    def _types(self) -> dict[str, TypeExpr]:
        # Files behind different build tags may declare one name differently (a C
        # type for cgo builds, a syscall type for the others): the cgo files win.
        ordered = sorted(self.files, key=lambda f: f.imports_c)
        return {d.name: d.type for f in ordered for d in f.types}

    @cached_property
    def type_names(self) -> frozenset[str]:
        """Every type name the package's declarations write (in types, fields, variables,
        parameters and results): a type the GO analysis infers from the facts has one
        of these names, or is written in the file it is inferred for."""
        stack: list[TypeExpr | None] = []
        for f in self.files:
            stack += [d.type for d in f.types] + [v.type for v in f.variables]
            for fn in f.functions:
                stack += [*fn.params, *fn.results]
        names = set()
        while stack:
            t = stack.pop()
            if t is None:
                continue
            if t.name:
                names.add(t.name)
            stack.append(t.elem)
            stack += [field.type for field in t.fields]
        return frozenset(names)

    @cached_property
    def pointer_type_names(self) -> tuple[str, ...]:
        """The package's types declared as pointers (`type cMemPtr *[1 << 30]byte`)."""
        return tuple(sorted(n for n, t in self._types.items() if t.kind == "pointer"))

    def lookup_type(self, name: str) -> TypeExpr | None:
        """The declared type of a type name of the package (`T`), or None."""
        return self._types.get(name)

    def is_type_name(self, name: str) -> bool:
        return name in self._types

    @cached_property
    def variables(self) -> dict[str, GoVarDecl]:
        return {v.name: v for f in self.files for v in f.variables}

    @cached_property
    def constants(self) -> dict[str, int | None]:
        return {name: value for f in self.files for name, value in f.constants}

    @cached_property
    def functions(self) -> dict[str, GoFuncDecl]:
        """Package functions by name (methods excluded)."""
        return {fn.name: fn for f in self.files for fn in f.functions if not fn.receiver}

    @cached_property
    def methods(self) -> dict[str, list[GoFuncDecl]]:
        """Methods by name, whatever their receiver."""
        found: dict[str, list[GoFuncDecl]] = {}
        for f in self.files:
            for fn in f.functions:
                if fn.receiver:
                    found.setdefault(fn.name, []).append(fn)
        return found

    def function_for(self, callee: str) -> GoFuncDecl | None:
        """The package function or method a call's callee names (`f`, `x.m`), if one does.

        A method is matched by name alone when the package has exactly one method
        of that name.
        """
        if "." not in callee:
            return self.functions.get(callee)
        name = callee.rsplit(".", 1)[-1]
        candidates = self.methods.get(name, [])
        return candidates[0] if len(candidates) == 1 else None

    def method_of(self, receiver: str, name: str) -> GoFuncDecl | None:
        """The method `name` of the package type `receiver`, if it declares one."""
        return next((m for m in self.methods.get(name, ()) if m.receiver == receiver), None)

    @cached_property
    def c_ownership(self) -> frozenset[tuple[str, int]]:
        """(C function, parameter index) of the C functions the package defines that
        take ownership of that parameter (see clang/ownership.py): in its preambles,
        the headers they include, and its C files."""
        return self._c_ownership.union(pair for f in self.files for pair in f.c_ownership)

    @cached_property
    def handle_releases(self) -> frozenset[str]:
        """What the package's `.Delete()` calls release (see golang/handles.py)."""
        return frozenset(key for f in self.files for key in f.handle_releases)

    @cached_property
    def handle_integers(self) -> frozenset[str]:
        """Fields and package variables the package stores handles in (see
        golang/handles.py)."""
        return frozenset(key for f in self.files for key in f.handle_integers)

    @cached_property
    def c_mirror_types(self) -> frozenset[str]:
        """Package types whose pointers only ever point to C memory (see
        golang/mirrors.py)."""
        from_c = {name for f in self.files for name in f.c_pointer_types}
        from_go = {name for f in self.files for name in f.go_pointer_types}
        return frozenset(name for name in from_c - from_go if self.is_type_name(name))

    @cached_property
    def c_memory_fields(self) -> frozenset[str]:
        """Unexported struct fields ("T.f") that only ever hold C memory (see
        golang/field_memory.py)."""
        return _c_memory_fields(store for f in self.files for store in f.field_stores)


def _c_memory_fields(stores: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The fields every recorded value of which is C memory (see the module docstring):
    the largest set whose fields are given only C memory or views of fields of the
    set (`j.out = j.out[:n]` too), less those no C value reaches."""
    origins: dict[str, set[str]] = {}
    for field, origin in stores:
        origins.setdefault(field, set()).add(origin)
    kept = set(origins)
    changed = True
    while changed:
        changed = False
        for field in list(kept):
            if any(v != "c" and v.removeprefix("field:") not in kept for v in origins[field]):
                kept.discard(field)
                changed = True
    rooted = {f for f in kept if "c" in origins[f]}
    changed = True
    while changed:
        changed = False
        for field in kept - rooted:
            if any(v.removeprefix("field:") in rooted for v in origins[field]):
                rooted.add(field)
                changed = True
    return frozenset(rooted)
