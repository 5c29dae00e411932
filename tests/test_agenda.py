"""`kam due`: the agenda from the accounts' log, and a new prospect's first visit."""

from __future__ import annotations

import datetime as dt

from kam_tui.model.account import account_from_data
from kam_tui.model.agenda import agenda, open_work
from kam_tui.model.facts import account_facts
from kam_tui.model.risks import find_risks, portfolio_totals
from kam_tui.model.scorecard import ScoringConfig

TODAY = dt.date(2026, 11, 20)
CONFIG = ScoringConfig.default()


def _account(**data: object) -> object:
    return account_from_data({"id": "acme", "name": "Acme", "owner": "wang", **data})


def _kinds(account: object, owner: str | None = None) -> list[tuple[str, str | None]]:
    return [(i.kind, i.address) for i in agenda([account], {"acme": "B"}, CONFIG, TODAY, owner)]  # type: ignore[list-item]


def test_open_actions_due_soon_or_past_are_on_the_agenda() -> None:
    account = _account(
        stage="prospect",
        actions=[
            {"what": "late", "due": dt.date(2026, 11, 1)},
            {"what": "soon", "due": dt.date(2026, 11, 25), "owner": "li"},
            {"what": "later", "due": dt.date(2027, 3, 1)},
            {"what": "done", "due": dt.date(2026, 11, 1), "status": "done"},
        ],
    )
    assert _kinds(account) == [("action", "actions.1"), ("action", "actions.2")]
    assert _kinds(account, "li") == [("action", "actions.2")]


def test_the_review_lists_every_open_action_whatever_its_due_date_and_the_rest_of_the_agenda() -> None:
    account = _account(
        stage="active",
        actions=[
            {"what": "later", "due": dt.date(2027, 3, 1)},
            {"what": "undated"},
            {"what": "late", "due": dt.date(2026, 11, 1)},
            {"what": "done", "due": dt.date(2026, 11, 1), "status": "done"},
        ],
        visits=[{"date": dt.date(2026, 11, 1), "by": "wang"}],
        complaints=[{"opened": dt.date(2026, 11, 10), "summary": "broken"}],
    )
    found = open_work([account], {"acme": "B"}, CONFIG, TODAY)  # type: ignore[list-item]
    assert [(i.kind, i.text) for i in found] == [
        ("action", "late"),
        ("complaint", "answer within 48 h: broken"),  # tier B answers within 48 h
        ("action", "later"),
        ("action", "undated"),
    ]
    assert found[1].address == "complaints.1"


def test_unanswered_complaints_past_the_standard_and_due_visits() -> None:
    account = _account(
        stage="active",
        visits=[{"date": dt.date(2026, 8, 1), "by": "wang", "next": "call back"}],
        complaints=[
            {"opened": dt.date(2026, 11, 10), "summary": "late"},
            {"opened": dt.date(2026, 11, 10), "answered": dt.date(2026, 11, 10)},
        ],
    )
    items = agenda([account], {"acme": "B"}, CONFIG, TODAY)  # type: ignore[list-item]
    assert [(i.kind, i.address) for i in items] == [("visit", None), ("complaint", "complaints.1")]
    assert items[0].due == dt.date(2026, 10, 30)  # tier B: every 90 days


def test_next_steps_of_recent_visits() -> None:
    account = _account(stage="active", visits=[{"date": dt.date(2026, 11, 18), "next": "send the plan"}])
    items = agenda([account], {"acme": "B"}, CONFIG, TODAY)  # type: ignore[list-item]
    assert [(i.kind, i.text) for i in items] == [("next", "send the plan")]


def test_a_new_prospect_is_not_neglected_before_its_first_visit_is_due() -> None:
    def neglected(**data: object) -> bool:
        facts = account_facts(_account(**data))  # type: ignore[arg-type]
        risks = find_risks(facts, "C", CONFIG, TODAY, portfolio_totals([facts], CONFIG))
        return "neglect" in [r.code for r in risks]

    assert not neglected(stage="prospect")
    assert _kinds(_account(stage="prospect")) == []
    assert not neglected(stage="prospect", since=dt.date(2026, 10, 1))
    assert neglected(stage="prospect", since=dt.date(2026, 1, 1))  # C: first visit due within 180 days
    assert neglected(stage="active")
