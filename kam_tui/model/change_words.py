"""A scored field that changed, in words: `kam score --since` lists what moved a tier, and the
visits, surveys and complaints it compares are lists — said as counts and the latest entry
("2 surveys added (latest 2026-06-22: 4/4/3)"), never as the tuples they are compared as."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kam_tui.i18n import _, ngettext

LISTS = ("surveys", "visits", "complaints")  # the keys whose values are lists (timetravel._scored_fields)


def list_change(key: str, old: Sequence[Any] | None, new: Sequence[Any] | None) -> str:
    """One list's change as a person reads it; `key` is one of LISTS."""
    a, b = list(old or ()), list(new or ())
    latest = _latest(key, b) if b else None
    if len(b) > len(a) and b[: len(a)] == a:
        added = len(b) - len(a)
        words = {
            "surveys": ngettext("{n} survey added", "{n} surveys added", added),
            "visits": ngettext("{n} visit added", "{n} visits added", added),
            "complaints": ngettext("{n} complaint added", "{n} complaints added", added),
        }[key].format(n=added)
    else:
        words = _("{key}: {old} → {new}").format(key=key, old=len(a), new=len(b))
    return words if latest is None else _("{words} (latest {latest})").format(words=words, latest=latest)


def _latest(key: str, items: list[Any]) -> str:
    if key == "visits":
        return max(items).isoformat()
    if key == "surveys":  # (date, product, service, brand)
        day, *scores = max(items, key=lambda s: s[0])
        return f"{day.isoformat()}: " + "/".join("–" if s is None else str(s) for s in scores)
    opened, closed = max(items, key=lambda c: c[0])  # complaints: (opened, closed)
    if closed is None:
        return _("opened {opened}, open").format(opened=opened.isoformat())
    return _("opened {opened}, closed {closed}").format(opened=opened.isoformat(), closed=closed.isoformat())
