"""Run one function over shards of work in forked processes.

Tree-sitter holds the GIL and its trees cannot be pickled, so parallel work
needs processes, each parsing for itself and returning plain data. Forking
(rather than spawning) gives each worker the parent's state for free: the
files read, the compiled queries, and for the check pass the whole project
index, which would otherwise cost more to pickle than to parse.

`map_shards` runs shard 0 in the calling process (its trees stay there) and
every other shard in a child; a child's result comes back pickled through a
pipe. A child that fails or dies is not fatal: its shard is redone here, so
the results are those of a serial run. Where there is no `fork` (Windows),
everything runs here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

from interop_lint.analyzer.codec import CorruptEntry, decode, encode

T = TypeVar("T")
R = TypeVar("R")

_CHUNK = 1 << 20


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def split(
    items: Sequence[T], weights: Sequence[int], parts: int, fixed: Sequence[int | None] = ()
) -> list[list[T]]:
    """`items` in `parts` shards of about equal total weight, each in the items' order.

    The heaviest item goes first to the lightest shard (LPT): a mix of every
    kind of file in every shard, whatever the order of the paths. `fixed`
    pins an item to a shard (where its tree already is).
    """
    parts = max(1, min(parts, len(items)))
    loads = [0] * parts
    chosen = [0] * len(items)
    free = []
    for i, weight in enumerate(weights):
        pinned = fixed[i] if i < len(fixed) else None
        if pinned is not None and pinned < parts:
            chosen[i] = pinned
            loads[pinned] += weight
        else:
            free.append(i)
    for i in sorted(free, key=lambda i: -weights[i]):
        lightest = min(range(parts), key=loads.__getitem__)
        chosen[i] = lightest
        loads[lightest] += weights[i]
    shards: list[list[T]] = [[] for _ in range(parts)]
    for i, item in enumerate(items):
        shards[chosen[i]].append(item)
    return [s for s in shards if s]


def map_shards(function: Callable[[list[T]], R], shards: list[list[T]]) -> list[R]:
    """`[function(shard) for shard in shards]`, the shards after the first in children."""
    if len(shards) <= 1 or not can_fork():
        return [function(shard) for shard in shards]
    # Objects made before the fork are not the children's business: keep the
    # collector from walking (and so copying) them in every child.
    gc.freeze()
    children: list[tuple[int, int]] = []
    try:
        for shard in shards[1:]:
            read_end, write_end = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the child: work, send, and leave without running anything else
                _IN_CHILD.append(True)
                os.close(read_end)
                _run_child(function, shard, write_end)
            os.close(write_end)
            children.append((pid, read_end))
        results: list[R] = [function(shards[0])]
    except BaseException:  # Ctrl-C, or a bug here: no child outlives the run
        for pid, read_end in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
                os.close(read_end)
                os.waitpid(pid, 0)
        raise
    finally:
        gc.unfreeze()
    for shard, child in zip(shards[1:], children, strict=True):
        results.append(_collect(child, function, shard))
    return results


def _run_child(function: Callable[[list[T]], R], shard: list[T], write_end: int) -> NoReturn:
    status = 1
    try:
        payload = encode(function(shard))
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        status = 0
    except BaseException:  # the parent redoes the shard, and counts it
        pass
    finally:
        os._exit(status)


def _collect(child: tuple[int, int], function: Callable[[list[T]], R], shard: list[T]) -> R:
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
        try:
            return decode(b"".join(chunks))
        except CorruptEntry:
            pass
    redone.append(len(shard))  # the child failed or died: its share is done here
    return function(shard)


# How many items were redone here because a worker failed (the engine reports it).
redone: list[int] = []


_IN_CHILD: list[bool] = []


def in_child() -> bool:
    """Whether this process is a worker (which must not draw progress, for one)."""
    return bool(_IN_CHILD)
