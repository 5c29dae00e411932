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


PIECE = 500  # entries per piece of a mapping cache: one piece loads in a few milliseconds


def write_mapping(path: Path, version: str, mapping: dict[str, Any]) -> None:
    """A large mapping written as pieces, each marshalled on its own, so that reading it back
    never holds the interpreter in one long call: the whole accounts of 10,000 files (28 MB) took
    0.2 s in one marshal.loads, and the TUI's keys waited for it."""
    items = list(mapping.items())
    pieces = [marshal.dumps(dict(items[i : i + PIECE])) for i in range(0, len(items), PIECE)]
    write_cache(path, (version, pieces))


def read_mapping(path: Path | None, version: str) -> dict[str, Any]:
    """The mapping `write_mapping` wrote with this version; empty when missing, foreign, older or
    damaged (the pieces are covered by the file's checksum)."""
    cached = read_cache(path)
    if not (isinstance(cached, tuple) and len(cached) == 2 and cached[0] == version and isinstance(cached[1], list)):
        return {}
    mapping: dict[str, Any] = {}
    for piece in cached[1]:
        try:
            part = marshal.loads(piece)
        except (EOFError, ValueError, TypeError):
            return {}
        if not isinstance(part, dict):
            return {}
        mapping.update(part)
    return mapping
