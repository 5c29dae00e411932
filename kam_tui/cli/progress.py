"""Progress of long work on one line of a terminal's stderr; nothing when stderr is not a terminal.

It shows only once the work has taken DELAY seconds (a warm `kam list` never flickers), redraws at
most every REDRAW seconds, and clears its line when the work ends, so what the command prints
after it (or the TUI that opens) starts on a clean line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from kam_tui.cli.output import clean
from kam_tui.i18n import _
from kam_tui.store.progress import listening

DELAY = 0.5  # seconds of work before the line appears
REDRAW = 0.1  # seconds between two redraws


class TerminalLine:
    """One line on `out`, rewritten in place with `\\r` and cleared at the end of each piece of work."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.started: float | None = None
        self.drawn = 0.0
        self.shown = False

    def __call__(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.started is None:
            self.started = now
        if done >= total:
            self.clear()
            return
        if now - self.started < DELAY or now - self.drawn < REDRAW:
            return
        self.drawn = now
        self.shown = True
        text = _("{what}… {done:,} of {total:,}").format(what=clean(what), done=done, total=total)
        self.out.write(f"\r\x1b[2Kkam: {text}")
        self.out.flush()

    def clear(self) -> None:
        if self.shown:
            self.out.write("\r\x1b[2K")
            self.out.flush()
        self.started = None
        self.shown = False


@contextmanager
def on_terminal(out: TextIO | None = None) -> Iterator[None]:
    """Report the store's progress on `out` (stderr) while it is a terminal."""
    out = out or sys.stderr
    if not out.isatty():
        yield
        return
    line = TerminalLine(out)
    try:
        with listening(line):
            yield
    finally:
        line.clear()
