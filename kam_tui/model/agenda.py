"""A person's agenda (`kam due`): what falls due, from the accounts' own log.

Four kinds of item, each pointing at the account and the list item it comes from:
- `action`: an open action past its due date or due within the next `NEAR_DAYS`;
- `visit`: an account whose next visit is due by its tier's cadence (a prospect's first visit
  counts from `since`; without `since` and without a visit it is not yet due);
- `complaint`: a complaint not answered within the tier's `response_hours`, or soon to be;
- `next`: the agreed next step of a visit in the last `RECENT_DAYS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.account import Account
from kam_tui.model.scorecard import ScoringConfig

NEAR_DAYS = 14  # an action or a visit due within two weeks is on the agenda (a survey action is due in 14)
RECENT_DAYS = 30  # next steps of visits this recent are on the agenda
KINDS = ("action", "complaint", "visit", "next")
QUIET_STAGES = ("exited",)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    kind: str  # action | complaint | visit | next
    account: str
    name: str
    address: str | None  # the list item, e.g. `actions.2`; None for a visit that is due
    due: dt.date | None
    owner: str | None
    text: str

    def days(self, today: dt.date) -> int | None:
        """Days until due; negative when overdue."""
        return None if self.due is None else (self.due - today).days

    def as_json(self, today: dt.date) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "account": self.account,
            "name": self.name,
            "address": self.address,
            "due": None if self.due is None else self.due.isoformat(),
            "days": self.days(today),
            "owner": self.owner,
            "text": self.text,
        }


def agenda(
    accounts: list[Account],
    tiers: dict[str, str | None],
    config: ScoringConfig,
    today: dt.date,
    owner: str | None = None,
) -> list[AgendaItem]:
    """Everything due for `owner` (everyone when None), soonest first."""
    items: list[AgendaItem] = []
    horizon = today + dt.timedelta(days=NEAR_DAYS)
    for a in accounts:
        if a.stage in QUIET_STAGES:
            continue
        policy = config.policies[tiers.get(a.id) or "C"]
        items += _actions(a, horizon)
        items += _complaints(a, policy.response_hours, today)
        visit = _visit(a, policy.visit_days, horizon)
        if visit is not None:
            items.append(visit)
        items += _next_steps(a, today)
    if owner is not None:
        items = [i for i in items if i.owner == owner]
    return sorted(items, key=_soonest_first)


def open_work(
    accounts: list[Account], tiers: dict[str, str | None], config: ScoringConfig, today: dt.date
) -> list[AgendaItem]:
    """What the review lists as still to do: every open action whatever its due date, then the
    rest of the agenda (complaints to answer, visits due, next steps); soonest due first."""
    actions = [item for a in accounts if a.stage not in QUIET_STAGES for item in _actions(a, dt.date.max)]
    rest = [item for item in agenda(accounts, tiers, config, today) if item.kind != "action"]
    return sorted(actions + rest, key=_soonest_first)


def _soonest_first(item: AgendaItem) -> tuple[dt.date, int, str, str]:
    """The agenda's order: soonest due first (undated last), then by kind, account and address."""
    return (item.due or dt.date.max, KINDS.index(item.kind), item.account, item.address or "")


def _actions(a: Account, horizon: dt.date) -> list[AgendaItem]:
    return [
        AgendaItem("action", a.id, a.name, f"actions.{x.n}", x.due, x.owner or a.owner, x.what)
        for x in a.actions
        if x.open and (x.due is None or x.due <= horizon)
    ]


def _complaints(a: Account, hours: int, today: dt.date) -> list[AgendaItem]:
    out = []
    for c in a.complaints:
        if c.answered is not None or c.closed is not None:
            continue
        due = c.opened + dt.timedelta(days=max(1, -(-hours // 24)))
        if due <= today + dt.timedelta(days=1):
            text = (
                _("answer within {hours} h: {summary}").format(hours=hours, summary=c.summary)
                if c.summary
                else _("answer within {hours} h").format(hours=hours)
            )
            out.append(AgendaItem("complaint", a.id, a.name, f"complaints.{c.n}", due, a.owner, text))
    return out


def _visit(a: Account, cadence: int, horizon: dt.date) -> AgendaItem | None:
    last = a.visits[-1].date if a.visits else None
    start = last or a.since
    if start is None:
        if a.stage == "prospect":
            return None
        due = None  # never visited, no start date: due now, with no date to give
    else:
        due = start + dt.timedelta(days=cadence)
        if due > horizon:
            return None
    why = _("last visit {date}").format(date=last.isoformat()) if last else _("no visit yet")
    text = _("visit every {cadence} days; {why}").format(cadence=cadence, why=why)
    return AgendaItem("visit", a.id, a.name, None, due, a.owner, text)


def _next_steps(a: Account, today: dt.date) -> list[AgendaItem]:
    since = today - dt.timedelta(days=RECENT_DAYS)
    return [
        AgendaItem("next", a.id, a.name, f"visits.{v.n}", None, a.owner, v.next)
        for v in a.visits
        if v.next and since <= v.date <= today
    ]
