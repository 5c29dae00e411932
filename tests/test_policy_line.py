"""The policy a tier earns reads the same in `kam score` and the TUI's Score tab: one set of
values (terms joined by '/', the credit limit with grouped digits or "no cap") from the model."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console

from conftest import write_account
from kam_tui.model.scorecard import Policy
from kam_tui.store.repository import Repository
from kam_tui.tui.gateway import load_score_view
from kam_tui.tui.widgets.score_pane import score_pane

DAY = "2026-11-28"
ACCOUNT = "id: acme\nname: ACME\ntier_override: {tier: B, reason: test}\n"


def test_the_values_of_a_policy_line() -> None:
    capped = Policy("B", 0.05, ("credit", "cash"), 2_000_000.0, 30, 48)
    assert capped.line_values() == {
        "tier": "B",
        "discount": 0.05,
        "terms": "credit/cash",
        "limit": "2,000,000",
        "days": 30,
        "hours": 48,
    }
    uncapped = Policy("B", 0.05, ("credit", "cash"), None, 30, 48)
    assert uncapped.limit_text() == "no cap" and uncapped.line_values("不设上限")["limit"] == "不设上限"


@pytest.mark.parametrize(("credit_limit", "shown"), [("2000000", "2,000,000"), ("null", "no cap")])
def test_kam_score_and_the_score_tab_say_the_same_policy(repo: Repository, kam, credit_limit: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", ACCOUNT)
    settings = repo.root / "kam.yaml"
    text = settings.read_text(encoding="utf-8")
    assert text.count("    credit_limit: 2000000  #") == 1  # tier B's
    settings.write_text(text.replace("    credit_limit: 2000000  #", f"    credit_limit: {credit_limit}  #"))
    policy = (
        f"B: discount 5%, terms credit/partial/cash, credit limit {shown}, visit every 90 days, "
        "complaints answered within 48 h"
    )
    scored = kam("--repo", str(repo.root), "score", "acme", "--today", DAY)
    assert scored.code == 0, scored.err
    assert f"policy {policy}" in scored.out.splitlines()
    view = load_score_view(Repository(repo.root), "acme", today=dt.date.fromisoformat(DAY))
    assert view is not None
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(score_pane(view))
    assert f"Policy {policy}" in console.export_text()
