"""The portfolio view: concentration (the 20/80 figure and Herfindahl, of what sold through), tiers
and their moves, accounts by risk, and the key-account matrix (after McDonald).

The matrix puts every account on two axes, each 0–100 from kam.yaml's `matrix:` weights —
how attractive the account is to us (size, growth, margin, strategic value) and how strong our
relationship is (ratings, years, satisfaction, network held) — and in one of four quadrants,
each pointing at the playbook that fits.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.evaluate import Evaluation, evaluate_facts
from kam_tui.i18n import N_, _
from kam_tui.model.facts import Facts, account_facts, annual_volume
from kam_tui.model.risks import RISK_CODES
from kam_tui.model.schema import TIERS
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.model.scoring import years_together
from kam_tui.model.tier_moves import TierMove, moves_quarters, quarter_tiers, tier_moves

QUADRANTS = {
    # quadrant: (attractive?, strong?, playbook, move)
    "invest-to-grow": (True, False, "development", N_("invest to build the relationship")),
    "maintain": (True, True, "maintenance", N_("keep the rhythm: visits, care, service level")),
    "manage-for-cash": (False, True, "maintenance", N_("credit → cash: tighten terms, serve at cost")),
    "withdraw": (False, False, "staged-exit", N_("wind down in stages once its network is in hand")),
}


@dataclass(frozen=True, slots=True)
class MatrixPosition:
    id: str
    attractiveness: float | None
    strength: float | None
    quadrant: str | None  # None: not placed (see `reason`)
    playbook: str | None
    parts: dict[str, float | None]  # each factor's points 0–100 (None: no data)
    reason: str | None = None  # why it is not placed, or placed apart from its axes

    def as_json(self) -> dict[str, Any]:
        move = _(QUADRANTS[self.quadrant][3]) if self.quadrant else None
        return {
            "id": self.id,
            "attractiveness": _r(self.attractiveness),
            "strength": _r(self.strength),
            "quadrant": self.quadrant,
            "playbook": self.playbook,
            "move": move,
            "parts": {k: _r(v) for k, v in self.parts.items()},
            "reason": self.reason,
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _weighted(parts: dict[str, float | None], weights: dict[str, float]) -> float | None:
    total = earned = 0.0
    for key, weight in weights.items():
        value = parts.get(key)
        if value is not None and weight > 0:
            total += weight
            earned += weight * value
    return earned / total if total else None


def matrix_position(f: Facts, config: ScoringConfig, today: dt.date) -> MatrixPosition:
    dims = config.dimensions
    mx = config.matrix
    if f.stage == "exited":
        return MatrixPosition(f.id, None, None, None, None, {}, _("exited (stage: exited)"))
    # a fake big account is only as big, and grows only as fast, as it really sells
    size = annual_volume(f)
    rates = [g for g in (f.growth, f.sell_growth) if g is not None]
    growth = mx.growth_scale(min(rates)) if rates else None
    ratings_n = f.strength_n + f.capability_n
    ratings = None
    if ratings_n:
        mean = ((f.strength or 0) * f.strength_n + (f.capability or 0) * f.capability_n) / ratings_n
        ratings = dims["strength"].scale(mean)
    years = years_together(f.since, today)
    sat_rule = dims["satisfaction"]
    satisfaction = None
    if f.survey is not None and f.last_survey is not None and (today - f.last_survey).days <= sat_rule.stale_days:
        satisfaction = sat_rule.scale(f.survey)
    parts: dict[str, float | None] = {
        "size": None if size is None else dims["sales"].scale(size),
        "growth": growth,
        "margin": None if f.margin is None else dims["margin"].scale(f.margin),
        "strategic": 100.0 if f.strategic else 0.0,
        "ratings": ratings,
        "years": None if years is None else dims["years"].scale(years),
        "satisfaction": satisfaction,
        "network": None if f.network_held is None else f.network_held * 100,
    }
    attractiveness = _weighted(parts, mx.attractiveness)
    strength = _weighted(parts, mx.strength)
    quadrant, reason = _quadrant(f, attractiveness, strength, mx.split, min(rates) if rates else None)
    playbook = None if quadrant is None else QUADRANTS[quadrant][2]
    return MatrixPosition(f.id, attractiveness, strength, quadrant, playbook, parts, reason)


def _quadrant(
    f: Facts, attractiveness: float | None, strength: float | None, split: float, growth: float | None
) -> tuple[str | None, str | None]:
    """The quadrant and, when the stage overrides the axes or an axis has no data, why.
    An account in staged exit is not maintained; prospects and growing developing accounts are
    never managed for cash — small accounts can be grown (L233). `growth`: the slower of sales and
    sell-through growth, as the attractiveness axis reads it."""
    if f.stage == "exiting":
        return "withdraw", _("in staged exit (stage: exiting)")
    if attractiveness is None or strength is None:
        missing = _("attractiveness") if attractiveness is None else _("relationship strength")
        return None, _("no data for {axis}").format(axis=missing)
    high_a, high_s = attractiveness >= split, strength >= split
    quadrant = next(q for q, (a, s, *_rest) in QUADRANTS.items() if a == high_a and s == high_s)
    if quadrant == "manage-for-cash":
        if f.stage == "prospect":
            return "invest-to-grow", _("a prospect is grown, never managed for cash")
        if f.stage == "developing" and growth is not None and growth > 0:
            return "invest-to-grow", _("a developing account that is growing is grown, never managed for cash")
    return quadrant, None


def portfolio_tier_moves(
    accounts: Sequence[Account],
    facts: Sequence[Facts],
    config: ScoringConfig,
) -> tuple[str | None, str | None, list[TierMove]]:
    """Tiers as of the portfolio's last two quarters, and the accounts that moved (`facts`: the
    accounts' facts now, which say what the last quarter is)."""
    quarters = moves_quarters(facts)
    if quarters is None:
        return None, None, []
    prev, last = quarters
    before = quarter_tiers((account_facts(a, prev) for a in accounts), config, prev)
    after = quarter_tiers((account_facts(a, last) for a in accounts), config, last)
    return prev, last, tier_moves(before, after)


@dataclass(frozen=True)
class Portfolio:
    evaluations: list[Evaluation]
    total_sales: float
    concentration: Concentration
    tiers: dict[str, int]
    risks: dict[str, list[str]]  # code → account ids
    matrix: list[MatrixPosition]
    moves_from: str | None
    moves_to: str | None
    moves: list[TierMove]

    def as_json(self) -> dict[str, Any]:
        quadrants = {q: [m.id for m in self.matrix if m.quadrant == q] for q in QUADRANTS}
        return {
            "as_of": self.evaluations[0].today.isoformat() if self.evaluations else None,
            "accounts": len(self.evaluations),
            "total_sales": self.total_sales,
            "concentration": self.concentration.as_json(),
            "tiers": self.tiers,
            "tier_moves": {"from": self.moves_from, "to": self.moves_to, "moves": [m.as_json() for m in self.moves]},
            "risks": self.risks,
            "matrix": {
                "quadrants": quadrants,
                "accounts": [m.as_json() for m in self.matrix],
                "playbooks": {q: v[2] for q, v in QUADRANTS.items()},
            },
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True, slots=True)
class Concentration:
    """The 20/80 figure (L224: 20 % of the accounts give 80 % of sales and profit) and the
    Herfindahl index, of what each account really sold through in a year (`annual_volume`, its
    last four quarters on file) — the volume that earns tier, the key mark and every share (B1), so
    stock piled up at a fake big account never makes the portfolio look concentrated. The one
    definition `kam portfolio`, the review report and the TUI's header all show."""

    top20_share: float | None  # share of the volume from the top 20 % of accounts
    herfindahl: float | None  # Σ share², 0–1
    volumes: tuple[float, ...]  # each account's volume, largest first (those that sold anything)
    upto: str | None  # the latest quarter the figures come from

    def curve(self) -> list[tuple[float, float]]:
        return concentration_curve(self.volumes)

    def as_json(self) -> dict[str, Any]:
        return {
            "top20_share": _round(self.top20_share, 4),
            "herfindahl": _round(self.herfindahl, 4),
            "of": "sell_through",
            "upto": self.upto,
        }


def concentration_line(upto: str, top: str, hhi: str) -> str:
    """The concentration in words, with what it is of and its window (the figures formatted)."""
    return _(
        "concentration of what sold through (the year to {upto}): the top 20% of accounts give {top} "
        "(20/80 rule); Herfindahl {hhi}"
    ).format(upto=upto, top=top, hhi=hhi)


def concentration_of(facts: Iterable[Facts]) -> Concentration:
    """The portfolio's concentration from every account's facts (see `Concentration`)."""
    volumes: list[float] = []
    upto: str | None = None
    for f in facts:
        volume = annual_volume(f)
        if volume is not None and volume > 0:
            volumes.append(volume)
        if f.last_period is not None and (upto is None or f.last_period > upto):
            upto = f.last_period
    volumes.sort(reverse=True)
    top20, hhi = concentration(volumes)
    return Concentration(top20, hhi, tuple(volumes), upto)


def concentration(sales: Sequence[float]) -> tuple[float | None, float | None]:
    """(share of the top 20 % of accounts, Herfindahl index) of a list of sales figures."""
    values = sorted((s for s in sales if s > 0), reverse=True)
    total = sum(values)
    if not values or total <= 0:
        return None, None
    top = math.ceil(len(values) * 0.2)
    return sum(values[:top]) / total, sum((v / total) ** 2 for v in values)


def concentration_curve(sales: Sequence[float]) -> list[tuple[float, float]]:
    """The 20/80 curve: (share of accounts, share of sales), largest accounts first, from (0, 0)
    to (1, 1); empty when fewer than two accounts sold anything."""
    values = sorted((s for s in sales if s > 0), reverse=True)
    total = sum(values)
    if len(values) < 2 or total <= 0:
        return []
    points, running = [(0.0, 0.0)], 0.0
    for index, value in enumerate(values, 1):
        running += value
        points.append((index / len(values), running / total))
    return points


def portfolio(accounts: Sequence[Account], config: ScoringConfig, today: dt.date) -> Portfolio:
    """The whole portfolio as of `today`: every evaluation plus the figures above."""
    facts = [account_facts(a) for a in accounts]
    return portfolio_of(facts, config, today, portfolio_tier_moves(accounts, facts, config))


def portfolio_of(
    facts: Sequence[Facts],
    config: ScoringConfig,
    today: dt.date,
    moves: tuple[str | None, str | None, list[TierMove]],
) -> Portfolio:
    """The portfolio from facts (cached by the store) and the tier moves already found."""
    evaluations = evaluate_facts(facts, config, today)
    matrix = [matrix_position(f, config, today) for f in facts]
    sales = [f.sales for f in facts if f.sales is not None]
    tiers = {t: 0 for t in TIERS} | {"unscored": 0}
    risks: dict[str, list[str]] = {code: [] for code in RISK_CODES}
    for e in evaluations:
        tiers[e.tier or "unscored"] += 1
        for code in e.risk_codes:
            risks[code].append(e.id)
    prev, last, found = moves
    return Portfolio(evaluations, sum(sales), concentration_of(facts), tiers, risks, matrix, prev, last, found)
