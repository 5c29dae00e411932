"""Ctrl-C (and SIGTERM, SIGHUP) held back while a save is under way.

A save decides its own outcome: the commit is made or everything is put back. A signal that
arrives meanwhile is noted and acted on once the files and HEAD agree again."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

HELD = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


@dataclass
class Held:
    signal: int | None = None  # the first signal that arrived, if any

    def check(self) -> None:
        """Stop here (KeyboardInterrupt) if a signal arrived: for the moments before anything is
        committed, where stopping costs nothing."""
        if self.signal is not None:
            raise KeyboardInterrupt


@contextmanager
def held_interrupts() -> Iterator[Held]:
    """Hold the signals for the `with` block (main thread only: signals are delivered there)."""
    held = Held()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return

    def note(signum: int, frame: FrameType | None) -> None:
        if held.signal is None:
            held.signal = signum

    previous = {sig: signal.signal(sig, note) for sig in HELD}
    try:
        yield held
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
