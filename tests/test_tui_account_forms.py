"""Forms of typed fields: `n` a new account, `t` a target, `e` the account's own fields — each
a widget per field checked as it is typed, saved as one commit by the functions `kam new` and
`kam set` use, values shown as plain text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ACME, assert_acme_untouched, commit_count, git, write_acme
from textual.pilot import Pilot
from textual.widgets import Label
from tui_pilot import run_app, run_on_account, screen_text, settle

from kam_tui.i18n import in_language
from kam_tui.model.schema import RATINGS
from kam_tui.model.score_labels import rating_label
from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.accounts import AccountsScreen
from kam_tui.tui.screens.confirm import ConfirmScreen
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.widgets.field_inputs import FieldInput

SIZE = (80, 24)


def _subject(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").strip()


async def _not_a_number_is_refused(app: KamApp, pilot: Pilot[int]) -> None:
    """'lots' typed into the focused field is flagged as typed and refused by ctrl+s; then erased."""
    await pilot.press(*"lots")
    assert "'lots' is not a number" in screen_text(app)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, FieldFormScreen)  # nothing saved while a field is wrong
    for _ in "lots":
        await pilot.press("backspace")


# --- n: a new account -------------------------------------------------------------------------------


def test_n_creates_an_account_in_one_commit_and_opens_it(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("n")
        assert isinstance(app.screen, FieldFormScreen)
        assert "New account" in screen_text(app)
        await pilot.press(*"hua-tai", "enter", *"Hua [b]Tai[/b]", "tab", "tab", "tab", *"li")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.account_id == "hua-tai"
        assert "Hua [b]Tai[/b]" in screen_text(app)  # the name as typed, never read as markup

    run_app(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "hua-tai.yaml").read_bytes() == (
        b"id: hua-tai\nname: Hua [b]Tai[/b]\nstage: prospect\nowner: li\n"
    )
    assert _subject(repo.root) == "hua-tai: new account Hua [b]Tai[/b]"


def test_n_shows_errors_as_typed_and_saves_nothing_until_they_are_fixed(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("n", *"Bad Id")
        assert "lowercase letters, digits and '-'" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldFormScreen)  # nothing saved: the id is wrong, the name missing
        assert "needed" in screen_text(app)
        for _ in "Bad Id":
            await pilot.press("backspace")
        await pilot.press(*"acme", "enter", *"Acme again", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FieldFormScreen)  # refused by the store: it exists
        assert "account 'acme' already exists" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)  # typed text is not dropped without asking
        await pilot.press("y")
        assert isinstance(app.screen, AccountsScreen)

    run_app(repo.root, scenario, SIZE)
    assert_acme_untouched(repo, before)


# --- t: a target ------------------------------------------------------------------------------------


def test_t_sets_next_quarters_target_as_kam_set_does(repo: Repository, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAM_TODAY", "2026-11-20")
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("t")
        assert isinstance(app.screen, FieldFormScreen)
        assert "2027-Q1" in screen_text(app)  # the quarter after today's
        await pilot.press("tab")
        await _not_a_number_is_refused(app, pilot)
        await pilot.press(*"1200000", "tab", *"0.15", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    run_on_account(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == (
        ACME + "targets:\n  2027-Q1:\n    sales: 1200000\n    gross_margin: 0.15\n"
    )
    assert _subject(repo.root) == "acme: targets.2027-Q1.sales = 1200000, targets.2027-Q1.gross_margin = 0.15"


def test_t_refuses_a_period_that_is_not_one_and_an_empty_target(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("t", *"x")  # typing replaces the proposed period
        assert "a quarter, a half-year or a year" in screen_text(app)
        await pilot.press("backspace", *"2027-Q1", "ctrl+s")
        await settle(pilot)
        assert "give a sales target, a margin target or both" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)  # nothing typed: no question

    run_on_account(repo.root, scenario, SIZE)
    assert_acme_untouched(repo, before)


# --- e: the account's fields ------------------------------------------------------------------------


def test_e_saves_the_changed_fields_as_one_commit_like_kam_set(repo: Repository) -> None:
    before = write_acme(repo, "credit_limit: 500000\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        assert isinstance(app.screen, FieldFormScreen)
        await pilot.press("tab", "tab", "enter", "down", "enter")  # stage: active → at-risk (a Select)
        await pilot.press("tab", *"li [b]x[/b]")  # owner: typing replaces it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "li [b]x[/b]" in screen_text(app)

    run_on_account(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == (
        "id: acme\nname: Acme\nstage: at-risk\nowner: li [b]x[/b]\ncredit_limit: 500000\n"
    )
    assert _subject(repo.root) == "acme: stage active → at-risk, owner wang → li [b]x[/b]"


def test_e_shows_errors_as_typed_and_an_emptied_field_is_removed(repo: Repository) -> None:
    before = write_acme(repo, "credit_limit: 500000\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FieldFormScreen)
        limit = next(f for f in form.fields() if f.spec.key == "credit_limit")
        limit.query_one("#input").focus()
        await _not_a_number_is_refused(app, pilot)
        await pilot.press("ctrl+s")  # empty: removed, as `kam set acme credit_limit=` does
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    run_on_account(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == ACME
    assert _subject(repo.root) == "acme: credit_limit removed (was 500000)"


def test_e_edits_the_team_as_names_separated_by_commas(repo: Repository) -> None:
    before = write_acme(repo, "team: [wang]\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FieldFormScreen)
        team = next(f for f in form.fields() if f.spec.key == "team")
        assert team.value == "wang"
        team.query_one("#input").focus()
        await pilot.press(*"wang, li, 2nd shift, yes", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    run_on_account(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == ACME + "team: [wang, li, 2nd shift, yes]\n"
    assert repo.load_account("acme").account.team == ("wang", "li", "2nd shift", "yes")  # names, as kam reads them


def test_e_enter_moves_to_the_next_field_before_the_keys_typed_after_it(repo: Repository) -> None:
    """`x Enter y` arriving in one read (fast typing, a paste, tmux send-keys): Enter moves the
    focus as it arrives, so y goes to the next field (it went to the same one: Enter's move came
    after it). On a Select, Enter still opens its list; in the last field it saves."""
    from textual import events
    from textual.widgets import Select

    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FieldFormScreen)
        form.query_one("#field-industry #input").focus()
        for key, character in (("x", "x"), ("enter", "\r"), ("y", "y")):  # all posted before any is handled
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert (
            form.query_one("#field-industry", FieldInput).value,
            form.query_one("#field-region", FieldInput).value,
        ) == (
            "x",
            "y",
        )
        form.query_one("#field-stage #input").focus()
        await pilot.press("enter")  # a Select: its list opens
        assert form.query_one("#field-stage #input", Select).expanded
        await pilot.press("escape")
        form.query(FieldInput).last().query_one("#input").focus()
        await pilot.press("enter")
        assert form.query(FieldInput).last().query_one("#input", Select).expanded  # the last is a Select too
        await pilot.press("escape", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    run_on_account(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1
    assert _subject(repo.root) == "acme: industry = x, region = y"


def test_e_asks_before_dropping_changes_and_quit_asks_too(repo: Repository) -> None:
    before = write_acme(repo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e", *"Acme Two")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, FieldFormScreen) and app.is_running
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert isinstance(app.screen, AccountScreen)

    run_on_account(repo.root, scenario, SIZE)
    assert_acme_untouched(repo, before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_e_names_each_rating_as_the_overview_does(repo: Repository, lang: str) -> None:
    """One name per rating: the form once had its own nine, and six disagreed in Chinese with
    the overview's (销售网络 in the form, 网络资源 on the screen behind it)."""
    write_acme(repo)
    labels: dict[str, str] = {}

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FieldFormScreen)
        for field in app.screen.query(FieldInput):
            labels[field.spec.key] = str(field.query_one(".field-label", Label).render())

    with in_language(lang):
        run_on_account(repo.root, scenario, (120, 60))
        wanted = {f"ratings.{code}": rating_label(code) for code in RATINGS}
    for key, name in wanted.items():
        assert name in labels[key], (key, labels[key])
