"""The demo's history agrees with its data (B11): each account is added before its first visit with
what was on file then; each visit, complaint, survey and action is logged on its own day, a complaint
or action closed on the day it closed, and a quarter's figures are committed once the quarter has ended.

Pure planning over the sample files' bytes: the states are peeled off backwards from the final file
(each removal changes only its own lines), so committing them forwards ends byte for byte in the
shipped file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kam_tui.model.facts import quarter_end
from kam_tui.store.structure import remove_entry
from kam_tui.store.yamlread import parse_bytes

LOGGED = {"visits": "date", "complaints": "opened", "surveys": "date", "actions": "opened"}
CLOSED = ("complaints", "actions")  # lists whose items carry the day they closed
FIGURES_DELAY = dt.timedelta(days=10, hours=10)  # a quarter's figures are committed ten days after it ends
LOGGED_AT = dt.timedelta(hours=17)  # an item is written up the evening of its day ("the visit note the same day")


@dataclass(frozen=True)
class LogEntry:
    """One dated change of an account's log: an item of a list added on its day, an item's `closed`
    set on the day it closed (`key`), or a quarter's figures (`name` "periods")."""

    day: dt.date  # the day it happened (figures: the quarter's last day)
    name: str  # the list, or "periods"
    index: int = -1  # the item's index in the final file
    key: str | None = None  # "closed": only that key of the item
    quarter: str = ""  # figures: the quarter


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def log_entries(raw: bytes) -> list[LogEntry]:
    """The account's dated log entries, in no particular order."""
    data = parse_bytes(raw).data
    out: list[LogEntry] = []
    for name, field in LOGGED.items():
        items = data.get(name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            day = _day(item.get(field)) if isinstance(item, dict) else None
            if day is None:
                continue
            out.append(LogEntry(day, name, index))
            closed = _day(item.get("closed")) if name in CLOSED else None
            if closed is not None and closed > day:
                out.append(LogEntry(closed, name, index, "closed"))
    periods = data.get("periods")
    for key in periods if isinstance(periods, dict) else ():
        out.append(LogEntry(quarter_end(str(key)), "periods", quarter=str(key)))
    return out


def logged_at(entry: LogEntry, now: dt.datetime) -> dt.datetime:
    """When an entry is committed: an item the evening of its own day (never after `now`), figures
    ten days after their quarter ends (or just before now, for a quarter that has barely ended)."""
    start = dt.datetime.combine(entry.day, dt.time())
    if entry.name == "periods":
        return min(start + FIGURES_DELAY, now - dt.timedelta(hours=2))
    evening = start + LOGGED_AT + dt.timedelta(minutes=entry.index % 60)
    return max(start, min(evening, now - dt.timedelta(minutes=10)))


def peel(raw: bytes, entry: LogEntry, removed: dict[str, set[int]]) -> tuple[bytes, tuple[Any, ...]]:
    """The file before this entry, and the entry's path in the file after it. `removed` holds the
    final indexes already peeled per list (later entries), so an index still points at the same item."""
    doc = parse_bytes(raw)
    if entry.name == "periods":
        periods = doc.data.get("periods")
        path: tuple[Any, ...] = ("periods", entry.quarter)
        whole = ("periods",) if isinstance(periods, dict) and len(periods) == 1 else path
        return remove_entry(doc, whole).text.encode("utf-8"), path
    gone = removed.setdefault(entry.name, set())
    path = (entry.name, entry.index - sum(1 for i in gone if i < entry.index))
    if entry.key is not None:
        path = (*path, entry.key)
        return remove_entry(doc, path).text.encode("utf-8"), path
    items = doc.data.get(entry.name)
    gone.add(entry.index)
    whole = (entry.name,) if isinstance(items, list) and len(items) == 1 else path
    return remove_entry(doc, whole).text.encode("utf-8"), path
