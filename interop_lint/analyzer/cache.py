"""The cache: facts per file, and the findings of the last run, under the project root.

    .interop-lint-cache/            (or --cache-dir; never with --no-cache)
      CACHEDIR.TAG, .gitignore      so backup tools and git leave it alone
      v1/facts/pack-...             facts entries, one pack per run that made any
      v1/runs/<run key>             the findings of the last run with these rules

A facts entry is one file's FileFacts, keyed by (file, content). They are
written in packs, one file per run: creating a file costs more than encoding
a file's facts, and the pre-commit case reads about every entry anyway. A run
reads every pack and keeps what it needs; past a few packs it writes what it
used as one pack and deletes the others, which drops the stale entries.

**Keys.** Every entry is keyed on a *salt*: the cache format, the tool's
version, a digest of the tool's own code (every module of the package: a
change to a facts record, an extractor or a rule invalidates everything,
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
The entry also holds each file's stamp (size, times, inode) with its content
hash: when every file's stamp is unchanged the next run reuses the findings
without reading a file (engine.py; a file changed in the two seconds before
it was stamped gets no stamp, as coarse clocks could hide a second edit),
and the snapshot of the walk that found them: while no directory it entered
and no `.gitignore` it read has changed, the next run does not walk the tree
(discovery.py). The code digest is kept in `v1/code` under the stamps of the
tool's modules (cache_keys.py).
(Finer keys — per crate or package — would save the check pass after a
one-file change, but must name every fact a rule can read; not done.)

Entries are compressed: smaller, and no snippet of the project's text shows
up in a search of the tree.

**Safety.** Every write goes to a temporary file in the same directory and
is renamed over its name (`os.replace`): a reader sees the old file, the new
one or none, never half of one, so concurrent runs need no locks (packs have
names of their own; of two runs writing one run entry the last wins, and
both wrote correct data). A file that is truncated or from another version
is a silent miss; one whose checksum does not match, or an entry that does
not decode to what it should, is a miss *and* a CACHE notification.
Entries are decoded by an unpickler that only builds the tool's own
records, dataclasses and enums and plain containers: a forged entry cannot run code.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import struct
import time
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from interop_lint.analyzer.cache_keys import FORMAT, atomic_write, blake2b
from interop_lint.analyzer.codec import CorruptEntry, decode, encode
from interop_lint.analyzer.findings import Finding, Notification, NotificationKind

if TYPE_CHECKING:
    from interop_lint.analyzer.discovery import TreeSnapshot

CACHE_DIRECTORY = ".interop-lint-cache"
MAX_PACKS = 8
STALE_SECONDS = 7 * 24 * 3600
_PACKS = itertools.count()
_MAGIC = b"ILCACHE1"
_HEADER = struct.Struct("<8s16sQ16s")  # magic, salt, payload length, payload digest


# -- the run entry ----------------------------------------------------------------


class CheckedFile(Struct):
    """What checking one file found, and which rules were run on it."""

    rules: frozenset[str]
    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...]


class RunRecord(Struct):
    project: str  # project_digest()
    index_notifications: tuple[Notification, ...] = ()
    checked: dict[str, CheckedFile] = field(default_factory=dict)
    complete: bool = False  # every file that can have findings was checked with every rule
    # path -> (stamp, content hash) of the files read: a later run takes a file whose
    # stamp is unchanged for that content without reading it (discovery.Stamp).
    stamps: dict[str, tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)
    # The walk that found those files, for the next run to skip (discovery.py).
    tree: TreeSnapshot | None = None


def _inside_the_root(record: RunRecord) -> bool:
    paths = [n.path for n in record.index_notifications]
    for checked in record.checked.values():
        paths += [f.location.path for f in checked.findings]
        paths += [r.location.path for f in checked.findings for r in f.related]
        paths += [n.path for n in checked.notifications]
    return all(_relative_inside(p) for p in paths)


def _relative_inside(path: str) -> bool:
    """A root-relative path as reports hold them (an empty one is the project's)."""
    return not path or (not os.path.isabs(path) and ".." not in path.replace("\\", "/").split("/"))


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
        self._packs: list[str] | None = None  # the packs read
        self._entries: dict[str, bytes] = {}  # facts key -> encoded facts, from the packs
        self._new: dict[str, bytes] = {}  # made by this run
        self._used: set[str] = set()

    # -- facts: packs of entries ---------------------------------------------------

    @property
    def _facts_directory(self) -> str:
        return os.path.join(self._base, "facts")

    def _load_packs(self) -> None:
        if self._packs is not None:
            return
        self._packs = []
        try:
            names = sorted(os.listdir(self._facts_directory))
        except OSError:
            return
        for name in names:
            if not name.startswith("pack-"):
                continue
            path = os.path.join(self._facts_directory, name)
            table = self._read(path, dict, compressed=False)
            if table is None:
                _prune_if_old(path)  # another version's, or another config's
                continue
            self._packs.append(path)
            for key, payload in table.items():
                if isinstance(key, str) and isinstance(payload, bytes):
                    self._entries.setdefault(key, payload)

    def load(self, key: str, expected: type) -> Any:
        """The facts stored under `key`, or None."""
        self._load_packs()
        payload = self._entries.get(key)
        if payload is None:
            return None
        try:
            value = decode(payload, compressed=True)
        except CorruptEntry as error:
            value = error
        if not isinstance(value, expected):
            why = str(value) if isinstance(value, CorruptEntry) else "not a facts entry"
            self._entries.pop(key, None)
            self._corrupt(f"facts entry {key}", why)
            return None
        self._used.add(key)
        return value

    def store(self, key: str, payload: bytes) -> None:
        """Keep `payload` (from `encode(facts, compress=True)`) for `flush`."""
        self._new[key] = payload

    def flush(self) -> None:
        """Write this run's new entries as one pack (one file, however many entries).

        Past MAX_PACKS packs, the entries this run used and made are written as
        one pack instead and the packs read are deleted: stale entries go with
        them. A concurrent run that loses a pack it was about to read recomputes."""
        self._load_packs()
        assert self._packs is not None
        if len(self._packs) + bool(self._new) > MAX_PACKS:
            table = {key: self._entries[key] for key in sorted(self._used)}
            table.update(self._new)
            if self._write_pack(table):
                for path in self._packs:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
        elif self._new:
            self._write_pack(self._new)
        self._new = {}

    def _write_pack(self, table: dict[str, bytes]) -> bool:
        name = f"pack-{time.time_ns():x}-{os.getpid()}-{next(_PACKS)}"
        return self._write(os.path.join(self._facts_directory, name), table, compress=False)

    # -- runs ----------------------------------------------------------------------

    def _run_path(self, rules: list[str]) -> str:
        # One entry per project and rule selection: a pre-commit hook with --select
        # does not evict the full run's findings (nor does another project sharing
        # a --cache-dir).
        key = "\0".join([self.project_root, *sorted(rules)]).encode()
        name = blake2b(self.salt + key, digest_size=16).hexdigest()
        return os.path.join(self._base, "runs", name)

    def load_run(self, rules: list[str]) -> RunRecord | None:
        path = self._run_path(rules)
        record = self._read(path, RunRecord, compressed=True)
        if record is not None and not _inside_the_root(record):
            # Only a forged entry names a file outside the project: reports never do.
            self._corrupt(
                os.path.relpath(path, self.directory), "it names paths outside the project", path
            )
            return None
        return record

    def store_run(self, rules: list[str], record: RunRecord) -> None:
        path = self._run_path(rules)
        if self._write(path, record, compress=True):
            with contextlib.suppress(OSError):
                for entry in os.scandir(os.path.dirname(path)):
                    if entry.path != path:
                        _prune_if_old(entry.path)

    # -- files ---------------------------------------------------------------------

    def _read(self, path: str, expected: type, *, compressed: bool) -> Any:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None  # truncated
        magic, salt, length, checksum = _HEADER.unpack_from(data)
        if magic != _MAGIC or salt != self.salt:
            return None  # another version's entry (the name should have differed)
        payload = data[_HEADER.size :]
        if len(payload) != length:
            return None  # truncated
        shown = os.path.relpath(path, self.directory).replace(os.sep, "/")
        if blake2b(payload, digest_size=16).digest() != checksum:
            self._corrupt(shown, "its checksum does not match", path)
            return None
        try:
            value = decode(payload, compressed=compressed)
        except CorruptEntry as error:
            self._corrupt(shown, str(error), path)
            return None
        if not isinstance(value, expected):
            why = f"it holds a {type(value).__name__}, not a {expected.__name__}"
            self._corrupt(shown, why, path)
            return None
        return value

    def _corrupt(self, what: str, why: str, path: str | None = None) -> None:
        self.notifications.append(
            Notification(
                "",
                0,
                NotificationKind.CACHE,
                f"ignored a corrupt cache entry ({CACHE_DIRECTORY}: {what}): {why}",
            )
        )
        if path is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _prepare(self) -> bool:
        if self._prepared:
            return self.writable
        self._prepared = True
        try:
            for directory in (self._facts_directory, os.path.join(self._base, "runs")):
                os.makedirs(directory, exist_ok=True)
            for name, text in (
                ("CACHEDIR.TAG", _CACHEDIR_TAG),
                (".gitignore", "# Created by interop-lint.\n*\n"),
            ):
                marker = os.path.join(self.directory, name)
                if not os.path.exists(marker):
                    atomic_write(marker, text.encode())
        except OSError:
            self.writable = False
        return self.writable

    def _write(self, path: str, value: object, *, compress: bool) -> bool:
        if not self._prepare():
            return False
        payload = encode(value, compress=compress)
        header = _HEADER.pack(
            _MAGIC, self.salt, len(payload), blake2b(payload, digest_size=16).digest()
        )
        try:
            atomic_write(path, header + payload)
        except OSError:
            return False  # a full disk or a read-only tree: the run goes on without caching
        return True


_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by interop-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def _prune_if_old(path: str) -> None:
    """Delete a file no run has written for a week: the cache of an old version
    of the tool or of the config, or a temporary file of a run that was killed."""
    with contextlib.suppress(OSError):
        if time.time() - os.stat(path).st_mtime > STALE_SECONDS:
            os.unlink(path)
