"""The review cycle: cycles, the committed plan, and the completeness of its data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kam_tui.model.cycle import Cycle, parse_cycle
from kam_tui.model.errors import KamError
from kam_tui.store.repository import Repository
from conftest import commit_all, commit_count, git, write_account

ACME = """id: acme
name: Acme 机械
stage: active
owner: wang
since: 2020-01-01
periods:
  2026-Q3: {sales: 100, gross_margin: 0.1, stock_in: 100, sell_through: 90, receivables: 10, overdue: 0}
"""
BETA = """id: beta
name: Beta
stage: active
owner: li
periods:
  2026-Q4: {sales: 100, gross_margin: 0.1, stock_in: 100, sell_through: 90, receivables: 10, overdue: 0}
surveys:
  - {date: 2026-10-15, product: 4, service: 4, brand: 4}
"""
GONE = "id: gone\nname: Gone\nstage: exited\nowner: li\n"


@pytest.mark.parametrize(
    ("text", "quarters", "first", "last", "previous"),
    [
        ("2026-Q4", ("2026-Q4",), "2026-10-01", "2026-12-31", "2026-Q3"),
        ("2026-Q1", ("2026-Q1",), "2026-01-01", "2026-03-31", "2025-Q4"),
        ("2026-H2", ("2026-Q3", "2026-Q4"), "2026-07-01", "2026-12-31", "2026-H1"),
        ("2026-H1", ("2026-Q1", "2026-Q2"), "2026-01-01", "2026-06-30", "2025-H2"),
        ("2026", ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"), "2026-01-01", "2026-12-31", "2025"),
    ],
)
def test_a_cycle_is_a_quarter_a_half_or_a_year(
    text: str, quarters: tuple[str, ...], first: str, last: str, previous: str
) -> None:
    cycle = parse_cycle(text)
    assert cycle.key == text
    assert cycle.quarters == quarters
    assert (cycle.first_day.isoformat(), cycle.last_day.isoformat()) == (first, last)
    assert cycle.previous.key == previous
    assert cycle.contains(dt.date.fromisoformat(last)) and not cycle.contains(cycle.last_day + dt.timedelta(days=1))


@pytest.mark.parametrize("text", ["2026-Q5", "2026-H3", "26-Q1", "2026Q1", "Q1", "", "2026-Y1"])
def test_other_period_forms_are_refused_with_the_forms_that_work(text: str) -> None:
    with pytest.raises(KamError) as caught:
        parse_cycle(text)
    assert caught.value.hint == "write a quarter (2026-Q4), a half year (2026-H2) or a year (2026)"


def test_cycles_order_by_time() -> None:
    assert sorted([parse_cycle("2026-Q2"), parse_cycle("2025-Q4")]) == [Cycle(2025, "Q", 4), Cycle(2026, "Q", 2)]


@pytest.fixture
def planned(repo: Repository) -> Repository:
    for ident, text in (("acme", ACME), ("beta", BETA), ("gone", GONE)):
        write_account(repo, ident, text)
    return repo


def test_plan_writes_and_commits_the_plan_file(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    before = commit_count(planned.root)
    result = kam("--repo", str(planned.root), "review", "plan", "2026-Q4", "--today", "2026-11-29")
    assert result.code == 0, result.err
    assert commit_count(planned.root) == before + 1
    assert git(planned.root, "log", "-1", "--format=%s").strip() == (
        "review 2026-Q4: plan for 2 account(s), data due 2027-01-10"
    )
    text = (planned.root / "reviews/2026-Q4/plan.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == [
        "period: 2026-Q4",
        'scope: "every account that has not exited"',
        "indicators: [sales, gross_margin, stock_in, sell_through, receivables, overdue, survey]",
        "schedule:",
        "  data_due: 2027-01-10",
        "  review: 2027-01-20",
        "accounts:",
        "  # survey: whether a satisfaction survey is asked of the account in this cycle",
        '  acme: {reviewer: "wang", survey: false}',  # no tier (no score): no survey is due
        '  beta: {reviewer: "li", survey: false}',  # surveyed in 2026-Q4 already
    ]
    assert git(planned.root, "status", "--porcelain").strip() == ""


def test_a_second_plan_is_refused_unless_replace(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(planned.root), "review", "plan", "2026-Q4").code == 0
    again = kam("--repo", str(planned.root), "review", "plan", "2026-Q4", "--stage", "exited")
    assert again.code == 2
    assert "reviews/2026-Q4/plan.yaml already exists" in again.err
    replaced = kam("--repo", str(planned.root), "review", "plan", "2026-Q4", "--stage", "exited", "--replace")
    assert replaced.code == 0, replaced.err
    assert '  gone: {reviewer: "li", survey: false}' in (planned.root / "reviews/2026-Q4/plan.yaml").read_text(
        encoding="utf-8"
    )


def test_plan_scope_by_account_and_a_missing_account_is_refused(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(planned.root), "review", "plan", "2026", "--account", "beta", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["accounts"] == [{"id": "beta", "reviewer": "li", "survey": False}]
    assert data["quarters"] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    missing = kam("--repo", str(planned.root), "review", "plan", "2026-Q3", "--account", "nobody")
    assert missing.code == 2 and "no account 'nobody'" in missing.err


def test_status_lists_what_is_missing_and_who_owes_it(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    kam("--repo", str(planned.root), "review", "plan", "2026-Q4")
    result = kam("--repo", str(planned.root), "review", "status", "2026-Q4")
    assert result.code == 1
    assert result.out == (
        "review 2026-Q4: 1 of 2 account(s) complete (50%); data due 2027-01-10\n"
        "\n"
        "ACCOUNT  OWED BY  MISSING\n"
        "acme     wang     2026-Q4: sales, gross_margin, stock_in, sell_through, receivables, overdue\n"
        "\n"
        "owed by: wang 1\n"
    )
    data = json.loads(kam("--repo", str(planned.root), "review", "status", "2026-Q4", "--json").out)
    assert data["complete"] is False and data["accounts_missing"] == 1
    assert data["gaps"][1] == {"id": "beta", "reviewer": "li", "missing": [], "complete": True}


def test_status_reaches_complete_when_the_data_arrives(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    kam("--repo", str(planned.root), "review", "plan", "2026-Q3", "--indicator", "sales", "--indicator", "overdue")
    assert kam("--repo", str(planned.root), "review", "status", "2026-Q3").code == 1  # beta has no 2026-Q3
    root = str(planned.root)
    assert kam("--repo", root, "set", "beta", "periods.2026-Q3.sales=5", "periods.2026-Q3.overdue=0").code == 0
    done = kam("--repo", root, "review", "status", "2026-Q3")
    assert done.code == 0, done.out
    assert done.out == "review 2026-Q3: 2 of 2 account(s) complete (100%); data due 2026-10-10\n"


def test_planned_periods_are_listed_newest_first_and_a_stray_folder_is_not_one(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    from kam_tui.store.reviews import planned_periods

    for period in ("2026-Q3", "2026", "2026-H1"):
        assert kam("--repo", str(planned.root), "review", "plan", period).code == 0
    (planned.root / "reviews/notes").mkdir()
    (planned.root / "reviews/notes/plan.yaml").write_text("period: notes\n", encoding="utf-8")
    assert [c.key for c in planned_periods(planned)] == ["2026", "2026-Q3", "2026-H1"]


def test_who_owes_figures_counts_incomplete_accounts_per_reviewer() -> None:
    from kam_tui.model.review import Gap, missing_text, owed_by

    found = [Gap("a", "wang", ("survey",)), Gap("b", None, ("file",)), Gap("c", "wang", ()), Gap("d", "li", ("x",))]
    assert owed_by(found) == {"li": 1, "wang": 1, "–": 1}
    assert missing_text(("periods.2026-Q3.sales", "periods.2026-Q4.sales", "periods.2026-Q4.overdue", "survey")) == (
        "2026-Q3: sales; 2026-Q4: sales, overdue; survey"
    )


def test_quarters_before_the_relationship_began_are_not_asked_for(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(
        repo,
        "young",
        "id: young\nname: Young\nowner: li\nsince: 2026-05-01\n"
        "periods:\n  2026-Q2: {sales: 1}\n  2026-Q3: {sales: 2}\n  2026-Q4: {sales: 3}\n",
    )
    kam("--repo", str(repo.root), "review", "plan", "2026", "--indicator", "sales")
    assert kam("--repo", str(repo.root), "review", "status", "2026").code == 0


def test_status_without_a_plan_says_how_to_make_one(planned: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(planned.root), "review", "status", "2026-Q1")
    assert result.code == 2
    assert "no review plan for 2026-Q1 (reviews/2026-Q1/plan.yaml)" in result.err
    assert "hint: plan it with `kam review plan 2026-Q1`" in result.err


def test_the_status_reads_what_each_account_holds_from_the_cache(planned: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The status keeps what each account holds in .git/kam/; a second run takes it from there
    without parsing, and a changed file is read again (its entry is named by its content)."""
    from kam_tui.store import account_cache

    root = str(planned.root)
    kam("--repo", root, "review", "plan", "2026-Q4")
    assert kam("--repo", root, "review", "status", "2026-Q4").code == 1
    assert (planned.state_dir / account_cache.COVERAGE_FILE).is_file()
    calls: list[str] = []
    real = account_cache.read_account

    def counting(rel, raw, positions=True):  # type: ignore[no-untyped-def]
        calls.append(rel)
        return real(rel, raw, positions)

    monkeypatch.setattr(account_cache, "read_account", counting)
    assert kam("--repo", root, "review", "status", "2026-Q4").code == 1
    assert calls == []
    figures = [f"periods.2026-Q4.{name}=1" for name in ("sales", "stock_in", "sell_through", "receivables")]
    assert (
        kam(
            "--repo", root, "set", "acme", *figures, "periods.2026-Q4.gross_margin=0.1", "periods.2026-Q4.overdue=0"
        ).code
        == 0
    )
    assert kam("--repo", root, "add", "acme", "surveys", "date=2026-11-02", "product=4").code == 0
    assert kam("--repo", root, "review", "status", "2026-Q4").code == 0
    assert calls == ["accounts/acme.yaml"]


def test_accounts_from_the_cache_equal_accounts_read_from_the_files(demo: Path) -> None:
    """Dates travel through the cache as text; every account built from it is the one the file gives."""
    from kam_tui.store import account_cache
    from kam_tui.store.repository import read_account

    repo = Repository(demo)
    first, _ = account_cache.load_accounts(repo)  # parsed, then cached
    cached, skipped = account_cache.load_accounts(repo)
    assert skipped == 0 and len(cached) == len(first) > 10
    from_files = [read_account(repo.rel(p), p.read_bytes()).account for p in repo.account_files()]
    assert cached == from_files == first


def test_what_each_account_holds_from_the_cache_equals_what_its_file_gives(demo: Path) -> None:
    from kam_tui.model.review import coverage
    from kam_tui.store import account_cache
    from kam_tui.store.repository import read_account

    repo = Repository(demo)
    first, _ = account_cache.load_coverage(repo)  # parsed, then cached
    cached, skipped = account_cache.load_coverage(repo)
    from_files = {
        a.id: coverage(a) for p in repo.account_files() if (a := read_account(repo.rel(p), p.read_bytes()).account)
    }
    assert skipped == 0 and len(cached) > 10
    assert cached == first == from_files
    assert any(c.surveys for c in cached.values()) and any(c.filled for c in cached.values())


def test_a_plan_for_an_owner_with_control_characters_is_a_readable_file(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """An owner typed by hand with a raw escape (`\\e` in the file) became the reviewer written
    raw into plan.yaml, which YAML refuses: the plan was committed and could not be read."""
    write_account(repo, "odd", 'id: odd\nname: Odd\nstage: active\nowner: "wang\\e]0;X\\a"\n')
    assert kam("--repo", str(repo.root), "review", "plan", "2026-Q4", "--today", "2026-11-29").code == 0
    text = (repo.root / "reviews/2026-Q4/plan.yaml").read_text(encoding="utf-8")
    assert '  odd: {reviewer: "wang\\x1b]0;X\\x07", survey: false}' in text.splitlines()
    result = kam("--repo", str(repo.root), "review", "status", "2026-Q4", "--today", "2026-11-29")
    assert result.err == ""  # read: 1 (figures missing), not 2 (the plan cannot be read)
    assert result.out.startswith("review 2026-Q4: 0 of 1 account(s) complete (0%)")
    assert "\x1b" not in result.out and "owed by: wang\\x1b]0;X\\x07 1" in result.out.splitlines()


def _tiered(ident: str, tier: str, stage: str = "active", surveys: tuple[str, ...] = ()) -> str:
    text = (
        f"id: {ident}\nname: {ident}\nstage: {stage}\nowner: wang\n"
        f"tier_override: {{tier: {tier}, reason: test, by: wang, date: 2026-01-05}}\n"
    )
    if surveys:
        text += "surveys:\n" + "".join(f"  - {{date: {day}, product: 4, service: 4, brand: 4}}\n" for day in surveys)
    return text


@pytest.fixture
def tiered(repo: Repository) -> Repository:
    """Accounts of each tier and stage, surveyed recently, long ago or never (review 2026-Q4)."""
    for ident, text in (
        ("a-stale", _tiered("a-stale", "A", surveys=("2025-12-30",))),  # 366 days old on 2026-12-31: due
        ("a-fresh", _tiered("a-fresh", "A", surveys=("2026-01-02",))),  # 363 days: not yet
        ("b-never", _tiered("b-never", "B", stage="at-risk")),
        ("b-later", _tiered("b-later", "B", surveys=("2025-06-01", "2027-02-01"))),  # after the cycle: not counted
        ("c-never", _tiered("c-never", "C")),  # ordinary accounts are not surveyed by default
        ("p-never", _tiered("p-never", "A", stage="prospect")),  # nothing to rate yet
        ("x-never", _tiered("x-never", "B", stage="exiting")),  # leaving
    ):
        write_account(repo, ident, text)
    return repo


def _asked(repo: Repository, kam, *args: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(repo.root), "review", "plan", "2026-Q4", "--json", "--replace", *args)
    assert result.code == 0, result.err
    return [a["id"] for a in json.loads(result.out)["accounts"] if a["survey"]]


def test_the_default_plan_asks_a_survey_of_the_key_accounts_a_year_after_their_last(tiered: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """The handbook surveys its key accounts regularly (L24–26, L84): by default tiers A and B once
    a year, from the first stage with orders to at-risk; not every account every quarter."""
    assert _asked(tiered, kam) == ["a-stale", "b-later", "b-never"]
    status = json.loads(kam("--repo", str(tiered.root), "review", "status", "2026-Q4", "--json").out)
    surveys_owed = [g["id"] for g in status["gaps"] if "survey" in g["missing"]]
    assert surveys_owed == ["a-stale", "b-later", "b-never"]
    plan = (tiered.root / "reviews/2026-Q4/plan.yaml").read_text(encoding="utf-8").splitlines()
    assert '  a-stale: {reviewer: "wang", survey: true}' in plan
    assert '  c-never: {reviewer: "wang", survey: false}' in plan
    out = kam("--repo", str(tiered.root), "review", "plan", "2026-Q4", "--replace").err
    assert "a satisfaction survey is asked of 3 account(s)" in out


def test_naming_the_survey_indicator_asks_it_of_every_account_in_scope(tiered: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert _asked(tiered, kam, "--indicator", "sales", "--indicator", "survey", "--tier", "C") == ["c-never"]
    assert _asked(tiered, kam, "--indicator", "sales") == []  # no survey assessed


def test_kam_yaml_surveys_every_sets_how_often_each_tier_is_surveyed(tiered: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    settings = tiered.root / "kam.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "surveys: {every: {A: 365, B: 365, C: null}}\n" in text  # `kam init` writes the default out
    settings.write_text(text.replace("{A: 365, B: 365, C: null}", "{A: 180, B: null, C: 90}"), encoding="utf-8")
    commit_all(tiered.root, "survey more often")
    assert _asked(tiered, kam) == ["a-fresh", "a-stale", "c-never"]


@pytest.mark.parametrize(
    ("every", "message"),
    [
        ("[365]", "surveys.every must map tiers to days (null: not surveyed), e.g. {A: 365, B: 365, C: null}"),
        ("{D: 30}", "surveys.every: unknown tier 'D' (A, B or C)"),
        ("{A: 0}", "surveys.every.A: '0' is not a whole number 1–3650 days, or null"),
        ("{A: yes}", "surveys.every.A: 'yes' is not a whole number 1–3650 days, or null"),
    ],
)
def test_a_wrong_survey_interval_is_an_error_in_kam_yaml(repo: Repository, kam, every: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (repo.root / "kam.yaml").write_text(f"surveys: {{every: {every}}}\n", encoding="utf-8")
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 1
    assert message in result.out + result.err


def test_a_hand_written_plan_asks_a_survey_unless_the_account_says_survey_false(tiered: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    folder = tiered.root / "reviews/2026-Q4"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        "period: 2026-Q4\nindicators: [survey]\nschedule: {data_due: 2027-01-10, review: 2027-01-20}\n"
        "accounts:\n  c-never: {reviewer: wang}\n  b-never: {survey: false}\n  a-fresh: {survey: maybe}\n",
        encoding="utf-8",
    )
    refused = kam("--repo", str(tiered.root), "review", "status", "2026-Q4")
    assert refused.code == 2 and "a-fresh: survey must be true or false" in refused.err
    text = (folder / "plan.yaml").read_text(encoding="utf-8").replace("  a-fresh: {survey: maybe}\n", "")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    status = json.loads(kam("--repo", str(tiered.root), "review", "status", "2026-Q4", "--json").out)
    assert [(g["id"], g["missing"]) for g in status["gaps"]] == [("c-never", ["survey"]), ("b-never", [])]


def test_the_demos_next_review_completes_with_its_figures_and_two_surveys(tmp_path, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The issue's "done when" on the demo, with no options: plan the quarter under way, import its
    figures (a bad row first: nothing changes), record the two surveys the plan asks, 100 %."""
    from kam_tui.store.demo import build_demo

    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    root = build_demo(tmp_path / "demo", now=dt.datetime(2026, 11, 30, 9, 0))
    repo = ("--repo", str(root))
    assert kam(*repo, "review", "plan", "2026-Q4").code == 0
    before = json.loads(kam(*repo, "review", "status", "2026-Q4", "--json").out)
    planned = [g["id"] for g in before["gaps"]]
    assert len(planned) == 18  # every account but the exited one
    assert [g["id"] for g in before["gaps"] if "survey" in g["missing"]] == ["jinding-trading", "lanzhou-minsheng"]
    header = "id,period,sales,gross_margin,stock_in,sell_through,receivables,overdue\n"
    rows = [f'{ident},2026-Q4,"1,200,000",15%,1200000,1100000,600000,0\n' for ident in planned]
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "".join(rows[:3]) + rows[3].replace("15%", "abc") + "".join(rows[4:]), encoding="utf-8")
    head = git(root, "rev-parse", "HEAD")
    refused = kam(*repo, "import", "periods", str(bad))
    assert refused.code == 2 and "bad.csv:5: error: column 'gross_margin': 'abc' is not a ratio" in refused.err
    assert git(root, "rev-parse", "HEAD") == head and git(root, "status", "--porcelain") == ""
    good = tmp_path / "q4.csv"
    good.write_text(header + "".join(rows), encoding="utf-8")
    assert kam(*repo, "import", "periods", str(good)).code == 0
    assert kam(*repo, "review", "status", "2026-Q4").code == 1  # the surveys are still owed
    for ident in ("jinding-trading", "lanzhou-minsheng"):
        assert kam(*repo, "add", ident, "surveys", "product=4", "service=3", "brand=4").code == 0
    done = kam(*repo, "review", "status", "2026-Q4")
    assert (done.code, done.out) == (0, "review 2026-Q4: 18 of 18 account(s) complete (100%); data due 2027-01-10\n")
    report = json.loads(kam(*repo, "review", "report", "2026-Q4", "--format", "json").out)
    scores = json.loads(kam(*repo, "score", "--json", "--today", "2026-12-31").out)
    scored = {s["id"]: (round(s["score"], 1), s["tier"], [r["code"] for r in s["risks"]]) for s in scores}
    assert {a["id"]: (a["score"], a["tier"], a["risks"]) for a in report["accounts"]} == {i: scored[i] for i in planned}
