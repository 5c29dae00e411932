"""The TUI is safe with any data: a value from a file or from git is shown as plain text, never
as markup, and a control character in it is shown as an escape, never sent to the terminal."""

from __future__ import annotations

import asyncio
import subprocess

import pytest
from conftest import git, write_account
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input
from tui_pilot import run_on_account, screen_text, settle, terminal_cells

from kam_tui.i18n import in_language
from kam_tui.model.errors import KamError
from kam_tui.store.repository import Repository
from kam_tui.tui import gateway
from kam_tui.tui.app import KamApp, make_app
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.edit_field import EditFieldScreen
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.screens.log_form import LogFormScreen

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
        await pilot.press("equals_sign")
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
    # one line changed, the value as typed (a plain scalar: brackets inside it are text to YAML)
    assert (
        repo.accounts_dir / "plain.yaml"
    ).read_bytes() == b"id: plain\nname: x[/bogus] [@click=app.quit]q\nstage: active\n"
    assert git(repo.root, "log", "-1", "--format=%s").startswith("plain: name")


# The rest of what an account shows: a tier override's reason (Score tab), a visit, a complaint,
# a survey and a contact (Overview, Activity); and a checklist heading and step (Playbooks tab).
HOSTILE_MORE = """\
tier_override: {tier: A, reason: "why \\e]0;PWNED\\a [@click=app.quit]r[/]"}
contacts:
  - {name: "[@click=app.quit]n[/x]", role: "\\e[2Jboss"}
visits:
  - {date: 2026-01-02, by: "me\\e[7m", summary: "[bold]v[/x] \\e[2J", next: "then \\e]0;N\\a"}
complaints:
  - {opened: 2026-01-03, summary: "[/x] \\e[7mlate"}
surveys:
  - {date: 2026-01-04, product: 3, service: 3, brand: 3, comment: "fine \\e]0;S\\a [/]"}
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_the_palette_and_a_form_show_hostile_values_literally(repo: Repository, kam, lang: str) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "hostile", HOSTILE + HOSTILE_MORE)
    # development is for prospects: attached to this active account with a reason
    assert kam("attach", "hostile", "development", "--force", "--reason", "test", cwd=repo.root).code == 0
    checklist = repo.root / "checklists" / "hostile" / "development.md"
    text = checklist.read_text(encoding="utf-8")
    text = text.replace("\n## ", "\n## S\x1b]0;PWNED\x07 [bold]x[/] ", 1)
    text = text.replace("\n- [ ] ", "\n- [ ] T\x1b[2J [@click=app.quit]q[/x] ", 1)
    checklist.write_text(text, encoding="utf-8")
    git(repo.root, "commit", "-q", "-am", "steps \x1b]0;PWNED\x07 [/x]")
    seen: dict[str, str] = {}

    async def main() -> None:
        app = make_app(repo.root)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p", *"Acme")
            await pilot.pause(0.3)
            await settle(pilot)
            seen["palette"] = _assert_terminal_clean(app)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountScreen)
            for tab in "123456":
                await pilot.press(tab)
                await settle(pilot)
                seen[tab] = _assert_terminal_clean(app)
            assert all(ch.isprintable() for ch in app.title + app.sub_title + app.screen.sub_title)
            await pilot.press("v", *"[/x] [@click=app.quit]", "ctrl+s")  # a date that is none: an error
            await settle(pilot)
            assert isinstance(app.screen, LogFormScreen)
            seen["form"] = _assert_terminal_clean(app)
            assert app.is_running

    with in_language(lang):
        asyncio.run(main())
    assert "Acme [bold]Motors[/bogus] [@click=app.quit]quit[/]" in seen["palette"]
    assert "why \\x1b]0;PWNED\\x07 [@click=app.quit]r[/]" in seen["2"]  # the override's reason
    assert "[@click=app.quit]n[/x]" in seen["1"] and "\\x1b[2Jboss" in seen["1"]  # the contact
    activity = seen["4"]
    for value in ("[bold]v[/x] \\x1b[2J", "then \\x1b]0;N\\x07", "[/x] \\x1b[7mlate", "fine \\x1b]0;S\\x07 [/]"):
        assert value in activity, value
    assert "S\\x1b]0;PWNED\\x07 [bold]x[/]" in seen["5"] and "T\\x1b[2J [@click=app.quit]q[/x]" in seen["5"]
    assert "steps \\x1b]0;PWNED\\x07 [/x]" in seen["6"]
    assert "[/x] [@click=app.quit]" in seen["form"]  # as typed, and in the error below it


def test_the_accounts_screen_says_saving_is_refused_while_a_rebase_waits(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: ACME\nowner: wang\n")
    git(repo.root, "checkout", "-qb", "other")
    write_account(repo, "acme", "id: acme\nname: ACME\nowner: zhao\n")
    git(repo.root, "checkout", "-q", "main")
    write_account(repo, "acme", "id: acme\nname: ACME\nowner: qian\n")
    stopped = subprocess.run(["git", "-C", str(repo.root), "rebase", "other"], capture_output=True)
    assert stopped.returncode != 0  # stopped on the conflict, waiting for the user

    async def main() -> None:
        app = make_app(repo.root)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = " ".join(screen_text(app).split())
            assert "saving is refused: a rebase is in progress: finish or abort it first" in text
            assert "(`git rebase --continue` or `git rebase --abort`)" in text
            git(repo.root, "rebase", "--abort")
            await pilot.press("r")
            await settle(pilot)
            assert "saving is refused" not in screen_text(app)

    asyncio.run(main())


def test_the_edit_form_shows_a_value_with_control_characters_escaped_and_saves_only_what_was_changed(
    repo: Repository,
) -> None:
    """`e` fills an input per field from the file; an input draws its text as it is, so a raw
    escape in a value would set the window title and clear the screen (seen in tmux)."""
    write_account(repo, "hostile", HOSTILE)
    before = (repo.accounts_dir / "hostile.yaml").read_text(encoding="utf-8")

    async def edit(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FieldFormScreen)
        cells = _assert_terminal_clean(app)
        assert "wang\\x1b[7m" in cells and "\\x1b[2Jeast" in cells
        await pilot.press("ctrl+s")  # nothing typed: the escaped text is not a change
        await settle(pilot)
        assert isinstance(app.screen, FieldFormScreen)
        assert "Nothing to save" in screen_text(app)
        app.screen.query_one("#field-since #input", Input).value = "2021-02-03"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    run_on_account(repo.root, edit, (160, 48))
    after = (repo.accounts_dir / "hostile.yaml").read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ["since: 2021-02-03"]
    assert before.splitlines() == [line for line in after.splitlines() if line != "since: 2021-02-03"]


PASTED = "a\x1b]0;PWNED\x07b\x9bc\x1b[2J"


def test_a_pasted_control_character_is_shown_escaped_in_every_input(repo: Repository) -> None:
    """An input draws its text as it is: a paste holding an OSC title or a CSI clear (copied from
    a log, a mail) would reach the terminal. What a person pastes is kept as they see it: the
    filter, the = dialog, a form's field and the command palette's search."""
    write_account(repo, "plain", "id: plain\nname: Plain\nstage: active\n")
    seen: dict[str, str] = {}

    async def paste(app: KamApp, pilot: Pilot[int], where: str, text: str) -> None:
        assert app._driver is not None
        event = events.Paste(text)
        event.set_sender(app)
        app._driver.send_message(event)  # as the terminal delivers it
        await settle(pilot)
        assert isinstance(app.focused, Input)
        seen[where] = app.focused.value
        _assert_terminal_clean(app)

    async def main() -> None:
        app = make_app(repo.root)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await paste(app, pilot, "filter", PASTED)
            await pilot.press("escape", "enter")
            await settle(pilot)
            assert isinstance(app.screen, AccountScreen)
            await pilot.press("equals_sign")
            await settle(pilot)
            await paste(app, pilot, "=", "owner=" + PASTED)
            await pilot.press("escape", "y", "e")
            await settle(pilot)
            assert isinstance(app.screen, FieldFormScreen)
            app.screen.query_one("#field-owner #input", Input).focus()
            await paste(app, pilot, "form", PASTED + "\nsecond line")
            await pilot.press("escape", "y", "ctrl+p")
            await settle(pilot)
            await paste(app, pilot, "palette", PASTED)

    asyncio.run(main())
    shown = "a\\x1b]0;PWNED\\x07b\\x9bc\\x1b[2J"
    assert seen == {"filter": shown, "=": "owner=" + shown, "form": shown, "palette": shown}


def test_a_refused_review_plan_says_why_with_control_characters_escaped(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Reviews screen's toast for a refused `p` was given the refusal's text raw (a reviewer's
    or a path's escape sequence would reach the terminal); the plan form shows it escaped."""
    write_account(repo, "plain", "id: plain\nname: Plain\nstage: active\n")

    def refused(*args: object) -> None:
        raise KamError("plan refused for wang\x1b]0;PWNED\x07 [@click=app.quit]q")

    monkeypatch.setattr(gateway, "plan_review", refused)

    async def main() -> None:
        app = make_app(repo.root)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("R")
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, FieldFormScreen)  # the refusal stays in the form
            assert "plan refused for wang\\x1b]0;PWNED\\x07 [@click=app.quit]q" in screen_text(app)
            _assert_terminal_clean(app)
            assert app.is_running

    asyncio.run(main())
