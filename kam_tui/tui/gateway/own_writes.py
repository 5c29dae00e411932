"""The TUI's own saves, told apart from changes made behind its back.

The live-reload watcher compares an account's file with the bytes the screen read. A save of ours
changes the file before the screen reloads it, so a poll in between took our own write for someone
else's ("changed on disk" beside "Saved and committed"). Every save of an account file runs inside
`own_write`, which records the bytes it turned into which; the comparison runs under the same lock,
so it sees the file either before our write, or after it with the change already on record.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kam_tui.store.repository import Repository

_lock = threading.Lock()
_busy: dict[Path, int] = {}  # account files an own save is writing now
_written: dict[Path, dict[bytes | None, bytes | None]] = {}  # file → bytes before an own save → after


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@contextmanager
def own_write(repo: Repository, account_id: str) -> Iterator[None]:
    """Run a save of the account's file as ours: while it runs the watcher holds its peace (the
    screen reloads after the save anyway), and afterwards the change is known to be ours."""
    path = repo.root / repo.account_rel(account_id)
    with _lock:
        _busy[path] = _busy.get(path, 0) + 1
        before = _read(path)
    try:
        yield
    finally:
        with _lock:
            after = _read(path)
            if after != before:
                _written.setdefault(path, {})[before] = after
            _busy[path] -= 1
            if not _busy[path]:
                del _busy[path]


def changed_behind_our_back(path: Path, seen: bytes) -> bool:
    """The file holds neither the bytes the screen read (`seen`) nor what our own saves made of
    them; False while an own save of it is running."""
    with _lock:
        if path in _busy:
            return False
        now = _read(path)
        known = _written.get(path, {})
        state: bytes | None = seen
        for _ in range(len(known) + 1):  # follow our saves from what the screen read
            if now == state:
                return False
            if state not in known:
                break
            state = known[state]
        return True
