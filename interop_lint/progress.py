"""Progress on a terminal for long runs: one line on stderr, rewritten in place.

Only when stderr is a terminal and the run has enough files to be worth it:
never in a pipe, a CI log or a report (reports go to stdout or a file).
The engine reports through a callback; this is the command line's side.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

MIN_FILES = 300  # below this a run takes about a second: no progress shown
INTERVAL = 0.1  # seconds between redraws

_LABELS = {"index": "indexing", "check": "checking"}


class TerminalProgress:
    """`indexing 120/1500 files`, redrawn at most every INTERVAL seconds."""

    def __init__(
        self,
        stream: TextIO,
        *,
        min_files: int = MIN_FILES,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._min_files = min_files
        self._interval = interval
        self._clock = clock
        self._last_draw = float("-inf")
        self._width = 0  # of the line on screen, to blank it

    def __call__(self, phase: str, done: int, total: int) -> None:
        if total < self._min_files:
            return
        now = self._clock()
        if done < total and now - self._last_draw < self._interval:
            return
        self._last_draw = now
        self._draw(f"interop-lint: {_LABELS.get(phase, phase)} {done}/{total} files")

    def finish(self) -> None:
        """Blank the line, so what follows on the terminal starts clean."""
        if self._width:
            self._draw("")
            self._width = 0

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        self._stream.write(f"\r{text}{padding}\r" if not text else f"\r{text}{padding}")
        self._stream.flush()
        self._width = len(text)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def progress_for(stream: TextIO) -> TerminalProgress | None:
    """A progress display on `stream` if it is a terminal, else None."""
    if not _is_terminal(stream):
        return None
    return TerminalProgress(stream, min_files=MIN_FILES, interval=INTERVAL)
