"""Facts of C text: function declarations, structs, typedefs and includes.

One `CFileFacts` per header, C source, or Go file with a cgo preamble (its
locations then point into the Go file). Types are kept as declared, as a
small tree of `CType` values (typedefs unresolved: the index resolves them
in the scope of the file that uses them), so facts stay plain picklable data.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from interop_lint.analyzer.locations import Location


class CKind(StrEnum):
    BASE = "base"  # a specifier: `int`, `unsigned long`, `struct Engine`, `engine_t`
    POINTER = "pointer"
    ARRAY = "array"
    FUNCTION = "function"


class CType(Struct, frozen=True):
    """A C type as written: a base specifier wrapped by the declarator's constructors."""

    kind: CKind
    # BASE: the canonical specifier: "int", "unsigned long", "struct Engine",
    # "enum Color", a typedef name; "" when the specifier could not be read.
    name: str = ""
    # BASE: qualified `const`. POINTER: the pointer object itself is `const`.
    const: bool = False
    # POINTER: the pointee; ARRAY: the element; FUNCTION: the return type.
    of: CType | None = None
    length: int | None = None  # ARRAY: the element count when it is a literal
    params: tuple[CType, ...] = ()  # FUNCTION
    variadic: bool = False  # FUNCTION: ends in `...`
    prototype: bool = True  # FUNCTION: False for `f()`, which leaves the parameters open


class CParam(Struct, frozen=True):
    name: str  # "" for an unnamed parameter
    type: CType


class CFunction(Struct, frozen=True):
    """A function declaration or definition."""

    name: str
    type: CType  # a FUNCTION type: parameters and return type
    params: tuple[CParam, ...]  # the same parameters, with their names
    location: Location  # of the declarator's name
    is_definition: bool  # has a body (`static inline int f(void) { .. }`)
    is_static: bool  # internal linkage: only visible where it is written


class CField(Struct, frozen=True):
    name: str  # "" for an anonymous member
    type: CType
    location: Location
    is_bitfield: bool = False


class CStruct(Struct, frozen=True):
    """A struct or union definition (with a body)."""

    tag: str  # `struct Tag {..}`; "" when anonymous
    typedef_names: tuple[str, ...]  # `typedef struct Tag {..} Name, *NamePtr;` -> ("Name",)
    fields: tuple[CField, ...]
    location: Location  # the first line of the definition, to its opening brace
    is_union: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the struct goes by: its tag and typedef names."""
        return tuple(dict.fromkeys(n for n in (self.tag, *self.typedef_names) if n))

    @property
    def is_exact(self) -> bool:
        """Whether every field is named and whole (no bit-fields, no anonymous members)."""
        return all(f.name and not f.is_bitfield for f in self.fields)


class CTypedef(Struct, frozen=True):
    name: str
    type: CType
    location: Location


class CInclude(Struct, frozen=True):
    path: str  # as written: `engine.h`, `sys/types.h`
    system: bool  # `<...>` rather than `"..."`
    line: int


class CFileFacts(Struct, frozen=True):
    functions: tuple[CFunction, ...] = ()
    structs: tuple[CStruct, ...] = ()
    typedefs: tuple[CTypedef, ...] = ()
    enums: tuple[str, ...] = ()  # tags and typedef names of enums
    int_enums: tuple[str, ...] = ()  # the enums `int`-sized for certain, as `enum Mode`
    includes: tuple[CInclude, ...] = ()
    # Directories searched for `#include "..."` besides the file's own: the
    # `-I` paths of a preamble's `#cgo CFLAGS`/`CPPFLAGS`, relative to the
    # Go file's directory (`${SRCDIR}` removed).
    include_dirs: tuple[str, ...] = ()
    # Libraries a preamble links (`#cgo LDFLAGS: -lengine`, `.../libengine.a`).
    link_libraries: tuple[str, ...] = ()
    generated_by_cbindgen: bool = False  # carries cbindgen's "Generated with cbindgen" line
    is_preamble: bool = False  # the cgo preamble of a Go file
    # (function, parameter index) of the functions a header or C source defines
    # that take ownership of that parameter (clang/ownership.py); a preamble's
    # are its Go file's `c_ownership`.
    ownership: tuple[tuple[str, int], ...] = ()
