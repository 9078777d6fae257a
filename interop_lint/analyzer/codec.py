"""How the cache writes facts and findings as bytes and reads them back, safely.

Pickle, restricted both ways: the tool's dataclasses are written as calls of
generated builders (several times faster to load than pickle's default), and
the unpickler builds only the tool's own dataclasses and enums and plain
containers, so a forged entry cannot run code. Anything else, or any damage,
is a CorruptEntry.
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import importlib
import io
import pickle
import sys
import zlib
from collections.abc import Callable
from typing import Any

_PACKAGE = "interop_lint"
_PACKAGE_PREFIX = _PACKAGE + "."
_ALLOWED_BUILTINS = frozenset(
    {"set", "frozenset", "list", "tuple", "dict", "int", "float", "str", "bytes", "bool"}
)


class CorruptEntry(Exception):
    """An entry that is not what this version wrote: a damaged or forged file."""


_FIELDS: dict[type, tuple[str, ...] | None] = {}
_UNKNOWN = ("",)


def _init_fields(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass is rebuilt from, or None (pickle's default way)."""
    found = _FIELDS.get(cls, _UNKNOWN)
    if found is not _UNKNOWN:
        return found
    names: tuple[str, ...] | None = None
    if cls.__module__.startswith(_PACKAGE_PREFIX) and dataclasses.is_dataclass(cls):
        fields = dataclasses.fields(cls)
        if all(f.init and f.kw_only is not True for f in fields):
            names = tuple(f.name for f in fields)
    _FIELDS[cls] = names
    return names


_BUILDERS: dict[type, Callable[..., Any]] = {}
_BUILDERS_BY_NAME: dict[str, Callable[..., Any]] = {}
_BUILDER_PREFIX = "_build_"


def _builder(cls: type) -> Callable[..., Any]:
    """A function making an instance of `cls` from its field values, pickled by
    reference as this module's `_build_<module:path:Class>` (see `__getattr__`).

    For a slotted dataclass without `__post_init__` it fills the slots directly:
    a frozen dataclass's `__init__` goes through `object.__setattr__` for each
    field, twice as slow, and decoding the facts of a large project builds
    hundreds of thousands of them. Being the pickled callable itself, it costs
    one Python call per object."""
    found = _BUILDERS.get(cls)
    if found is not None:
        return found
    names = _init_fields(cls)
    slots = getattr(cls, "__slots__", None)
    if (
        names is None
        or not isinstance(slots, tuple)
        or set(slots) != set(names)
        or hasattr(cls, "__post_init__")
    ):
        _BUILDERS[cls] = cls
        return cls
    # As dataclasses does: generated code, one statement per field, no loop.
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    for number, name in enumerate(names):
        namespace[f"set{number}"] = getattr(cls, name).__set__
    parameters = ", ".join(f"v{number}" for number in range(len(names)))
    body = "".join(f"    set{number}(o, v{number})\n" for number in range(len(names)))
    exec(f"def build({parameters}):\n    o = new(cls)\n{body}    return o\n", namespace)
    build = namespace["build"]
    # `:` for `.`: pickle would read a dotted name as attributes of attributes.
    build.__name__ = build.__qualname__ = (
        _BUILDER_PREFIX + f"{cls.__module__}.{cls.__qualname__}".replace(".", ":")
    )
    build.__module__ = __name__
    _BUILDERS[cls] = _BUILDERS_BY_NAME[build.__name__] = build
    return build


def __getattr__(name: str) -> Any:
    """`_build_<module:path:Class>`: the builder of one of the tool's dataclasses
    (pickle looks a builder up by name, when writing and when reading)."""
    if name.startswith(_BUILDER_PREFIX):
        found = _BUILDERS_BY_NAME.get(name)
        if found is not None:
            return found
        module, _, qualname = name[len(_BUILDER_PREFIX) :].replace(":", ".").rpartition(".")
        try:
            cls = _allowed(module, qualname)
        except CorruptEntry:
            pass
        else:
            built = _builder(cls)
            if built is not cls:
                return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Reducers(dict):  # type: ignore[type-arg]
    """The pickler's dispatch table: for each of our dataclasses, a function
    `o -> (builder, (o.field, ...))`, generated on first use (pickle looks the
    type up in C; the generated code reads the fields without a loop)."""

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        names = _init_fields(cls)
        if names is None:
            raise KeyError(cls)  # pickle's default way
        values = "".join(f"o.{name}, " for name in names)
        namespace = {"build": _builder(cls)}
        exec(f"def reduce(o):\n    return build, ({values})\n", namespace)
        reducer = self[cls] = namespace["reduce"]
        return reducer


_REDUCERS = _Reducers()


class _Pickler(pickle.Pickler):
    """Our dataclasses as `_build_<Class>(field values)`: several times faster to
    load than pickle's default, a `__setstate__` call per object."""

    dispatch_table = _REDUCERS


_ALLOWED: dict[tuple[str, str], Any] = {}


class _Unpickler(pickle.Unpickler):
    """Builds only the tool's dataclasses and enums, and plain containers."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            found = _ALLOWED[module, name] = _allowed(module, name)
        return found


def _allowed(module: str, name: str) -> Any:
    if module == "builtins" and name in _ALLOWED_BUILTINS:
        return getattr(__import__("builtins"), name)
    if module == __name__ and name.startswith(_BUILDER_PREFIX):
        try:
            return __getattr__(name)  # it only builds what this unpickler allows
        except AttributeError:
            raise CorruptEntry(f"refers to a forbidden name: {module}.{name}") from None
    if (module == _PACKAGE or module.startswith(_PACKAGE_PREFIX)) and "." not in name:
        try:
            loaded = sys.modules.get(module) or importlib.import_module(module)
        except ImportError:
            raise CorruptEntry(f"refers to a module that does not exist: {module}") from None
        value = getattr(loaded, name, None)
        if isinstance(value, type) and (
            dataclasses.is_dataclass(value) or issubclass(value, enum.Enum)
        ):
            return value
    raise CorruptEntry(f"refers to a forbidden name: {module}.{name}")


def encode(value: object, *, compress: bool = False) -> bytes:
    buffer = io.BytesIO()
    # The cycle collector, triggered over and over by the many new objects,
    # would make this 4x slower; nothing made here is garbage.
    enabled = gc.isenabled()
    gc.disable()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    finally:
        if enabled:
            gc.enable()
    data = buffer.getvalue()
    return zlib.compress(data, 1) if compress else data


def decode(payload: bytes, *, compressed: bool = False) -> Any:
    """Raises CorruptEntry for anything but what `encode` made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if compressed:
            payload = zlib.decompress(payload)
        return _Unpickler(io.BytesIO(payload)).load()
    except CorruptEntry:
        raise
    except Exception as error:  # any damage: EOF, bad opcode, a class's own error
        raise CorruptEntry(f"{type(error).__name__}: {error}") from None
    finally:
        if enabled:
            gc.enable()
