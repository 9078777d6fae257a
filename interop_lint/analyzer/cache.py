"""The cache: facts per file, and the findings of the last run, under the project root.

    .interop-lint-cache/            (or --cache-dir; never with --no-cache)
      CACHEDIR.TAG, .gitignore      so backup tools and git leave it alone
      v1/facts/ab/cdef...           one file per (file, content): its FileFacts
      v1/runs/<run key>             the findings of the last run with these rules

**Keys.** Every entry is keyed on a *salt*: the cache format, the tool's
version, a digest of the tool's own code (every module of the package: a
change to a facts dataclass, an extractor or a rule invalidates everything,
so no schema version can be forgotten) and the config's digest. A facts
entry adds the file's path, kind and content hash (facts hold locations,
so the path belongs to the key).

**Findings.** A file's findings depend on its own content and on the
project index, that is on the facts of every file; facts are a function of
(path, kind, content, salt). So the findings of a run are valid for exactly
one *project digest*: the salt, the enabled rules and the sorted (path,
kind, content hash) of every file read. A run entry holds that digest, the
index's notifications, and per checked file the rules run on it with what
they found. When the digest matches, a file checked with at least the
rules needed now is not checked again; when it differs, nothing is reused.
(Finer keys — per crate or package — would save the check pass after a
one-file change, but must name every fact a rule can read; not done.)

Entries are compressed: smaller, and no snippet of the project's text shows
up in a search of the tree.

**Safety.** Every write goes to a temporary file in the same directory and
is renamed over the entry (`os.replace`): a reader sees the old entry, the
new one or none, never half of one, so concurrent runs need no locks (the
last writer of an entry wins; both wrote correct data). A file that is
truncated or from another version is a silent miss; one whose checksum does
not match, or that does not decode to what it should, is a miss *and* a
CACHE notification. Entries are decoded by an unpickler that only builds
the tool's own dataclasses and enums and plain containers: a forged entry
cannot run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import gc
import hashlib
import importlib
import io
import os
import pickle
import struct
import sys
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from interop_lint import __version__
from interop_lint.analyzer.findings import Finding, Notification, NotificationKind

CACHE_DIRECTORY = ".interop-lint-cache"
FORMAT = "v1"
_MAGIC = b"ILCACHE1"
_HEADER = struct.Struct("<8s16sQ16s")  # magic, salt, payload length, payload digest
_PACKAGE = "interop_lint"
_PACKAGE_PREFIX = _PACKAGE + "."
_ALLOWED_BUILTINS = frozenset(
    {"set", "frozenset", "list", "tuple", "dict", "int", "float", "str", "bytes", "bool"}
)


class CorruptEntry(Exception):
    """An entry that is not what this version wrote: a damaged or forged file."""


# -- encoding ---------------------------------------------------------------------


_FIELDS: dict[type, tuple[str, ...] | None] = {}
_UNKNOWN = ("",)


def _init_fields(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass is rebuilt from by calling it, or None (pickle's default)."""
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


class _Pickler(pickle.Pickler):
    """Our dataclasses as `(cls, (field values))`: a call to rebuild, several times
    faster to load than pickle's default `__setstate__` per object."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        names = _init_fields(cls)
        if names is None:
            return NotImplemented
        return cls, tuple([getattr(obj, name) for name in names])


class _Unpickler(pickle.Unpickler):
    """Builds only the tool's dataclasses and enums, and plain containers."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return getattr(__import__("builtins"), name)
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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Building many objects triggers the cycle collector over and over (4x slower)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def encode(value: object, *, compress: bool = False) -> bytes:
    buffer = io.BytesIO()
    with _collector_paused():
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    data = buffer.getvalue()
    return zlib.compress(data, 1) if compress else data


def decode(payload: bytes, *, compressed: bool = False) -> Any:
    """Raises CorruptEntry for anything but what `encode` made."""
    try:
        if compressed:
            payload = zlib.decompress(payload)
        with _collector_paused():
            return _Unpickler(io.BytesIO(payload)).load()
    except CorruptEntry:
        raise
    except Exception as error:  # any damage: EOF, bad opcode, a class's own error
        raise CorruptEntry(f"{type(error).__name__}: {error}") from None


# -- keys -------------------------------------------------------------------------


_CODE_DIGEST: list[str] = []


def code_digest() -> str:
    """A digest of every module of the package: the code that makes facts and findings."""
    if _CODE_DIGEST:
        return _CODE_DIGEST[0]
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.blake2b(digest_size=16)
    for directory, subdirectories, files in os.walk(package):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            digest.update(os.path.relpath(path, package).encode() + b"\0")
            try:
                with open(path, "rb") as f:
                    digest.update(f.read())
            except OSError:
                digest.update(b"\1unreadable")
    _CODE_DIGEST.append(digest.hexdigest())
    return _CODE_DIGEST[0]


def make_salt(config_digest: str) -> bytes:
    parts = (FORMAT, __version__, code_digest(), config_digest)
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()


def facts_key(salt: bytes, path: str, kind: str, digest: str) -> str:
    data = salt + f"\0{path}\0{kind}\0{digest}".encode()
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def project_digest(salt: bytes, rules: list[str], files: list[tuple[str, str, str]]) -> str:
    """The state a run's findings are valid for (see the module docstring)."""
    digest = hashlib.blake2b(salt, digest_size=20)
    digest.update(("\0".join(sorted(rules)) + "\1").encode())
    for path, kind, content in sorted(files):
        digest.update(f"{path}\0{kind}\0{content}\n".encode())
    return digest.hexdigest()


# -- the run entry ----------------------------------------------------------------


@dataclass(slots=True)
class CheckedFile:
    """What checking one file found, and which rules were run on it."""

    rules: frozenset[str]
    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...]


@dataclass(slots=True)
class RunRecord:
    project: str  # project_digest()
    index_notifications: tuple[Notification, ...] = ()
    checked: dict[str, CheckedFile] = field(default_factory=dict)
    complete: bool = False  # every file that can have findings was checked with every rule


# -- the store ----------------------------------------------------------------------


class Cache:
    """One cache directory. Reading never raises; writing failures are ignored
    (a read-only checkout still runs, only without a cache)."""

    def __init__(self, directory: str, salt: bytes, project_root: str = "") -> None:
        self.directory = directory
        self.salt = salt
        self.project_root = project_root
        self.notifications: list[Notification] = []
        self._base = os.path.join(directory, FORMAT)
        self._prepared = False
        self.writable = True

    # facts

    def _facts_path(self, key: str) -> str:
        return os.path.join(self._base, "facts", key[:2], key[2:])

    def load(self, key: str, expected: type) -> Any:
        """The facts stored under `key`, or None."""
        return self._read(self._facts_path(key), expected)

    def store(self, key: str, value: object) -> None:
        self._write(self._facts_path(key), value)

    # runs

    def _run_path(self, rules: list[str]) -> str:
        # One entry per project and rule selection: a pre-commit hook with --select
        # does not evict the full run's findings (nor does another project sharing
        # a --cache-dir).
        key = "\0".join([self.project_root, *sorted(rules)]).encode()
        name = hashlib.blake2b(self.salt + key, digest_size=16).hexdigest()
        return os.path.join(self._base, "runs", name)

    def load_run(self, rules: list[str]) -> RunRecord | None:
        return self._read(self._run_path(rules), RunRecord)

    def store_run(self, rules: list[str], record: RunRecord) -> None:
        self._write(self._run_path(rules), record)

    # files

    def _read(self, path: str, expected: type) -> Any:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None  # truncated (or being written by a writer without rename)
        magic, salt, length, checksum = _HEADER.unpack_from(data)
        if magic != _MAGIC or salt != self.salt:
            return None  # another version's entry (the key should have differed)
        payload = data[_HEADER.size :]
        if len(payload) != length:
            return None  # truncated
        if hashlib.blake2b(payload, digest_size=16).digest() != checksum:
            self._corrupt(path, "its checksum does not match")
            return None
        try:
            value = decode(payload, compressed=True)
        except CorruptEntry as error:
            self._corrupt(path, str(error))
            return None
        if not isinstance(value, expected):
            self._corrupt(path, f"it holds a {type(value).__name__}, not a {expected.__name__}")
            return None
        return value

    def _corrupt(self, path: str, why: str) -> None:
        shown = os.path.relpath(path, self.directory).replace(os.sep, "/")
        self.notifications.append(
            Notification(
                "",
                0,
                NotificationKind.CACHE,
                f"ignored the corrupt cache entry {CACHE_DIRECTORY}/{shown}: {why}",
            )
        )
        with contextlib.suppress(OSError):
            os.unlink(path)

    def _prepare(self) -> bool:
        if self._prepared:
            return self.writable
        self._prepared = True
        try:
            os.makedirs(self._base, exist_ok=True)
            for name, text in (
                ("CACHEDIR.TAG", _CACHEDIR_TAG),
                (".gitignore", "# Created by interop-lint.\n*\n"),
            ):
                marker = os.path.join(self.directory, name)
                if not os.path.exists(marker):
                    _atomic_write(marker, text.encode())
        except OSError:
            self.writable = False
        return self.writable

    def _write(self, path: str, value: object) -> None:
        if not self._prepare():
            return
        payload = encode(value, compress=True)
        header = _HEADER.pack(
            _MAGIC, self.salt, len(payload), hashlib.blake2b(payload, digest_size=16).digest()
        )
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            _atomic_write(path, header + payload)
        except OSError:
            pass  # a full disk or a read-only tree: the run goes on without caching


_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by interop-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def _atomic_write(path: str, data: bytes) -> None:
    """Write to a temporary file next to `path`, then rename it over `path`."""
    directory = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
