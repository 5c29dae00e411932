"""The figures scoring needs from one account, derived once as a small record of plain values.

Facts depend only on the account (never on today or on kam.yaml), so they can be cached
by file identity and rescored under any rules and any date. "Recent" means the last four
quarters present in the file (the trailing twelve months, 近一年).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kam_tui.model.account import Account, TierOverride
from kam_tui.model.scorecard import CAPABILITY_RATINGS, STRENGTH_RATINGS

RECENT = 4  # quarters
DAYS_PER_QUARTER = 91.25


@dataclass(frozen=True, slots=True)
class Facts:
    id: str
    stage: str | None
    region: str | None
    payment_terms: str | None
    credit_limit: float | None
    strategic: bool
    override: TierOverride | None
    network_held: float | None
    strength: float | None  # mean of the strength ratings present
    strength_n: int
    capability: float | None  # mean of the capability ratings present
    capability_n: int
    credit_rating: int | None
    since: dt.date | None
    first_period: str | None  # first and last of the recent quarters
    last_period: str | None
    sales: float | None  # trailing 12 months; annualised when fewer quarters carry sales
    sales_n: int  # quarters with sales among the recent ones
    prev_sales: float | None  # the four quarters before those, annualised the same way
    margin: float | None  # mean of the recent quarterly gross margins
    margin_n: int
    gross_profit: float | None  # Σ sales × margin over the recent quarters (not annualised)
    orders: float | None  # per year, annualised like sales
    orders_n: int
    receivables: float | None  # latest recent quarter that has it
    overdue: float | None  # same quarter as receivables
    owed_to_account: float | None  # latest recent quarter that has it
    overdue_ratio: float | None  # Σ overdue / Σ receivables over the recent quarters
    overdue_shares: tuple[float, ...]  # per recent quarter with receivables, oldest first
    dso: tuple[float, ...]  # days sales outstanding per recent quarter, oldest first
    stock_in: float | None  # Σ over recent quarters that have both figures
    sell_through: float | None
    build_periods: int  # recent quarters where stock-in exceeded sell-through
    stock_periods: int  # recent quarters with both figures
    survey: float | None  # mean rating of the surveys in the year up to the latest one
    surveys: int
    last_survey: dt.date | None
    last_visit: dt.date | None
    open_complaints: tuple[dt.date, ...]  # opened dates, oldest first


def quarter_end(key: str) -> dt.date:
    """Last day of a YYYY-Qn quarter."""
    year, q = int(key[:4]), int(key[-1])
    return dt.date(year, 12, 31) if q == 4 else dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)


def account_facts(account: Account, upto: str | None = None) -> Facts:
    """The account's facts; with `upto` (a YYYY-Qn key) as they stood at the end of that quarter."""
    periods = account.periods
    surveys = account.surveys
    visits = account.visits
    complaints = account.complaints
    if upto is not None:
        cut = quarter_end(upto)
        periods = tuple(p for p in periods if p.key <= upto)
        surveys = tuple(s for s in surveys if s.date <= cut)
        visits = tuple(v for v in visits if v.date <= cut)
        complaints = tuple(c for c in complaints if c.opened <= cut)
        open_dates = tuple(sorted(c.opened for c in complaints if c.closed is None or c.closed > cut))
    else:
        open_dates = tuple(sorted(c.opened for c in complaints if c.closed is None))
    recent = periods[-RECENT:]
    before = periods[-2 * RECENT:-RECENT]

    sales_sum = 0.0
    sales_n = 0
    margin_sum = 0.0
    margin_n = 0
    profit = 0.0
    profit_n = 0
    orders_sum = 0
    orders_n = 0
    rec_sum = 0.0
    over_sum = 0.0
    rec_n = 0
    receivables = overdue = owed = None
    shares: list[float] = []
    dso: list[float] = []
    stock_in = sell = 0.0
    stock_n = build = 0
    for p in recent:
        s = p.sales
        if s is not None:
            sales_sum += s
            sales_n += 1
        m = p.gross_margin
        if m is not None:
            margin_sum += m
            margin_n += 1
            if s is not None:
                profit += s * m
                profit_n += 1
        if p.orders is not None:
            orders_sum += p.orders
            orders_n += 1
        r = p.receivables
        if r is not None:
            o = p.overdue or 0.0
            rec_sum += r
            over_sum += o
            rec_n += 1
            receivables, overdue = r, p.overdue
            if r > 0:
                shares.append(o / r)
            else:
                shares.append(0.0)
            if s:
                dso.append(r / s * DAYS_PER_QUARTER)
        if p.owed_to_account is not None:
            owed = p.owed_to_account
        si, st = p.stock_in, p.sell_through
        if si is not None and st is not None:
            stock_in += si
            sell += st
            stock_n += 1
            if si > st:
                build += 1
    prev_sum = 0.0
    prev_n = 0
    for p in before:
        if p.sales is not None:
            prev_sum += p.sales
            prev_n += 1

    if surveys:
        last_survey = surveys[-1].date
        start = last_survey - dt.timedelta(days=365)
        total = 0.0
        count = 0
        for survey in surveys:
            if survey.date < start:
                continue
            for value in (survey.product, survey.service, survey.brand):
                if value is not None:
                    total += value
                    count += 1
        survey_avg = total / count if count else None
        survey_n = sum(1 for s in surveys if s.date >= start)
    else:
        last_survey = survey_avg = None
        survey_n = 0

    ratings = account.ratings
    strength, strength_n = _mean(ratings, STRENGTH_RATINGS)
    capability, capability_n = _mean(ratings, CAPABILITY_RATINGS)
    return Facts(
        id=account.id, stage=account.stage, region=account.region,
        payment_terms=account.payment_terms, credit_limit=account.credit_limit,
        strategic=account.strategic, override=account.tier_override,
        network_held=account.network_held,
        strength=strength, strength_n=strength_n, capability=capability, capability_n=capability_n,
        credit_rating=ratings.get("credit"), since=account.since,
        first_period=recent[0].key if recent else None,
        last_period=recent[-1].key if recent else None,
        sales=sales_sum * RECENT / sales_n if sales_n else None, sales_n=sales_n,
        prev_sales=prev_sum * RECENT / prev_n if prev_n else None,
        margin=margin_sum / margin_n if margin_n else None, margin_n=margin_n,
        gross_profit=profit if profit_n else None,
        orders=orders_sum * RECENT / orders_n if orders_n else None, orders_n=orders_n,
        receivables=receivables, overdue=overdue, owed_to_account=owed,
        overdue_ratio=(over_sum / rec_sum if rec_sum > 0 else 0.0) if rec_n else None,
        overdue_shares=tuple(shares), dso=tuple(dso),
        stock_in=stock_in if stock_n else None, sell_through=sell if stock_n else None,
        build_periods=build, stock_periods=stock_n,
        survey=survey_avg, surveys=survey_n, last_survey=last_survey,
        last_visit=visits[-1].date if visits else None,
        open_complaints=open_dates,
    )


def _mean(ratings: dict[str, int], names: tuple[str, ...]) -> tuple[float | None, int]:
    values = [ratings[n] for n in names if n in ratings]
    return (sum(values) / len(values), len(values)) if values else (None, 0)
