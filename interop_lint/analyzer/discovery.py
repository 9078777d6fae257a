"""Which files of the project root the index covers, and what each one is.

The walk honours every `.gitignore` under the root (deeper files win, as in
git), skips build and dependency directories, the config's `exclude` globs,
and never follows a directory symlink (so a symlink loop cannot trap it) or
a file symlink that leaves the root (report paths stay inside the root).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import pathspec

from interop_lint.analyzer.findings import Notification, NotificationKind

SKIPPED_DIRECTORIES = frozenset(
    {".git", "target", "vendor", "node_modules", ".interop-lint-cache", "__pycache__"}
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


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    path: str  # relative to the root, `/`-separated
    kind: FileKind
    size: int
    stamp: Stamp | None = None  # None: changed too recently to stand for its content


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[DiscoveredFile, ...]
    notifications: tuple[Notification, ...]


def _load_gitignore(directory: str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


class _IgnoreRules:
    """The `.gitignore` files met on the way down, and the config's excludes."""

    def __init__(self, exclude: Iterable[str]) -> None:
        patterns = list(exclude)
        self._exclude = pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None
        self._gitignores: dict[str, pathspec.GitIgnoreSpec] = {}

    def enter(self, rel_dir: str, abs_dir: str) -> None:
        spec = _load_gitignore(abs_dir)
        if spec is not None:
            self._gitignores[rel_dir] = spec

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


def discover(root: str, exclude: Iterable[str] = (), max_file_size: int = 0) -> Discovery:
    """Every file of a known kind under `root`, sorted by path.

    `max_file_size` (bytes, 0 for no cap) skips larger files with a notification.
    """
    root = os.path.realpath(root)
    settled_before = time.time_ns() - SETTLED_NS
    rules = _IgnoreRules(exclude)
    files: list[DiscoveredFile] = []
    notes: list[Notification] = []
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        abs_dir = os.path.join(root, rel_dir) if rel_dir else root
        rules.enter(rel_dir, abs_dir)
        try:
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError as error:
            notes.append(_read_error(rel_dir or ".", error))
            continue
        subdirs = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as error:
                notes.append(_read_error(rel, error))
                continue
            if is_dir:
                if entry.name not in SKIPPED_DIRECTORIES and not rules.ignored(rel, True):
                    subdirs.append(rel)
                continue
            kind = classify(entry.name)
            if kind is None or rules.ignored(rel, False):
                continue
            found = _examine(root, rel, entry, kind, max_file_size, settled_before, notes)
            if found is not None:
                files.append(found)
        pending.extend(reversed(subdirs))
    files.sort(key=lambda f: f.path)
    return Discovery(tuple(files), tuple(sorted(notes)))


def _examine(
    root: str,
    rel: str,
    entry: os.DirEntry[str],
    kind: FileKind,
    max_file_size: int,
    settled_before: int,
    notes: list[Notification],
) -> DiscoveredFile | None:
    try:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
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
        info = os.stat(entry.path)
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
    stamp = None
    if info.st_mtime_ns < settled_before and info.st_ctime_ns < settled_before:
        stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return DiscoveredFile(rel, kind, info.st_size, stamp)


def _read_error(rel: str, error: OSError) -> Notification:
    reason = error.strerror or str(error)
    return Notification(rel, 0, NotificationKind.READ_ERROR, f"cannot read: {reason}")
