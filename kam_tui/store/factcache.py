"""Scoring facts cached by git blob id, so any version of an account file is parsed once.

A blob id names the file's content, wherever it is found: in the work tree now, or in a commit
(`kam score --at REF`, `--since REF`). An old revision's unchanged files are therefore never
parsed again, and a file that went back to an earlier content finds its facts waiting.

Reads never write: `get` and `put` work in memory; `save` writes, and only when something new
was put. Like every cache under .git/kam/, it is never the source of truth.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.facts import FACTS_VERSION, Facts, account_facts, facts_from_plain, facts_to_plain
from kam_tui.store.cachefile import read_cache, write_cache

FACTS_FILE = "facts.marshal"  # blob id → facts now (read only when scoring)
QUARTERS_FILE = "facts-quarters.marshal"  # "blob@YYYY-Qn" → facts as of a quarter's end (tier moves)
KEEP_UNUSED = 2.0  # a save keeps entries not used this run up to this many times those used…
KEEP_SLACK = 1000  # …plus this many

# What the cache keeps per blob: the plain facts (None: the file has errors), name and owner.
Record = tuple[Any, str, str | None]


def blob_id(raw: bytes) -> str:
    """Git's id of a file's content (`git hash-object`), computed from bytes already read."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def fact_key(rel: str, blob: str) -> str:
    """The cache key of one file version: its blob id and its name (the id is the file name)."""
    return f"{blob}:{rel.rpartition('/')[2].removesuffix('.yaml')}"


def record_of(account: Account | None, upto: str | None = None) -> Record:
    if account is None:
        return (None, "", None)
    return (facts_to_plain(account_facts(account, upto)), account.name, account.owner)


def facts_of(record: Record) -> Facts | None:
    return None if record[0] is None else facts_from_plain(record[0])


@dataclass
class FactsCache:
    path: Path | None  # None: caching is off (no .git/kam/)
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: bool = False

    @classmethod
    def load(cls, state: Path | None, name: str = FACTS_FILE) -> FactsCache:
        path = None if state is None else state / name
        data = read_cache(path)
        if isinstance(data, dict) and data.get("version") == FACTS_VERSION and isinstance(data.get("blobs"), dict):
            return cls(path, data["blobs"])
        return cls(path)

    def get(self, key: str) -> Record | None:
        hit = self.entries.get(key)
        if not _valid(hit):
            return None
        self.used.add(key)
        return hit  # type: ignore[no-any-return]

    def keep(self, keys: list[str]) -> None:
        """These entries stay at the next save as if this run had used them (the work tree's files:
        a run that rescored one edited account must not drop the facts of all the others)."""
        entries = self.entries
        self.used.update(key for key in keys if key in entries)

    def put(self, key: str, record: Record) -> None:
        self.entries[key] = record
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Write what this run added; entries no run has used lately are dropped beyond a bound."""
        if self.path is None or not self.dirty:
            return
        entries = self.entries
        if len(entries) > KEEP_UNUSED * len(self.used) + KEEP_SLACK:
            entries = {key: value for key, value in entries.items() if key in self.used}
        write_cache(self.path, {"version": FACTS_VERSION, "blobs": entries})
        self.dirty = False


def _valid(hit: Any) -> bool:
    """A record of the expected shape (anything else is re-derived, never trusted)."""
    return (
        isinstance(hit, (tuple, list))
        and len(hit) == 3
        and (hit[0] is None or (isinstance(hit[0], (tuple, list)) and len(hit[0]) == len(Facts._fields)))
    )
