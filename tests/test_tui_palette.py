"""The command palette (ctrl+p) offers kam's actions and every account by name or id."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import run_app, run_palette_command, settle

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


def test_palette_offers_new_account_attach_and_target(demo: Path) -> None:
    """Every action a key does is in the palette too: `n` on the list, `a` and `t` on an account
    (attach from any tab, not only Playbooks where the key works)."""
    from kam_tui.tui.screens.field_form import FieldFormScreen
    from kam_tui.tui.screens.playbook_dialogs import ChoosePlaybookScreen

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await run_palette_command(pilot, "new account")
        assert isinstance(app.screen, FieldFormScreen) and app.screen.id == "new-account"
        await pilot.press("escape")
        await run_palette_command(pilot, "金鼎")
        await run_palette_command(pilot, "attach a playbook")
        assert isinstance(app.screen, ChoosePlaybookScreen)
        await pilot.press("escape")
        await settle(pilot)
        await run_palette_command(pilot, "set a target")
        assert isinstance(app.screen, FieldFormScreen) and app.screen.id == "target-form"

    run_app(demo, scenario, SIZE)
