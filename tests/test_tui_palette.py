"""The command palette (ctrl+p) offers kam's actions and every account by name or id."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import demo_fixture, demo_template_fixture, settle  # noqa: F401  (fixtures)

from kam_tui.tui.app import KamApp, make_app
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.log_form import LogFormScreen
from kam_tui.tui.widgets.virtual_table import VirtualTable


def _run(root: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        app = make_app(root)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def _palette(pilot: Pilot[int], text: str) -> None:
    await pilot.press("ctrl+p", *text)
    await pilot.pause(0.3)  # the palette searches in the background
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_palette_opens_an_account_by_name_and_logs_a_visit(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _palette(pilot, "金鼎")
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "jinding-trading"
        await _palette(pilot, "log a visit")
        assert isinstance(app.screen, LogFormScreen)

    _run(demo, scenario)


def test_palette_filter_preset(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _palette(pilot, "fake big")
        assert app.screen.query_one(VirtualTable).row_keys == ["jinding-trading"]

    _run(demo, scenario)
