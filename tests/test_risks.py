"""Each risk flag on a made-up account that should raise it and one that should not."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import write_account
from scoring_support import TODAY, account, complaint, from_data, quarters

from kam_tui.model.account import Visit
from kam_tui.model.evaluate import evaluate_all
from kam_tui.model.facts import account_facts
from kam_tui.model.risks import RISK_CODES, network_status
from kam_tui.model.scorecard import ScoringConfig, scoring_config_from_data
from kam_tui.model.settings import settings_from_data
from kam_tui.store.repository import Repository

DEFAULT = ScoringConfig.default()


def risks_of(acc, *others, config=DEFAULT):
    evaluations = {e.id: e for e in evaluate_all((acc, *others), config, TODAY)}
    return {r.code: r for r in evaluations[acc.id].risks}


def peers(n=5, sales=1_000_000, region=None):
    return [account(f"peer-{i}", region=region, periods=quarters(4, sales=sales / 4, orders=1)) for i in range(n)]


def test_a_healthy_account_raises_nothing() -> None:
    assert risks_of(account(), *peers()) == {}


# --- stuffing ------------------------------------------------------------------------------


def test_stuffing_when_stock_in_far_above_sell_through_and_building() -> None:
    fake = account(
        "fake",
        periods=quarters(
            4, sales=2_500_000, stock_in=2_500_000, sell_through=[1_300_000, 1_250_000, 1_200_000, 1_200_000]
        ),
    )
    risk = risks_of(fake)["stuffing"]
    assert risk.severity == "high"
    assert risk.figures["build_periods"] == 4 and risk.figures["ratio"] == pytest.approx(2.02, abs=0.01)
    assert "10,000,000" in risk.why and "4,950,000" in risk.why


def test_no_stuffing_when_it_sells_what_it_buys() -> None:
    honest = account(
        "honest",
        periods=quarters(
            4, sales=2_500_000, stock_in=2_500_000, sell_through=[2_400_000, 2_600_000, 2_450_000, 2_500_000]
        ),
    )
    assert "stuffing" not in risks_of(honest)


def test_no_stuffing_for_one_big_stock_up() -> None:
    # one quarter's stock-up (a promotion) is not a pattern
    once = account(
        "once",
        periods=quarters(
            4,
            stock_in=[4_000_000, 1_000_000, 1_000_000, 1_000_000],
            sell_through=[1_000_000, 1_000_000, 1_050_000, 1_000_000],
        ),
    )
    assert "stuffing" not in risks_of(once)


# --- collection ----------------------------------------------------------------------------


def test_collection_when_overdue_share_is_high() -> None:
    late = account("late", periods=quarters(4, sales=1e6, receivables=500_000, overdue=[0, 0, 0, 200_000]))
    risk = risks_of(late)["collection"]
    assert risk.severity == "high" and "40% of receivables overdue" in risk.why


def test_collection_when_receivables_exceed_the_credit_limit() -> None:
    over = account("over", credit_limit=300_000, periods=quarters(4, sales=1e6, receivables=400_000, overdue=0))
    assert "above the credit limit" in risks_of(over)["collection"].why


def test_collection_when_days_sales_outstanding_rise() -> None:
    slow = account("slow", periods=quarters(4, sales=1e6, receivables=[300_000, 380_000, 460_000, 560_000], overdue=0))
    assert "days sales outstanding rising" in risks_of(slow)["collection"].why


def test_collection_when_credit_terms_pay_slower() -> None:
    credit = account(
        "credit",
        payment_terms="credit",
        periods=quarters(4, sales=1e6, receivables=500_000, overdue=[0, 20_000, 40_000, 60_000]),
    )
    risk = risks_of(credit)["collection"]
    assert risk.severity == "low" and "paying slower" in risk.why


def test_no_collection_risk_for_a_good_payer() -> None:
    good = account(
        "good",
        payment_terms="credit",
        credit_limit=600_000,
        periods=quarters(4, sales=1e6, receivables=500_000, overdue=[10_000, 0, 5_000, 0]),
    )
    assert "collection" not in risks_of(good)


# --- dependency ----------------------------------------------------------------------------


def test_dependency_on_portfolio_share() -> None:
    big = account("big", periods=quarters(4, sales=2_500_000))
    risk = risks_of(big, *peers(5))["dependency"]
    assert risk.figures["portfolio_share"] == pytest.approx(10 / 15, abs=1e-3)


def test_dependency_on_region_share() -> None:
    region_king = account("king", region="west", periods=quarters(4, sales=1_500_000))
    others = peers(3, region="west") + peers(20, sales=2_000_000, region="east")
    others = [dataclasses.replace(p, id=f"{p.id}-{p.region}") for p in others]
    risk = risks_of(region_king, *others)["dependency"]
    assert risk.figures["region"] == "west" and "portfolio_share" not in risk.figures


def test_no_dependency_in_a_spread_portfolio_or_a_tiny_one() -> None:
    assert "dependency" not in risks_of(account("small"), *peers(5))
    # one account among two is 50 %, but two accounts are too few to speak of a portfolio share
    assert "dependency" not in risks_of(account("half"), *peers(1))


# --- control -------------------------------------------------------------------------------


def test_control_when_we_hold_little_of_its_network() -> None:
    assert risks_of(account(network_held=0.1))["control"].severity == "high"
    assert risks_of(account(network_held=0.25))["control"].severity == "medium"


def test_no_control_risk_when_network_held_or_unknown() -> None:
    assert "control" not in risks_of(account(network_held=0.5))
    assert "control" not in risks_of(account(network_held=None))


def test_no_control_risk_for_an_account_without_a_downstream_network() -> None:
    losing = {"network_held": 0.1, "periods": {"2026-Q3": {"sales": 100000, "gross_margin": -0.1}}}
    assert "control" in risks_of(from_data(**losing))
    assert "control" not in risks_of(from_data(kind="end-user", **losing))


def test_network_in_hand_rule() -> None:
    assert network_status(account(network_held=0.6), DEFAULT)[0]
    held, why = network_status(account(network_held=0.59), DEFAULT)
    assert not held and "59%" in why and "60%" in why
    assert not network_status(account(network_held=None), DEFAULT)[0]
    settings, _ = settings_from_data({"risks": {"control": {"in_hand": 0.5}}})
    assert network_status(account(network_held=0.55), settings)[0]  # Settings work too
    assert network_status(account_facts(account(network_held=0.7)), DEFAULT)[0]  # and facts


# --- neglect -------------------------------------------------------------------------------


def test_neglect_when_no_visit_within_the_tier_cadence() -> None:
    c_tier = account(visits=(Visit(TODAY - dt.timedelta(days=200)),))  # C: every 180 days
    assert risks_of(c_tier)["neglect"].severity == "medium"
    never = account(visits=())
    assert "no visit on record" in risks_of(never)["neglect"].why


def test_no_neglect_when_visited_or_exited() -> None:
    assert "neglect" not in risks_of(account(visits=(Visit(TODAY - dt.timedelta(days=100)),)))
    assert "neglect" not in risks_of(account(stage="exited", visits=()))


def test_neglect_cadence_follows_kam_yaml_visit_cadence() -> None:
    settings, findings = settings_from_data({"visit_cadence": {"C": 60}})
    assert not findings
    acc = account(visits=(Visit(TODAY - dt.timedelta(days=100)),))
    assert risks_of(acc, config=settings.scoring)["neglect"].figures["cadence_days"] == 60


# --- complaints ----------------------------------------------------------------------------


def test_complaints_open_past_the_response_standard() -> None:
    late = account(complaints=(complaint(days_ago=7), complaint(days_ago=2, closed=True)))
    risk = risks_of(late)["complaints"]  # tier C: 72 h; 7 days open is past twice that
    assert risk.severity == "high" and risk.figures["open_late"] == 1


def test_complaints_risk_measures_the_response_not_how_long_it_stays_open() -> None:
    def risk(*complaints: dict[str, object]):  # type: ignore[no-untyped-def]
        return risks_of(from_data(complaints=list(complaints))).get("complaints")

    # answered the same day, still open for weeks: no risk (before, flagged as late)
    assert risk({"opened": "2026-10-01 09:00", "answered": "2026-10-01 15:00"}) is None
    # answered after four days (C tier: 72 h): late
    late = risk({"opened": dt.date(2026, 10, 1), "answered": dt.date(2026, 10, 5)})
    assert late is not None and late.figures["answered_late"] == 1 and late.figures["slowest_answer_hours"] == 96
    # with times of day the response counts in hours: 80 h > 72 h
    timed = risk({"opened": "2026-10-01 08:00", "answered": "2026-10-04 16:00"})
    assert timed is not None and timed.figures["slowest_answer_hours"] == 80


def test_a_response_is_shown_in_hours_with_times_and_in_days_with_dates_only(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """One figure, one display (issue 9), in `kam show` and `kam risks` alike: 49 h is shown 49 h
    (it was "2 d" while risks said it was late), a same-day answer with dates only 0 d (it was 0 h)."""
    write_account(
        repo,
        "acme",
        "id: acme\nname: Acme\nstage: active\ncomplaints:\n"
        "  - {opened: 2026-11-28 09:00, answered: 2026-11-30 10:00, summary: timed}\n"
        "  - {opened: 2026-11-27, answered: 2026-11-27, summary: dates}\n"
        "  - {opened: 2026-11-01, answered: 2026-11-04, summary: days}\n",
    )
    rows = [line.split() for line in kam("show", "acme", cwd=repo.root).out.splitlines()]
    assert ["complaints.1", "2026-11-28", "09:00", "2026-11-30", "10:00", "49", "h", "timed"] in rows
    assert ["complaints.2", "2026-11-27", "2026-11-27", "0", "d", "dates"] in rows
    assert ["complaints.3", "2026-11-01", "2026-11-04", "3", "d", "days"] in rows
    timed = from_data(complaints=[{"opened": "2026-10-01 09:00", "answered": "2026-10-04 10:00"}])
    risk = risks_of(timed)["complaints"]
    assert "(slowest 73 h)" in risk.why  # tier C: 72 h
    in_days = risks_of(from_data(complaints=[{"opened": dt.date(2026, 10, 1), "answered": dt.date(2026, 10, 5)}]))
    assert "(slowest 4 d)" in in_days["complaints"].why and in_days["complaints"].figures["slowest_answer"] == "4 d"


def test_no_complaint_risk_when_answered_in_time() -> None:
    assert "complaints" not in risks_of(account(complaints=(complaint(days_ago=2),)))
    assert "complaints" not in risks_of(account(complaints=(complaint(days_ago=30, closed=True),)))


# --- margin --------------------------------------------------------------------------------


def test_margin_thin_or_negative() -> None:
    assert risks_of(account(periods=quarters(4, sales=1e6, gross_margin=0.03)))["margin"].severity == "medium"
    assert risks_of(account(periods=quarters(4, sales=1e6, gross_margin=-0.02)))["margin"].severity == "high"


def test_no_margin_risk_for_a_healthy_margin() -> None:
    assert "margin" not in risks_of(account(periods=quarters(4, sales=1e6, gross_margin=0.12)))


# --- policy --------------------------------------------------------------------------------


def test_policy_when_terms_beyond_the_tier() -> None:
    # a C account on credit terms with a 1M limit: both beyond what C allows
    c_on_credit = account(payment_terms="credit", credit_limit=1_000_000)
    risk = risks_of(c_on_credit)["policy"]
    assert "payment terms 'credit'" in risk.why and "credit limit 1,000,000" in risk.why


def test_policy_risk_compares_discount_and_rebate_granted_with_the_tier() -> None:
    tier_c = {"tier_override": {"tier": "C", "reason": "test"}}
    risk = risks_of(from_data(discount=0.06, rebate=0.01, **tier_c))["policy"]  # tier C allows 0 % and 0 %
    assert risk.figures["discount"] == 0.06 and risk.figures["allowed_discount"] == 0.0
    assert "discount 6.0% above tier C's 0.0%" in risk.why
    assert "rebate" in risk.figures
    assert "policy" not in risks_of(from_data(discount=0.0, **tier_c))


def test_no_policy_risk_within_the_tier() -> None:
    assert "policy" not in risks_of(account(payment_terms="cash", credit_limit=0))


def test_thresholds_come_from_kam_yaml() -> None:
    config, findings = scoring_config_from_data({"risks": {"margin": {"thin_below": 0.2}}})
    assert not findings
    assert "margin" in risks_of(account(), config=config)


def test_risks_come_in_code_order_with_json() -> None:
    bad = account(
        "bad",
        payment_terms="credit",
        credit_limit=2_000_000,
        network_held=0.1,
        visits=(),
        periods=quarters(
            4, sales=1e6, gross_margin=-0.01, receivables=900_000, overdue=500_000, stock_in=2e6, sell_through=1e6
        ),
    )
    codes = list(risks_of(bad))
    assert codes == [c for c in RISK_CODES if c in codes] and len(codes) >= 5
    evaluation = evaluate_all([bad], DEFAULT, TODAY)[0]
    assert all(set(r) >= {"code", "severity", "why"} for r in evaluation.as_json()["risks"])


def test_an_exited_account_raises_no_flags() -> None:
    import datetime as dt

    from kam_tui.model.account import Account, Period
    from kam_tui.model.evaluate import evaluate_all
    from kam_tui.model.scorecard import ScoringConfig

    figures = dict(sales=1_000_000, gross_margin=-0.05, receivables=900_000, overdue=800_000)
    periods = tuple(Period(f"2026-Q{q}", **figures) for q in (1, 2, 3))
    active = Account("gone", "Gone", stage="active", periods=periods)
    exited = Account("gone", "Gone", stage="exited", periods=periods)
    today = dt.date(2026, 11, 28)
    assert evaluate_all([active], ScoringConfig.default(), today)[0].risks
    assert evaluate_all([exited], ScoringConfig.default(), today)[0].risks == ()
