"""Dates that cannot be true yet, and the window figures come from (B6).

Actual figures (`periods`) are written after their quarter has begun, and an account cannot have
been with us since a day still to come: a `periods` quarter after the current one or a future
`since` hides the real tier moves (a quarter from 2062 becomes every account's "latest"). Writes
refuse them; `kam validate` warns about the ones already on file. Targets may be for the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.cycle import Cycle
from kam_tui.model.schema import Finding


def quarter_of(day: dt.date) -> str:
    """`2026-11-20` → `2026-Q4`."""
    return Cycle.containing(day).key


def last_ended_quarter(day: dt.date) -> str:
    """The latest quarter that has ended by `day` (`2026-11-20` → `2026-Q3`)."""
    return Cycle.containing(day).previous.key


def future_findings(data: Any, today: dt.date, level: str = "error") -> list[Finding]:
    """A `periods` quarter after today's quarter, and a `since` after today."""
    if not isinstance(data, dict):
        return []
    out: list[Finding] = []
    current = quarter_of(today)
    periods = data.get("periods")
    if isinstance(periods, dict):
        for key in periods:
            if isinstance(key, str) and len(key) == 7 and key > current:
                out.append(
                    Finding(
                        ("periods", key),
                        level,
                        _("periods.{key}: a quarter that has not begun (today is in {current})").format(
                            key=key, current=current
                        ),
                        _(
                            "actual figures come once the quarter is under way; a plan is a target: targets.{key}"
                        ).format(key=key),
                        at_key=True,
                    )
                )
    since = data.get("since")
    if isinstance(since, str):
        try:
            since = dt.date.fromisoformat(since)
        except ValueError:
            since = None  # the schema reports it
    if isinstance(since, dt.date) and not isinstance(since, dt.datetime) and since > today:
        out.append(
            Finding(
                ("since",),
                level,
                _("since {since} is after today ({today})").format(since=since.isoformat(), today=today.isoformat()),
                _("since is the day the account became ours; write it once it has happened"),
            )
        )
    return out
