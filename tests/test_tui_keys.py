"""Keys in the TUI: none typed after `/` is lost, the cursor stays in sight, forms save with
ctrl+s and never drop typed text without asking (escape, q, ctrl+q)."""

from __future__ import annotations

import asyncio

import pytest
from conftest import commit_all, commit_count, git, write_account
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input
from tui_pilot import run_app, screen_text, settle

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.accounts import AccountsScreen
from kam_tui.tui.screens.confirm import ConfirmScreen
from kam_tui.tui.screens.edit_field import EditFieldScreen
from kam_tui.tui.widgets.footer import KeysFooter
from kam_tui.tui.widgets.virtual_table import Column, VirtualTable


def _accounts(repo: Repository, count: int) -> None:
    for i in range(count):
        write_account(repo, f"acct-{i:03d}", f"id: acct-{i:03d}\nname: Account {i}\nstage: active\n", commit=False)
    commit_all(repo.root, "accounts")


SIZE = (100, 30)


def _type_fast(app: KamApp, *keys: str) -> None:
    """Queue keys the way a fast typist's terminal delivers them: all before any is handled."""
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, "/" if key == "slash" else key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


def test_keys_typed_right_after_slash_land_in_the_filter(repo: Repository) -> None:
    _accounts(repo, 3)
    write_account(repo, "jinding", "id: jinding\nname: Jinding Trading\nstage: active\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(VirtualTable)
        _type_fast(app, "slash", "j", "i", "n")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "jin"
        assert table.row_keys == ["jinding"]
        await pilot.press("enter")  # Enter in the filter opens the highlighted account
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and app.screen.account_id == "jinding"

    run_app(repo.root, scenario, SIZE)


def test_a_slash_typed_fast_inside_the_filter_stays_where_it_was_typed(repo: Repository) -> None:
    """Keys arrive in bursts (a fast typist, a paste over ssh): a `/` in the filter must land
    after the keys before it, not ahead of them ("owner:[/x]" came out as "/owner:[x]")."""
    _accounts(repo, 2)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _type_fast(app, "slash", "a", "slash", "b", "slash", "slash")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "a/b//"

    run_app(repo.root, scenario, SIZE)


def test_typing_in_the_filter_rebuilds_the_footer_only_when_its_keys_change(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every key typed in the filter rebuilt the footer (its keys unmounted and mounted again,
    about 10 ms a key); only the first character (Esc now clears a filter) and the emptied
    filter change what the footer offers."""
    _accounts(repo, 2)
    rebuilt: list[str] = []
    recompose = KeysFooter.recompose

    async def counted(footer: KeysFooter) -> None:
        rebuilt.append(footer.screen.query_one("#filter", Input).value)
        await recompose(footer)

    monkeypatch.setattr(KeysFooter, "recompose", counted)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("slash")
        await settle(pilot)
        rebuilt.clear()
        await pilot.press(*"acct-00")
        await settle(pilot)
        assert len(rebuilt) <= 1
        await pilot.press("escape")  # clears the filter and leaves it: the footer follows
        await settle(pilot)
        assert rebuilt[-1] == ""
        assert "Clear filter" not in screen_text(app).splitlines()[-1]

    run_app(repo.root, scenario, SIZE)


def test_clearing_the_filter_keeps_the_cursor_row_in_sight() -> None:
    rows = [(f"a{i:05d}", (f"a{i:05d}", "active")) for i in range(2000)]

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield VirtualTable([Column("id", "ID"), Column("stage", "STAGE")])

    async def main() -> None:
        app = TableApp()
        async with app.run_test(size=(60, 20)) as pilot:
            t = app.query_one(VirtualTable)
            t.set_rows(rows)
            await pilot.pause()
            t.set_rows([row for row in rows if row[0] == "a01500"])  # a filter down to one row
            await pilot.pause()
            t.set_rows(rows)  # cleared: the cursor stays on that row, and the row is on screen
            await pilot.pause()
            assert t.cursor_key == "a01500"
            top = int(t.scroll_y)
            assert top <= 1500 < top + t.size.height - 1
            assert any("a01500" in t.render_line(y).text for y in range(1, t.size.height))

    asyncio.run(main())


def test_ctrl_s_saves_the_edit_dialog(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\nowner: wang\n")
    before = commit_count(repo.root)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("equals_sign", *"owner=li", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    run_app(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert "owner: li\n" in (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8")


def test_escape_and_quit_ask_before_dropping_typed_text(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\nowner: wang\n")
    before = commit_count(repo.root)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("equals_sign", *"owner=li", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing: the text is still there
        assert isinstance(app.screen, EditFieldScreen)
        assert app.screen.query_one("#assignment", Input).value == "owner=li"
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.is_running and isinstance(app.screen, EditFieldScreen)
        await pilot.press("escape", "y")  # drop it
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("q")  # nothing unsaved: quits at once

    app = run_app(repo.root, scenario, SIZE)
    assert app.return_code == 0
    assert commit_count(repo.root) == before
    assert git(repo.root, "status", "--porcelain") == ""


def test_escape_with_nothing_typed_closes_the_dialog_at_once(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("equals_sign", "escape")
        assert isinstance(app.screen, AccountScreen)

    run_app(repo.root, scenario, SIZE)
