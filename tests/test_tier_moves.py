"""Tier moves (B8): one function finds them for `kam portfolio` (its last two quarters) and for
`kam score --since` (a revision and now), on the tier that holds, so the two never disagree."""

from __future__ import annotations

import json
import os

import pytest

from conftest import git
from kam_tui.model.tier_moves import TierMove, tier_moves
from kam_tui.store.repository import Repository

NAMES = ("capital", "network", "logistics", "relations", "staff", "vision", "management", "marketing", "credit")
QUARTER = (
    "  {key}: {{sales: {sales}, gross_margin: {margin}, orders: {orders}, receivables: {due}, overdue: {overdue}}}\n"
)
BEFORE = ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")


def _account(ident: str, sales: int, rating: int, extra: str = "") -> str:
    ratings = ", ".join(f"{n}: {rating}" for n in NAMES)
    head = f"id: {ident}\nname: {ident}\nstage: active\nratings: {{{ratings}}}\n{extra}periods:\n"
    return head + "".join(
        QUARTER.format(key=q, sales=sales, margin=0.15, orders=3, due=100_000, overdue=0) for q in BEFORE
    )


def _commit(root: object, day: str, message: str) -> str:
    stamp = f"{day}T10:00:00+0800"
    os.environ.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    try:
        git(root, "add", "-A")  # type: ignore[arg-type]
        git(root, "commit", "-qm", message)  # type: ignore[arg-type]
    finally:
        del os.environ["GIT_AUTHOR_DATE"], os.environ["GIT_COMMITTER_DATE"]
    return git(root, "rev-parse", "HEAD").strip()  # type: ignore[arg-type]


@pytest.fixture
def quarters(repo: Repository) -> tuple[Repository, str, str]:
    """2026-Q2's figures committed after it ended, then 2026-Q3's: one account falls A → B, one
    rises C → B, one rises C → B by its figures but a person holds it at A, one is new."""
    files = {
        "falling": _account("falling", 3_000_000, 3),
        "rising": _account("rising", 100_000, 2),
        "held": _account("held", 100_000, 2, "tier_override: {tier: A, reason: group contract, by: wang}\n"),
    }
    for ident, text in files.items():
        (repo.accounts_dir / f"{ident}.yaml").write_text(text, encoding="utf-8")
    q2 = _commit(repo.root, "2026-07-01", "2026-Q2 figures")
    q3 = {
        "falling": dict(sales=200_000, margin=-0.2, orders=1, due=3_000_000, overdue=2_500_000),
        "rising": dict(sales=3_000_000, margin=0.25, orders=3, due=100_000, overdue=0),
        "held": dict(sales=3_000_000, margin=0.25, orders=3, due=100_000, overdue=0),
    }
    for ident, figures in q3.items():
        with (repo.accounts_dir / f"{ident}.yaml").open("a", encoding="utf-8") as file:
            file.write(QUARTER.format(key="2026-Q3", **figures))
    newbie = (
        "id: newbie\nname: newbie\nstage: active\nperiods:\n  2026-Q3: {sales: 900000, gross_margin: 0.2, orders: 3}\n"
    )
    (repo.accounts_dir / "newbie.yaml").write_text(newbie, encoding="utf-8")
    return repo, q2, _commit(repo.root, "2026-10-01", "2026-Q3 figures")


def test_portfolio_and_score_since_find_the_same_moves(quarters, kam) -> None:  # type: ignore[no-untyped-def]
    repo, q2, q3 = quarters
    root = str(repo.root)
    portfolio = kam("--repo", root, "portfolio", "--json", "--today", "2026-10-01")
    assert portfolio.code == 0, portfolio.err
    moves = json.loads(portfolio.out)["tier_moves"]
    assert (moves["from"], moves["to"]) == ("2026-Q2", "2026-Q3")
    since = kam("--repo", root, "score", "--since", q2, "--at", q3, "--json")
    assert since.code == 0, since.err
    expected = [
        {"id": "falling", "from": "A", "to": "B"},
        {"id": "newbie", "from": None, "to": "B"},
        {"id": "rising", "from": "C", "to": "B"},
    ]  # not `held`: its computed tier rose, the tier that holds is A throughout
    assert moves["moves"] == expected
    assert [{"id": c["id"], "from": c["from"], "to": c["to"]} for c in json.loads(since.out)] == expected


def test_tier_moves_compare_two_readings_by_id() -> None:
    before = {"a": "A", "b": "B", "gone": "C", "unscored": None}
    after = {"a": "B", "b": "B", "new": "C", "unscored": None}
    assert tier_moves(before, after) == [
        TierMove("a", "A", "B"),
        TierMove("gone", "C", None),
        TierMove("new", None, "C"),
    ]
