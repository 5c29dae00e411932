"""Per-clone cache files under .git/kam/: marshal behind a checksum.

A cache is never the source of truth. A missing, truncated, corrupt or foreign file reads as
None and is rebuilt; the checksum is checked before marshal sees a byte, so a damaged file
cannot make it allocate wildly (measured: 5 corrupt bytes can ask it for 16 GiB)."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

from kam_tui.store.atomic import write_atomic

MAGIC = b"KAM1"
_DIGEST = 16


def read_cache(path: Path | None) -> Any | None:
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST
    if len(raw) < head or not raw.startswith(MAGIC):
        return None
    payload = memoryview(raw)[head:]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != raw[len(MAGIC) : head]:
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError, MemoryError):
        return None


def write_cache(path: Path, value: Any) -> None:
    """Write a cache file atomically; one we cannot write only costs time next run."""
    payload = marshal.dumps(value)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload, durable=False)
    except OSError:
        return
