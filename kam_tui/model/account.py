"""A key account as typed, immutable data, built from a validated file's data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kam_tui.i18n import _
from kam_tui.model.schema import ACCOUNT, RATINGS, parse_when


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
class Target:
    key: str  # YYYY-Qn, YYYY-Hn or YYYY
    sales: float | None = None
    gross_margin: float | None = None


# List items keep `n`, the 1-based number that addresses them (`visits.3`), whatever order they are shown in.


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    n: int = 0


@dataclass(frozen=True, slots=True)
class Visit:
    date: dt.date
    by: str = ""
    summary: str = ""
    next: str = ""
    n: int = 0


@dataclass(frozen=True, slots=True)
class Complaint:
    """Opened/answered/closed are days; `*_at` keep the time of day when the file gives one."""

    opened: dt.date
    closed: dt.date | None = None
    summary: str = ""
    answered: dt.date | None = None
    opened_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    n: int = 0

    def response(self) -> Response | None:
        """answered − opened: in hours when both carry a time of day, else in whole days (×24)."""
        if self.answered is None:
            return None
        if self.opened_at is not None and self.answered_at is not None:
            return Response((self.answered_at - self.opened_at).total_seconds() / 3600, True)
        return Response((self.answered - self.opened).days * 24.0, False)

    def response_hours(self) -> float | None:
        response = self.response()
        return None if response is None else response.hours


class Response(NamedTuple):
    """How long a complaint's answer took: the one figure (hours) and the one way it is shown —
    hours when the file gives times of day, whole days when it gives only dates (issue 9)."""

    hours: float
    timed: bool  # both opened and answered carry a time of day

    def text(self) -> str:
        if self.timed:
            return _("{n} h").format(n=f"{self.hours:.0f}")
        return _("{n} d").format(n=f"{self.hours / 24:.0f}")


def answered_late(hours: float, limit_hours: float) -> bool:
    """A complaint's answer came after the tier's response standard (`response_hours`)."""
    return hours > limit_hours


@dataclass(frozen=True, slots=True)
class Survey:
    date: dt.date
    product: int | None = None
    service: int | None = None
    brand: int | None = None
    comment: str = ""
    n: int = 0


@dataclass(frozen=True, slots=True)
class Action:
    what: str
    owner: str = ""
    due: dt.date | None = None
    status: str = "open"
    opened: dt.date | None = None
    closed: dt.date | None = None
    source: str = ""
    n: int = 0

    @property
    def open(self) -> bool:
        return self.status == "open"


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
    kind: str | None = None  # absent means dealer
    stage: str | None = None
    owner: str | None = None
    team: tuple[str, ...] = ()
    since: dt.date | None = None
    industry: str | None = None
    region: str | None = None
    payment_terms: str | None = None
    credit_limit: float | None = None
    discount: float | None = None
    rebate: float | None = None
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
    targets: tuple[Target, ...] = ()  # sorted by key
    actions: tuple[Action, ...] = ()  # as in the file

    @property
    def kind_or_default(self) -> str:
        return self.kind or "dealer"


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


def _records(items: Any) -> list[tuple[int, dict[str, Any]]]:
    """The list's mappings with their 1-based numbers in the file."""
    return [(n, item) for n, item in enumerate(items or (), 1) if isinstance(item, dict)]


def _when(value: Any) -> tuple[dt.date | None, dt.datetime | None]:
    """A date, or a date and time: (the day, the moment when a time of day is given)."""
    moment = parse_when(value)
    if moment is not None:
        return moment.date(), moment
    return _date(value), None


def _complaint(n: int, c: dict[str, Any]) -> Complaint | None:
    opened, opened_at = _when(c.get("opened"))
    if opened is None:
        return None
    answered, answered_at = _when(c.get("answered"))
    return Complaint(opened, _when(c.get("closed"))[0], _text(c.get("summary")), answered, opened_at, answered_at, n)


def account_from_data(data: dict[str, Any]) -> Account:
    """Build an Account from data that passed validation (invalid parts are skipped)."""
    override = data.get("tier_override")
    periods = data.get("periods") or {}
    return Account(
        id=str(data["id"]),
        name=_text(data.get("name")),
        kind=data.get("kind"),
        stage=data.get("stage"),
        owner=None if data.get("owner") is None else _text(data.get("owner")),
        team=tuple(_text(member) for member in data.get("team") or ()),
        since=_date(data.get("since")),
        industry=data.get("industry") and _text(data.get("industry")),
        region=data.get("region") and _text(data.get("region")),
        payment_terms=data.get("payment_terms"),
        credit_limit=data.get("credit_limit"),
        discount=data.get("discount"),
        rebate=data.get("rebate"),
        strategic=data.get("strategic") is True,
        tier_override=TierOverride(
            override["tier"], _text(override.get("reason")), _text(override.get("by")), _date(override.get("date"))
        )
        if isinstance(override, dict) and override.get("tier")
        else None,
        ratings={k: v for k, v in (data.get("ratings") or {}).items() if k in RATINGS and isinstance(v, int)},
        network_held=data.get("network_held"),
        contacts=tuple(
            Contact(_text(c.get("name")), _text(c.get("role")), _text(c.get("phone")), _text(c.get("email")), n)
            for n, c in _records(data.get("contacts"))
        ),
        periods=tuple(
            Period(key, **{k: v for k, v in (figures or {}).items() if k in _PERIOD_KEYS})
            for key, figures in sorted(periods.items())
            if isinstance(figures, dict) or figures is None
        ),
        visits=tuple(
            sorted(
                (
                    Visit(d, _text(v.get("by")), _text(v.get("summary")), _text(v.get("next")), n)
                    for n, v in _records(data.get("visits"))
                    if (d := _date(v.get("date")))
                ),
                key=lambda v: v.date,
            )
        ),
        complaints=tuple(c for n, item in _records(data.get("complaints")) if (c := _complaint(n, item))),
        surveys=tuple(
            sorted(
                (
                    Survey(d, s.get("product"), s.get("service"), s.get("brand"), _text(s.get("comment")), n)
                    for n, s in _records(data.get("surveys"))
                    if (d := _date(s.get("date")))
                ),
                key=lambda s: s.date,
            )
        ),
        notes=_text(data.get("notes")),
        extra={k: v for k, v in data.items() if k not in ACCOUNT.fields},
        targets=tuple(
            Target(str(key), figures.get("sales"), figures.get("gross_margin"))
            for key, figures in sorted((data.get("targets") or {}).items(), key=lambda kv: str(kv[0]))
            if isinstance(figures, dict)
        ),
        actions=tuple(
            Action(
                _text(a.get("what")),
                _text(a.get("owner")),
                _date(a.get("due")),
                a.get("status") or "open",
                _date(a.get("opened")),
                _date(a.get("closed")),
                _text(a.get("source")),
                n,
            )
            for n, a in _records(data.get("actions"))
        ),
    )


_PERIOD_KEYS = frozenset(ACCOUNT.fields["periods"].item.fields)  # type: ignore[union-attr]
