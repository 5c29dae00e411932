"""Tier moves: the accounts whose tier differs between two readings of the portfolio — its last
two quarters (`kam portfolio`), a revision and now (`kam score --since`). One function finds them
for every view, on the tier that holds (an override wins, as every list and count shows it), so
the views cannot disagree about who moved; each view only chooses its two readings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kam_tui.model.cycle import parse_cycle
from kam_tui.model.evaluate import tiers_of
from kam_tui.model.facts import Facts, quarter_end
from kam_tui.model.scorecard import ScoringConfig

Tiers = Mapping[str, str | None]  # account id → its tier in one reading (None: unscored)


@dataclass(frozen=True, slots=True)
class TierMove:
    id: str
    before: str | None
    after: str | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.before, "to": self.after}


def tier_moves(before: Tiers, after: Tiers) -> list[TierMove]:
    """The accounts whose tier differs between two readings, in id order; an account missing from
    one reading (new since, or gone) has no tier there."""
    ids = sorted(set(before) | set(after))
    return [TierMove(i, before.get(i), after.get(i)) for i in ids if before.get(i) != after.get(i)]


def quarter_tiers(facts: Iterable[Facts], config: ScoringConfig, quarter: str) -> dict[str, str | None]:
    """Every account's tier as of a quarter's last day (`facts`: cut to that quarter)."""
    return tiers_of(facts, config, quarter_end(quarter))


def moves_quarters(facts: Iterable[Facts]) -> tuple[str, str] | None:
    """The portfolio's last quarter on file and the one before (None: no periods at all)."""
    keys = [f.last_period for f in facts if f.last_period is not None]
    if not keys:
        return None
    last = max(keys)
    return parse_cycle(last).previous.key, last
