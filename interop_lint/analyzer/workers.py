"""Run one function over a list of work in forked processes, item by item.

Tree-sitter holds the GIL and its trees cannot be pickled, so parallel work
needs processes, each parsing for itself and returning plain data. Forking
(rather than spawning) gives each worker the parent's state for free: the
files read, the compiled queries, and for the check pass the whole project
index, which would otherwise cost more to pickle than to parse.

`map_items` shares the items out as it goes: each process, this one
included, takes the next item not yet taken (a counter in shared memory
behind a lock made of a pipe), so no process waits for another at the end
because its share was dearer than its bytes said. Items whose trees are in
this process are done here first. A child sends its results pickled through
a pipe when it runs out of items. A child that fails or dies is not fatal:
what it took is redone here, so the results are those of a serial run.
Where there is no `fork` (Windows), everything runs here.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import select
import signal
import struct
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

from interop_lint.analyzer.codec import CorruptEntry, decode, encode

T = TypeVar("T")
R = TypeVar("R")

_CHUNK = 1 << 20
_COUNTER = struct.Struct("<q")


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


class _SharedCounter:
    """The next item to take, shared by the processes forked after it is made."""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, _COUNTER.size)  # anonymous: MAP_SHARED
        self._lock_read, self._lock_write = os.pipe()
        os.write(self._lock_write, b"x")  # one token: whoever reads it holds the lock

    def take(self, children: Sequence[int] = ()) -> int:
        """The counter's value, incremented. Here (`children` given), a child that died
        holding the token is not waited for: after a second with no token, a dead
        child's token is made again. Two holders at once can only make two processes
        take the same item (done twice, the same result), never skip one."""
        while children and not select.select([self._lock_read], [], [], 1.0)[0]:
            if any(_has_exited(pid) for pid in children):
                os.write(self._lock_write, b"x")
        os.read(self._lock_read, 1)
        try:
            (taken,) = _COUNTER.unpack_from(self._memory)
            _COUNTER.pack_into(self._memory, 0, taken + 1)
        finally:
            os.write(self._lock_write, b"x")
        return taken

    def close(self) -> None:
        os.close(self._lock_read)
        os.close(self._lock_write)
        self._memory.close()


def map_items(
    function: Callable[[T], R],
    items: Sequence[T],
    processes: int,
    here: Sequence[bool] = (),
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """`[function(item) for item in items]` over `processes` processes.

    `here[i]` keeps item i in this process; `progress(n)` is told here how many
    items have been taken so far."""
    if processes <= 1 or len(items) <= 1 or not can_fork():
        results = []
        for done, item in enumerate(items, start=1):
            results.append(function(item))
            if progress is not None:
                progress(done)
        return results
    kept = [i < len(here) and here[i] for i in range(len(items))]
    mine = [i for i, here_only in enumerate(kept) if here_only]
    shared = [i for i, here_only in enumerate(kept) if not here_only]
    counter = _SharedCounter()
    # Objects made before the fork are not the children's business: keep the
    # collector from walking (and so copying) them in every child.
    gc.freeze()
    children: list[tuple[int, int]] = []
    found: dict[int, R] = {}
    try:
        for _ in range(processes - 1):
            read_end, write_end = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the child: work, send, and leave without running anything else
                _IN_CHILD.append(True)
                os.close(read_end)
                _run_child(function, items, shared, counter, write_end)
            os.close(write_end)
            children.append((pid, read_end))
        for i in mine:
            found[i] = function(items[i])
        pids = [pid for pid, _ in children]
        while (taken := counter.take(pids)) < len(shared):
            found[shared[taken]] = function(items[shared[taken]])
            if progress is not None:
                progress(min(len(items), len(mine) + taken + 1))
    except BaseException:  # Ctrl-C, or a bug here: no child outlives the run
        for pid, read_end in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.close(read_end)
                os.waitpid(pid, 0)
        raise
    finally:
        gc.unfreeze()
        counter.close()
    for child in children:
        found.update(_collect(child))
    missing = [i for i in range(len(items)) if i not in found]
    if missing:  # a child failed or died: what it took is done here
        redone.append(len(missing))
        for i in missing:
            found[i] = function(items[i])
    return [found[i] for i in range(len(items))]


def _has_exited(pid: int) -> bool:
    """Whether a child has exited, leaving it to be waited for (never known where
    there is no `waitid`: macOS before Python 3.13)."""
    if not hasattr(os, "waitid"):
        return False
    try:
        found = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return found is not None


def _run_child(
    function: Callable[[T], R],
    items: Sequence[T],
    shared: list[int],
    counter: _SharedCounter,
    write_end: int,
) -> NoReturn:
    status = 1
    try:
        done = []
        while (taken := counter.take()) < len(shared):
            done.append((shared[taken], function(items[shared[taken]])))
        payload = encode(done)
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        status = 0
    except BaseException:  # the parent redoes what it took, and counts it
        pass
    finally:
        os._exit(status)


def _collect(child: tuple[int, int]) -> list[tuple[int, R]]:
    """What a child did, or nothing when it failed."""
    pid, read_end = child
    chunks = []
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            chunk = pipe.read(_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        with contextlib.suppress(CorruptEntry):
            return decode(b"".join(chunks))  # type: ignore[no-any-return]
    return []


# How many items were redone here because a worker failed (the engine reports it).
redone: list[int] = []


_IN_CHILD: list[bool] = []


def in_child() -> bool:
    """Whether this process is a worker (which must not draw progress, for one)."""
    return bool(_IN_CHILD)
