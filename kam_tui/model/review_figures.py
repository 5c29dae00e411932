"""One account's figures in one review cycle: its sales over the cycle's quarters, satisfaction,
service (complaints, visits, actions), and the portfolio's quarterly totals.

Pure functions over an `Account`; `review_report` puts them together for every account.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from kam_tui.model.account import Account, answered_late
from kam_tui.model.cycle import Cycle, parse_cycle
from kam_tui.model.scorecard import Policy


def as_of_cycle(account: Account, cycle: Cycle) -> Account:
    """The account as it was known at the cycle's end: later quarters and later dated records cut."""
    last_quarter, last_day = cycle.quarters[-1], cycle.last_day
    return dataclasses.replace(
        account,
        periods=tuple(p for p in account.periods if p.key <= last_quarter),
        visits=tuple(v for v in account.visits if v.date <= last_day),
        surveys=tuple(s for s in account.surveys if s.date <= last_day),
        complaints=tuple(c for c in account.complaints if c.opened <= last_day),
        actions=tuple(a for a in account.actions if a.opened is None or a.opened <= last_day),
    )


def cycle_sales(account: Account, quarters: Sequence[str], figure: str = "sales") -> float | None:
    """Σ of a figure over the quarters; None unless every quarter has it (a partial sum would
    read as a fall)."""
    by_key = {p.key: getattr(p, figure) for p in account.periods}
    values = [by_key.get(q) for q in quarters]
    if not values or any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))


def year_before(cycle: Cycle) -> tuple[str, ...]:
    return tuple(f"{cycle.year - 1}{q[4:]}" for q in cycle.quarters)


def survey_mean(account: Account, cycle: Cycle) -> float | None:
    """Mean of every rating given in the cycle's surveys (product, service, brand)."""
    scores = [
        score
        for s in account.surveys
        if cycle.contains(s.date)
        for score in (s.product, s.service, s.brand)
        if score is not None
    ]
    return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True, slots=True)
class Service:
    """Complaints, visits and actions of one account in one cycle."""

    complaints: int  # opened in the cycle
    answered: int
    answered_in_time: int  # within the tier's response_hours
    resolved: int  # closed
    response_hours: tuple[float, ...]
    visits: int
    visits_expected: int
    actions_due: int  # due in the cycle
    actions_on_time: int  # of those, closed by their due date
    actions_open: int  # open at the cycle's end
    actions_overdue: int  # open and past due at the cycle's end


def service(account: Account, cycle: Cycle, policy: Policy | None) -> Service:
    opened = [c for c in account.complaints if cycle.contains(c.opened)]
    hours = [h for c in opened if (h := c.response_hours()) is not None]
    limit = policy.response_hours if policy else None
    in_time = sum(1 for h in hours if limit is not None and not answered_late(h, limit))
    start = max(cycle.first_day, account.since or cycle.first_day)
    days = (cycle.last_day - start).days + 1
    expected = math.ceil(days / policy.visit_days) if policy and days > 0 else 0
    end = cycle.last_day
    due = [a for a in account.actions if a.due is not None and cycle.contains(a.due)]
    on_time = sum(
        1 for a in due if a.status == "done" and a.closed is not None and a.due is not None and a.closed <= a.due
    )
    still_open = [a for a in account.actions if a.status == "open" or (a.closed is not None and a.closed > end)]
    return Service(
        complaints=len(opened),
        answered=len(hours),
        answered_in_time=in_time,
        resolved=sum(1 for c in opened if c.closed is not None and c.closed <= end),
        response_hours=tuple(hours),
        visits=sum(1 for v in account.visits if cycle.contains(v.date)),
        visits_expected=expected,
        actions_due=len(due),
        actions_on_time=on_time,
        actions_open=len(still_open),
        actions_overdue=sum(1 for a in still_open if a.due is not None and a.due < end),
    )


def quarterly_totals(accounts: Sequence[Account], last: str, count: int = 8) -> tuple[tuple[str, float, float], ...]:
    """Portfolio sales and sell-through per quarter, the `count` quarters up to `last`."""
    quarter, keys = parse_cycle(last), []
    for _ in range(count):
        keys.append(quarter.key)
        quarter = quarter.previous
    totals = {k: [0.0, 0.0] for k in keys}
    for account in accounts:
        for p in account.periods:
            if p.key in totals:
                totals[p.key][0] += p.sales or 0.0
                totals[p.key][1] += p.sell_through or 0.0
    return tuple((k, totals[k][0], totals[k][1]) for k in reversed(keys) if any(totals[k]))
