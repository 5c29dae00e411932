"""The demo's history agrees with its data (B11): each account is added before its first visit with
what was on file then, and each quarter's log of an account — the visits, complaints, surveys and
actions dated in it, and the quarter's figures — is committed by its owner once the quarter has ended.

Pure planning over the sample files' bytes: the states are peeled off backwards from the final file
(each removal changes only its own lines), so committing them forwards ends byte for byte in the
shipped file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kam_tui.model.dates import quarter_of
from kam_tui.model.facts import quarter_end
from kam_tui.store.structure import remove_entry
from kam_tui.store.yamlread import parse_bytes

LOGGED = {"visits": "date", "complaints": "opened", "surveys": "date", "actions": "opened"}
LOG_DELAY = dt.timedelta(days=10, hours=10)  # a quarter's log is committed ten days after it ends


@dataclass(frozen=True)
class QuarterLog:
    """One account's log of one quarter: list items by (list, index in the final file), and whether
    the quarter's figures are on file."""

    quarter: str
    items: tuple[tuple[str, int], ...]
    figures: bool


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


def quarter_logs(raw: bytes) -> list[QuarterLog]:
    """The account's quarters that have a log, oldest first."""
    data = parse_bytes(raw).data
    found: dict[str, list[tuple[str, int]]] = {}
    for name, field in LOGGED.items():
        items = data.get(name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            day = _day(item.get(field)) if isinstance(item, dict) else None
            if day is not None:
                found.setdefault(quarter_of(day), []).append((name, index))
    periods = data.get("periods")
    keys = set(periods) if isinstance(periods, dict) else set()
    quarters = sorted(set(found) | {str(k) for k in keys})
    return [QuarterLog(q, tuple(found.get(q, ())), q in keys) for q in quarters]


def logged_at(log: QuarterLog, now: dt.datetime) -> dt.datetime:
    """When a quarter's log is committed: after the quarter ends, or just before now for the current one."""
    end = dt.datetime.combine(quarter_end(log.quarter), dt.time()) + LOG_DELAY
    return min(end, now - dt.timedelta(hours=2))


def first_logged(raw: bytes) -> dt.date | None:
    """The earliest date the account's log holds (its first visit, complaint, survey or action)."""
    data = parse_bytes(raw).data
    days = [
        day
        for name, field in LOGGED.items()
        for item in (data.get(name) if isinstance(data.get(name), list) else [])
        if isinstance(item, dict) and (day := _day(item.get(field))) is not None
    ]
    return min(days, default=None)


def peel(raw: bytes, log: QuarterLog, removed: dict[str, set[int]]) -> bytes:
    """The file before this quarter's log: its items and figures removed. `removed` holds the final
    indexes already peeled per list (later quarters), so an index still points at the same item."""
    doc = parse_bytes(raw)
    for name, index in sorted(log.items, key=lambda item: -item[1]):
        gone = removed.setdefault(name, set())
        position = index - sum(1 for i in gone if i < index)
        items = doc.data.get(name)
        path: tuple[Any, ...] = (name,) if isinstance(items, list) and len(items) == 1 else (name, position)
        doc = remove_entry(doc, path)
        gone.add(index)
    if log.figures:
        periods = doc.data.get("periods")
        path = ("periods",) if isinstance(periods, dict) and len(periods) == 1 else ("periods", log.quarter)
        doc = remove_entry(doc, path)
    return doc.text.encode("utf-8")
