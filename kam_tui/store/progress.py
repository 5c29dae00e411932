"""How far long work has got (a cold read of 10,000 files, an import, the demo's history), for
whoever listens: the CLI draws it on a terminal's stderr, a script hears nothing.

The listener is scoped to a `with listening(...)` block (a context variable, not a global), so
the store's long loops say `tell(...)` without every function on the way taking a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

EVERY = 250  # steps of a long loop (files, rows) between two reports

Listener = Callable[[str, int, int], None]  # (what is being done, how many done, of how many)

_listener: ContextVar[Listener | None] = ContextVar("kam_progress", default=None)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Within this block, `tell` reports to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def tell(what: str, done: int, total: int) -> None:
    """`done` of `total` steps of `what` are done (`done == total` when it ends)."""
    listener = _listener.get()
    if listener is not None:
        listener(what, done, total)


def heard() -> bool:
    """Whether anyone listens: the caller may skip work done only to report."""
    return _listener.get() is not None
