"""Python ctypes types into the model, and how a binding compares with Rust.

ctypes names C types by their C width (LP64, as everywhere in the model):
`c_int` is `Int(32, signed)`, `c_long` and `c_longlong` 64 bits, `c_size_t`
and `c_ssize_t` pointer-sized, `c_char_p` a pointer to plain `char`,
`c_void_p` a pointer to `void`, `POINTER(T)` a pointer to `T`, `T * n` an
array, `CFUNCTYPE(R, *A)` a function pointer, `None` as a restype `void`.
A `Structure` or `Union` subclass is a named record. `c_wchar`,
`c_wchar_p`, `c_longdouble` and `py_object` have no Rust counterpart in the
model: unknown.

Four rules differ from C's (`compare_binding`):

- ctypes has no `const`: constness never counts.
- A scalar result where Rust returns nothing (`restype = c_void_p` for a
  function returning `()`, the usual misreading of `c_void_p` as `void`;
  `CFUNCTYPE(c_void_p, ..)` for a callback Rust calls as returning nothing)
  is equal: the result is a register nobody reads back. A record by value
  is not: it is returned through a hidden pointer that shifts the
  arguments.
- `c_void_p` matches any Rust pointer, function pointers included, and so
  does a `c_void_p` parameter of a `CFUNCTYPE`: it is how Python holds
  memory (or a function) it passes back later. A `CFUNCTYPE` matches a
  Rust `*const c_void` that the export casts to a function.
- A class's name is Python's own choice: a `Structure` against a Rust
  struct of another name is equal here, and their fields are compared
  instead (`analyzer.python.contract`).

And one that is ctypes' as much as the model's: `c_void_p` against a
pointer-sized or 64-bit integer (a handle Rust passes as `usize`), and such
an integer against a Rust pointer (`c_size_t` for a pointer), are unknown,
never different. Python holds both as an `int` in the same register; only a
narrower integer (`c_int` for a pointer) loses bits. A typed pointer against
a Rust integer (`POINTER(c_uint64)` or `c_char_p` for a `u64` by value) is
different: Python then passes an address (`byref(v)`, a `bytes`) where
Rust reads a number.
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec.structs import replace

from interop_lint.analyzer.python.facts import CtypesKind, CtypesStructure, CtypesType
from interop_lint.analyzer.typesys.model import (
    POINTER_WIDTH,
    Array,
    Bool,
    Float,
    Function,
    Int,
    Named,
    Pointer,
    Type,
    Unknown,
    Verdict,
    Void,
    compare,
)

VOID_POINTER = Pointer(Void(), const=False)
CHAR_POINTER = Pointer(Int(8, None), const=False)
SIMPLE: dict[str, Type] = {
    "c_bool": Bool(),
    "c_char": Int(8, None),
    "c_byte": Int(8, True),
    "c_ubyte": Int(8, False),
    "c_short": Int(16, True),
    "c_ushort": Int(16, False),
    "c_int": Int(32, True),
    "c_uint": Int(32, False),
    "c_long": Int(64, True),  # LP64
    "c_ulong": Int(64, False),
    "c_longlong": Int(64, True),
    "c_ulonglong": Int(64, False),
    **{f"c_int{n}": Int(n, True) for n in (8, 16, 32, 64)},
    **{f"c_uint{n}": Int(n, False) for n in (8, 16, 32, 64)},
    "c_size_t": Int(POINTER_WIDTH, False),
    "c_ssize_t": Int(POINTER_WIDTH, True),
    "c_time_t": Int(64, True),
    "c_float": Float(32),
    "c_double": Float(64),
    "c_char_p": CHAR_POINTER,
    "c_void_p": VOID_POINTER,
}
_SPELLINGS: dict[Type, str] = {
    Int(8, True): "c_int8",
    Int(8, False): "c_uint8",
    Int(8, None): "c_char",
    Int(16, True): "c_int16",
    Int(16, False): "c_uint16",
    Int(32, True): "c_int32",
    Int(32, False): "c_uint32",
    Int(64, True): "c_int64",
    Int(64, False): "c_uint64",
    Int(POINTER_WIDTH, False): "c_size_t",
    Int(POINTER_WIDTH, True): "c_ssize_t",
    Float(32): "c_float",
    Float(64): "c_double",
    Bool(): "c_bool",
    Void(): "None",
}
MAX_DEPTH = 32

Lookup = Callable[[str], "CtypesStructure | CtypesType | None"]


class CtypesTypes:
    """The model of ctypes types as one Python file writes them.

    `lookup` finds what a name imported from another module is: a
    structure, or an alias of a type (`Handle = c_void_p` over there).
    """

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup

    def model(self, t: CtypesType, depth: int = 0) -> Type:
        if depth > MAX_DEPTH:
            return Unknown(t.spell())
        kind = t.kind
        if kind is CtypesKind.SIMPLE:
            return SIMPLE.get(t.name, Unknown(t.name))
        if kind is CtypesKind.VOID:
            return Void()
        if kind is CtypesKind.STRUCTURE:
            return Named(frozenset({t.name}), known=True)
        if kind is CtypesKind.NAMED:
            found = self._lookup(t.name)
            if isinstance(found, CtypesStructure):
                return Named(frozenset({found.name}), known=True)
            return Unknown(t.name) if found is None else self.model(found, depth + 1)
        if t.of is None:
            return Unknown(t.spell())
        inner = self.model(t.of, depth + 1)
        if kind is CtypesKind.POINTER:
            return inner if isinstance(inner, Unknown) else Pointer(inner, const=False)
        if kind is CtypesKind.ARRAY:
            return Array(inner, t.length)
        if kind is CtypesKind.FUNCTION:
            params = tuple(self.model(p, depth + 1) for p in t.params)
            return Pointer(Function(params, inner), const=False)
        return Unknown(t.spell())

    def structure(self, t: CtypesType) -> CtypesStructure | None:
        """The structure a STRUCTURE or NAMED type is, with its fields."""
        if t.kind not in (CtypesKind.STRUCTURE, CtypesKind.NAMED):
            return None
        found = self._lookup(t.name)
        return found if isinstance(found, CtypesStructure) else None


def leaves(a: Type, b: Type) -> tuple[Type, Type]:
    """What two types point to or hold, through the pointers and arrays they share."""
    for _ in range(MAX_DEPTH):
        if isinstance(a, Pointer) and isinstance(b, Pointer):
            a, b = a.pointee, b.pointee
        elif isinstance(a, Array) and isinstance(b, Array):
            a, b = a.element, b.element
        else:
            break
    return a, b


def is_record(t: Type) -> bool:
    return isinstance(t, Named) and not t.enum


def _renamed(t: Type, names: frozenset[str]) -> Type:
    """`t` with the record it points to or holds renamed to `names`."""
    if isinstance(t, Pointer):
        return Pointer(_renamed(t.pointee, names), t.const)
    if isinstance(t, Array):
        return Array(_renamed(t.element, names), t.length)
    if isinstance(t, Named):
        return Named(names, t.known, t.enum, t.bits)
    return t


def compare_binding(python: Type, rust: Type) -> Verdict:
    """Whether a ctypes type is the Rust type at the ABI, by ctypes' rules (module doc)."""
    if python == VOID_POINTER and isinstance(rust, Pointer):
        return Verdict.EQUAL
    if _is_callback(python) and isinstance(rust, Pointer) and isinstance(rust.pointee, Void):
        return Verdict.EQUAL  # a CFUNCTYPE where Rust takes `*const c_void` and casts it
    if discards_result(python, rust):
        return Verdict.EQUAL
    if _is_callback(python) and _is_callback(rust):
        python = Pointer(_as_callback(python.pointee, rust.pointee), python.const)  # type: ignore[union-attr, arg-type]
    if (python == VOID_POINTER and _address_sized(python, rust)) or _address_sized(rust, python):
        return Verdict.UNKNOWN
    verdict = compare(_as_named(python, rust), rust)
    return Verdict.EQUAL if verdict is Verdict.CONSTNESS else verdict


def _is_callback(t: Type) -> bool:
    return isinstance(t, Pointer) and isinstance(t.pointee, Function)


def _as_callback(python: Function, rust: Function) -> Function:
    """A CFUNCTYPE read by the same rules as a binding: a result Rust never reads is
    `void`, and a `c_void_p` parameter is whatever pointer Rust passes there
    (a function pointer handed on to Python is held as `c_void_p` too)."""
    returns = Void() if discards_result(python.returns, rust.returns) else python.returns
    params = python.params
    if params is not None and rust.params is not None and len(params) == len(rust.params):
        params = tuple(
            theirs
            if ours == VOID_POINTER and isinstance(theirs, Pointer)
            else _as_named(ours, theirs)
            for ours, theirs in zip(params, rust.params, strict=True)
        )
    return replace(python, returns=_as_named(returns, rust.returns), params=params)


def _as_named(python: Type, rust: Type) -> Type:
    """A record a ctypes type points to or holds, named as the Rust one it stands for
    (`POINTER(_Contig)` for `*const CContig`): a Structure's name is its own, its
    layout is what counts (pqsio's callbacks)."""
    python_leaf, rust_leaf = leaves(python, rust)
    if is_record(python_leaf) and is_record(rust_leaf):
        return _renamed(python, rust_leaf.names)  # type: ignore[union-attr]
    return python


def discards_result(python: Type, rust: Type) -> bool:
    """A scalar result declared where Rust returns nothing (module doc)."""
    return isinstance(rust, Void) and isinstance(python, (Int, Float, Bool, Pointer))


def _address_sized(pointer: Type, integer: Type) -> bool:
    """A data pointer against an integer as wide as an address."""
    return (
        isinstance(pointer, Pointer)
        and not isinstance(pointer.pointee, Function)
        and isinstance(integer, Int)
        and integer.bits in (POINTER_WIDTH, 64)
    )


def truncated_as_int(returned: Type) -> bool:
    """Whether ctypes' default restype, C `int`, loses a value of this type: pointers,
    integers wider than 32 bits, floating point (returned in another register) and
    records by value."""
    if isinstance(returned, (Pointer, Float, Array)):
        return True
    if isinstance(returned, Int):
        return returned.bits == POINTER_WIDTH or returned.bits > 32
    return is_record(returned) and returned.known  # type: ignore[union-attr]


def suggested(t: Type, owned: bool = False) -> str | None:
    """The ctypes type to bind a Rust type with, for messages. Memory that must be
    given back (`owned`) is held as `c_void_p`, never converted."""
    if isinstance(t, Pointer):
        if t.pointee == Int(8, None) and not owned:
            return "c_char_p"
        return "c_void_p"
    if isinstance(t, Named) and t.known and not t.enum:
        name = sorted(t.names)[0]
        return None if "<" in name else name  # an instance: no Python name to give
    return _SPELLINGS.get(Int(t.bits, t.signed) if isinstance(t, Int) else t)
