"""Which files of the project root the index covers, and what each one is.

The walk honours every `.gitignore` under the root (deeper files win, as in
git), skips build and dependency directories, the config's `exclude` globs,
and never follows a directory symlink (so a symlink loop cannot trap it) or
a file symlink that leaves the root (report paths stay inside the root).

A walk leaves a `TreeSnapshot` that the next run (through the cache) can
take instead of walking again: when no directory it entered and no
`.gitignore` it read has changed, the walk would find the same files, and
only those files are stat'ed. A run on an unchanged tree so neither lists
directories nor matches ignore patterns (nor imports pathspec: a tenth of
a warm run).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from msgspec import Struct

from interop_lint.analyzer.findings import Notification, NotificationKind

if TYPE_CHECKING:
    import pathspec

SKIPPED_DIRECTORIES = frozenset(
    {".git", "vendor", "node_modules", ".interop-lint-cache", "__pycache__"}
)


class FileKind(StrEnum):
    GO = "go"
    RUST = "rust"
    C_HEADER = "c-header"
    C_SOURCE = "c-source"
    PYTHON = "python"
    CARGO_TOML = "cargo-toml"
    CARGO_LOCK = "cargo-lock"
    GO_MOD = "go-mod"
    GO_SUM = "go-sum"
    RUST_TOOLCHAIN = "rust-toolchain"
    CBINDGEN_TOML = "cbindgen-toml"


_BY_NAME = {
    "Cargo.toml": FileKind.CARGO_TOML,
    "Cargo.lock": FileKind.CARGO_LOCK,
    "go.mod": FileKind.GO_MOD,
    "go.sum": FileKind.GO_SUM,
    "rust-toolchain": FileKind.RUST_TOOLCHAIN,
    "rust-toolchain.toml": FileKind.RUST_TOOLCHAIN,
    "cbindgen.toml": FileKind.CBINDGEN_TOML,
}
_BY_SUFFIX = {
    ".go": FileKind.GO,
    ".rs": FileKind.RUST,
    ".h": FileKind.C_HEADER,
    ".c": FileKind.C_SOURCE,
    ".py": FileKind.PYTHON,
}


def classify(name: str) -> FileKind | None:
    """The kind of a file from its name, or None when the linter has no use for it."""
    kind = _BY_NAME.get(name)
    if kind is not None:
        return kind
    return _BY_SUFFIX.get(os.path.splitext(name)[1])


# A file's stamp: (size, mtime, ctime, inode), nanoseconds. Equal stamps are taken
# for equal content (as git and ruff do) only when the file had not changed for
# this long before it was stamped: a filesystem with coarse timestamps (FAT: 2 s)
# could otherwise show the same stamp after a second write in the same tick.
Stamp = tuple[int, int, int, int]
SETTLED_NS = 2_000_000_000


class DiscoveredFile(Struct, frozen=True):
    path: str  # relative to the root, `/`-separated
    kind: FileKind
    size: int
    stamp: Stamp | None = None  # None: changed too recently to stand for its content


# A directory's stamp: (mtime, ctime, inode), nanoseconds. Adding, removing or
# renaming an entry changes the directory's mtime; editing a file in it does not.
DirectoryStamp = tuple[int, int, int]


class TreeSnapshot(Struct, frozen=True):
    """What a walk saw, enough to tell later that it would see the same again."""

    settings: tuple[tuple[str, ...], int]  # the excludes and the size cap it walked with
    directories: tuple[tuple[str, DirectoryStamp], ...]  # every directory entered
    gitignores: tuple[tuple[str, Stamp], ...]  # every `.gitignore` read
    files: tuple[tuple[str, FileKind, bool], ...]  # path, kind, whether a symlink


class Discovery(Struct, frozen=True):
    files: tuple[DiscoveredFile, ...]
    notifications: tuple[Notification, ...]
    # None when some stamp was too recent to be trusted, or the walk met a problem
    # (a notification): the next run walks again.
    snapshot: TreeSnapshot | None = None


def _directory_stamp(info: os.stat_result) -> DirectoryStamp:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _file_stamp(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _settled(info: os.stat_result, settled_before: int) -> bool:
    return info.st_mtime_ns < settled_before and info.st_ctime_ns < settled_before


def _ignore_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    # Imported on the first pattern met: a run on an unchanged tree does not walk,
    # and a tree without `.gitignore` or excludes matches nothing (a tenth of a
    # small run is this import).
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:  # pathspec's pattern errors: git skips a line it cannot read
        return pathspec.GitIgnoreSpec.from_lines([line for line in lines if _readable(line)])


def _readable(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


class _IgnoreRules:
    """The `.gitignore` files met on the way down, and the config's excludes."""

    def __init__(self, exclude: Iterable[str]) -> None:
        patterns = list(exclude)
        self._exclude = _ignore_spec(patterns) if patterns else None
        self._gitignores: dict[str, pathspec.GitIgnoreSpec] = {}
        self.read: list[tuple[str, os.stat_result]] = []  # (path, stamp) of each one read

    def enter(self, rel_dir: str, abs_dir: str) -> None:
        try:
            with open(os.path.join(abs_dir, ".gitignore"), "rb") as f:
                info = os.fstat(f.fileno())
                lines = f.read().decode("utf-8", errors="replace").splitlines()
        except OSError:
            return
        self.read.append((f"{rel_dir}/.gitignore" if rel_dir else ".gitignore", info))
        if lines:
            self._gitignores[rel_dir] = _ignore_spec(lines)

    def ignored(self, rel_path: str, is_dir: bool) -> bool:
        probe = rel_path + "/" if is_dir else rel_path
        if self._exclude is not None and self._exclude.match_file(probe):
            return True
        # The deepest .gitignore with an opinion decides, as in git.
        parts = rel_path.split("/")
        for depth in range(len(parts) - 1, -1, -1):
            base = "/".join(parts[:depth])
            spec = self._gitignores.get(base)
            if spec is None:
                continue
            result = spec.check_file(probe[len(base) + 1 :] if base else probe)
            if result.include is not None:
                return result.include
        return False


def discover(
    root: str,
    exclude: Iterable[str] = (),
    max_file_size: int = 0,
    previous: TreeSnapshot | None = None,
) -> Discovery:
    """Every file of a known kind under `root`, sorted by path.

    `max_file_size` (bytes, 0 for no cap) skips larger files with a notification.
    `previous`, the snapshot of an earlier walk, is taken when nothing it saw has
    changed since.
    """
    root = os.path.realpath(root)
    settled_before = time.time_ns() - SETTLED_NS
    settings = (tuple(exclude), max_file_size)
    if previous is not None and previous.settings == settings:
        unchanged = _rediscover(root, previous, max_file_size, settled_before)
        if unchanged is not None:
            return unchanged
    rules = _IgnoreRules(settings[0])
    files: list[DiscoveredFile] = []
    symlinks: set[str] = set()
    notes: list[Notification] = []
    directories: list[tuple[str, os.stat_result]] = []
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        abs_dir = os.path.join(root, rel_dir) if rel_dir else root
        rules.enter(rel_dir, abs_dir)
        try:
            directories.append((rel_dir, os.stat(abs_dir)))
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError as error:
            notes.append(_read_error(rel_dir or ".", error))
            continue
        subdirs = []
        names = [e.name for e in entries]
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if not _utf8_name(entry.name):
                # No report, cache key or SARIF URI can hold it: said, and left out.
                printable = rel.encode("utf-8", "backslashreplace").decode()
                notes.append(
                    Notification(
                        printable, 0, NotificationKind.SKIPPED, "name is not valid UTF-8: skipped"
                    )
                )
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as error:
                notes.append(_read_error(rel, error))
                continue
            if is_dir:
                if entry.name in SKIPPED_DIRECTORIES or rules.ignored(rel, True):
                    continue
                if entry.name == "target" and _is_cargo_output(entry.path, names):
                    continue
                subdirs.append(rel)
                continue
            kind = classify(entry.name)
            if kind is None or rules.ignored(rel, False):
                continue
            try:
                symlink = entry.is_symlink()
            except OSError as error:
                notes.append(_read_error(rel, error))
                continue
            found = _examine(root, rel, symlink, kind, max_file_size, settled_before, notes)
            if found is not None:
                files.append(found)
                if symlink:
                    symlinks.add(rel)
        pending.extend(reversed(subdirs))
    files.sort(key=lambda f: f.path)
    snapshot = None
    seen = directories + rules.read
    if not notes and all(_settled(info, settled_before) for _, info in seen):
        snapshot = TreeSnapshot(
            settings,
            tuple((rel, _directory_stamp(info)) for rel, info in directories),
            tuple((rel, _file_stamp(info)) for rel, info in rules.read),
            tuple((f.path, f.kind, f.path in symlinks) for f in files),
        )
    return Discovery(tuple(files), tuple(sorted(notes)), snapshot)


def _rediscover(
    root: str, snapshot: TreeSnapshot, max_file_size: int, settled_before: int
) -> Discovery | None:
    """The snapshot's files, stat'ed again, if no directory and no `.gitignore` it saw
    has changed; None when the tree must be walked again."""
    try:
        for rel_dir, stamp in snapshot.directories:
            if _directory_stamp(os.stat(os.path.join(root, rel_dir))) != stamp:
                return None
        for rel, stamp in snapshot.gitignores:
            if _file_stamp(os.stat(os.path.join(root, rel))) != stamp:
                return None
    except OSError:
        return None
    files: list[DiscoveredFile] = []
    notes: list[Notification] = []
    for rel, kind, symlink in snapshot.files:
        found = _examine(root, rel, symlink, kind, max_file_size, settled_before, notes)
        if found is None or notes:  # a file gone, grown past the cap...: the walk tells
            return None
        files.append(found)
    return Discovery(tuple(files), (), snapshot)


def _examine(
    root: str,
    rel: str,
    symlink: bool,
    kind: FileKind,
    max_file_size: int,
    settled_before: int,
    notes: list[Notification],
) -> DiscoveredFile | None:
    path = os.path.join(root, rel)
    try:
        if symlink:
            target = os.path.realpath(path)
            if os.path.commonpath([root, target]) != root:
                notes.append(
                    Notification(
                        rel,
                        0,
                        NotificationKind.SKIPPED,
                        "skipped: symlink to a file outside the project root",
                    )
                )
                return None
        info = os.stat(path)
    except OSError as error:
        notes.append(_read_error(rel, error))
        return None
    except ValueError:  # commonpath across drives
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    if max_file_size and info.st_size > max_file_size:
        notes.append(
            Notification(
                rel,
                0,
                NotificationKind.SKIPPED,
                f"skipped: {info.st_size} bytes is over the size cap of {max_file_size}",
            )
        )
        return None
    stamp = _file_stamp(info) if _settled(info, settled_before) else None
    return DiscoveredFile(rel, kind, info.st_size, stamp)


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by os.fsdecode as surrogates
        return False
    return True


def _read_error(rel: str, error: OSError) -> Notification:
    reason = error.strerror or str(error)
    return Notification(rel, 0, NotificationKind.READ_ERROR, f"cannot read: {reason}")


_CARGO_MARKS = ("CACHEDIR.TAG", ".rustc_info.json")  # what Cargo writes in its target dir


def _is_cargo_output(path: str, siblings: list[str]) -> bool:
    """Whether a directory named `target` is Cargo's build output: beside a
    Cargo.toml, or marked as Cargo marks it (a `CARGO_TARGET_DIR` elsewhere).
    Another `target` is source (symphony's Go package `providers/target`)."""
    if "Cargo.toml" in siblings:
        return True
    return any(os.path.exists(os.path.join(path, mark)) for mark in _CARGO_MARKS)
