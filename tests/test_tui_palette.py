"""The command palette (ctrl+p) offers kam's actions and every account by name or id."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import demo_fixture, demo_template_fixture, run_app, run_palette_command, settle  # noqa: F401  (fixtures)

from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.log_form import LogFormScreen
from kam_tui.tui.widgets.virtual_table import VirtualTable


SIZE = (120, 36)


def test_palette_opens_an_account_by_name_and_logs_a_visit(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await run_palette_command(pilot, "金鼎")
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "jinding-trading"
        await run_palette_command(pilot, "log a visit")
        assert isinstance(app.screen, LogFormScreen)

    run_app(demo, scenario, SIZE)


def test_palette_filter_preset(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await run_palette_command(pilot, "fake big")
        assert app.screen.query_one(VirtualTable).row_keys == ["jinding-trading"]

    run_app(demo, scenario, SIZE)
