"""Nearness of places in the project, for choosing among same-named candidates."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def shared_depth(a: str | None, b: str | None) -> int:
    """How many leading directories two directories share (0: only the root)."""
    mine = a.split("/") if a else []
    theirs = b.split("/") if b else []
    shared = 0
    for x, y in zip(mine, theirs, strict=False):
        if x != y:
            break
        shared += 1
    return shared


def directory_of(path: str) -> str:
    return posixpath.dirname(path)


def nearest_unique(
    directory: str, candidates: Iterable[T], directory_of: Callable[[T], str | None]
) -> T | None:
    """The candidate whose directory shares most with `directory`; None on a tie or none."""
    ranked = sorted(
        ((shared_depth(directory, directory_of(c)), i, c) for i, c in enumerate(candidates)),
        key=lambda x: (-x[0], x[1]),
    )
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][2]
