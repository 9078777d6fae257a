"""Sharing a list of work out to forked processes (analyzer/workers.py)."""

from __future__ import annotations

import os
import time

import pytest

from interop_lint.analyzer import workers

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="no fork on this platform")


def _who(item: int) -> tuple[int, int]:
    time.sleep(0.005)  # long enough that every process gets some
    return item * item, os.getpid()


def test_results_come_back_in_order_and_every_process_took_some() -> None:
    results = workers.map_items(_who, list(range(60)), processes=3)
    assert [square for square, _ in results] == [i * i for i in range(60)]
    assert len({pid for _, pid in results}) == 3
    assert os.getpid() in {pid for _, pid in results}


def test_items_kept_here_are_done_by_this_process() -> None:
    here = [i % 5 == 0 for i in range(40)]
    results = workers.map_items(_who, list(range(40)), processes=2, here=here)
    assert all(pid == os.getpid() for (_, pid), kept in zip(results, here, strict=True) if kept)


def test_progress_is_told_here_and_reaches_the_end() -> None:
    seen: list[int] = []
    workers.map_items(_who, list(range(30)), processes=2, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] <= 30
    serial: list[int] = []
    workers.map_items(_who, list(range(5)), processes=1, progress=serial.append)
    assert serial == [1, 2, 3, 4, 5]


def _dies_in_a_child(item: int) -> int:
    if workers.in_child():
        os._exit(3)  # as a crash in a parser would
    time.sleep(0.02)  # leaves the child time to take some
    return -item


def test_what_a_dead_child_took_is_redone_here() -> None:
    before = len(workers.redone)
    results = workers.map_items(_dies_in_a_child, list(range(20)), processes=2)
    assert results == [-i for i in range(20)]
    assert len(workers.redone) == before + 1 and workers.redone[-1] >= 1


def _dies_holding_the_token(item: int) -> int:
    if workers.in_child():
        os.read(_TOKEN[0], 1)  # takes the lock's token and never gives it back
        os._exit(3)
    time.sleep(0.02)
    return -item


_TOKEN: list[int] = []


def test_a_child_that_dies_holding_the_lock_does_not_hang_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = workers._SharedCounter.__init__

    def remember(self: workers._SharedCounter) -> None:
        real(self)
        _TOKEN[:] = [self._lock_read]

    monkeypatch.setattr(workers._SharedCounter, "__init__", remember)
    results = workers.map_items(_dies_holding_the_token, list(range(10)), processes=2)
    assert results == [-i for i in range(10)]
