"""The TUI is safe with any data: a value from a file or from git is shown as plain text, never
as markup, and a control character in it is shown as an escape, never sent to the terminal."""

from __future__ import annotations

import asyncio

from conftest import git, write_account
from textual.pilot import Pilot
from tui_pilot import screen_text, settle, terminal_cells

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp, make_app
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.edit_field import EditFieldScreen

# Each would drive a terminal if it reached one: set the window title (OSC 0), clear the
# screen (CSI 2J), reverse the colours (SGR 7), ring the bell; and each would act as Textual markup.
HOSTILE = """\
id: hostile
name: "Acme [bold]Motors[/bogus] [@click=app.quit]quit[/]"
stage: active
owner: "wang\\e[7m"
industry: "\\e]0;PWNED\\a"
region: "\\e[2Jeast"
notes: "line one [red]not red[/red]\\nline two \\e]0;PWNED\\a"
"""


def _assert_terminal_clean(app: KamApp) -> str:
    """No control character reaches the terminal; returns what is on screen."""
    cells = terminal_cells(app)
    assert not [ch for ch in cells.replace("\n", "") if not ch.isprintable()]
    return cells


def test_hostile_account_data_and_commit_messages_are_shown_literally(repo: Repository) -> None:
    write_account(repo, "hostile", HOSTILE)
    (repo.root / "accounts" / "hostile.yaml").write_text(HOSTILE + "credit_limit: 5\n", encoding="utf-8")
    git(repo.root, "commit", "-q", "-am", "set \x1b]0;PWNED\x07 [@click=app.quit]x[/] \x1b[2J")

    async def main() -> None:
        app = make_app(repo.root)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            cells = _assert_terminal_clean(app)
            assert "Acme [bold]Motors[/bogus] [@click=app.quit]" in cells  # the list (cut to its column)
            assert "wang\\x" in cells  # the owner (cut to its column)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountScreen)
            cells = _assert_terminal_clean(app)
            assert "Acme [bold]Motors[/bogus] [@click=app.quit]quit[/]" in cells  # the title
            assert "\\x1b]0;PWNED\\x07" in cells  # industry, in the overview
            assert "\\x1b[2Jeast" in cells and "wang\\x1b[7m" in cells
            assert "line one [red]not red[/red]" in cells and "line two \\x1b]0;PWNED\\x07" in cells
            await pilot.press("h")  # History, with the newest commit's diff
            await settle(pilot)
            cells = _assert_terminal_clean(app)
            assert "set \\x1b]0;PWNED\\x07 [@click=app.quit]x[/] \\x1b[2J" in cells
            assert all(ch.isprintable() for ch in app.title + app.sub_title + app.screen.sub_title)
            assert app.is_running

    asyncio.run(main())


def test_saving_markup_through_the_edit_dialog_commits_and_shows_it_literally(repo: Repository) -> None:
    write_account(repo, "plain", "id: plain\nname: Plain\nstage: active\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, EditFieldScreen)
        await pilot.press(*"name=x[/bogus] [@click=app.quit]q", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)  # the app lives on
        assert app.is_running
        text = screen_text(app)
        assert "x[/bogus] [@click=app.quit]q" in text  # the toast and the title, as typed
        assert [n.message for n in app._notifications if "x[/bogus]" in n.message]
        _assert_terminal_clean(app)

    async def main() -> None:
        app = make_app(repo.root)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())
    assert (repo.accounts_dir / "plain.yaml").read_text(encoding="utf-8").splitlines()[1] == (
        'name: "x[/bogus] [@click=app.quit]q"'
    ) or "x[/bogus] [@click=app.quit]q" in (repo.accounts_dir / "plain.yaml").read_text(encoding="utf-8")
    assert git(repo.root, "log", "-1", "--format=%s").startswith("plain: name")
