"""Facts of a Python file that binds a library with ctypes.

Plain, picklable data. A ctypes type is kept as written (`CtypesType`), with
aliases of the file (`Handle = c_void_p`, `class Ptr(c_void_p)`) resolved;
`typesys.ctypes` maps it into the neutral type model. A name the file does
not define (imported from another module) stays `NAMED`, for the index to
find among the other Python files.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from interop_lint.analyzer.locations import Location


class CtypesKind(StrEnum):
    SIMPLE = "simple"  # a fundamental type: `c_int`, `c_char_p`, `c_void_p`
    POINTER = "pointer"  # `POINTER(T)`
    ARRAY = "array"  # `T * n`
    FUNCTION = "function"  # `CFUNCTYPE(restype, *argtypes)`: a function pointer
    STRUCTURE = "structure"  # a `Structure` or `Union` subclass of the file
    NAMED = "named"  # a name the file does not define (imported)
    VOID = "void"  # `None` as a restype
    UNKNOWN = "unknown"  # anything else: never a finding


class CtypesType(Struct, frozen=True):
    kind: CtypesKind
    name: str = ""  # SIMPLE: the ctypes name; STRUCTURE / NAMED: the class name
    of: CtypesType | None = None  # POINTER: pointee; ARRAY: element; FUNCTION: return type
    params: tuple[CtypesType, ...] = ()  # FUNCTION
    length: int | None = None  # ARRAY, when a literal
    # SIMPLE: the class of the file that subclasses the ctypes type, if any
    # (`class Owned(c_char_p)`); ctypes does not convert a subclass's results.
    subclass: str = ""

    def spell(self) -> str:
        """How a user writes it (the `ctypes.` prefix left out)."""
        if self.subclass:
            return self.subclass
        if self.kind is CtypesKind.POINTER and self.of is not None:
            return f"POINTER({self.of.spell()})"
        if self.kind is CtypesKind.ARRAY and self.of is not None:
            return f"{self.of.spell()} * {self.length if self.length is not None else 'n'}"
        if self.kind is CtypesKind.FUNCTION and self.of is not None:
            return f"CFUNCTYPE({', '.join(t.spell() for t in (self.of, *self.params))})"
        if self.kind is CtypesKind.VOID:
            return "None"
        return self.name or "?"


UNKNOWN = CtypesType(CtypesKind.UNKNOWN)


class CtypesField(Struct, frozen=True):
    name: str
    type: CtypesType
    bits: int | None = None  # a bit-field's width (`("flag", c_uint, 1)`)


class CtypesStructure(Struct, frozen=True):
    """A `Structure` (or `Union`) subclass with its `_fields_`."""

    name: str
    location: Location  # of the class name
    fields: tuple[CtypesField, ...] | None  # None: no literal `_fields_` list
    fields_location: Location | None
    is_union: bool = False
    # `_pack_`, bit-fields, or fields added by a base class: the layout is
    # not one the field list alone describes.
    inexact: bool = False


class CtypesAlias(Struct, frozen=True):
    """A module-level name for a ctypes type: `Handle = c_void_p`, `class P(c_void_p)`."""

    name: str
    type: CtypesType


class CtypesLibrary(Struct, frozen=True):
    """A loaded library: `ctypes.CDLL("./libengine.so")`, or a handle passed in."""

    # "CDLL", "cdll.LoadLibrary", ...; "parameter" for a handle passed in,
    # "import" for one imported from another module, "unseen" for one set
    # from elsewhere (`self._lib = lib`), "instance" for an attribute of an object
    # of an imported class (`self.loader.lib` for `self.loader = LibLoader()`)
    loader: str
    # The library's name as loaded, from the literal file name: "engine" for
    # "./target/release/libengine.so", "engine.dll" or find_library("engine").
    name: str | None
    location: Location  # of the loading call (of the parameter, for one passed in)
    # Functions are also bound under computed names (`getattr(lib, name)`),
    # so a function without a `restype` here may have one set there.
    dynamic: bool = False
    # loader "import": the module and name the handle is imported from
    # (`.native:lib` for `from .native import lib`), "instance": the module and
    # the class's attribute (`.loader:LibLoader.lib`); the index follows it.
    origin: str = ""


class CtypesHandle(Struct, frozen=True):
    """A module-level name that holds a library, for the modules that import it."""

    name: str
    library: int  # index into `PythonFileFacts.libraries`


class ArgtypesSetting(Struct, frozen=True):
    """`lib.fn.argtypes = [...]`."""

    types: tuple[CtypesType, ...] | None  # None: not a literal list or tuple
    location: Location  # of the assignment


class RestypeSetting(Struct, frozen=True):
    """`lib.fn.restype = T`."""

    type: CtypesType
    location: Location  # of the assignment


class CtypesBinding(Struct, frozen=True):
    """A function of a library as the file uses it."""

    library: int  # index into `PythonFileFacts.libraries`
    symbol: str
    first_access: Location  # the first `lib.fn` (or `getattr(lib, "fn")`) in the file
    argtypes: tuple[ArgtypesSetting, ...] = ()
    restypes: tuple[RestypeSetting, ...] = ()
    # `lib["f"].restype = ..`: set on a new function object each subscript makes, and
    # lost with it.
    lost_restypes: tuple[Location, ...] = ()


class PythonFileFacts(Struct, frozen=True):
    libraries: tuple[CtypesLibrary, ...] = ()
    bindings: tuple[CtypesBinding, ...] = ()
    structures: tuple[CtypesStructure, ...] = ()
    aliases: tuple[CtypesAlias, ...] = ()
    handles: tuple[CtypesHandle, ...] = ()
