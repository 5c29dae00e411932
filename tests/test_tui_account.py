"""The account screen over the demo: the Score tab explains the score, flags the fake big
account with its figures and says what to do; History shows each commit's diff."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from conftest import git
from textual.pilot import Pilot
from tui_pilot import demo_fixture, demo_template_fixture, run_on_account, settle, terminal_cells  # noqa: F401  (fixtures)

from kam_tui.tui.app import KamApp, make_app


def _run(root: Path, scenario, size: tuple[int, int] = (160, 60)) -> None:  # type: ignore[no-untyped-def]
    """Open the demo's jinding-trading, then play the scenario."""
    run_on_account(root, scenario, size, ("slash", *"jinding", "enter"))


def test_score_tab_explains_the_fake_big_account(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("2")
        text = terminal_cells(app)
        assert "Score 43.1  Tier B" in text
        for dimension in ("sales", "margin", "frequency", "years"):
            assert f" {dimension} " in text
        assert "stuffing    stock-in 11,610,000 vs sell-through 4,840,000" in text
        assert "3. Can we still control it (do we hold its downstream network)?  NO" in text
        assert "Recommendation: take-network-first" in text

    _run(demo, scenario)


def test_history_shows_the_diff_of_the_highlighted_commit(demo: Path) -> None:
    subjects = git(demo, "log", "--format=%s", "--", "accounts/jinding-trading.yaml").splitlines()

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("h")
        await settle(pilot)
        text = terminal_cells(app)
        assert subjects[0][:40] in text
        assert "+  - date: " in text and "+  20" not in text  # the newest commit's diff: this quarter's visits
        await pilot.press("down")  # the next commit: the last quarter's figures and log
        await settle(pilot)
        assert "+  " + subjects[1].split(":")[0] + ": {sales:" in terminal_cells(app)

    _run(demo, scenario, size=(120, 40))


async def _maintenance_step_4(app: KamApp, pilot: Pilot[int]) -> tuple[Any, int]:
    """Open sanjiang-auto's Playbooks tab; its table and the row of the maintenance playbook's step 4."""
    await settle(pilot)
    await pilot.press("slash", *"sanj", "enter")
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    table = app.screen.query_one("#playbooks-table")
    row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == "4")  # type: ignore[attr-defined]
    return table, row


def test_space_ticks_and_unticks_a_checklist_step(demo: Path) -> None:
    path = demo / "checklists" / "sanjiang-auto" / "maintenance.md"
    before = path.read_text(encoding="utf-8")

    async def main() -> None:
        app = make_app(demo)
        async with app.run_test(size=(120, 40)) as pilot:
            table, row = await _maintenance_step_4(app, pilot)
            table.move_cursor(row=row)  # type: ignore[attr-defined]
            await pilot.press("space", "enter")  # no note
            await settle(pilot)
            assert "maintenance ✓ Update its downstream network list" in git(demo, "log", "-1", "--format=%s")
            assert str(table.get_row_at(row)[0]) == "✓"  # type: ignore[attr-defined]
            await pilot.press("space", "enter")
            await settle(pilot)
            assert "maintenance ✗ Update its downstream network list" in git(demo, "log", "-1", "--format=%s")

    asyncio.run(main())
    changed = git(demo, "diff", "--numstat", "HEAD~2", "HEAD~1").split()
    assert changed[:2] == ["1", "1"]  # the tick changed exactly one line
    assert path.read_text(encoding="utf-8") == before  # and the untick put it back


def test_space_on_a_step_marked_not_applicable_opens_it_again(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert (
        kam("--repo", str(demo), "check", "sanjiang-auto", "maintenance", "4", "--na", "--reason", "no network").code
        == 0
    )

    async def main() -> None:
        app = make_app(demo)
        async with app.run_test(size=(120, 40)) as pilot:
            table, row = await _maintenance_step_4(app, pilot)
            assert str(table.get_row_at(row)[0]) == "–"  # type: ignore[attr-defined]  # shown apart from ✓ and ·
            assert "n/a" in str(table.get_row_at(row)[3])  # type: ignore[attr-defined]
            table.move_cursor(row=row)  # type: ignore[attr-defined]
            await pilot.press("space", "enter")  # no note
            await settle(pilot)
            assert "maintenance ✗ Update its downstream network list" in git(demo, "log", "-1", "--format=%s")

    asyncio.run(main())
