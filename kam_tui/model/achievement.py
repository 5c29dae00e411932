"""Targets agreed with the account against what it did (L322: sales targets, monitored).

A target is keyed by a quarter (2027-Q1), a half (2027-H1) or a year (2027). Achievement is the
quarters' sales against the sales target; sell-through is shown beside it, because sales pushed
into a dealer's stock are not demand. Targets for periods not reached yet have no achievement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.account import Account, Target
from kam_tui.model.cycle import parse_cycle


def quarters_of(key: str) -> tuple[str, ...]:
    """The YYYY-Qn keys a target period covers."""
    return parse_cycle(key).quarters


@dataclass(frozen=True, slots=True)
class Achievement:
    period: str
    target_sales: float | None
    target_margin: float | None
    sales: float | None  # Σ of the period's quarters on file
    sell_through: float | None
    margin: float | None  # sales-weighted over the quarters with both figures
    quarters: int  # quarters of the period with sales on file
    of_quarters: int  # quarters the period has

    @property
    def ratio(self) -> float | None:
        """Sales against the sales target (None without a target or any sales yet)."""
        if not self.target_sales or self.sales is None:
            return None
        return self.sales / self.target_sales

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "target_sales": self.target_sales,
            "target_gross_margin": self.target_margin,
            "sales": self.sales,
            "sell_through": self.sell_through,
            "gross_margin": None if self.margin is None else round(self.margin, 4),
            "achieved": None if self.ratio is None else round(self.ratio, 4),
            "quarters_on_file": self.quarters,
            "quarters": self.of_quarters,
        }


def achievements(account: Account) -> list[Achievement]:
    """One line per target, oldest period first."""
    periods = {p.key: p for p in account.periods}
    return [_one(t, periods) for t in account.targets]


def achievement_of(account: Account, key: str) -> Achievement | None:
    """The achievement for one period: its own target (2026-H2), else — for a half year or a year —
    the sum of its quarters' sales targets when every quarter has one; None without a target."""
    targets = {t.key: t for t in account.targets}
    target = targets.get(key)
    if target is None:
        quarters = quarters_of(key)
        sales = [t.sales for q in quarters if (t := targets.get(q)) is not None and t.sales is not None]
        if len(quarters) < 2 or len(sales) < len(quarters):
            return None
        target = Target(key, sum(sales))
    return _one(target, {p.key: p for p in account.periods})


def _one(target: Target, periods: dict[str, Any]) -> Achievement:
    keys = quarters_of(target.key)
    sales = sell = profit = margin_sales = 0.0
    sales_n = sell_n = 0
    for key in keys:
        p = periods.get(key)
        if p is None:
            continue
        if p.sales is not None:
            sales += p.sales
            sales_n += 1
            if p.gross_margin is not None:
                profit += p.sales * p.gross_margin
                margin_sales += p.sales
        if p.sell_through is not None:
            sell += p.sell_through
            sell_n += 1
    return Achievement(
        target.key,
        target.sales,
        target.gross_margin,
        sales if sales_n else None,
        sell if sell_n else None,
        profit / margin_sales if margin_sales > 0 else None,
        sales_n,
        len(keys),
    )


def achievement_line(a: Achievement) -> str:
    """`2027-Q1: sales 1,200,000 of target 1,500,000 (80%), sell-through 1,100,000`."""
    target = (
        _("no sales target") if a.target_sales is None else _("target {amount}").format(amount=f"{a.target_sales:,.0f}")
    )
    if a.sales is None:
        return _("{period}: {target}; no sales on file yet").format(period=a.period, target=target)
    line = _("{period}: sales {sales} of {target}").format(period=a.period, sales=f"{a.sales:,.0f}", target=target)
    if a.ratio is not None:
        line += f" ({a.ratio:.0%})"
    if a.sell_through is not None:
        line += _(", sell-through {amount}").format(amount=f"{a.sell_through:,.0f}")
    if a.quarters < a.of_quarters:
        line += _(", {n} of {of} quarters on file").format(n=a.quarters, of=a.of_quarters)
    return line
