"""C types into the model: specifiers, pointers with constness, typedefs resolved.

Typedefs resolve through a scope (the typedefs visible where the type is
written, see `clang.index.CScope`); the `<stdint.h>`, `<stddef.h>` and
`<stdbool.h>` names are part of the table. A struct, union or enum becomes a
`Named` type carrying its tag and every typedef name that leads to it, so
`typedef struct engine_s engine_t;` is known by both names, and by the Rust
names it spells (`rust_named`: `polar_Query` is `Query` under a cbindgen
prefix, `CResult_c_void` is `CResult<c_void>`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from interop_lint.analyzer.clang.facts import CKind, CStruct, CType
from interop_lint.analyzer.typesys.layout import C_ENUM_BITS
from interop_lint.analyzer.typesys.model import (
    STANDARD_TYPEDEFS,
    Array,
    Bool,
    Float,
    Function,
    Int,
    Named,
    Pointer,
    Type,
    Unknown,
    Void,
)

PRIMITIVES: dict[str, Type] = {
    "void": Void(),
    "bool": Bool(),
    "_Bool": Bool(),
    "char": Int(8, None),
    "signed char": Int(8, True),
    "unsigned char": Int(8, False),
    "short": Int(16, True),
    "unsigned short": Int(16, False),
    "int": Int(32, True),
    "unsigned int": Int(32, False),
    "long": Int(64, True),  # LP64
    "unsigned long": Int(64, False),
    "long long": Int(64, True),
    "unsigned long long": Int(64, False),
    "float": Float(32),
    "double": Float(64),
    "__int128": Int(128, True),
    "unsigned __int128": Int(128, False),
    **STANDARD_TYPEDEFS,
}
MAX_DEPTH = 32


class CScope(Protocol):
    """The typedefs visible where a C type is written."""

    def typedef(self, name: str) -> CType | None: ...

    def typedef_names_of(self, spelled: str) -> frozenset[str]:
        """The typedef names that lead to `struct X` / `union X` / `enum X`."""
        ...

    def struct(self, name: str) -> CStruct | None:
        """The definition of the struct or union going by `name`."""
        ...

    def int_sized_enum(self, spelled: str) -> bool:
        """Whether the enum spelled `enum Mode` is `int`-sized for certain."""
        ...


class CTypes:
    """The model of C types in one scope, named types checked against a Rust crate."""

    def __init__(
        self,
        scope: CScope,
        knows: Callable[[str], bool],
        rust_named: Callable[[str], list[Named]] | None = None,
        wraps: Callable[[str], bool] | None = None,
    ) -> None:
        self._scope = scope
        self._knows = knows  # whether the Rust side has a type of that name
        # The Rust types a C name spells (`contract.contract_types`).
        self._rust_named = rust_named
        # Whether a C name spells a `#[repr(transparent)]` struct of the Rust side.
        self._wraps = wraps
        self._models: dict[CType, Type] = {}  # a header repeats its few types: model each once

    def model(self, t: CType) -> Type:
        found = self._models.get(t)
        if found is None:
            found = self._models[t] = self._model(t, 0)
        return found

    def _model(self, t: CType, depth: int) -> Type:
        if depth > MAX_DEPTH:
            return Unknown("?")
        if t.kind is CKind.BASE:
            return self._base(t.name, depth)
        if t.of is None:
            return Unknown("?")
        inner = self._model(t.of, depth + 1)
        if t.kind is CKind.POINTER:
            if isinstance(inner, Unknown):
                return inner
            return Pointer(inner, const=self._is_const(t.of, depth))
        if t.kind is CKind.ARRAY:
            return Array(inner, t.length)
        params = tuple(self._parameter(p, depth + 1) for p in t.params) if t.prototype else None
        return Function(params, inner, t.variadic)

    def parameter(self, t: CType) -> Type:
        """A parameter's type as passed. The parser decays the arrays and functions
        it sees written; one behind a typedef decays too (C11 6.7.6.3p7):
        `typedef uint64_t felt_t[4]; void f(const felt_t a)` takes a
        `const uint64_t *`."""
        return self._parameter(t, 0)

    def _parameter(self, t: CType, depth: int) -> Type:
        model = self._model(t, depth) if depth else self.model(t)
        if isinstance(model, Array):
            return Pointer(model.element, const=self._is_const(t, depth))
        if isinstance(model, Function):
            return Pointer(model, const=False)
        return model

    def struct_of(self, t: Named) -> CStruct | None:
        """The definition of the struct or union a named type is, if C has one."""
        found = (self._scope.struct(name) for name in sorted(t.names))
        return next((struct for struct in found if struct is not None), None)

    def is_opaque(self, t: Type) -> bool:
        """A struct C only declares (`typedef struct gifski gifski;`): C code can
        neither read nor write what a pointer to it points to."""
        return (
            isinstance(t, Named)
            and not t.enum
            and all(self._scope.struct(name) is None for name in t.names)
        )

    def _is_const(self, t: CType, depth: int) -> bool:
        """Whether `t` is const, through typedefs (`typedef const char cchar_t;`); an
        array is as const as its elements (`const double (*rows)[6]` is Rust's
        `*const [f64; 6]`)."""
        while depth <= MAX_DEPTH:
            if t.kind is CKind.ARRAY and t.of is not None:
                t, depth = t.of, depth + 1
                continue
            if t.kind is not CKind.BASE or t.const:
                break
            target = None if t.name in PRIMITIVES else self._scope.typedef(t.name)
            if target is None:
                return False
            t, depth = target, depth + 1
        return t.const

    def _base(self, name: str, depth: int) -> Type:
        if not name:
            return Unknown("?")
        if name in PRIMITIVES:
            return PRIMITIVES[name]
        keyword, _, tag = name.partition(" ")
        if keyword in ("struct", "union", "enum") and tag:
            names = frozenset({tag}) | self._scope.typedef_names_of(name)
            if keyword == "struct" and self._mirrors_wrapper(names):
                return self._wrapper(tag, names, depth)
            bits = C_ENUM_BITS if keyword == "enum" and self._scope.int_sized_enum(name) else None
            return self._named(names, enum=keyword == "enum", bits=bits)
        target = self._scope.typedef(name)
        if target is None:
            return self._named(frozenset({name}), False)  # a typedef we cannot see
        resolved = self._model(target, depth + 1)
        if isinstance(resolved, Named):
            return self._named(resolved.names | {name}, resolved.enum, resolved.bits)
        return resolved

    def _mirrors_wrapper(self, names: frozenset[str]) -> bool:
        """Whether a C struct's names spell a Rust `#[repr(transparent)]` struct and no
        other type of the Rust side (`typedef struct Inner Handle;` for a `Handle(Inner)`
        is the `#[repr(C)]` `Inner`, not a wrapper of its field)."""
        wraps = self._wraps
        if wraps is None or not any(map(wraps, names)):
            return False
        return not any(self._knows(n) and not wraps(n) for n in names)

    def _wrapper(self, tag: str, names: frozenset[str], depth: int) -> Type:
        """A C struct mirroring a Rust `#[repr(transparent)]` struct, which is its one
        field at the ABI. The C struct is too when that is all it holds: a struct of one
        scalar is passed and returned as the scalar (SysV x86-64 and AAPCS64 classify
        it by its field), so `struct Flags { uint32_t bits; }` is a `u32`. An opaque
        one (no definition in sight) says nothing; any other stays the named type,
        which differs from the wrapped field."""
        struct = self._scope.struct(tag)
        if struct is None or tag not in struct.names:
            return Unknown(tag)
        field = struct.fields[0] if len(struct.fields) == 1 else None
        if struct.is_union or field is None or not struct.is_exact:
            return self._named(names, enum=False)
        return self._model(field.type, depth + 1)

    def _named(self, names: frozenset[str], enum: bool, bits: int | None = None) -> Named:
        """A named type by its C names and the Rust names they spell; `bits`, the width
        of an enum known to be `int`-sized."""
        known = any(self._knows(n) for n in names)
        if self._rust_named is not None:
            spelled = [rust for name in names for rust in self._rust_named(name)]
            names = names.union(*(rust.names for rust in spelled))
            known = known or any(rust.known for rust in spelled)
        return Named(names, known, enum, bits)
