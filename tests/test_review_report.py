"""The review report: its figures checked against hand-computed ones on a small repository, the
markdown and HTML forms, and closing a review (commit + tag) so the next report compares with it."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from kam_tui.store.repository import Repository
from conftest import git, write_account

ACME = """id: acme
name: Acme <b>机械</b>
owner: wang
stage: active
tier_override: {tier: A, reason: the team decided}
periods:
  2025-Q3: {sales: 800}
  2026-Q3: {sales: 1000, sell_through: 900}
targets:
  2026-Q3: {sales: 1250}
surveys:
  - {date: 2026-08-01, product: 4, service: 5, brand: 3}
complaints:
  - {opened: 2026-07-01, answered: 2026-07-02, closed: 2026-07-10, summary: late delivery}
  - {opened: 2026-08-01, answered: 2026-08-05, summary: wrong invoice}
visits:
  - {date: 2026-07-15, by: wang}
  - {date: 2026-08-20, by: wang}
actions:
  - {what: send samples, owner: wang, due: 2026-09-01, status: done, opened: 2026-08-01, closed: 2026-08-30}
  - {what: fix invoice, owner: wang, due: 2026-09-15, status: open, opened: 2026-08-02}
"""
BETA = """id: beta
name: Beta
owner: wang
stage: active
tier_override: {tier: B, reason: new channel}
periods:
  2026-Q3: {sales: 500}
"""
GAMMA = """id: gamma
name: Gamma
owner: li
stage: active
tier_override: {tier: B, reason: regional anchor}
periods:
  2025-Q3: {sales: 400}
  2026-Q3: {sales: 200}
targets:
  2026-Q3: {sales: 200}
"""


@pytest.fixture
def small(repo: Repository) -> Repository:
    for ident, text in (("acme", ACME), ("beta", BETA), ("gamma", GAMMA)):
        write_account(repo, ident, text)
    return repo


def _report(kam, repo: Repository, period: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = kam("--repo", str(repo.root), "review", "report", period, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_account_figures_match_the_hand_computed_ones(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    data = _report(kam, small, "2026-Q3")
    assert data["as_of"] == "2026-09-30"
    acme = next(a for a in data["accounts"] if a["id"] == "acme")
    assert acme["tier"] == "A"
    assert (acme["sales"], acme["growth"], acme["target"], acme["achievement"]) == (1000, 0.25, 1250, 0.8)
    assert acme["sell_through"] == 900
    assert acme["satisfaction"] == 4.0
    # A answers within 24 h: the next-day answer is in time, the four-day one is not
    assert acme["complaints"] == {"opened": 2, "answered": 2, "answered_in_time": 1, "resolved": 1}
    assert acme["visits"] == {"made": 2, "expected": 4}  # 92 days at A's 30-day cadence
    assert acme["actions"] == {"due": 2, "on_time": 1, "open": 1, "overdue": 1}
    gamma = next(a for a in data["accounts"] if a["id"] == "gamma")
    assert (gamma["growth"], gamma["achievement"]) == (-0.5, 1.0)
    assert next(a for a in data["accounts"] if a["id"] == "beta")["growth"] is None


def test_account_manager_table(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    owners = {o["owner"]: o for o in _report(kam, small, "2026-Q3")["owners"]}
    wang = owners["wang"]
    assert (wang["accounts"], wang["sales"], wang["growth"]) == (2, 1500, 0.25)  # growth of acme alone: beta is new
    assert (wang["target"], wang["achievement"]) == (1250, 0.8)
    assert (wang["satisfaction"], wang["response_hours"], wang["resolution_rate"]) == (4.0, 60.0, 0.5)
    assert (wang["visits"], wang["visits_expected"]) == (2, 6)  # acme 4 + beta 2 (B: every 90 days)
    assert (wang["actions_due"], wang["actions_on_time"], wang["on_time_rate"]) == (2, 1, 0.5)
    li = owners["li"]
    assert (li["sales"], li["growth"], li["achievement"]) == (200, -0.5, 1.0)


def test_satisfaction_averages_and_the_portfolio_match_the_hand_computed_ones(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """An account's satisfaction is the mean of every rating given in the cycle's surveys; an owner's
    and the portfolio's are the mean of their accounts' (accounts without a survey left out)."""
    root = str(small.root)
    assert kam("--repo", root, "add", "acme", "surveys", "date=2026-09-10", "product=2").code == 0
    assert kam("--repo", root, "add", "acme", "surveys", "date=2026-06-30", "product=1").code == 0  # 2026-Q2
    assert (
        kam("--repo", root, "add", "gamma", "surveys", "date=2026-07-05", "product=5", "service=5", "brand=4").code == 0
    )
    data = _report(kam, small, "2026-Q3")
    satisfaction = {a["id"]: a["satisfaction"] for a in data["accounts"]}
    assert satisfaction == {"acme": 3.5, "beta": None, "gamma": 4.67}  # (4+5+3+2)/4; (5+5+4)/3
    portfolio = data["portfolio"]
    assert (portfolio["satisfaction"], portfolio["previous_satisfaction"]) == (4.08, 1.0)  # (3.5+14/3)/2; Q2: 1
    assert (portfolio["accounts"], portfolio["sales"]) == (3, 1700)
    assert portfolio["tiers"] == {"A": 1, "B": 2, "C": 0, "unscored": 0}
    owners = {o["owner"]: o["satisfaction"] for o in data["owners"]}
    assert owners == {"li": 4.67, "wang": 3.5}


def test_markdown_escapes_data_and_has_every_section(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(small.root), "review", "report", "2026-Q3")
    assert result.code == 0, result.err
    text = result.out
    for heading in (
        "# Review 2026-Q3",
        "## Portfolio",
        "## Accounts",
        "## Tier moves",
        "## Risks",
        "## Satisfaction and service",
        "## Playbooks",
        "## Account managers",
    ):
        assert heading in text
    assert "Acme \\<b\\>机械\\</b\\> (acme)" in text
    assert "<b>" not in text


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_parses_holds_charts_and_never_markup_from_data(small: Repository, kam, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    result = kam("--repo", str(small.root), "review", "report", "2026-Q3", "--format", "html", "--out", str(out))
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    assert parser.tags.count("svg") >= 2  # concentration curve and achievement per owner at least
    assert "b" not in parser.tags  # the account's name stays text
    assert any("Acme <b>机械</b> (acme)" in t for t in parser.text)
    assert page == (kam("--repo", str(small.root), "review", "report", "2026-Q3", "--format", "html").out)


def test_close_commits_tags_and_the_next_report_compares_with_it(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = str(small.root)
    closed = kam("--repo", root, "review", "close", "2026-Q3")
    assert closed.code == 0, closed.err
    assert git(small.root, "tag", "--list", "review/*").split() == ["review/2026-Q3"]
    files = git(small.root, "diff-tree", "--no-commit-id", "--name-only", "-r", "review/2026-Q3^{commit}").split()
    assert files == [
        "reviews/2026-Q3/feedback.md",
        "reviews/2026-Q3/report.html",
        "reviews/2026-Q3/report.json",
        "reviews/2026-Q3/report.md",
    ]
    again = kam("--repo", root, "review", "close", "2026-Q3")
    assert again.code == 2 and "already closed" in again.err
    # after the review the team moves beta down; the next report names the move, its cause and the policy
    assert kam("--repo", root, "set", "beta", "tier_override.tier=C", "periods.2026-Q4.sales=10").code == 0
    data = _report(kam, small, "2026-Q4")
    assert data["compared_with"] == "the closed review review/2026-Q3"
    beta = next(a for a in data["accounts"] if a["id"] == "beta")
    assert (beta["previous"]["tier"], beta["tier"], beta["cause"]) == ("B", "C", "data")
    kept = [a for a in data["accounts"] if a["previous"]["tier"] == a["tier"]]
    assert kept and all((a["cause"], a["why"]) == ("none", f"tier {a['tier'] or '–'} at both revisions") for a in kept)
    move = next(m for m in data["tier_moves"] if m["id"] == "beta")
    assert {c["what"]: (c["old"], c["new"]) for c in move["changes"]} == {
        "discount": ("5%", "0%"),
        "payment_terms": ("credit/partial/cash", "partial/cash"),
        "credit_limit": ("2,000,000", "300,000"),
        "visit_days": ("90", "180"),
        "response_hours": ("48", "72"),
    }


def test_each_cause_is_the_one_tier_change_gives(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """The report reads both tiers from its own evaluations and asks `tier_change` only about the
    accounts that moved: every account's cause and reason stay what `tier_change` says of it."""
    from kam_tui.model.cycle import parse_cycle
    from kam_tui.model.review_figures import as_of_cycle
    from kam_tui.model.review_report import Side, build_report
    from kam_tui.model.timetravel import tier_change
    from kam_tui.store.account_cache import load_accounts

    then, _ = load_accounts(small)
    root = str(small.root)
    assert kam("--repo", root, "set", "beta", "tier_override.tier=C").code == 0  # beta moves by the data
    assert kam("--repo", root, "set", "gamma", "periods.2026-Q4.sales=90").code == 0  # gamma keeps its tier
    accounts, _ = load_accounts(small)
    config = small.settings().scoring
    now, before = parse_cycle("2026-Q4"), parse_cycle("2026-Q3")
    report = build_report(Side(accounts, config, now, "now"), Side(then, config, before, "then"), {}, "CNY")
    old = {a.id: as_of_cycle(a, before) for a in then}
    expected = {
        a.id: tier_change(old[a.id], config, before.last_day, as_of_cycle(a, now), config, now.last_day)
        for a in accounts
    }
    assert {r.id: (r.cause, r.why) for r in report.accounts} == {i: (c.cause, c.why) for i, c in expected.items()}
    assert {r.id: r.cause for r in report.accounts} == {"acme": "none", "beta": "data", "gamma": "none"}


def test_the_closed_review_is_parsed_once_and_its_tag_followed(small: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every report of the next period compares with the closed review's tag: its account files
    are parsed once, then come from the accounts cache (by file name and blob id). A tag moved by
    hand is followed, and each report equals one made without any cache."""
    import shutil

    from kam_tui.store import account_cache

    root = str(small.root)
    assert kam("--repo", root, "review", "close", "2026-Q3").code == 0
    assert kam("--repo", root, "set", "beta", "tier_override.tier=C").code == 0
    first = _report(kam, small, "2026-Q4")
    parsed: list[str] = []
    real = account_cache.read_account

    def counting(rel: str, raw: bytes, positions: bool = True) -> object:
        parsed.append(rel)
        return real(rel, raw, positions)

    monkeypatch.setattr(account_cache, "read_account", counting)
    assert _report(kam, small, "2026-Q4") == first and parsed == []
    beta = next(a for a in first["accounts"] if a["id"] == "beta")
    assert (beta["previous"]["tier"], beta["tier"], beta["cause"]) == ("B", "C", "data")
    git(small.root, "tag", "-f", "-a", "-m", "moved by hand", "review/2026-Q3", "HEAD")  # beta is C there
    moved = _report(kam, small, "2026-Q4")
    assert parsed == ["accounts/beta.yaml"]  # the one file whose version differs at the new tag
    beta = next(a for a in moved["accounts"] if a["id"] == "beta")
    assert (beta["previous"]["tier"], beta["tier"], beta["cause"]) == ("C", "C", "none")
    shutil.rmtree(small.state_dir)
    assert _report(kam, small, "2026-Q4") == moved


def test_the_printed_report_follows_the_reader_and_the_committed_one_kam_yaml(
    small: Repository, kam, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """`kam review report` is read by a person: `--lang` (or $KAM_LANG…) says its language, in both
    formats; `kam review close` commits the team's document in kam.yaml's language whoever closes."""
    root = str(small.root)
    markdown = kam("--repo", root, "review", "report", "2026-Q3", "--lang", "zh")
    assert markdown.code == 0, markdown.err
    assert markdown.out.splitlines()[0] == "# 绩效考核 2026-Q3"
    assert "## 客户组合" in markdown.out and "## Portfolio" not in markdown.out
    html = kam("--repo", root, "--lang", "zh", "review", "report", "2026-Q3", "--format", "html")
    assert '<html lang="zh">' in html.out and "<h1>绩效考核 2026-Q3</h1>" in html.out
    assert kam("--repo", root, "review", "report", "2026-Q3").out.splitlines()[0] == "# Review 2026-Q3"
    monkeypatch.setenv("KAM_LANG", "zh")
    closed = kam("--repo", root, "review", "close", "2026-Q3")
    assert closed.code == 0, closed.err
    folder = small.root / "reviews" / "2026-Q3"
    assert (folder / "report.md").read_text(encoding="utf-8").splitlines()[0] == "# Review 2026-Q3"
    assert '<html lang="en">' in (folder / "report.html").read_text(encoding="utf-8")
    assert git(small.root, "log", "-1", "--format=%s") == "review 2026-Q3: closed, report on 3 account(s)\n"


def test_the_report_of_a_planned_period_covers_the_plans_accounts_and_says_so(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(small, "gone", "id: gone\nname: Gone\nowner: li\nstage: exited\nperiods:\n  2026-Q3: {sales: 300}\n")
    root = str(small.root)
    unplanned = _report(kam, small, "2026-Q3")
    assert [a["id"] for a in unplanned["accounts"]] == ["acme", "beta", "gamma", "gone"]
    assert unplanned["scope"] == {"plan": None, "description": None}
    markdown = kam("--repo", root, "review", "report", "2026-Q3").out
    assert "Accounts: every account (4); 2026-Q3 has no review plan." in markdown.splitlines()[2]

    assert kam("--repo", root, "review", "plan", "2026-Q3").code == 0  # every account that has not exited
    assert [a["id"] for a in _report(kam, small, "2026-Q3")["accounts"]] == ["acme", "beta", "gamma"]
    assert kam("--repo", root, "review", "plan", "2026-Q3", "--tier", "B", "--replace").code == 0
    data = _report(kam, small, "2026-Q3")
    assert data["scope"] == {"plan": "reviews/2026-Q3/plan.yaml", "description": "tiers B"}
    assert [a["id"] for a in data["accounts"]] == ["beta", "gamma"]
    portfolio = data["portfolio"]
    assert (portfolio["accounts"], portfolio["sales"]) == (2, 700)
    assert portfolio["tiers"] == {"A": 0, "B": 2, "C": 0, "unscored": 0}
    assert {o["owner"]: (o["accounts"], o["sales"]) for o in data["owners"]} == {"li": (1, 200), "wang": (1, 500)}
    markdown = kam("--repo", root, "review", "report", "2026-Q3").out
    assert "Accounts: the 2 in the plan's scope (tiers B, reviews/2026-Q3/plan.yaml)." in markdown.splitlines()[2]
    assert "(acme)" not in markdown


def test_a_plan_that_cannot_be_read_stops_the_report(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """Never "every account" in its place: the team would review accounts it did not plan."""
    (small.root / "reviews/2026-Q3").mkdir(parents=True)
    (small.root / "reviews/2026-Q3/plan.yaml").write_text("period: 2026-Q3\naccounts: [acme]\n", encoding="utf-8")
    result = kam("--repo", str(small.root), "review", "report", "2026-Q3")
    assert result.code == 2
    assert "reviews/2026-Q3/plan.yaml" in result.err and result.out == ""


def test_a_period_under_way_is_reported_as_of_its_end_as_kam_score_gives_it(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """Scores, flags and the visits due count to the period's last day: the report says so when
    that day is still ahead, and names the `kam score` that gives the same figures."""
    root = str(small.root)
    result = kam("--repo", root, "review", "report", "2026-Q3", "--format", "json", "--today", "2026-09-15")
    assert result.err == (
        "2026-Q3 has not ended: its figures are as of 2026-09-30, as `kam score --today 2026-09-30` gives them\n"
    )
    scores = json.loads(kam("--repo", root, "score", "--json", "--today", "2026-09-30").out)
    reported = {a["id"]: (a["score"], a["tier"], a["risks"]) for a in json.loads(result.out)["accounts"]}
    codes = {s["id"]: (s["score"], s["tier"], [r["code"] for r in s["risks"]]) for s in scores}
    assert reported == codes  # the override tiers, and flags such as neglect that the day decides
    assert kam("--repo", root, "review", "report", "2026-Q3", "--today", "2026-10-01").err == ""


def test_the_chinese_report_runs_its_sentences_together(small: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    intro = kam("--repo", str(small.root), "review", "report", "2026-Q3", "--lang", "zh").out.splitlines()[2]
    assert "金额单位：CNY。客户范围：全部客户（3 个）；2026-Q3 没有考核计划。" in intro
