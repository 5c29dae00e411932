"""One definition per figure (B8): the average gross margin (weighted by sales) and the overdue share
(the latest quarter with receivables) are the same in `kam score`, `kam risks` and `kam assess`, each
printed with its window."""

from __future__ import annotations

import json

from conftest import write_account
from kam_tui.store.repository import Repository

TODAY = "2026-11-20"

# simple mean of the margins: (-3 % + 2.4 %) / 2 = -0.3 %; weighted by sales: (-3 000 + 12 000) / 600 000 = 1.5 %
ACME = """\
id: acme
name: Acme
stage: active
since: 2020-01-01
payment_terms: credit
periods:
  2026-Q2: {sales: 100000, gross_margin: -0.03, receivables: 400000, overdue: 100000}
  2026-Q3: {sales: 500000, gross_margin: 0.024, receivables: 400000, overdue: 200000}
"""


def _json(repo: Repository, kam, *args: str):  # type: ignore[no-untyped-def]
    result = kam("--repo", str(repo.root), *args, "--json", "--today", TODAY)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_one_average_margin_weighted_by_sales_everywhere(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", ACME)
    score = _json(repo, kam, "score", "acme")
    margin = next(d for d in score["dimensions"] if d["name"] == "margin")
    assert margin["inputs"]["gross_margin"] == 0.015
    assert "1.5% over 2 quarters (2026-Q2–2026-Q3), weighted by sales" in margin["why"]
    risk = next(r for r in _json(repo, kam, "risks") if r["code"] == "margin")
    assert risk["figures"]["gross_margin"] == 0.015
    assert "1.5% over 2026-Q2–2026-Q3, weighted by sales" in risk["why"]
    money = next(a for a in _json(repo, kam, "assess", "acme")["answers"] if a["key"] == "money")
    assert money["figures"]["gross_margin_12m"] == 0.015


def test_one_overdue_share_the_latest_quarters_everywhere(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", ACME)  # 50 % overdue in 2026-Q3 (37.5 % over both quarters, no longer shown)
    credit = next(d for d in _json(repo, kam, "score", "acme")["dimensions"] if d["name"] == "credit")
    assert credit["inputs"]["overdue_ratio"] == 0.5
    assert "50% of receivables overdue in 2026-Q3" in credit["why"]
    risk = next(r for r in _json(repo, kam, "risks") if r["code"] == "collection")
    assert risk["figures"]["overdue_share"] == 0.5 and risk["figures"]["period"] == "2026-Q3"
    assert risk["why"].startswith("50% of receivables overdue in 2026-Q3 (200,000 of 400,000)")
