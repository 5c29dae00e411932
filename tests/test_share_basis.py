"""The 5 % key-account rule without company_sales: every place a share is shown says what it is of."""

from __future__ import annotations

import json
import re

from conftest import git, write_account
from kam_tui.store.repository import Repository


def _two_accounts(repo: Repository) -> None:
    periods = "periods:\n" + "".join(f"  2026-Q{q}: {{sales: {{s}}}}\n" for q in range(1, 4))
    write_account(repo, "big", "id: big\nname: Big\n" + periods.replace("{s}", "9000000"))
    write_account(repo, "small", "id: small\nname: Small\n" + periods.replace("{s}", "100000"))


def test_key_mark_says_the_share_is_of_the_repository(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _two_accounts(repo)
    score = kam("--repo", str(repo.root), "score", "big", "--today", "2026-11-20")
    assert "of the sales of this repository's accounts — company_sales is not set" in score.out
    assert "set company_sales in kam.yaml" in score.err
    show = kam("--repo", str(repo.root), "show", "big")
    assert "this repository's accounts" in show.out and "company_sales:" in show.out
    computed = json.loads(kam("--repo", str(repo.root), "show", "big", "--json").out)["computed"]
    assert computed["share_basis"] == "repository" and computed["key_account"] is True


def test_with_company_sales_the_share_is_of_company_sales(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _two_accounts(repo)
    settings = repo.root / "kam.yaml"
    settings.write_text(re.sub(r"(?m)^company_sales:.*$", "company_sales: 100000000", settings.read_text()))
    git(repo.root, "commit", "-qam", "company sales")
    score = kam("--repo", str(repo.root), "score", "big", "--today", "2026-11-20")
    assert "of company sales" in score.out and "company_sales is not set" not in score.out + score.err
    computed = json.loads(kam("--repo", str(repo.root), "show", "big", "--json").out)["computed"]
    assert computed["share_basis"] == "company"
