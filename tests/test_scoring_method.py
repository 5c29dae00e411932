"""The scoring method (B9): every score records the method that computed it, and `kam score --since`
names a method change as its own cause when a closed review recorded another tier for the same data
under the same rules."""

from __future__ import annotations

import json

from conftest import commit_all, git, write_account
from kam_tui.model.scoring import METHOD
from kam_tui.store.repository import Repository

TODAY = "2026-11-20"

# 12 M sold in a year, 4.8 M of it sold through: tier A on sell-in (method 1), not on what sold through
STUFFER = """\
id: stuffer
name: Stuffer Trading
stage: active
since: 2015-01-01
periods:
  2025-Q4: {sales: 3000000, sell_through: 1200000, gross_margin: 0.2, orders: 6}
  2026-Q1: {sales: 3000000, sell_through: 1200000, gross_margin: 0.2, orders: 6}
  2026-Q2: {sales: 3000000, sell_through: 1200000, gross_margin: 0.2, orders: 6}
  2026-Q3: {sales: 3000000, sell_through: 1200000, gross_margin: 0.2, orders: 6}
"""


def _report(tier: str, score: float, method: int | None) -> str:
    data: dict = {"period": "2026-Q3", "accounts": [{"id": "stuffer", "tier": tier, "score": score}]}  # type: ignore[type-arg]
    if method is not None:
        data["scoring_method"] = method
    return json.dumps(data)


def _close_review(repo: Repository, report: str) -> str:
    folder = repo.root / "reviews" / "2026-Q3"
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(report)
    commit_all(repo.root, "close review 2026-Q3")
    return git(repo.root, "rev-parse", "HEAD").strip()


def test_every_score_records_its_method(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "stuffer", STUFFER)
    one = json.loads(kam("--repo", str(repo.root), "score", "stuffer", "--json", "--today", TODAY).out)
    assert one["method"] == METHOD == 3
    assert all(e["method"] == METHOD for e in json.loads(kam("--repo", str(repo.root), "score", "--json").out))
    shown = json.loads(kam("--repo", str(repo.root), "show", "stuffer", "--json", "--today", TODAY).out)
    assert shown["computed"]["method"] == METHOD


def test_a_tier_recorded_by_an_older_method_is_reported_as_a_method_change(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "stuffer", STUFFER)
    now = json.loads(kam("--repo", str(repo.root), "score", "stuffer", "--json", "--today", TODAY).out)
    assert now["tier"] != "A"
    ref = _close_review(repo, _report("A", 81.0, None))  # written before kam recorded its method: method 1
    result = kam("--repo", str(repo.root), "score", "--since", ref, "--json", "--today", TODAY)
    assert result.code == 0, result.err
    (change,) = json.loads(result.out)
    assert (change["id"], change["from"], change["to"], change["cause"]) == ("stuffer", "A", now["tier"], "method")
    assert (change["method_from"], change["method_to"], change["method_tier"]) == (1, METHOD, now["tier"])
    assert change["data_changes"] == [] and change["rule_changes"] == []
    text = kam("--repo", str(repo.root), "score", "--since", ref, "--today", TODAY).out
    assert f"stuffer: A → {now['tier']} (score 81.0 → {now['score']:.1f}) — kam's scoring method changed" in text
    assert f"method 1 → {METHOD}: volume counts what sold through" in text  # every change since 1, in order
    assert "one overdue share (the latest quarter's) everywhere; an end user's volume is what it bought" in text


def test_a_tier_recorded_by_this_method_is_no_method_change(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "stuffer", STUFFER)
    ref = _close_review(repo, _report("A", 81.0, METHOD))
    result = kam("--repo", str(repo.root), "score", "--since", ref, "--json", "--today", TODAY)
    assert json.loads(result.out) == []
