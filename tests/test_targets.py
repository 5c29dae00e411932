"""Targets agreed with the account (L322) and their achievement — sales against the target,
sell-through beside it — in `kam score ID` as in `kam show ID`."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import write_account
from kam_tui.model.account import Account, Period, Target
from kam_tui.model.achievement import achievement_of
from kam_tui.store.repository import Repository

ACME = """\
id: acme
name: Acme
stage: active
since: 2020-01-01
periods:
  2026-Q3: {sales: 1200000, gross_margin: 0.12, sell_through: 1100000}
targets:
  2026-Q3: {sales: 1500000}
  2027-Q1: {sales: 1600000}
"""


@pytest.fixture
def acme(repo: Repository) -> Repository:
    write_account(repo, "acme", ACME)
    return repo


def test_score_explain_shows_each_target_against_sales_with_sell_through(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "score", "acme", "--explain", "--today", "2026-11-20")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    at = lines.index("targets agreed with the account (sales against the target, sell-through beside it):")
    assert lines[at + 1 : at + 3] == [
        "  2026-Q3: sales 1,200,000 of target 1,500,000 (80%), sell-through 1,100,000",
        "  2027-Q1: target 1,600,000; no sales on file yet",
    ]


def test_score_json_of_one_account_carries_its_achievement(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "score", "acme", "--json", "--today", "2026-11-20")
    assert r.code == 0, r.err
    achievement = json.loads(r.out)["achievement"]
    assert [(a["period"], a["achieved"], a["sell_through"]) for a in achievement] == [
        ("2026-Q3", 0.8, 1100000),
        ("2027-Q1", None, None),
    ]


def test_achievement_reads_in_chinese(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "--lang", "zh", "score", "acme", "--today", "2026-11-20")
    assert r.code == 0, r.err
    # sales is 销售额 (the glossary), sell-through 实际销量
    assert "  2026-Q3：销售额 1,200,000，目标 1,500,000 (80%)，实际销量 1,100,000" in r.out.splitlines()


def test_a_review_period_without_its_own_target_sums_its_quarters_only_when_every_one_has_one() -> None:
    quarters = (Target("2026-Q3", 100.0), Target("2026-Q4", 200.0))
    base = Account("acme", "Acme", periods=(Period("2026-Q3", sales=90.0),), targets=quarters)

    def target(key: str, *targets: Target) -> float | None:
        found = achievement_of(dataclasses.replace(base, targets=targets) if targets else base, key)
        return None if found is None else found.target_sales

    assert (target("2026-H2"), target("2026-Q3"), target("2026-H1"), target("2026")) == (300.0, 100.0, None, None)
    assert target("2026-H2", Target("2026-Q3", 100.0)) is None  # Q4 has none: a partial sum would read as a miss
    assert target("2026-H2", Target("2026-Q3", 100.0), Target("2026-Q4")) is None  # a target without sales
    assert target("2026-H2", *quarters, Target("2026-H2", 250.0)) == 250.0  # its own wins
    assert achievement_of(base, "2026-H2") == achievement_of(
        dataclasses.replace(base, targets=(Target("2026-H2", 300.0),)), "2026-H2"
    )
