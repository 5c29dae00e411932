"""The Reviews screen (`R`: the plan's completeness, the report previewed with charts, what is
open or due) and the portfolio charts (`P`), on the demo repository: what the screen says is what
`kam review status`, `kam review report` and `kam due` say, and `p` commits the plan."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from conftest import commit_all, commit_count, git
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static
from tui_pilot import run_app, screen_text, settle, terminal_cells, toasts

from kam_tui.i18n import in_language
from kam_tui.model.cycle import Cycle
from kam_tui.tui import gateway
from kam_tui.tui.app import KamApp
from kam_tui.tui.gateway import Repository, accounts
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.screens.portfolio_charts import PortfolioChartsScreen
from kam_tui.tui.screens.reviews import ReviewsScreen
from kam_tui.tui.widgets.virtual_table import VirtualTable

TODAY = "2026-12-01"  # this quarter 2026-Q4; the demo's figures run to 2026-Q3, the quarter due for review
Scenario = Callable[[KamApp, Pilot[int]], Awaitable[None]]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", TODAY)


def _run(root: Path, scenario: Scenario, size: tuple[int, int] = (120, 36)) -> None:
    run_app(root, scenario, size)


def _report_text(app: KamApp) -> str:
    """Every line of the report tab as text (tables too), scrolled into view or not."""
    console = Console(width=200, file=io.StringIO(), record=True)
    for widget in app.screen.query_one("#report-scroll").query("Static, BarChart"):
        console.print(widget.content if isinstance(widget, Static) else widget.render())
    return console.export_text()


async def _press(pilot: Pilot[int], *keys: str) -> str:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    return screen_text(pilot.app)


def test_without_a_plan_p_plans_the_quarter_due_for_review_in_one_commit(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    before = commit_count(demo)
    shown: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = await _press(pilot, "R")
        assert isinstance(app.screen, ReviewsScreen)
        assert "Review 2026-Q3   [ ] other periods: ‹2026-Q3› 2026-Q4" in text
        assert "No plan for 2026-Q3 yet: p plans it" in text
        assert "p Plan a review" in text
        text = await _press(pilot, "p")
        assert isinstance(app.screen, FieldFormScreen) and "Plan a review" in text
        assert app.screen.values() == {"period": "2026-Q3", "tier": "", "stage": ""}  # the shown period
        await _press(pilot, "ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert isinstance(app.screen, ReviewsScreen)
        assert "15 of 18 complete (83%) · data due 2026-10-10 · review 2026-10-20" in text
        assert "still owed by: chen 2, zhang 1" in text
        assert any("Planned: review 2026-Q3: plan for 18 account(s)" in m for m in toasts(app))
        rows = app.screen.query_one("#plan-table", VirtualTable)
        shown.extend(rows.row_keys)
        assert rows.row("jinding-trading")[2].plain == "survey"  # type: ignore[index, union-attr]

    _run(demo, scenario)
    status = json.loads(kam("--repo", str(demo), "review", "status", "2026-Q3", "--json").out)
    missing = [g["id"] for g in status["gaps"] if g["missing"]]
    assert len(shown) == len(status["gaps"]) == 18
    assert shown[: len(missing)] == sorted(missing)  # incomplete first: the accounts `kam review status` lists
    assert commit_count(demo) == before + 1
    assert (
        git(demo, "log", "-1", "--format=%s").strip() == "review 2026-Q3: plan for 18 account(s), data due 2026-10-10"
    )
    assert (demo / "reviews/2026-Q3/plan.yaml").read_text(encoding="utf-8").startswith("# kam review plan 2026-Q3")
    assert git(demo, "status", "--porcelain").strip() == ""


def test_p_plans_the_period_and_tier_chosen_in_its_form_as_kam_review_plan_does(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    """The form's period and tier are `kam review plan PERIOD --tier T`: the same file, one commit;
    the screen then shows the period planned. A period that is no period is refused in the form."""
    expected_root = demo.parent / "cli"
    git(demo, "clone", "-q", str(demo), str(expected_root))
    assert kam("--repo", str(expected_root), "review", "plan", "2027-Q1", "--tier", "A").code == 0
    before = commit_count(demo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _press(pilot, "R", "p")
        await _press(pilot, *["backspace"] * 7, *"2027Q1", "ctrl+s")
        assert isinstance(app.screen, FieldFormScreen)
        assert "write a quarter (2026-Q4), a half year (2026-H2) or a" in screen_text(app)
        await _press(pilot, *["backspace"] * 6, *"2027-Q1", "tab", "enter", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewsScreen) and app.screen.cycle.key == "2027-Q1"
        assert "Review 2027-Q1" in screen_text(app)
        assert any("Planned: review 2027-Q1: plan for 3 account(s)" in m for m in toasts(app))

    _run(demo, scenario)
    assert commit_count(demo) == before + 1
    rel = "reviews/2027-Q1/plan.yaml"
    assert (demo / rel).read_bytes() == (expected_root / rel).read_bytes()


def test_a_survey_recorded_meanwhile_moves_the_completeness_when_the_screen_is_shown_again(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(demo), "review", "plan", "2026-Q3").code == 0

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert "15 of 18 complete (83%)" in await _press(pilot, "R")
        survey = {"date": "2026-09-15", "product": "4", "service": "4", "brand": "4"}
        gateway.add_log_item(Repository(demo), "jinding-trading", "surveys", survey)  # as a teammate's pull would
        text = await _press(pilot, "question_mark", "escape")
        await settle(pilot)
        text = screen_text(app)
        assert "16 of 18 complete (89%)" in text
        assert "still owed by: chen 2" in text

    _run(demo, scenario)


def test_the_plan_shows_while_the_report_is_still_being_made(demo: Path, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 10,000 accounts the report takes seconds: the completeness does not wait for it."""
    assert kam("--repo", str(demo), "review", "plan", "2026-Q3").code == 0
    release = threading.Event()
    real = gateway.load_review_report

    def held(repo: Repository, cycle: Cycle) -> gateway.ReviewPreview:
        release.wait(30)
        return real(repo, cycle)

    monkeypatch.setattr(gateway, "load_review_report", held)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("R")
        for _ in range(200):  # until the status arrives (the report is held)
            await pilot.pause(0.05)
            if "complete (" in screen_text(app):
                break
        assert "15 of 18 complete (83%)" in screen_text(app)
        report = app.screen.query_one("#report-scroll")
        assert [str(w.render()) for w in report.query(Static)] == ["Loading…"]
        release.set()
        await settle(pilot)
        text = _report_text(app)
        assert "• 18 accounts, sales 19,701,000 in the period" in text  # the plan's: northstar has exited
        assert "Accounts: the 18 in the plan's scope (every account that has not exited" in text

    _run(demo, scenario)


def test_the_report_tab_previews_kam_review_report_with_its_charts(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    markdown = kam("--repo", str(demo), "review", "report", "2026-Q3").out
    assert "- 19 accounts, sales 19,701,000 in the period\n" in markdown

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _press(pilot, "R", "2")
        text = _report_text(app)
        assert "• 19 accounts, sales 19,701,000 in the period" in text
        assert (
            "• concentration of what sold through (the year to 2026-Q3): the top 20% of accounts give 49% "
            "(20/80 rule); Herfindahl 0.092" in text
        )
        assert "Sales (stock-in) and sell-through per quarter" in text
        assert "2026-Q3 " in text and "19,701,000" in text and "17,898,000" in text  # sales, sell-through
        assert "Target achievement per account manager" in text
        for heading in ("Portfolio", "Accounts", "Account managers"):
            assert heading in text, heading

    _run(demo, scenario)


def test_the_actions_tab_lists_what_kam_due_lists_and_enter_opens_the_account(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    due = json.loads(kam("--repo", str(demo), "due", "--json").out)
    assert due and not [i for i in due if i["kind"] == "action"]  # the demo has no actions list

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = await _press(pilot, "R", "3")
        assert f"0 open action(s), 0 overdue as of {TODAY} · {len(due)} more due" in text
        table = app.screen.query_one("#actions-table", VirtualTable)
        assert [key.split("\x1f")[0] for key in table.row_keys] == [i["account"] for i in due]
        table.focus()
        await _press(pilot, "enter")
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == due[0]["account"]
        await _press(pilot, "escape")
        assert isinstance(app.screen, ReviewsScreen)

    _run(demo, scenario)


def test_an_account_opened_from_the_reviews_screen_reuses_the_lists_scores(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list has scored the portfolio already: Enter on the Reviews screen opens the account
    with that score and catalog, as the list and the palette do, instead of reading every
    account again for one."""
    catalogs: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        read_again = accounts.load_catalog

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            catalogs.append("read again")
            return read_again(*args, **kwargs)

        monkeypatch.setattr(accounts, "load_catalog", counted)
        await _press(pilot, "R", "3")
        app.screen.query_one("#actions-table", VirtualTable).focus()
        text = await _press(pilot, "enter")
        assert isinstance(app.screen, AccountScreen)
        assert "Score 49.8  Tier B" in text  # the list's score for it, not "Score: not scored"

    _run(demo, scenario)
    assert catalogs == []


def test_brackets_step_through_the_periods(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = await _press(pilot, "R", "right_square_bracket")
        assert "Review 2026-Q4   [ ] other periods: 2026-Q3 ‹2026-Q4›" in text
        assert "No plan for 2026-Q4 yet" in text
        text = await _press(pilot, "right_square_bracket")  # the newest: nothing newer
        assert "‹2026-Q4›" in text
        text = await _press(pilot, "left_square_bracket", "2")
        assert "Figures as of 2026-09-30 (quarters 2026-Q3)" in text

    _run(demo, scenario)


def test_portfolio_charts_show_the_tier_mix_over_closed_reviews_and_the_concentration(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(demo), "review", "close", "2026-Q3").code == 0
    tiers = json.loads((demo / "reviews/2026-Q3/report.json").read_text(encoding="utf-8"))["portfolio"]["tiers"]
    assert (tiers["A"], tiers["B"], tiers["C"]) == (3, 13, 3)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = await _press(pilot, "P")
        assert isinstance(app.screen, PortfolioChartsScreen)
        assert "Portfolio charts · 2026-Q3" in text  # the latest plan's period (close wrote none: the quarter due)
        await _press(pilot, "right_square_bracket")
        charts = app.screen.query_one("#charts-scroll")
        text = "\n".join(str(w.render()) for w in charts.query("BarChart"))
        assert "Tier mix over reviews" in text
        lines = [line.strip() for line in text.splitlines()]
        assert any(line.startswith("2026-Q3 ") and line.endswith("A 3 B 13 C 3") for line in lines)
        assert any(line.startswith("2026-Q4 ") and line.endswith("A 3 B 13 C 3") for line in lines)
        # 2026-Q4 has no figures yet: its 20/80 figure is of the year to the last quarter it has
        assert "Concentration: the share of sell-through from the top accounts, the year to 2026-Q3" in text
        text = await _press(pilot, "left_square_bracket")
        charts = app.screen.query_one("#charts-scroll")
        lines = [line.strip() for w in charts.query("BarChart") for line in str(w.render()).splitlines()]
        top20 = next(line for line in lines if line.startswith("top 20%"))
        assert top20.endswith(" 49%")  # the report's 20/80 figure, of what sold through
        assert next(line for line in lines if line.startswith("top 100%")).endswith(" 100%")

    _run(demo, scenario, size=(80, 24))


def test_the_keys_are_in_the_help_and_the_palette(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = await _press(pilot, "question_mark")
        assert "R  Reviews" in text and "P  Portfolio charts" in text
        await _press(pilot, "escape", "ctrl+p", *"show the review")
        await pilot.pause(0.3)  # the palette searches in the background
        await _press(pilot, "enter")
        assert isinstance(app.screen, ReviewsScreen)
        await _press(pilot, "ctrl+p", *"portfolio charts")
        await pilot.pause(0.3)
        await _press(pilot, "enter")
        assert isinstance(app.screen, PortfolioChartsScreen)

    _run(demo, scenario)


def test_the_reviews_screen_speaks_chinese(demo: Path) -> None:
    seen: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        seen.append(await _press(pilot, "R"))
        seen.append(await _press(pilot, "3"))

    with in_language("zh"):
        _run(demo, scenario, size=(80, 24))
    plan, actions = seen
    for label in ("绩效考核 2026-Q3", "其他期间", "1 计划", "2 报告", "3 待办", "还没有考核计划", "制定考核计划"):
        assert label in plan, label
    for label in ("项未完成行动", "到期", "客户经理", "内容"):
        assert label in actions, label
    for english in ("Review", "Plan", "Report", "Actions", "other periods", "Back"):
        assert english not in plan.split("\n", 1)[1], english


def test_names_and_actions_with_escape_sequences_are_shown_literally(demo: Path) -> None:
    """A file written by hand (or pulled) may carry an OSC title, a bell and markup: the report
    table and the actions list show them as characters, and none reaches the terminal."""
    path = demo / "accounts/sanjiang-auto.yaml"
    text = path.read_text(encoding="utf-8").replace("name: 三江汽车制造有限公司", 'name: "\\e]0;pwned\\a[bold]boss[/]"')
    path.write_text(text + 'actions:\n  - {what: "\\e]0;pwned\\a[red]call[/]", due: 2026-11-01}\n', encoding="utf-8")
    commit_all(demo, "hand edit")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = await _press(pilot, "R", "3")
        assert "1 open action(s), 1 overdue" in text
        assert "\\x1b]0;pwned\\x07[red]call[/]" in text
        cells = terminal_cells(app)
        assert "\x1b" not in cells and "\x07" not in cells
        await _press(pilot, "2")
        shown = _report_text(app)
        assert "\\x1b]0;pwned\\x07[bold]boss[/] (sanjiang-auto)" in shown
        cells = terminal_cells(app)
        assert "\x1b" not in cells and "\x07" not in cells

    _run(demo, scenario, size=(160, 48))
