"""The handbook's rules this issue made right: complaint response time, the policy granted, and
network advice only for accounts that have a downstream network."""

from __future__ import annotations

import datetime as dt

from conftest import write_account

from kam_tui.i18n import in_language
from kam_tui.model.account import account_from_data
from kam_tui.model.assess import assess
from kam_tui.model.evaluate import evaluate_all
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.store.repository import Repository

TODAY = dt.date(2026, 11, 20)
CONFIG = ScoringConfig.default()


def _evaluate(**data: object):  # type: ignore[no-untyped-def]
    account = account_from_data({"id": "acme", "name": "Acme", "stage": "active", **data})
    return evaluate_all([account], CONFIG, TODAY)[0]


def _risk(code: str, **data: object):  # type: ignore[no-untyped-def]
    return next((r for r in _evaluate(**data).risks if r.code == code), None)


def test_complaints_risk_measures_the_response_not_how_long_it_stays_open() -> None:
    # answered the same day, still open for weeks: no risk (before, flagged as late)
    assert _risk("complaints", complaints=[{"opened": "2026-10-01 09:00", "answered": "2026-10-01 15:00"}]) is None
    # answered after four days (C tier: 72 h): late
    late = _risk("complaints", complaints=[{"opened": dt.date(2026, 10, 1), "answered": dt.date(2026, 10, 5)}])
    assert late is not None and late.figures["answered_late"] == 1 and late.figures["slowest_answer_hours"] == 96
    # never answered, opened ten days ago: late
    pending = _risk("complaints", complaints=[{"opened": dt.date(2026, 11, 10)}])
    assert pending is not None and pending.figures["open_late"] == 1
    # with times of day the response counts in hours: 80 h > 72 h
    timed = _risk("complaints", complaints=[{"opened": "2026-10-01 08:00", "answered": "2026-10-04 16:00"}])
    assert timed is not None and timed.figures["slowest_answer_hours"] == 80


def test_policy_risk_compares_discount_and_rebate_granted_with_the_tier() -> None:
    tier_c = {"tier_override": {"tier": "C", "reason": "test"}}
    risk = _risk("policy", discount=0.06, rebate=0.01, **tier_c)  # tier C allows 0 % and 0 %
    assert risk is not None and risk.figures["discount"] == 0.06 and risk.figures["allowed_discount"] == 0.0
    assert "discount 6.0% above tier C's 0.0%" in risk.why
    assert "rebate" in risk.figures
    assert _risk("policy", discount=0.0, **tier_c) is None


def test_network_advice_only_for_accounts_with_a_downstream_network() -> None:
    losing = {"network_held": 0.1, "periods": {"2026-Q3": {"sales": 100000, "gross_margin": -0.1}}}
    assert _risk("control", **losing) is not None
    assert _risk("control", kind="end-user", **losing) is None
    dealer = assess(_evaluate(**losing))
    assert dealer.recommendation == "take-network-first"
    maker = assess(_evaluate(kind="end-user", **losing))
    assert maker.recommendation == "staged-exit"
    assert maker.answer("control").answer == "n/a"
    assert not any("never cut before" in reason or "keep working on" in reason for reason in maker.reasons)


def test_kam_assess_shows_an_end_users_control_answer_as_not_applicable(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """Before: `kam assess` of an end user died with "internal error: KeyError: 'n/a'"."""
    write_account(repo, "maker", "id: maker\nname: Maker\nstage: active\nkind: end-user\n")
    result = kam("assess", "maker", cwd=repo.root)
    assert result.code == 0, result.err
    assert "   N/A — an end user has no downstream network to take first" in result.out
    with in_language("zh"):
        assert assess(_evaluate(kind="end-user")).answer("control").word == "不适用"
