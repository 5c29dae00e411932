"""The Playbooks tab's keys: `space` ticks or unticks with an optional note, `x` marks a step not
applicable with its reason, `a` attaches a
playbook chosen from the repository's templates and kam's own — each one commit, as the CLI's
`kam check --note` and `kam attach` (after `kam playbook add`) make it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import commit_count, git
from textual.pilot import Pilot
from textual.widgets import Input
from tui_pilot import run_on_account, screen_text, settle, toasts

from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.playbook_dialogs import ChoosePlaybookScreen, TickAnywayScreen, TickNoteScreen


SUBJECT = "sanjiang-auto: maintenance"  # the demo's account running maintenance, and its step 4
STEP_4 = "Update its downstream network list"


def _run(root: Path, account: str, scenario) -> None:  # type: ignore[no-untyped-def]
    """Open `account` (searched by `/`) on its Playbooks tab, then play the scenario."""

    async def on_playbooks(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("5")
        await settle(pilot)
        await scenario(app, pilot)

    run_on_account(root, on_playbooks, (120, 40), keys=("slash", *account, "enter"))


def _to_step_4(app: KamApp) -> tuple[Any, int]:
    """Put the Playbooks table's cursor on maintenance step 4; the table and that row."""
    return _to_step(app, "4")


def _to_step(app: KamApp, number: str) -> tuple[Any, int]:
    """Put the Playbooks table's cursor on step `number`; the table and that row."""
    table = app.screen.query_one("#playbooks-table")
    row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == number)  # type: ignore[attr-defined]
    table.move_cursor(row=row)  # type: ignore[attr-defined]
    return table, row


def _assert_step_4_committed(demo: Path, before: int, box: str, beside: str, sign: str) -> None:
    """One commit since `before`, changing only step 4's line (now `box` … `beside`), titled
    `sanjiang-auto: maintenance SIGN step`."""
    assert commit_count(demo) == before + 1
    assert git(demo, "diff", "--numstat", "HEAD~1", "HEAD").split()[:2] == ["1", "1"]  # one line changed
    checklist = (demo / "checklists" / "sanjiang-auto" / "maintenance.md").read_text(encoding="utf-8")
    line = next(x for x in checklist.splitlines() if STEP_4 in x)
    assert line.startswith(box) and line.endswith(beside)
    assert git(demo, "log", "-1", "--format=%s").strip() == SUBJECT + sign + STEP_4


def test_space_asks_for_a_note_and_writes_it_beside_the_tick(demo: Path) -> None:
    before = commit_count(demo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _to_step_4(app)
        await pilot.press("space")
        assert isinstance(app.screen, TickNoteScreen)
        assert "Tick: " + STEP_4 in screen_text(app)
        await pilot.press(*"list from [b]wang[/b]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("space", "escape")  # asked again for the untick; Esc leaves it ticked
        await settle(pilot)

    _run(demo, "sanj", scenario)
    _assert_step_4_committed(demo, before, "- [x] ", " — list from [b]wang[/b]", " ✓ ")


def test_space_ticks_and_unticks_a_step_one_line_each(demo: Path) -> None:
    path = demo / "checklists" / "sanjiang-auto" / "maintenance.md"
    before = path.read_text(encoding="utf-8")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        table, row = _to_step_4(app)
        await pilot.press("space", "enter")  # no note
        await settle(pilot)
        assert git(demo, "log", "-1", "--format=%s").strip() == SUBJECT + " ✓ " + STEP_4
        assert str(table.get_row_at(row)[0]) == "✓"  # type: ignore[attr-defined]
        await pilot.press("space", "enter")
        await settle(pilot)
        assert git(demo, "log", "-1", "--format=%s").strip() == SUBJECT + " ✗ " + STEP_4

    _run(demo, "sanj", scenario)
    changed = git(demo, "diff", "--numstat", "HEAD~2", "HEAD~1").split()
    assert changed[:2] == ["1", "1"]  # the tick changed exactly one line
    assert path.read_text(encoding="utf-8") == before  # and the untick put it back


def test_space_on_a_step_marked_not_applicable_opens_it_again(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    marked = kam("--repo", str(demo), "check", "sanjiang-auto", "maintenance", "4", "--na", "--reason", "no network")
    assert marked.code == 0, marked.err

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        table, row = _to_step_4(app)
        assert str(table.get_row_at(row)[0]) == "–"  # type: ignore[attr-defined]  # shown apart from ✓ and ·
        assert "n/a" in str(table.get_row_at(row)[3])  # type: ignore[attr-defined]
        await pilot.press("space", "enter")  # no note
        await settle(pilot)

    _run(demo, "sanj", scenario)
    assert git(demo, "log", "-1", "--format=%s").strip() == SUBJECT + " ✗ " + STEP_4


async def _choose_playbook(app: KamApp, pilot: Pilot[int]) -> list[str]:
    """Press `a`: the chooser opens; the names it offers, in order."""
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, ChoosePlaybookScreen)
    return [c.name for c in app.screen.choices]


MISFIT = "development is for accounts that are prospect, developing; sanjiang-auto is active"


async def _attach_anyway(app: KamApp, pilot: Pilot[int], name: str) -> None:
    """The playbook is for other stages: a toast says so and a dialog asks why attach it anyway."""
    assert isinstance(app.screen, TickNoteScreen)
    assert f"Attach anyway: {name}" in screen_text(app)
    assert any(MISFIT in m for m in toasts(app))
    await pilot.press("enter")  # no reason: refused, the dialog stays
    await settle(pilot)
    assert isinstance(app.screen, TickNoteScreen)
    await pilot.press(*"new product line", "enter")
    await settle(pilot)
    assert isinstance(app.screen, AccountScreen)


def test_a_attaches_a_template_of_the_repository(demo: Path) -> None:
    """development is for prospects: on an active account it is attached only with a reason,
    kept in the commit message as `kam attach --force --reason` keeps it."""
    before = commit_count(demo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        names = await _choose_playbook(app, pilot)
        assert "maintenance" not in names  # attached already
        assert "development" in names
        await pilot.press(*["down"] * names.index("development"), "enter")
        await settle(pilot)
        await _attach_anyway(app, pilot, "development")
        assert "development" in screen_text(app)

    _run(demo, "sanj", scenario)
    assert commit_count(demo) == before + 1
    assert git(demo, "log", "-1", "--format=%B") == (
        f"sanjiang-auto: attach development\n\nForced: {MISFIT}. Reason: new product line\n\n"
    )
    attached = (demo / "checklists" / "sanjiang-auto" / "development.md").read_text(encoding="utf-8")
    template = (demo / "playbooks" / "development.md").read_text(encoding="utf-8")
    steps = [line for line in template.splitlines() if line.startswith("- [ ] ")]
    assert steps and all(step in attached.splitlines() for step in steps)  # every step, none ticked


def test_a_kams_own_template_is_added_to_playbooks_first(demo: Path) -> None:
    before = commit_count(demo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        names = await _choose_playbook(app, pilot)
        await pilot.press(*["down"] * names.index("development-zh"), "enter")
        await settle(pilot)
        misfit_zh = MISFIT.replace("development", "development-zh", 1)
        assert any(misfit_zh in m for m in toasts(app))
        await pilot.press(*"new product line", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(demo, "sanj", scenario)
    assert commit_count(demo) == before + 2
    subjects = git(demo, "log", "-2", "--format=%s").splitlines()
    assert subjects == [
        "sanjiang-auto: attach development-zh",
        "playbooks: add development-zh (zh template of development)",
    ]
    assert (demo / "checklists" / "sanjiang-auto" / "development-zh.md").is_file()


def test_x_marks_a_step_not_applicable_with_its_reason(demo: Path) -> None:
    before = commit_count(demo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _to_step_4(app)
        await pilot.press("x")
        assert isinstance(app.screen, TickNoteScreen)
        assert "Not applicable: " + STEP_4 in screen_text(app)
        await pilot.press("enter")  # no reason: refused, the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, TickNoteScreen)
        assert any("Say why the step does not apply" in m for m in toasts(app))
        await pilot.press(*"sells only [b]direct[/b]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("x")  # on a step marked n/a already: told to open it with space
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert any("space opens this one again" in m for m in toasts(app))

    _run(demo, "sanj", scenario)
    _assert_step_4_committed(demo, before, "- [-] ", " — sells only [b]direct[/b]", " – ")


EXIT_STEP_9 = "Set rules of the game"  # changfeng's staged exit: the first step of 'during', 'before' still open


def _exit_step_9(demo: Path) -> str:
    path = demo / "checklists" / "changfeng-wholesale" / "staged-exit.md"
    return next(x for x in path.read_text(encoding="utf-8").splitlines() if EXIT_STEP_9 in x)


def test_a_refused_tick_says_why_at_once_and_asks_the_reason_and_the_note_in_one_dialog(demo: Path) -> None:
    """Step 9 of changfeng's staged exit opens the 'during' stage before 'before' is done: space
    says so before anything is typed (not the CLI's `--force --reason TEXT`), and one dialog
    takes the reason (needed) and the note; the tick is made as `kam check --force --reason
    --note` makes it, one commit."""
    before = commit_count(demo)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _to_step(app, "9")
        await pilot.press("space")
        assert isinstance(app.screen, TickAnywayScreen)
        text = screen_text(app)
        assert f"Tick anyway: {EXIT_STEP_9}" in text and "still has" in text
        assert "--force" not in text
        await pilot.press("enter")  # a reason is needed
        await settle(pilot)
        assert isinstance(app.screen, TickAnywayScreen)
        assert any("Say why the step is ticked anyway" in m for m in toasts(app))
        await pilot.press(*"the owner left", "tab", *"agreed with wang", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(demo, "changf", scenario)
    assert commit_count(demo) == before + 1
    line = _exit_step_9(demo)
    assert line.startswith("- [x] ") and "the owner left" in line and "agreed with wang" in line, line


def test_the_keys_typed_right_after_space_on_a_refused_step_are_its_reason(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _to_step(app, "9")
        await pilot.press("space", *"owner left", "enter")  # typed at once: no key goes elsewhere
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(demo, "changf", scenario)
    line = _exit_step_9(demo)
    assert line.startswith("- [x] ") and "owner left" in line, line


def test_keys_typed_at_once_in_the_tick_anyway_dialog_keep_their_order(demo: Path) -> None:
    """`space`, the reason, Tab, the note and Enter arriving in one read (fast typing, tmux
    send-keys): Tab moves to the note as it arrives (the note went into the reason)."""
    from textual import events

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _to_step(app, "9")
        await pilot.press("space")
        keys = [*((c, c) for c in "owner left"), ("tab", "\t"), *((c, c) for c in "agreed"), ("enter", "\r")]
        for key, character in keys:  # as the terminal driver posts them: all before any is handled
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(demo, "changf", scenario)
    line = _exit_step_9(demo)
    assert line.endswith("forced: owner left — agreed"), line


def test_a_refusal_that_comes_only_at_the_save_keeps_the_note_typed(demo: Path, monkeypatch: Any) -> None:
    """The checklist changed between space and Enter (here: the check before the note saw no
    refusal): the refusal at the save opens the same dialog with the note already in its field."""
    from kam_tui.tui import gateway

    monkeypatch.setattr(gateway, "tick_refusal", lambda *args: None)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        _to_step(app, "9")
        await pilot.press("space")
        assert isinstance(app.screen, TickNoteScreen)
        await pilot.press(*"agreed with wang", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TickAnywayScreen)
        assert app.screen.query_one("#note", Input).value == "agreed with wang"
        await pilot.press(*"the owner left", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(demo, "changf", scenario)
    line = _exit_step_9(demo)
    assert "the owner left" in line and "agreed with wang" in line, line


def test_the_tick_dialog_names_the_whole_step_the_table_cuts_at_80_columns(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("5")
        await settle(pilot)
        table, row = _to_step(app, "2")
        assert str(table.get_row_at(row)[2]).endswith("…")  # cut so that who ticked stays on screen
        await pilot.press("space")
        assert isinstance(app.screen, TickNoteScreen)
        assert app.screen.step == "Check stock-in against sell-through for diversion"

    run_on_account(demo, scenario, (80, 24), keys=("slash", *"changf", "enter"))
