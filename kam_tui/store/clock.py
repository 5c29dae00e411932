"""Today's date for everything kam dates: `--today DATE`, else $KAM_TODAY, else the calendar.

One place, so a demo, a test or a back-dated session sees the same day in every command."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

from kam_tui.i18n import _
from kam_tui.model.errors import KamError


_FIXED: list[dt.date] = []  # the run's `--today`, innermost last


@contextmanager
def fixed(day: dt.date | None) -> Iterator[None]:
    """Within this block, today is `day` (a command's `--today`) wherever kam asks; None: no change."""
    if day is not None:
        _FIXED.append(day)
    try:
        yield
    finally:
        if day is not None:
            _FIXED.pop()


def today(given: dt.date | None = None) -> dt.date:
    return chosen(given) or dt.date.today()


def chosen(given: dt.date | None = None) -> dt.date | None:
    """The day someone chose as today (`--today`, else $KAM_TODAY), or None for the calendar's:
    what a past snapshot is scored on instead of its commit's day."""
    if given is not None:
        return given
    if _FIXED:
        return _FIXED[-1]
    env = os.environ.get("KAM_TODAY", "").strip()
    if not env:
        return None
    try:
        return dt.date.fromisoformat(env)
    except ValueError:
        raise KamError(
            _("KAM_TODAY='{value}' is not a date (YYYY-MM-DD)").format(value=env),
            hint=_("unset it to use the calendar's date"),
        ) from None
