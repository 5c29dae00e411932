"""Today's date for everything kam dates: `--today DATE`, else $KAM_TODAY, else the calendar.

One place, so a demo, a test or a back-dated session sees the same day in every command."""

from __future__ import annotations

import datetime as dt
import os

from kam_tui.model.errors import KamError


def today(given: dt.date | None = None) -> dt.date:
    if given is not None:
        return given
    env = os.environ.get("KAM_TODAY", "").strip()
    if not env:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(env)
    except ValueError:
        raise KamError(
            f"KAM_TODAY='{env}' is not a date (YYYY-MM-DD)", hint="unset it to use the calendar's date"
        ) from None
