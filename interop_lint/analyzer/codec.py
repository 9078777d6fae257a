"""How the cache writes facts and findings as bytes and reads them back, safely.

Pickle, restricted when reading: the tool's records (msgspec Structs) pickle
as a call of their class with their field values, made in C; the unpickler
builds only the tool's own records, dataclasses and enums and plain
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
from typing import Any

from msgspec import Struct

_PACKAGE = "interop_lint"
_PACKAGE_PREFIX = _PACKAGE + "."
_ALLOWED_BUILTINS = frozenset(
    {"set", "frozenset", "list", "tuple", "dict", "int", "float", "str", "bytes", "bool"}
)


class CorruptEntry(Exception):
    """An entry that is not what this version wrote: a damaged or forged file."""


_ALLOWED: dict[tuple[str, str], Any] = {}


class _Unpickler(pickle.Unpickler):
    """Builds only the tool's records, dataclasses and enums, and plain containers."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            found = _ALLOWED[module, name] = _allowed(module, name)
        return found


def _allowed(module: str, name: str) -> Any:
    if module == "builtins" and name in _ALLOWED_BUILTINS:
        return getattr(__import__("builtins"), name)
    if (module == _PACKAGE or module.startswith(_PACKAGE_PREFIX)) and "." not in name:
        try:
            loaded = sys.modules.get(module) or importlib.import_module(module)
        except ImportError:
            raise CorruptEntry(f"refers to a module that does not exist: {module}") from None
        value = getattr(loaded, name, None)
        if isinstance(value, type) and (
            issubclass(value, (Struct, enum.Enum)) or dataclasses.is_dataclass(value)
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
        pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
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
