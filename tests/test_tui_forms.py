"""Forms of the account screen: `v`, `c`, `s` add one visit, complaint or survey through the
same store function as `kam add` — one commit that only adds lines — and show it."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_acme_untouched, commit_count, git, write_acme
from textual.pilot import Pilot
from tui_pilot import run_on_account, settle, terminal_cells, toasts

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.confirm import ConfirmScreen
from kam_tui.tui.screens.log_form import LogFormScreen


def _run(root: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    """Open the first account, then play the scenario."""
    run_on_account(root, scenario, (120, 40))


def test_v_logs_a_visit_with_a_next_step(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("v")
        assert isinstance(app.screen, LogFormScreen)
        await pilot.press("enter")  # the date: empty means today
        await pilot.press(*"met the buyer [x]", "enter", *"send samples", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("4")
        text = terminal_cells(app)
        assert "met the buyer [x]" in text and "next: send samples" in text

    _run(repo.root, scenario)
    assert commit_count(repo.root) == before + 1
    added = git(repo.root, "diff", "HEAD~1", "HEAD", "--numstat").split()
    assert added[1] == "0"  # only lines added
    text = (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8")
    assert "met the buyer [x]" in text and "send samples" in text
    assert git(repo.root, "log", "-1", "--format=%s").startswith("acme: visit")


def test_a_low_survey_opens_its_action_and_bad_input_stays_in_the_form(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("s", "enter", *"9", "ctrl+s")  # product 9: out of 1–5
        await settle(pilot)
        assert isinstance(app.screen, LogFormScreen)
        assert "product: 9 is outside 1–5" in terminal_cells(app)
        app.screen.query_one("#field-product").value = "1"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert any("action opened" in m for m in toasts(app))

    _run(repo.root, scenario)
    assert commit_count(repo.root) == before + 1
    text = (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8")
    assert "surveys:" in text and "actions:" in text


def test_escape_asks_before_dropping_a_half_filled_form(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("c", "enter", *"late delivery", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert isinstance(app.screen, AccountScreen)

    _run(repo.root, scenario)
    assert_acme_untouched(repo, before)


def test_the_survey_form_fits_80x24_with_its_error_and_save_hint(repo: Repository) -> None:
    """Five fields do not fit 24 rows: they scroll, and the error and the keys stay in sight."""
    write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"31.12.", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LogFormScreen)
        text = terminal_cells(app)
        assert "'31.12.' is not a date (write YYYY-MM-DD)" in text
        assert "Ctrl+S (or Enter in the last field) saves it" in text
        await pilot.press("tab", "tab", "tab", "tab")  # to the last field, Comment, scrolled into sight
        await settle(pilot)
        assert "Comment" in terminal_cells(app)
        assert app.screen.focused is app.screen.query_one("#field-comment")

    before = commit_count(repo.root)
    run_on_account(repo.root, scenario, (80, 24))
    assert commit_count(repo.root) == before


def test_keys_typed_at_once_in_a_form_keep_their_order(repo: Repository) -> None:
    """`Tab 2 Tab 4 Tab 4` arriving in one read (fast typing, a paste, tmux send-keys) fill the
    fields in order: a focus move lagged behind the keys typed after it (Service=44)."""
    from textual import events

    write_acme(repo)
    keys = [("tab", "\t"), ("2", "2"), ("tab", "\t"), ("4", "4"), ("enter", "\r"), ("5", "5"), ("shift+tab", None)]

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("s")
        await settle(pilot)
        for key, character in keys:  # as the terminal driver posts them: all before any is handled
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, LogFormScreen)
        assert app.screen.values() == {"date": "", "product": "2", "service": "4", "brand": "5", "comment": ""}
        assert app.screen.focused is app.screen.query_one("#field-service")

    run_on_account(repo.root, scenario, (80, 24))


def test_enter_in_the_last_field_saves_every_key_typed_before_it(repo: Repository) -> None:
    """`…samples Enter` arriving in one read: Enter (handled as it arrives) saves once the field
    has taken the keys before it, so the saved next step is whole (read at once, it was cut)."""
    from textual import events

    write_acme(repo)
    keys = [
        ("enter", "\r"),
        *((c, c) for c in "met"),
        ("enter", "\r"),
        *((c, c) for c in "send samples"),
        ("enter", "\r"),
    ]

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("v")
        await settle(pilot)
        for key, character in keys:  # as the terminal driver posts them: all before any is handled
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(repo.root, scenario)
    visit = repo.load_account("acme").account.visits[-1]
    assert (visit.summary, visit.next) == ("met", "send samples")
