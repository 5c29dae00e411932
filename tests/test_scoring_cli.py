"""`kam score`, `kam risks`, `kam assess`, `kam portfolio` on the project's sample accounts; one definition
of each figure they share (the average margin, the overdue share), printed with its window."""

from __future__ import annotations

from conftest import SAMPLES, git, write_account
from scoring_support import DAY, DIMENSIONS, run_json, samples_fixture  # noqa: F401  (fixture)


def test_sample_accounts_come_out_as_their_stories_say(kam, demo) -> None:
    scores = {s["id"]: s for s in run_json(kam, demo.root, "score", "--today", DAY)}
    assert scores["sanjiang-auto"]["tier"] == "A"  # the seed's car manufacturer
    assert scores["brightwave-electronics"]["tier"] == "B"  # the electronics company
    assert scores["novapath-robotics"]["tier"] == "C"  # the start-up
    fenghua = scores["fenghua-pharma"]  # overridden to A, the score says B
    assert (fenghua["tier"], fenghua["computed_tier"], fenghua["drift"]) == ("A", "B", True)
    assert "stuffing" in [r["code"] for r in scores["jinding-trading"]["risks"]]
    for s in scores.values():
        assert {"id", "score", "tier", "computed_tier", "risks", "override", "drift", "coverage"} <= set(s)
        assert "dimensions" not in s  # the whole-portfolio list leaves the breakdown to --explain


def test_whole_portfolio_json_has_dimensions_only_with_explain(kam, demo) -> None:
    explained = run_json(kam, demo.root, "score", "--explain", "--today", DAY)
    plain = run_json(kam, demo.root, "score", "--today", DAY)
    assert [s["id"] for s in explained] == [s["id"] for s in plain]
    for full, short in zip(explained, plain, strict=True):
        assert full["dimensions"] and {"name", "weight", "share", "points", "why"} <= set(full["dimensions"][0])
        assert {k: v for k, v in full.items() if k != "dimensions"} == short
    one = run_json(kam, demo.root, "score", "sanjiang-auto", "--today", DAY)
    assert one["dimensions"]  # the one-account form stays full


def test_score_one_account_explains_itself(kam, demo) -> None:
    result = kam("--repo", str(demo.root), "score", "sanjiang-auto", "--explain", "--today", DAY)
    assert result.code == 0
    assert "score 94" in result.out and "tier A" in result.out
    for name in DIMENSIONS:
        assert f"\n{name} " in result.out
    assert "inputs: sales_12m=12,370,000" in result.out


def test_score_table(kam, demo) -> None:
    result = kam("--repo", str(demo.root), "score", "--today", DAY)
    assert result.code == 0
    first = result.out.splitlines()[1]
    assert first.startswith("sanjiang-auto") and " A " in first
    assert "A* (computed B)" in result.out


def test_unknown_account_is_refused(kam, demo) -> None:
    assert kam("--repo", str(demo.root), "score", "nobody").code == 2
    assert kam("--repo", str(demo.root), "assess", "nobody").code == 2


def test_risks(kam, demo) -> None:
    flags = run_json(kam, demo.root, "risks", "--today", DAY)
    codes = {(f["id"], f["code"]) for f in flags}
    assert ("jinding-trading", "stuffing") in codes
    assert ("jinding-trading", "control") in codes
    assert ("kingsway-appliances", "margin") in codes
    assert all(set(f) >= {"id", "code", "severity", "why"} for f in flags)


def test_assess_fake_big_account_takes_the_network_first(kam, demo) -> None:
    data = run_json(kam, demo.root, "assess", "jinding-trading", "--today", DAY)
    assert data["recommendation"] == "take-network-first"
    assert [a["answer"] for a in data["answers"]][2] == "no"


def test_exiting_account_gets_staged_exit_only_once_its_network_is_held(kam, demo) -> None:
    data = run_json(kam, demo.root, "assess", "changfeng-wholesale", "--today", DAY)
    assert data["recommendation"] == "staged-exit"
    result = kam("--repo", str(demo.root), "set", "changfeng-wholesale", "network_held=0.4")
    assert result.code == 0, result.err
    data = run_json(kam, demo.root, "assess", "changfeng-wholesale", "--today", DAY)
    assert data["recommendation"] == "take-network-first"
    text = kam("--repo", str(demo.root), "assess", "changfeng-wholesale", "--today", DAY).out
    assert "recommendation: take-network-first" in text and "3. Can we still control it" in text


def test_portfolio(kam, demo) -> None:
    data = run_json(kam, demo.root, "portfolio", "--today", DAY)
    assert 0 < data["concentration"]["top20_share"] < 1
    assert sum(data["tiers"].values()) == len(list(SAMPLES.glob("*.yaml")))
    assert "jinding-trading" in data["risks"]["stuffing"]
    quadrants = data["matrix"]["quadrants"]
    assert set(quadrants) == {"invest-to-grow", "maintain", "manage-for-cash", "withdraw"}
    assert "sanjiang-auto" in quadrants["maintain"]
    text = kam("--repo", str(demo.root), "portfolio", "--today", DAY).out
    assert "20/80" in text and "staged-exit" in text


def test_invalid_kam_yaml_refuses_to_score(kam, demo) -> None:
    (demo.root / "kam.yaml").write_text("language: en\ntiers:\n  A: high\n")
    for command in (["score"], ["risks"], ["assess", "sanjiang-auto"], ["portfolio"]):
        result = kam("--repo", str(demo.root), *command)
        assert result.code == 2
        assert "kam.yaml:3:" in result.err and "defaults are not used" in result.err


def test_kam_yaml_rules_change_tiers(kam, demo) -> None:
    (demo.root / "kam.yaml").write_text("tiers: {A: 95, B: 60}\n")
    scores = {s["id"]: s for s in run_json(kam, demo.root, "score", "--today", DAY)}
    assert scores["sanjiang-auto"]["tier"] == "B" and scores["brightwave-electronics"]["tier"] == "C"


def test_since_tells_rules_from_data(kam, demo) -> None:
    (demo.root / "kam.yaml").write_text("tiers: {B: 60}\n")
    git(demo.root, "commit", "-q", "-am", "stricter tier B")
    change = run_json(kam, demo.root, "score", "brightwave-electronics", "--since", "HEAD~1", "--today", DAY)
    assert (change["from"], change["to"], change["cause"]) == ("B", "C", "rules")
    assert change["rule_changes"] == [{"key": "tiers.B", "old": 38, "new": 60}]
    result = kam(
        "--repo",
        str(demo.root),
        "set",
        "brightwave-electronics",
        "periods.2026-Q3.sales=3200000",
        "periods.2026-Q3.sell_through=3200000",
    )
    assert result.code == 0, result.err
    change = run_json(kam, demo.root, "score", "brightwave-electronics", "--since", "HEAD~1", "--today", DAY)
    assert change["cause"] == "data" and change["to"] == "B"
    assert change["data_changes"][0]["key"] == "periods.2026-Q3.sales"
    text = kam("--repo", str(demo.root), "score", "--since", "HEAD~2", "--today", DAY).out
    assert "brightwave-electronics: B → B" not in text  # unchanged in the end: not listed


def test_at_scores_the_repository_as_it_was(kam, demo) -> None:
    kam("--repo", str(demo.root), "set", "novapath-robotics", "periods.2026-Q3.sales=3200000")
    now = {s["id"]: s for s in run_json(kam, demo.root, "score", "--today", DAY)}
    then = {s["id"]: s for s in run_json(kam, demo.root, "score", "--at", "HEAD~1", "--today", DAY)}
    assert now["novapath-robotics"]["score"] > then["novapath-robotics"]["score"]
    assert then["novapath-robotics"]["tier"] == "C"


def test_at_scores_the_past_on_the_same_day_for_kam_today_and_today(kam, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kam("--repo", str(demo.root), "set", "novapath-robotics", "periods.2026-Q3.sales=3200000")
    later = "2027-09-30"  # not the commit's day: the neglect of every account differs then
    by_flag = run_json(kam, demo.root, "score", "--at", "HEAD~1", "--today", later)
    assert by_flag != run_json(kam, demo.root, "score", "--at", "HEAD~1")
    monkeypatch.setenv("KAM_TODAY", later)
    assert run_json(kam, demo.root, "score", "--at", "HEAD~1") == by_flag


def test_values_from_files_are_escaped(kam, repo) -> None:
    (repo.accounts_dir / "evil.yaml").write_text(
        'id: evil\nname: "Evil\\e[31m Corp"\nperiods: {2026-Q3: {sales: 100}}\nratings: {capital: 3}\n'
        "since: 2020-01-01\n"
    )
    result = kam("--repo", str(repo.root), "score", "evil", "--today", DAY)
    assert result.code == 0 and "\x1b" not in result.out and "\\x1b[31m" in result.out


# --- one definition per figure: the same margin and overdue share in score, risks and assess -------

# simple mean of the margins: (-3 % + 2.4 %) / 2 = -0.3 %; weighted by sales: (-3 000 + 12 000) / 600 000 = 1.5 %
TWO_QUARTERS = """\
id: acme
name: Acme
stage: active
since: 2020-01-01
payment_terms: credit
periods:
  2026-Q2: {sales: 100000, gross_margin: -0.03, receivables: 400000, overdue: 100000}
  2026-Q3: {sales: 500000, gross_margin: 0.024, receivables: 400000, overdue: 200000}
"""
AS_OF = ("--today", "2026-11-20")


def test_one_average_margin_weighted_by_sales_everywhere(kam, repo) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", TWO_QUARTERS)
    score = run_json(kam, repo.root, "score", "acme", *AS_OF)
    margin = next(d for d in score["dimensions"] if d["name"] == "margin")
    assert margin["inputs"]["gross_margin"] == 0.015
    assert "1.5% over 2 quarters (2026-Q2–2026-Q3), weighted by sales" in margin["why"]
    risk = next(r for r in run_json(kam, repo.root, "risks", *AS_OF) if r["code"] == "margin")
    assert risk["figures"]["gross_margin"] == 0.015
    assert "1.5% over 2026-Q2–2026-Q3, weighted by sales" in risk["why"]
    money = next(a for a in run_json(kam, repo.root, "assess", "acme", *AS_OF)["answers"] if a["key"] == "money")
    assert money["figures"]["gross_margin_12m"] == 0.015


def test_one_overdue_share_the_latest_quarters_everywhere(kam, repo) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", TWO_QUARTERS)  # 50 % overdue in 2026-Q3 (37.5 % over both quarters, no longer shown)
    score = run_json(kam, repo.root, "score", "acme", *AS_OF)
    credit = next(d for d in score["dimensions"] if d["name"] == "credit")
    assert credit["inputs"]["overdue_ratio"] == 0.5
    assert "50% of receivables overdue in 2026-Q3" in credit["why"]
    risk = next(r for r in run_json(kam, repo.root, "risks", *AS_OF) if r["code"] == "collection")
    assert risk["figures"]["overdue_share"] == 0.5 and risk["figures"]["period"] == "2026-Q3"
    assert risk["why"].startswith("50% of receivables overdue in 2026-Q3 (200,000 of 400,000)")
