"""The accounts screen over the demo: filter tokens, sort with its indicator, the columns that
win at 80×24, the portfolio line and the problems panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from tui_pilot import run_app, settle, terminal_cells

from kam_tui.tui.app import KamApp
from kam_tui.tui.filtering import parse_query
from kam_tui.tui.widgets.glance import pack
from kam_tui.tui.widgets.virtual_table import VirtualTable


def _run(root: Path, scenario, size: tuple[int, int] = (160, 48)) -> None:  # type: ignore[no-untyped-def]
    run_app(root, scenario, size)


def _table(app: KamApp) -> VirtualTable:
    return app.screen.query_one("#accounts-table", VirtualTable)


def test_query_words_and_tokens() -> None:
    query = parse_query("Tier:a owner:WANG 华东 kind:dealer colour:red")
    assert query.tokens == (("tier", "a"), ("owner", "wang"), ("kind", "dealer"))
    assert query.words == ("华东", "colour:red") and query.unknown == ("colour",)
    assert not query.deep and parse_query(" //杯酒 due:overdue").deep
    assert parse_query("//杯酒 due:overdue").words == ("杯酒",)


def test_kind_playbook_and_due_tokens_combine(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-11-30")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        rows = _table(app)
        await pilot.press("slash", *"kind:dealer")
        assert rows.row_keys == ["bohai-hvac", "jinding-trading", "xibei-tongda"]
        await pilot.press("ctrl+u", *"playbook:staged-exit")
        assert rows.row_keys == ["changfeng-wholesale"]
        await pilot.press("ctrl+u", *"due:overdue")  # what `kam due` lists as late
        assert rows.row_keys == ["cascade-medical", "lanzhou-minsheng"]
        await pilot.press(*" kind:distributor")
        assert rows.row_keys == ["cascade-medical"]
        await pilot.press("enter")  # enter in the filter opens the highlighted account
        await settle(pilot)
        assert app.screen.id == "account" and "Cascade" in terminal_cells(app)

    _run(demo, scenario)


def test_double_slash_and_a_pause_search_the_notes(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        rows = _table(app)
        await pilot.press("slash", "slash", *"杯酒释兵权")  # only in a visit's next step
        assert rows.row_keys == ["changfeng-wholesale"]
        assert "also in notes, visits and complaints" in terminal_cells(app)
        await pilot.press("ctrl+u", *"杯酒释兵权")
        assert rows.row_keys == []  # as typed: id, name, owner, region…
        await pilot.pause(0.8)  # a moment without typing: the notes too
        assert rows.row_keys == ["changfeng-wholesale"]

    _run(demo, scenario)


def test_filter_tokens_combine(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        rows = _table(app)
        await pilot.press("slash", *"tier:A")
        assert rows.row_keys == ["fenghua-pharma", "sanjiang-auto", "xibei-tongda"]  # the effective tier
        await pilot.press(*" owner:wang")
        assert rows.row_keys == ["fenghua-pharma", "sanjiang-auto"]
        await pilot.press(*" 三江")
        assert rows.row_keys == ["sanjiang-auto"]
        await pilot.press("ctrl+u", *"risk:stuffing")
        assert rows.row_keys == ["jinding-trading"]
        await pilot.press("ctrl+u", *"stage:at-risk")
        assert rows.row_keys == ["jinding-trading"]
        await pilot.press("ctrl+u", *"colour:red")
        assert rows.row_keys == []
        assert "not a filter key: colour" in terminal_cells(app)

    _run(demo, scenario)


def test_sort_by_the_marked_column_with_an_indicator(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        rows = _table(app)
        await pilot.press("right", "right", "right")  # NAME → ID → TIER → SCORE
        assert rows.focused_column.key == "score"
        await pilot.press("O")
        assert rows.row_keys[0] == "sanjiang-auto"  # the highest score first
        assert "SCORE ▼" in terminal_cells(app)
        await pilot.press("o")
        assert rows.row_keys[-1] == "sanjiang-auto" and "SCORE ▲" in terminal_cells(app)
        await pilot.press("slash", *"tier:A")  # a filter keeps the order
        assert rows.row_keys[-1] == "sanjiang-auto"

    _run(demo, scenario)


def test_header_click_sorts_and_a_second_click_turns_the_order(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        rows = _table(app)
        column = rows.columns[[c.key for c in rows.columns].index("sales")]
        x = next(x for x in range(rows.size.width) if rows.column_at(x) is column)
        await pilot.click("#accounts-table", offset=(x, 0))
        first = rows.row_keys
        await pilot.click("#accounts-table", offset=(x, 0))
        assert rows.row_keys[0] == first[-1] and "SALES 12M ▼" in terminal_cells(app)

    _run(demo, scenario)


def test_at_80_by_24_name_tier_score_and_risks_win(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        header = terminal_cells(app).splitlines()
        line = next(line for line in header if "NAME" in line)
        for label in ("NAME", "TIER", "SCORE", "RISKS"):
            assert label in line
        assert "ID" not in line.split() and "MARGIN" not in line
        for name in ("天津渤海暖通设备有限公司", "浙江丰华医药集团有限公司"):  # Chinese names whole, not cut
            assert name in terminal_cells(app)

    _run(demo, scenario, size=(80, 24))


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_portfolio_line_and_problems_panel(demo: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    """The portfolio line whole (at 80 columns wrapped between figures, never cut) above the
    problems panel; the rest of the repository works on."""
    (demo / "accounts" / "broken.yaml").write_text("id: broken\nname: [x\n", encoding="utf-8")
    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    with (demo / "accounts" / "bohai-hvac.yaml").open("a", encoding="utf-8") as file:
        file.write("actions:\n  - what: call back\n    due: 2026-11-02\n  - what: later\n    due: 2026-12-24\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        text = " ".join(terminal_cells(app).split())
        assert "19 accounts · A 3 · B 13 · C 3 · top 20% = 49% of sell-through" in text
        assert "6 with risk flags" in text
        assert "1 open action overdue" in text
        assert "1 file with errors (below)" in text
        assert "accounts/broken.yaml:3:1: error: invalid YAML" in text
        await pilot.press("enter")  # the rest works on
        await settle(pilot)
        assert app.screen.id == "account"

    _run(demo, scenario, size)


def test_the_portfolio_line_breaks_between_figures_never_inside_one() -> None:
    parts = [Text("19 accounts"), Text("6 with risk flags"), Text("0 open actions overdue")]
    assert pack(parts, 40).plain == "19 accounts · 6 with risk flags\n0 open actions overdue"
    assert pack(parts, 200).plain == "19 accounts · 6 with risk flags · 0 open actions overdue"


def test_keys_typed_at_once_after_enter_in_the_filter_reach_the_account(demo: Path) -> None:
    """`/sanj Enter 2` arriving in one read (fast typing, tmux send-keys): Enter opens the account
    the filter's last key shows, and 2 opens its Score tab (it went into the filter, which then
    matched nothing, and no account opened)."""
    from textual import events
    from textual.widgets import Input, TabbedContent

    from kam_tui.tui.screens.account import AccountScreen

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        keys = [("slash", "/"), *((c, c) for c in "sanj"), ("enter", "\r"), ("2", "2")]
        for key, character in keys:  # as the terminal driver posts them: all before any is handled
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "sanjiang-auto"
        assert app.screen.query_one(TabbedContent).active == "score"
        assert app.screen_stack[-2].query_one("#filter", Input).value == "sanj"

    _run(demo, scenario)
