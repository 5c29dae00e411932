"""A key account as typed, immutable data, built from a validated file's data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kam_tui.model.schema import ACCOUNT, RATINGS


@dataclass(frozen=True, slots=True)
class Period:
    key: str  # YYYY-Qn
    sales: float | None = None
    gross_margin: float | None = None
    orders: int | None = None
    stock_in: float | None = None
    sell_through: float | None = None
    receivables: float | None = None
    overdue: float | None = None
    owed_to_account: float | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Visit:
    date: dt.date
    by: str = ""
    summary: str = ""
    next: str = ""


@dataclass(frozen=True, slots=True)
class Complaint:
    opened: dt.date
    closed: dt.date | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Survey:
    date: dt.date
    product: int | None = None
    service: int | None = None
    brand: int | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class TierOverride:
    tier: str
    reason: str
    by: str = ""
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    stage: str | None = None
    owner: str | None = None
    team: tuple[str, ...] = ()
    since: dt.date | None = None
    industry: str | None = None
    region: str | None = None
    payment_terms: str | None = None
    credit_limit: float | None = None
    strategic: bool = False
    tier_override: TierOverride | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    network_held: float | None = None
    contacts: tuple[Contact, ...] = ()
    periods: tuple[Period, ...] = ()  # oldest first
    visits: tuple[Visit, ...] = ()  # oldest first
    complaints: tuple[Complaint, ...] = ()
    surveys: tuple[Survey, ...] = ()  # oldest first
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept as read


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _records(items: Any) -> list[dict[str, Any]]:
    return [item for item in items or () if isinstance(item, dict)]


def account_from_data(data: dict[str, Any]) -> Account:
    """Build an Account from data that passed validation (invalid parts are skipped)."""
    override = data.get("tier_override")
    periods = data.get("periods") or {}
    return Account(
        id=str(data["id"]),
        name=_text(data.get("name")),
        stage=data.get("stage"),
        owner=None if data.get("owner") is None else _text(data.get("owner")),
        team=tuple(_text(member) for member in data.get("team") or ()),
        since=_date(data.get("since")),
        industry=data.get("industry") and _text(data.get("industry")),
        region=data.get("region") and _text(data.get("region")),
        payment_terms=data.get("payment_terms"),
        credit_limit=data.get("credit_limit"),
        strategic=data.get("strategic") is True,
        tier_override=TierOverride(
            override["tier"], _text(override.get("reason")), _text(override.get("by")), _date(override.get("date"))
        )
        if isinstance(override, dict) and override.get("tier")
        else None,
        ratings={k: v for k, v in (data.get("ratings") or {}).items() if k in RATINGS and isinstance(v, int)},
        network_held=data.get("network_held"),
        contacts=tuple(
            Contact(*(_text(c.get(k)) for k in ("name", "role", "phone", "email")))
            for c in _records(data.get("contacts"))
        ),
        periods=tuple(
            Period(key, **{k: v for k, v in (figures or {}).items() if k in _PERIOD_KEYS})
            for key, figures in sorted(periods.items())
            if isinstance(figures, dict) or figures is None
        ),
        visits=tuple(
            sorted(
                (
                    Visit(d, _text(v.get("by")), _text(v.get("summary")), _text(v.get("next")))
                    for v in _records(data.get("visits"))
                    if (d := _date(v.get("date")))
                ),
                key=lambda v: v.date,
            )
        ),
        complaints=tuple(
            Complaint(d, _date(c.get("closed")), _text(c.get("summary")))
            for c in _records(data.get("complaints"))
            if (d := _date(c.get("opened")))
        ),
        surveys=tuple(
            sorted(
                (
                    Survey(d, s.get("product"), s.get("service"), s.get("brand"), _text(s.get("comment")))
                    for s in _records(data.get("surveys"))
                    if (d := _date(s.get("date")))
                ),
                key=lambda s: s.date,
            )
        ),
        notes=_text(data.get("notes")),
        extra={k: v for k, v in data.items() if k not in ACCOUNT.fields},
    )


_PERIOD_KEYS = frozenset(ACCOUNT.fields["periods"].item.fields)  # type: ignore[union-attr]
