"""Scoring untrusted accounts and rules: an account with errors is skipped and named with its file
and line, a score stays within 0–100, kam.yaml is refused rather than replaced by defaults, and
time travel (`--since`, `--at`) says truthfully what changed."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from conftest import Result, commit_all, git, write_account

from kam_tui.store.repository import Repository, read_account

Kam = Callable[..., Result]
SKIPPED = "1 account file(s) skipped because of errors; run `kam validate` for details\n"


def _run(kam: Kam, repo: Repository, *args: str) -> Result:
    return kam("--repo", str(repo.root), *args)


# --- values no calendar or float can hold: errors with their line, skipped by the reports ---------


def test_a_survey_before_1900_is_an_error_and_skipped_by_list_and_score(repo: Repository, kam: Kam) -> None:
    """A date kam cannot compute with (0001-01-01, whose year before would overflow) is an error
    with its line; `kam list` and `kam score` skip the file and say so."""
    write_account(repo, "x", "id: x\nname: X\nsurveys: [{date: 0001-01-01, product: 3}]\n")
    validated = _run(kam, repo, "validate")
    assert validated.code == 1
    assert "accounts/x.yaml:3:18: error: surveys.1.date: 0001-01-01 is outside the years 1900–2199" in validated.out
    listed = _run(kam, repo, "list")
    assert listed.code == 0 and listed.err == "1 file(s) skipped because of errors; run `kam validate` for details\n"
    scored = _run(kam, repo, "score", "--today", "2026-07-01")
    assert scored.code == 0 and SKIPPED in scored.err


@pytest.mark.parametrize("quarter", ["0000-Q1", "1000-Q1"])
def test_a_quarter_before_1900_is_skipped_by_portfolio(repo: Repository, kam: Kam, quarter: str) -> None:
    """A period key before 1900 (whose previous quarter would be year 999 or -1) is an error;
    `kam portfolio` reports on the rest."""
    write_account(repo, "x", f"id: x\nname: X\nperiods: {{{quarter}: {{sales: 5}}}}\n")
    result = _run(kam, repo, "portfolio", "--today", "2026-07-01")
    assert result.code == 0 and result.err == SKIPPED
    assert result.out.startswith("0 accounts · sales (last 12 months) 0 CNY · as of 2026-07-01\n")


def test_money_whose_sum_would_overflow_is_an_error(repo: Repository, kam: Kam) -> None:
    """Amounts are bounded so that no sum of them is infinite: four quarters of 1.7e308 are an
    error, and `kam portfolio` reports on the rest."""
    quarters = ", ".join(f"{q}: {{sales: 1.7e308}}" for q in ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"))
    write_account(repo, "x", f"id: x\nname: X\nperiods: {{{quarters}}}\n")
    problems = read_account("accounts/x.yaml", (repo.accounts_dir / "x.yaml").read_bytes()).problems
    assert any("larger than kam accepts" in p.message for p in problems)
    result = _run(kam, repo, "portfolio", "--today", "2026-07-01")
    assert result.code == 0 and result.err == SKIPPED


def test_score_of_an_account_with_errors_names_its_file_and_line(repo: Repository, kam: Kam) -> None:
    """`kam score ID` / `kam assess ID` of an account whose file has errors print those errors
    with file and line, and refuse."""
    write_account(repo, "a", "id: a\nname: A\nperiods: {2025-Q1: {sales: -5}}\n")
    for args in (("score", "a"), ("assess", "a")):
        result = _run(kam, repo, *args)
        assert result.code == 2, (args, result.err)
        assert result.err == (
            "accounts/a.yaml:3:28: error: periods.2025-Q1.sales: -5 must not be negative\n"
            "kam: accounts/a.yaml has errors, so it is not scored; fix them first (`kam validate`)\n"
        )


def test_overdue_larger_than_receivables_is_an_error(repo: Repository, kam: Kam) -> None:
    """`overdue` is part of `receivables`: 500 overdue of 0 receivables is an error with its line
    (never scored as '0% overdue', perfect payment)."""
    write_account(
        repo,
        "a",
        "id: a\nname: A\nratings: {credit: 1}\nperiods: {2025-Q1: {sales: 100, receivables: 0, overdue: 500}}\n",
    )
    validated = _run(kam, repo, "validate")
    assert validated.code == 1
    assert (
        "accounts/a.yaml:4:58: error: periods.2025-Q1.overdue: 500 overdue is more than the 0 receivables"
        " it is part of" in validated.out
    )


# --- kam.yaml ------------------------------------------------------------------------------------


def test_huge_weights_are_refused_with_their_line(repo: Repository, kam: Kam) -> None:
    """A score is 0–100, so weights are bounded: `weight: 1e308` is refused with its line."""
    write_account(
        repo, "x", "id: x\nname: X\nsince: 2020-01-01\nperiods: {2025-Q1: {sales: 5000000, gross_margin: 0.2}}\n"
    )
    (repo.root / "kam.yaml").write_text("scorecard: {sales: {weight: 1e308}}\n", encoding="utf-8")
    result = _run(kam, repo, "score", "x", "--json", "--today", "2025-06-01")
    assert result.code == 2 and "kam.yaml:1" in result.err and "outside 0–1000" in result.err, result.err


# --- time travel ---------------------------------------------------------------------------------


def test_since_names_the_data_change_that_moved_the_tier(repo: Repository, kam: Kam) -> None:
    """`--since` says whether data or rules moved a tier: four new quarters (stock figures only)
    that push the sales out of the recent window are a data change, listed."""
    quarters = "".join(f"  2024-Q{i}: {{sales: 3000000, gross_margin: 0.2, orders: 4}}\n" for i in range(1, 5))
    base = "id: a\nname: A\nsince: 2015-01-01\nratings: {credit: 3}\nperiods:\n" + quarters
    write_account(repo, "a", base)
    git(repo.root, "tag", "before")
    write_account(
        repo, "a", base + "".join(f"  2025-Q{i}: {{stock_in: 100, sell_through: 100}}\n" for i in range(1, 5))
    )
    result = _run(kam, repo, "score", "a", "--since", "before", "--today", "2025-12-31", "--json")
    change = json.loads(result.out)
    assert change["from"] != change["to"]
    assert change["cause"] == "data" and change["data_changes"], change


def test_an_invalid_kam_yaml_at_a_revision_is_named_with_that_revision(repo: Repository, kam: Kam) -> None:
    """A problem in the kam.yaml of an older revision is named `kam.yaml@REV`, not mistaken for
    today's (valid) kam.yaml."""
    write_account(repo, "a", "id: a\nname: A\n")
    (repo.root / "kam.yaml").write_text("tiers: {A: 10, B: 20}\n", encoding="utf-8")
    commit_all(repo.root, "bad rules")
    (repo.root / "kam.yaml").write_text("tiers: {A: 30, B: 20}\n", encoding="utf-8")
    commit_all(repo.root, "fixed rules")
    assert _run(kam, repo, "validate").code == 0
    result = _run(kam, repo, "score", "--since", "HEAD~1")
    assert result.code == 2
    assert result.err.startswith("kam.yaml@HEAD~1:1:12: error: tiers.A (10) must be above tiers.B (20)\n")


def test_at_a_date_after_the_last_commit_scores_the_last_commit(repo: Repository, kam: Kam) -> None:
    """`--at DATE` past git's own date range (2100) scores the last commit before it."""
    write_account(repo, "a", "id: a\nname: A\n")
    sha = git(repo.root, "rev-parse", "--short=10", "HEAD").strip()
    result = _run(kam, repo, "score", "--at", "2100-01-01")
    assert result.code == 0, result.err
    assert result.err == f"1 account(s) scored as of 2100-01-01 at 2100-01-01 ({sha})\n"
