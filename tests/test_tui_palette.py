"""The command palette (ctrl+p) offers kam's actions and every account by name or id."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import demo_fixture, demo_template_fixture, run_app, settle  # noqa: F401  (fixtures)

from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.log_form import LogFormScreen
from kam_tui.tui.widgets.virtual_table import VirtualTable


SIZE = (120, 36)


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

    run_app(demo, scenario, SIZE)


def test_palette_filter_preset(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _palette(pilot, "fake big")
        assert app.screen.query_one(VirtualTable).row_keys == ["jinding-trading"]

    run_app(demo, scenario, SIZE)
