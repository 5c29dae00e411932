"""Builders for made-up accounts used by the scoring, risk, assess and portfolio tests; the project's
sample accounts committed in a repository (`demo`) for the scoring commands' tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from conftest import commit_all, copy_samples

from kam_tui.model.account import Account, Complaint, Period, Survey, TierOverride, Visit, account_from_data
from kam_tui.model.schema import RATINGS
from kam_tui.store.repository import Repository

TODAY = dt.date(2026, 12, 1)
DAY = TODAY.isoformat()  # the same day, as `--today` takes it
# The scorecard's dimensions in the order every front end lists them (written out: what the tests expect).
DIMENSIONS = ("sales", "margin", "frequency", "years", "strength", "capability", "credit", "satisfaction", "strategic")
QUARTERS = ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
ALL3 = {name: 3 for name in RATINGS}


def quarters(n: int = 4, **figures: Any) -> tuple[Period, ...]:
    """The last n quarters up to 2026-Q3, each with the same figures (lists give one per quarter)."""
    keys = QUARTERS[-n:]
    out = []
    for i, key in enumerate(keys):
        values = {k: (v[i] if isinstance(v, (list, tuple)) else v) for k, v in figures.items()}
        out.append(Period(key, **values))
    return tuple(out)


def account(
    ident: str = "acme",
    *,
    years: float | None = 1,
    ratings: dict[str, int] | None = None,
    periods: tuple[Period, ...] | None = None,
    surveys: tuple[Survey, ...] | None = None,
    visits: tuple[Visit, ...] | None = None,
    override: tuple[str, str] | None = None,
    **fields: Any,
) -> Account:
    """A healthy small account (1M a year, tier C) unless told otherwise."""
    if periods is None:
        periods = quarters(
            4,
            sales=250_000,
            gross_margin=0.15,
            orders=1,
            stock_in=250_000,
            sell_through=250_000,
            receivables=100_000,
            overdue=0,
            owed_to_account=20_000,
        )
    since = None if years is None else TODAY - dt.timedelta(days=round(years * 365.25))
    return Account(
        id=ident,
        name=ident.title(),
        stage=fields.pop("stage", "active"),
        since=fields.pop("since", since),
        ratings=dict(ALL3 if ratings is None else ratings),
        periods=periods,
        surveys=(Survey(TODAY - dt.timedelta(days=60), 3, 3, 3),) if surveys is None else surveys,
        visits=(Visit(TODAY - dt.timedelta(days=10), "wang"),) if visits is None else visits,
        tier_override=TierOverride(*override) if override else None,
        **fields,
    )


def seed_car_maker(**kw: Any) -> Account:
    """>10M a year, monthly orders, ten years and more."""
    return account(
        "car-maker",
        years=10.5,
        periods=quarters(4, sales=3_000_000, gross_margin=0.15, orders=3, receivables=1_500_000, overdue=0),
        **kw,
    )


def seed_electronics(**kw: Any) -> Account:
    """~5M a year, quarterly orders, three years."""
    return account(
        "electronics",
        years=3,
        periods=quarters(4, sales=1_250_000, gross_margin=0.15, orders=1, receivables=600_000, overdue=0),
        **kw,
    )


def seed_startup(**kw: Any) -> Account:
    """~1M a year, irregular orders (about three a year), one year."""
    return account(
        "start-up",
        years=1,
        periods=quarters(
            4,
            sales=[300_000, 100_000, 400_000, 200_000],
            gross_margin=0.15,
            orders=[1, 0, 2, 0],
            receivables=0,
            overdue=0,
        ),
        **kw,
    )


def complaint(days_ago: int, closed: bool = False) -> Complaint:
    opened = TODAY - dt.timedelta(days=days_ago)
    return Complaint(opened, opened + dt.timedelta(days=1) if closed else None, "late delivery")


def from_data(**data: Any) -> Account:
    """acme (active) read from file data as written — dates and times as text, no figures unless given."""
    return account_from_data({"id": "acme", "name": "Acme", "stage": "active", **data})


@pytest.fixture(name="demo")
def samples_fixture(repo: Repository) -> Repository:
    """A repository holding the project's sample accounts, committed."""
    copy_samples(repo)
    commit_all(repo.root, "sample accounts")
    return repo


def run_json(kam, root, *args):  # type: ignore[no-untyped-def]
    """`kam --repo ROOT ARGS --json`, which must succeed; its output read."""
    result = kam("--repo", str(root), *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)
