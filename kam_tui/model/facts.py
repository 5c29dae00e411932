"""The figures scoring needs from one account, derived once as a small record of plain values.

Facts depend only on the account (never on today or on kam.yaml), so they can be cached
by file identity and rescored under any rules and any date. "Recent" means the last four
quarters present in the file (the trailing twelve months, 近一年).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from kam_tui.model.account import Account, Complaint, TierOverride
from kam_tui.model.scorecard import CAPABILITY_RATINGS, STRENGTH_RATINGS

RECENT = 4  # quarters
DAYS_PER_QUARTER = 91.25


class Facts(NamedTuple):
    """One account's figures as plain, immutable values.

    A NamedTuple rather than a frozen dataclass: measured, building a 45-field frozen dataclass
    costs ~8 µs (half of deriving the facts); the NamedTuple by keyword ~3 µs. Facts are cached
    (`kam_tui.store.factcache`), so that cost is paid once per file version.

    Adding a field: docs/fields.md (schema → model → summary → facts, then FACTS_VERSION).
    """

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
    sales: float | None  # trailing 12 months: Σ sales of the last four quarters present
    sales_n: int  # quarters with sales among the recent ones
    volume: float | None  # what sold through: Σ per quarter of min(sales, sell_through), sales where unknown
    # (and for an end user, whose sell-through, stock-in and sell growth are left out: it uses what it buys)
    prev_sales: float | None  # Σ sales of the four quarters before those
    prev_sales_n: int
    growth: float | None  # sales year on year; half on half when only four quarters are on file;
    # with two or three, the latest quarter against the ones before, annualised
    growth_basis: str  # "year" | "half" | "quarter" | ""
    sell_growth: float | None  # the same for sell-through (real demand)
    profit_sales: float  # Σ sales of the quarters that have a margin (gross_profit / this)
    last_margin: float | None  # the latest recent quarter's margin
    margin: float | None  # the average gross margin: weighted by sales (Σ profit / Σ sales) over the recent quarters
    margin_n: int
    gross_profit: float | None  # Σ sales × margin over the recent quarters (not annualised)
    sold_profit: float | None  # the same on what sold through: Σ min(sales, sell_through) × margin
    orders: float | None  # per year: Σ orders of the recent quarters
    orders_n: int
    receivables: float | None  # latest recent quarter that has it
    overdue: float | None  # same quarter as receivables
    owed_to_account: float | None  # latest recent quarter that has it
    overdue_ratio: float | None  # the overdue share: overdue / receivables in `receivables_period`
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
    kind: str | None = None  # dealer | distributor | retailer | end-user (None: dealer)
    discount: float | None = None  # granted
    rebate: float | None = None  # granted
    # (opened ordinal, hours to answer or None, whether both ends carry a time of day: `Response`)
    complaint_responses: tuple[tuple[int, float | None, bool], ...] = ()
    receivables_period: str | None = None  # the latest recent quarter with receivables: the overdue share's


def annual(total: float | None, quarters: int) -> float | None:
    """A sum over fewer than four quarters as a year's worth (B6): a short history compared with
    four-quarter thresholds and totals would look like growth when its fourth quarter arrives."""
    if total is None or quarters <= 0:
        return None
    return total * RECENT / quarters if quarters < RECENT else total


def annual_volume(f: Facts) -> float | None:
    """What sold through in a year: the volume that earns tier, the key mark and shares."""
    return annual(f.volume, f.sales_n)


def period_span(f: Facts) -> str:
    """The quarters the recent figures come from: `2026-Q3`, or `2025-Q4–2026-Q3` ("" without any)."""
    if f.first_period is None:
        return ""
    return f.first_period if f.first_period == f.last_period else f"{f.first_period}–{f.last_period}"


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
    cut = dt.date.max  # nothing has happened after it
    if upto is not None:
        cut = quarter_end(upto)
        periods = tuple(p for p in periods if p.key <= upto)
        surveys = tuple(s for s in surveys if s.date <= cut)
        visits = tuple(v for v in visits if v.date <= cut)
        complaints = tuple(c for c in complaints if c.opened <= cut)
    open_dates = tuple(sorted(c.opened for c in complaints if c.closed is None or c.closed > cut))
    responses = tuple(  # (opened, hours to answer, timed) of the answered ones and of those still open, as of `cut`
        _response(c) if c.answered is not None and c.answered <= cut else (c.opened.toordinal(), None, False)
        for c in complaints
        if (c.answered is not None and c.answered <= cut) or c.closed is None or c.closed > cut
    )
    recent = periods[-RECENT:]
    before = periods[-2 * RECENT : -RECENT]

    sales_sum = volume = margin_sum = profit = sold_profit = profit_sales = 0.0
    sales_n = margin_n = profit_n = 0
    last_margin = None
    orders_sum = orders_n = 0
    receivables = overdue = owed = None
    receivables_period = None
    shares: list[float] = []
    dso: list[float] = []
    stock_in = sell = sell_all = 0.0
    stock_n = build = sell_n = 0
    uses_it = account.kind == "end-user"  # an end user uses what it buys: what it bought is what sold through
    for p in recent:
        s = p.sales
        sold = 0.0  # what of the quarter's sales sold through (its sales where sell-through is unknown)
        if s is not None:
            sales_sum += s
            sales_n += 1
            sold = s if p.sell_through is None or uses_it else min(s, p.sell_through)
            volume += sold
        m = p.gross_margin
        if m is not None:
            margin_sum += m
            margin_n += 1
            last_margin = m
            if s is not None:
                profit += s * m
                sold_profit += sold * m
                profit_sales += s
                profit_n += 1
        if p.orders is not None:
            orders_sum += p.orders
            orders_n += 1
        r = p.receivables
        if r is not None:
            o = p.overdue or 0.0
            receivables, overdue, receivables_period = r, p.overdue, p.key
            shares.append(o / r if r > 0 else 0.0)
            if s:
                dso.append(r / s * DAYS_PER_QUARTER)
        if p.owed_to_account is not None:
            owed = p.owed_to_account
        st = None if uses_it else p.sell_through
        if st is not None:
            sell_all += st
            sell_n += 1
            si = p.stock_in
            if si is not None:
                stock_in += si
                sell += st
                stock_n += 1
                if si > st:
                    build += 1
    prev_sum = prev_sell = 0.0
    prev_n = prev_sell_n = 0
    for p in before:
        if p.sales is not None:
            prev_sum += p.sales
            prev_n += 1
        if p.sell_through is not None:
            prev_sell += p.sell_through
            prev_sell_n += 1
    growth = sell_growth = None
    basis = ""
    if sales_n == RECENT:
        growth, basis = _growth(sales_sum, prev_sum if prev_n == RECENT else 0.0, [p.sales or 0.0 for p in recent])
    elif sales_n >= 2:
        growth, basis = _short_growth([p.sales for p in recent if p.sales is not None])
    if sell_n == RECENT:
        sell_growth, _ = _growth(
            sell_all, prev_sell if prev_sell_n == RECENT else 0.0, [p.sell_through or 0.0 for p in recent]
        )
    elif sell_n >= 2:
        sell_growth, _ = _short_growth([p.sell_through for p in recent if p.sell_through is not None])

    last_survey: dt.date | None = None
    survey_avg: float | None = None
    survey_n = 0
    if surveys:
        last_survey = surveys[-1].date
        start = last_survey - dt.timedelta(days=365)
        year = [s for s in surveys if s.date >= start]
        survey_avg, _ = _mean(value for s in year for value in (s.product, s.service, s.brand))
        survey_n = len(year)

    ratings = account.ratings
    strength, strength_n = _mean(ratings.get(name) for name in STRENGTH_RATINGS)
    capability, capability_n = _mean(ratings.get(name) for name in CAPABILITY_RATINGS)
    return Facts(
        id=account.id,
        stage=account.stage,
        region=account.region,
        payment_terms=account.payment_terms,
        credit_limit=account.credit_limit,
        strategic=account.strategic,
        override=account.tier_override,
        network_held=account.network_held,
        strength=strength,
        strength_n=strength_n,
        capability=capability,
        capability_n=capability_n,
        credit_rating=ratings.get("credit"),
        since=account.since,
        first_period=recent[0].key if recent else None,
        last_period=recent[-1].key if recent else None,
        sales=sales_sum if sales_n else None,
        sales_n=sales_n,
        volume=volume if sales_n else None,
        prev_sales=prev_sum if prev_n else None,
        prev_sales_n=prev_n,
        growth=growth,
        growth_basis=basis,
        sell_growth=sell_growth,
        profit_sales=profit_sales,
        last_margin=last_margin,
        margin=profit / profit_sales if profit_sales > 0 else (margin_sum / margin_n if margin_n else None),
        margin_n=margin_n,
        gross_profit=profit if profit_n else None,
        sold_profit=sold_profit if profit_n else None,
        orders=orders_sum if orders_n else None,
        orders_n=orders_n,
        receivables=receivables,
        overdue=overdue,
        owed_to_account=owed,
        overdue_ratio=shares[-1] if shares else None,
        overdue_shares=tuple(shares),
        dso=tuple(dso),
        stock_in=stock_in if stock_n else None,
        sell_through=sell if stock_n else None,
        build_periods=build,
        stock_periods=stock_n,
        survey=survey_avg,
        surveys=survey_n,
        last_survey=last_survey,
        last_visit=visits[-1].date if visits else None,
        open_complaints=open_dates,
        kind=account.kind,
        discount=account.discount,
        rebate=account.rebate,
        complaint_responses=tuple(sorted(responses)),
        receivables_period=receivables_period,
    )


def _response(c: Complaint) -> tuple[int, float | None, bool]:
    response = c.response()
    return (c.opened.toordinal(), None, False) if response is None else (c.opened.toordinal(), *response)


def _mean(values: Iterable[int | None]) -> tuple[float | None, int]:
    """The mean of the values given (None: not rated), and how many there were."""
    total = count = 0
    for value in values:
        if value is not None:
            total += value
            count += 1
    return (total / count, count) if count else (None, 0)


def _growth(now: float, earlier: float, quarters: list[float]) -> tuple[float | None, str]:
    """Year-on-year change; half on half when only the recent year is on file."""
    if earlier > 0:
        return now / earlier - 1, "year"
    first = quarters[0] + quarters[1]
    return (None, "") if first <= 0 else ((quarters[2] + quarters[3]) / first - 1, "half")


def _short_growth(quarters: list[float]) -> tuple[float | None, str]:
    """Growth of a history of two or three quarters: the latest quarter against the ones before,
    each annualised (B6), so that a young account that grows is seen to grow."""
    earlier = annual(sum(quarters[:-1]), len(quarters) - 1)
    if not earlier or earlier <= 0:
        return None, ""
    return (annual(quarters[-1], 1) or 0.0) / earlier - 1, "quarter"


# --- a plain form for caches (marshal/JSON types only) ---------------------------------------

# The one version of everything cached per account file (list summaries and facts): it is the
# cache key, so bumping it rebuilds every cache. Bump it whenever `Facts`, `account_facts` or
# `summarize` change what they give for the same file; tests/test_cache_version.py fails until
# you do (it compares the facts of a fixed sample with the digest recorded for this version).
FACTS_VERSION = 15
_FIELDS = Facts._fields
_DATES = frozenset({"since", "last_survey", "last_visit"})


def facts_to_plain(f: Facts) -> tuple[Any, ...]:
    """Facts as a tuple of plain values (dates as ordinals), for a cache keyed by file identity."""
    out: list[Any] = []
    for name in _FIELDS:
        value = getattr(f, name)
        if name in _DATES:
            value = None if value is None else value.toordinal()
        elif name == "open_complaints":
            value = tuple(d.toordinal() for d in value)
        elif name == "override" and value is not None:
            value = (value.tier, value.reason, value.by, None if value.date is None else value.date.toordinal())
        out.append(value)
    return tuple(out)


_DATE_AT = tuple(_FIELDS.index(name) for name in sorted(_DATES))
_COMPLAINTS_AT = _FIELDS.index("open_complaints")
_TUPLES_AT = (_FIELDS.index("overdue_shares"), _FIELDS.index("dso"))
_OVERRIDE_AT = _FIELDS.index("override")


def facts_from_plain(values: tuple[Any, ...] | list[Any]) -> Facts:
    """The inverse of facts_to_plain. Only the few fields that need it are converted, by
    position (measured: 4× faster than walking all fields, which matters at 50,000 accounts)."""
    if len(values) != len(_FIELDS):
        raise ValueError(f"facts record of {len(values)} fields, expected {len(_FIELDS)}")
    out = list(values)
    fromordinal = dt.date.fromordinal
    for at in _DATE_AT:
        if out[at] is not None:
            out[at] = fromordinal(out[at])
    if out[_COMPLAINTS_AT]:
        out[_COMPLAINTS_AT] = tuple(fromordinal(v) for v in out[_COMPLAINTS_AT])
    else:
        out[_COMPLAINTS_AT] = ()
    for at in _TUPLES_AT:
        out[at] = tuple(out[at])
    override = out[_OVERRIDE_AT]
    if override is not None:
        tier, reason, by, day = override
        out[_OVERRIDE_AT] = TierOverride(tier, reason, by, None if day is None else fromordinal(day))
    return Facts._make(out)
