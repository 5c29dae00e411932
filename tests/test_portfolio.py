"""The portfolio: concentration, tiers and their moves, risks, the matrix, and time travel."""

from __future__ import annotations

import dataclasses
import json

import pytest
from scoring_support import (
    TODAY,
    account,
    quarters,
    seed_car_maker,
    seed_electronics,
    seed_startup,
)

from kam_tui.model.account import Period
from kam_tui.model.facts import account_facts
from kam_tui.model.portfolio import (
    QUADRANTS,
    concentration,
    concentration_curve,
    matrix_position,
    portfolio,
)
from kam_tui.model.tier_moves import moves_quarters
from kam_tui.model.review_figures import quarterly_totals
from kam_tui.model.scorecard import ScoringConfig, scoring_config_from_data
from kam_tui.model.timetravel import account_changes, tier_change

DEFAULT = ScoringConfig.default()


def test_concentration_20_80_and_herfindahl() -> None:
    top20, hhi = concentration([80, 5, 5, 5, 5])
    assert top20 == pytest.approx(0.8)  # one account of five holds 80 %
    assert hhi == pytest.approx(0.8**2 + 4 * 0.05**2)
    top20, hhi = concentration([10] * 10)
    assert top20 == pytest.approx(0.2) and hhi == pytest.approx(0.1)
    assert concentration([]) == (None, None)


def test_the_quarters_before_step_back_over_the_new_year() -> None:
    q1 = account("q1", periods=(Period("2025-Q3", sales=1.0), Period("2026-Q1", sales=2.0, sell_through=1.5)))
    assert moves_quarters([account_facts(q1)]) == ("2025-Q4", "2026-Q1")
    assert moves_quarters([]) is None
    assert quarterly_totals([q1], "2026-Q1", count=3) == (("2025-Q3", 1.0, 0.0), ("2026-Q1", 2.0, 1.5))


def test_concentration_curve_runs_from_the_largest_account_to_all_of_them() -> None:
    assert concentration_curve([0, 20, 60, 20]) == [
        (0.0, 0.0),
        (pytest.approx(1 / 3), pytest.approx(0.6)),
        (pytest.approx(2 / 3), pytest.approx(0.8)),
        (1.0, 1.0),
    ]
    assert concentration_curve([100, 0]) == []  # one account that sold: no curve to draw


def test_portfolio_counts_tiers_and_risks() -> None:
    accounts = [
        seed_car_maker(),
        seed_electronics(),
        seed_startup(),
        account("thin", periods=quarters(4, sales=250_000, gross_margin=0.01)),
    ]
    view = portfolio(accounts, DEFAULT, TODAY)
    assert view.tiers == {"A": 1, "B": 1, "C": 2, "unscored": 0}
    assert view.risks["margin"] == ["thin"]
    assert view.total_sales == pytest.approx(19_000_000)
    assert view.concentration.top20_share == pytest.approx(12 / 19)
    data = json.loads(json.dumps(view.as_json()))
    assert set(data) >= {"concentration", "tiers", "tier_moves", "risks", "matrix"}
    assert {m["id"] for m in data["matrix"]["accounts"]} == {a.id for a in accounts}


def test_tier_moves_between_the_last_two_quarters() -> None:
    # a loss-making clear-out and unpaid bills in the latest quarter: A at 2026-Q2, B at 2026-Q3
    falling = seed_car_maker()
    periods = [*quarters(8, sales=3_000_000, gross_margin=0.15, orders=3, receivables=1e6, overdue=0)]
    periods[-1] = dataclasses.replace(periods[-1], sales=400_000, orders=0, gross_margin=-0.6, overdue=800_000)
    falling = dataclasses.replace(falling, periods=tuple(periods))
    view = portfolio([falling, seed_electronics()], DEFAULT, TODAY)
    assert (view.moves_from, view.moves_to) == ("2026-Q2", "2026-Q3")
    assert [(m.id, m.before, m.after) for m in view.moves] == [("car-maker", "A", "B")]


def test_matrix_quadrants_point_at_playbooks() -> None:
    strong_big = seed_car_maker(
        strategic=True, network_held=0.9, ratings={k: 5 for k in ("capital", "network", "vision")}
    )
    pos = matrix_position(account_facts(strong_big), DEFAULT, TODAY)
    assert pos.quadrant == "maintain" and pos.playbook == "maintenance"
    weak_small = account(
        "weak",
        years=0.5,
        network_held=0.1,
        ratings={"capital": 1, "vision": 1},
        periods=quarters(4, sales=50_000, gross_margin=0.02),
    )
    pos = matrix_position(account_facts(weak_small), DEFAULT, TODAY)
    assert pos.quadrant == "withdraw" and pos.playbook == "staged-exit"
    assert {v[2] for v in QUADRANTS.values()} == {"development", "maintenance", "staged-exit"}


def test_matrix_sees_through_a_fake_big_account() -> None:
    fake = account(
        "fake",
        network_held=0.5,
        periods=quarters(
            8,
            sales=[1e6, 1.2e6, 1.5e6, 1.8e6, 2.2e6, 2.5e6, 2.8e6, 3e6],
            gross_margin=0.1,
            stock_in=[1e6, 1.2e6, 1.5e6, 1.8e6, 2.2e6, 2.5e6, 2.8e6, 3e6],
            sell_through=1e6,
        ),
    )
    pos = matrix_position(account_facts(fake), DEFAULT, TODAY)
    real = dataclasses.replace(
        fake, periods=tuple(dataclasses.replace(p, sell_through=p.stock_in) for p in fake.periods)
    )
    assert pos.attractiveness < matrix_position(account_facts(real), DEFAULT, TODAY).attractiveness


def test_matrix_weights_come_from_kam_yaml() -> None:
    acc = seed_electronics(network_held=0.9)
    config, findings = scoring_config_from_data(
        {"matrix": {"strength": {"ratings": 0, "years": 0, "satisfaction": 0, "network": 1}}}
    )
    assert not findings
    assert matrix_position(account_facts(acc), config, TODAY).strength == pytest.approx(90)


# --- time travel: data or rules? -----------------------------------------------------------


def test_tier_change_from_data() -> None:
    old = seed_electronics()
    new = dataclasses.replace(
        old,
        periods=(
            *old.periods[:-2],
            *(
                Period(key, sales=0, gross_margin=0.15, orders=0, receivables=600_000, overdue=300_000)
                for key in ("2026-Q2", "2026-Q3")
            ),
        ),
    )
    change = tier_change(old, DEFAULT, TODAY, new, DEFAULT, TODAY)
    assert (change.before, change.after, change.cause) == ("B", "C", "data")
    assert [k for k, _, _ in change.data_changes] == [
        "periods.2026-Q2.sales",
        "periods.2026-Q2.orders",
        "periods.2026-Q2.overdue",
        "periods.2026-Q3.sales",
        "periods.2026-Q3.orders",
        "periods.2026-Q3.overdue",
    ]
    assert change.rule_changes == ()


def test_tier_change_from_rules() -> None:
    acc = seed_electronics()
    strict, _ = scoring_config_from_data({"tiers": {"B": 60}})
    change = tier_change(acc, DEFAULT, TODAY, acc, strict, TODAY)
    assert (change.before, change.after, change.cause) == ("B", "C", "rules")
    assert change.rule_changes == (("tiers.B", 38, 60),)
    assert "tiers.B" in change.why


def test_tier_change_when_both_changed_says_which_moved_it() -> None:
    old = seed_electronics()
    new = dataclasses.replace(old, ratings={**old.ratings, "capital": 4})  # tiny data change
    strict, _ = scoring_config_from_data({"tiers": {"B": 60}})
    change = tier_change(old, DEFAULT, TODAY, new, strict, TODAY)
    assert change.cause == "rules" and change.data_changes == (("ratings.capital", 3, 4),)
    assert change.new_data_old_rules == "B" and change.old_data_new_rules == "C"


def test_no_tier_change() -> None:
    acc = seed_car_maker()
    change = tier_change(acc, DEFAULT, TODAY, acc, DEFAULT, TODAY)
    assert not change.changed and change.cause == "none"
    assert json.loads(json.dumps(change.as_json()))["cause"] == "none"


def test_override_change_is_a_data_change() -> None:
    acc = seed_electronics()
    overridden = seed_electronics(override=("A", "group-buy platform"))
    change = tier_change(acc, DEFAULT, TODAY, overridden, DEFAULT, TODAY)
    assert change.cause == "data" and change.data_changes[0][0] == "tier_override"
    assert account_changes(acc, acc) == []


def _small_and_close(**changes: object) -> object:
    """Small, low-margin, but a close relationship: the axes say manage-for-cash."""
    sales = [50_000, 50_000, 50_000, 50_000, 60_000, 70_000, 80_000, 90_000]
    return account(
        "small",
        years=8,
        network_held=0.9,
        ratings={k: 5 for k in ("capital", "network", "vision", "management")},
        **{"periods": quarters(8, sales=sales, gross_margin=0.02), **changes},
    )


def test_small_and_new_accounts_are_never_managed_for_cash() -> None:
    """L233: small accounts can be grown — a prospect or a growing developing account is placed to
    invest, with the reason; a staged exit is never under maintenance; an exited one is counted apart."""
    assert matrix_position(account_facts(_small_and_close()), DEFAULT, TODAY).quadrant == "manage-for-cash"
    for stage in ("prospect", "developing"):
        pos = matrix_position(account_facts(_small_and_close(stage=stage)), DEFAULT, TODAY)
        assert (pos.quadrant, pos.playbook) == ("invest-to-grow", "development"), stage
        assert pos.reason is not None and "never managed for cash" in pos.reason
    exiting = matrix_position(account_facts(_small_and_close(stage="exiting")), DEFAULT, TODAY)
    assert (exiting.quadrant, exiting.playbook, exiting.reason) == (
        "withdraw",
        "staged-exit",
        "in staged exit (stage: exiting)",
    )
    exited = matrix_position(account_facts(_small_and_close(stage="exited")), DEFAULT, TODAY).as_json()
    assert (exited["quadrant"], exited["reason"]) == (None, "exited (stage: exited)")


def test_a_short_history_that_grows_is_growth() -> None:
    """B6/B7: a developing account two quarters old that went 60,000 → 210,000 (the demo's
    xian-changan-mart) grows; its growth is the latest quarter against the ones before, annualised."""
    two = quarters(2, sales=[60_000, 210_000], gross_margin=0.02, sell_through=[52_000, 198_000])
    facts = account_facts(_small_and_close(stage="developing", periods=two))
    assert (facts.growth, facts.growth_basis) == (pytest.approx(2.5), "quarter")
    assert facts.sell_growth == pytest.approx(198 / 52 - 1)
    pos = matrix_position(facts, DEFAULT, TODAY)
    assert (pos.quadrant, pos.parts["growth"]) == ("invest-to-grow", 100.0)
    three = account_facts(account(periods=quarters(3, sales=[100, 300, 400])))
    assert (three.growth, three.growth_basis) == (pytest.approx(1.0), "quarter")  # 400 against the mean of 100, 300
    shrinking = account_facts(_small_and_close(stage="developing", periods=quarters(2, sales=[210_000, 60_000])))
    assert shrinking.growth is not None and shrinking.growth < 0
    assert matrix_position(shrinking, DEFAULT, TODAY).quadrant == "manage-for-cash"
    assert account_facts(account(periods=quarters(1, sales=100))).growth is None
