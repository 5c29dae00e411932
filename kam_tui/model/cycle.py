"""Review cycles (考核周期): a quarter `2026-Q4`, a half year `2026-H2` or a year `2026`.

The form of the key is the cycle. Figures are kept per quarter (`periods.2026-Q3`), so a half
year or a year aggregates its quarters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kam_tui.i18n import _
from kam_tui.model.errors import KamError

CYCLE_PATTERN = re.compile(r"(?P<year>(19|20|21)[0-9]{2})(-(?P<kind>[QH])(?P<number>[1-4]))?")


@dataclass(frozen=True, slots=True, order=True)
class Cycle:
    year: int
    kind: str  # "Q" quarter, "H" half year, "Y" year
    number: int  # 1–4 for a quarter, 1–2 for a half, 0 for a year

    @property
    def key(self) -> str:
        return str(self.year) if self.kind == "Y" else f"{self.year}-{self.kind}{self.number}"

    def __str__(self) -> str:
        return self.key

    @property
    def quarter_numbers(self) -> tuple[int, ...]:
        if self.kind == "Q":
            return (self.number,)
        if self.kind == "H":
            return (1, 2) if self.number == 1 else (3, 4)
        return (1, 2, 3, 4)

    @property
    def quarters(self) -> tuple[str, ...]:
        """The quarter keys of `periods` this cycle covers, oldest first."""
        return tuple(f"{self.year}-Q{n}" for n in self.quarter_numbers)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter_numbers[0] - 2, 1)

    @property
    def last_day(self) -> dt.date:
        last_month = 3 * self.quarter_numbers[-1]
        if last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last_month + 1, 1) - dt.timedelta(days=1)

    @classmethod
    def containing(cls, day: dt.date) -> Cycle:
        """The quarter a day falls in."""
        return cls(day.year, "Q", (day.month - 1) // 3 + 1)

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def previous(self) -> Cycle:
        """The cycle of the same length just before this one (2026-Q1 → 2025-Q4)."""
        if self.kind == "Y":
            return Cycle(self.year - 1, "Y", 0)
        count = 4 if self.kind == "Q" else 2
        if self.number == 1:
            return Cycle(self.year - 1, self.kind, count)
        return Cycle(self.year, self.kind, self.number - 1)


def parse_cycle(text: str) -> Cycle:
    """`2026-Q4`, `2026-H2` or `2026`; anything else is refused with the forms that work."""
    match = CYCLE_PATTERN.fullmatch(text.strip())
    if match is None or (match["kind"] == "H" and match["number"] not in ("1", "2")):
        raise KamError(
            _("'{text}' is not a review period").format(text=text),
            hint=_("write a quarter (2026-Q4), a half year (2026-H2) or a year (2026)"),
        )
    year = int(match["year"])
    if match["kind"] is None:
        return Cycle(year, "Y", 0)
    return Cycle(year, match["kind"], int(match["number"]))
