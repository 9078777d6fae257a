"""The keys the cache's entries are valid for, and the digests they rest on.

cache.py says what each key covers. Every digest is BLAKE2b, taken from
`_blake2`, the module hashlib's own `blake2b` comes from: importing hashlib
starts OpenSSL, 2 ms of every run.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time

from interop_lint import __version__
from interop_lint.analyzer.discovery import SETTLED_NS

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter without it
    from hashlib import blake2b

FORMAT = "v1"
_TEMPORARY = itertools.count()


_CODE_DIGEST: list[str] = []


def code_digest(memo_directory: str | None = None) -> str:
    """A digest of every module of the package: the code that makes facts and findings.

    Reading every module costs 5 ms, a fifteenth of a warm run. With a cache
    directory the digest is kept there with the modules' stamps, and taken
    from there while every module is stamped as it was (a new install, as in
    CI, stamps them anew: read again, they give the same digest)."""
    if _CODE_DIGEST:
        return _CODE_DIGEST[0]
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    modules: list[tuple[str, str]] = []  # (relative, absolute) path of every module
    for directory, subdirectories, files in os.walk(package):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                # os.walk's paths start with `package`: slicing is what relpath does
                # here, at a tenth of its cost (200 modules, a warm run's 3 ms).
                modules.append((path[len(package) + 1 :], path))
    stamps = _module_stamps(package, modules)
    memo = os.path.join(memo_directory, FORMAT, "code") if memo_directory else None
    known = _read_text(memo) if memo is not None and stamps is not None else ""
    if known[:32] == stamps and len(known) == 65 and known[32] == " ":
        _CODE_DIGEST.append(known[33:])
        return _CODE_DIGEST[0]
    digest = blake2b(digest_size=16)
    for relative, path in modules:
        digest.update(relative.encode() + b"\0")
        try:
            with open(path, "rb") as f:
                digest.update(f.read())
        except OSError:
            digest.update(b"\1unreadable")
    _CODE_DIGEST.append(digest.hexdigest())
    if memo is not None and stamps is not None:
        with contextlib.suppress(OSError):
            os.makedirs(os.path.dirname(memo), exist_ok=True)
            atomic_write(memo, f"{stamps} {_CODE_DIGEST[0]}".encode())
    return _CODE_DIGEST[0]


def _module_stamps(package: str, modules: list[tuple[str, str]]) -> str | None:
    """A digest of where the modules are and of their stamps; None when one cannot
    stand for its content (changed in the last seconds, or unreadable)."""
    settled_before = time.time_ns() - SETTLED_NS
    digest = blake2b(package.encode() + b"\0", digest_size=16)
    for relative, path in modules:
        try:
            info = os.stat(path)
        except OSError:
            return None
        if info.st_mtime_ns >= settled_before or info.st_ctime_ns >= settled_before:
            return None
        digest.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\n".encode())
    return digest.hexdigest()


def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(100).decode("ascii", errors="replace")
    except OSError:
        return ""


def make_salt(config_digest: str, cache_directory: str | None = None) -> bytes:
    parts = (FORMAT, __version__, code_digest(cache_directory), config_digest)
    return blake2b("\0".join(parts).encode(), digest_size=16).digest()


def facts_key(salt: bytes, path: str, kind: str, digest: str) -> str:
    data = salt + f"\0{path}\0{kind}\0{digest}".encode()
    return blake2b(data, digest_size=20).hexdigest()


def project_digest(salt: bytes, rules: list[str], files: list[tuple[str, str, str]]) -> str:
    """The state a run's findings are valid for (see the module docstring)."""
    digest = blake2b(salt, digest_size=20)
    digest.update(("\0".join(sorted(rules)) + "\1").encode())
    for path, kind, content in sorted(files):
        digest.update(f"{path}\0{kind}\0{content}\n".encode())
    return digest.hexdigest()


def content_digest(data: bytes) -> str:
    """The digest a file's content is known by."""
    return blake2b(data, digest_size=16).hexdigest()


def atomic_write(path: str, data: bytes) -> None:
    """Write to a temporary file next to `path`, then rename it over `path`.

    The temporary name is this process's own (pid and a counter), created
    exclusively: two runs, or two workers of one run, never share one."""
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".tmp-{os.getpid()}-{next(_TEMPORARY)}-{name}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


_O_BINARY = getattr(os, "O_BINARY", 0)
