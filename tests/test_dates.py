"""Dates (B6): a quarter's actual figures and `since` cannot be in the future (writes refuse them,
`kam validate` warns about them), short histories are annualised before they meet four-quarter
thresholds, and stale figures say which quarter they end in."""

from __future__ import annotations

import json

from conftest import commit_count, write_account
from kam_tui.store import catalog
from kam_tui.store.repository import Repository

TODAY = "2026-11-20"  # in 2026-Q4; the last quarter that has ended is 2026-Q3


def _steady(ident: str, name: str, quarters: tuple[str, ...]) -> str:
    """An account file with 2.5M sales in each of the quarters."""
    lines = "".join(f"  {quarter}: {{sales: 2500000}}\n" for quarter in quarters)
    return f"id: {ident}\nname: {name}\nstage: active\nsince: 2020-01-01\nperiods:\n{lines}"


FULL = _steady("full", "Full Year", ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"))
SHORT = _steady("short", "Three Quarters", ("2026-Q1", "2026-Q2", "2026-Q3"))


def _kam(repo: Repository, kam, *args: str):  # type: ignore[no-untyped-def]
    return kam("--repo", str(repo.root), *args, "--today", TODAY)


def _sales(repo: Repository, kam, account: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = _kam(repo, kam, "score", account, "--json")
    assert result.code == 0, result.err
    return next(d for d in json.loads(result.out)["dimensions"] if d["name"] == "sales")


def test_figures_for_a_quarter_not_begun_and_a_future_since_are_refused(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "full", FULL)
    before, commits = (repo.accounts_dir / "full.yaml").read_bytes(), commit_count(repo.root)
    refused = _kam(repo, kam, "set", "full", "periods.2062-Q3.sales=1000")
    assert refused.code == 2
    assert "periods.2062-Q3: a quarter that has not begun (today is in 2026-Q4)" in refused.err
    assert "targets.2062-Q3" in refused.err  # where a plan goes
    refused = _kam(repo, kam, "set", "full", "since=2027-01-01")
    assert refused.code == 2 and "since 2027-01-01 is after today (2026-11-20)" in refused.err
    assert (repo.accounts_dir / "full.yaml").read_bytes() == before and commit_count(repo.root) == commits
    # the current quarter and targets for future periods are fine
    assert _kam(repo, kam, "set", "full", "periods.2026-Q4.sales=10", "targets.2027-Q1.sales=900").code == 0


def test_validate_warns_about_future_figures_already_on_file(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "full", FULL.replace("periods:\n", "periods:\n  2062-Q3: {sales: 1000}\n"))
    result = _kam(repo, kam, "validate")
    assert result.code == 0, result.out
    assert (
        "accounts/full.yaml:6:3: warning: periods.2062-Q3: a quarter that has not begun (today is in 2026-Q4)"
        in result.out
    )


def test_validate_scans_the_accounts_once(repo: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The future-dates check reuses the catalog `kam validate` read (at 10,000 accounts the second
    scan cost 0.19 s of 0.80, in-process medians of 7)."""
    write_account(repo, "full", FULL)
    scans = []
    real = catalog._scan
    monkeypatch.setattr(catalog, "_scan", lambda root: scans.append(root) or real(root))
    assert _kam(repo, kam, "validate").code == 0
    assert len(scans) == 1


def test_a_short_history_is_annualised_so_its_fourth_quarter_is_not_growth(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "full", FULL)
    write_account(repo, "short", SHORT)
    short, full = _sales(repo, kam, "short"), _sales(repo, kam, "full")
    assert short["points"] == full["points"] == 100  # 7.5 M in three quarters is 10 M a year
    assert short["inputs"]["annual_volume"] == 10_000_000
    assert short["why"] == "7,500,000 in 2026-Q1–2026-Q3, only 3 quarters on file: 10,000,000 a year → 100 points"
    scores = {e["id"]: e for e in json.loads(_kam(repo, kam, "score", "--json").out)}
    assert scores["short"]["tier"] == scores["full"]["tier"]
    assert scores["short"]["share_of_sales"] == scores["full"]["share_of_sales"] == 0.5


def test_stale_figures_say_where_they_end(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "full", FULL)
    result = kam("--repo", str(repo.root), "score", "full", "--json", "--today", "2027-08-01")
    sales = next(d for d in json.loads(result.out)["dimensions"] if d["name"] == "sales")
    assert sales["why"] == "10,000,000 in 2025-Q4–2026-Q3 — last figures 2026-Q3, not the last 12 months → 100 points"
    assert sales["inputs"]["last_figures"] == "2026-Q3"
    assert "in the last 12 months" in _sales(repo, kam, "full")["why"]  # current figures keep the words
