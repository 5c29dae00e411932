"""The account screen's Playbooks tab (`5`): each attached checklist with its progress; `space`
ticks or unticks the highlighted step with an optional note, `x` marks it not applicable with
its reason, `a` attaches a playbook — each one commit, as `kam check` and `kam attach` make it.
A tick the playbook refuses for a rule `--force --reason` overrides says so when space is pressed
and asks for the reason and the note in one dialog."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.screen import Screen
from textual.widgets import DataTable

from kam_tui.i18n import _
from kam_tui.model.errors import KamError
from kam_tui.model.playbook import Step
from kam_tui.tui import gateway
from kam_tui.tui.gateway import Repository
from kam_tui.tui.messages import ChecklistsLoaded, post_result
from kam_tui.tui.safe_text import lines, safe
from kam_tui.tui.screens.playbook_dialogs import ChoosePlaybookScreen, TickAnywayScreen, TickNoteScreen
from kam_tui.tui.widgets import playbook_rows


class PlaybooksTab(Screen[None]):
    """The Playbooks tab's loading, drawing and keys, for the account screen (its bindings name
    these actions)."""

    repo: Repository
    account_id: str
    _checklists: ChecklistsLoaded | None  # as last read, drawn again on a resize

    def _load(self) -> object:
        """Read the account again (attaching staged-exit moves its stage)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="checklists")
    def _load_checklists(self) -> None:
        try:
            statuses = gateway.load_checklists(self.repo, self.account_id)
        except Exception as exc:  # noqa: BLE001 - shown in the tab; the rest of the account works on
            self.log.error(f"checklists failed: {exc!r}")
            post_result(self, ChecklistsLoaded([], gateway.error_message(exc)))
            return
        post_result(self, ChecklistsLoaded(statuses))

    def on_checklists_loaded(self, message: ChecklistsLoaded) -> None:
        self._checklists = message
        self._fill_checklists()

    def on_resize(self) -> None:
        if self._checklists is not None:  # the step column is cut to the width
            self._fill_checklists()

    def _fill_checklists(self) -> None:
        message = self._checklists
        assert message is not None
        table = self.query_one("#playbooks-table", DataTable)
        at = table.cursor_row
        table.clear()
        for key, cells in playbook_rows.rows(message.statuses, self.size.width):
            table.add_row(*cells, key=f"{key}#{table.row_count}")
        if message.error or not message.statuses:
            note = message.error or playbook_rows.none_attached()
            table.add_row(Text(""), Text(""), lines(note, style="dim"), Text(""))
        if table.row_count:
            table.move_cursor(row=min(at, table.row_count - 1))

    def action_toggle_step(self) -> None:
        """Space in the Playbooks tab: tick or untick the highlighted step, with an optional note
        (one commit). A tick the playbook refuses for a rule a reason overrides says so first and
        asks for the reason and the note in one dialog (read here, before any key is typed, so
        the keys after space go to the dialog)."""
        step = self._highlighted_step()
        if step is None:
            return
        name, number, text, done = step
        if not done:
            try:
                refused = gateway.tick_refusal(self.repo, self.account_id, name, number)
            except (KamError, OSError) as exc:  # the tick would be refused the same way: nothing to ask
                self.notify(safe(gateway.error_message(exc)), severity="error", markup=False)
                return
            if refused is not None:
                self._offer_force(name, number, None, text, refused)
                return
        self._ask_note(
            text,
            "untick" if done else "tick",
            lambda note: self._toggle(name, number, done, note or None, text=text),
        )

    def action_not_applicable(self) -> None:
        """`x` in the Playbooks tab: mark the highlighted open step not applicable, with the reason
        (one commit, as `kam check --na --reason`); a ticked or n/a step is opened again with space."""
        step = self._highlighted_step()
        if step is None:
            return
        name, number, text, done = step
        if done:
            self.notify(_("Only an open step can be marked not applicable; space opens this one again"), markup=False)
            return
        self._ask_note(text, "na", lambda reason: self._toggle(name, number, False, reason=reason))

    def _highlighted_step(self) -> tuple[str, int, str, bool] | None:
        """The checklist, number, text and done-ness (ticked or n/a) of the highlighted step."""
        table = self.query_one("#playbooks-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        name, _colon, rest = key.partition(":")
        number = rest.split("#", 1)[0]
        if not number:
            return None
        step = self._step(name, int(number))
        return None if step is None else (name, step.number, step.text, not step.open)

    def _step(self, name: str, number: int) -> Step | None:
        """The step as the checklist read it (its whole text: the table may show it cut to the width)."""
        statuses = self._checklists.statuses if self._checklists is not None else []
        steps = (step for status in statuses if status.name == name for step in status.playbook.steps)
        return next((step for step in steps if step.number == number), None)

    def _offer_force(self, name: str, number: int, note: str | None, text: str, refused: str) -> None:
        """The playbook refuses the tick for a rule `kam check --force --reason` overrides: say
        why, and tick it anyway with the reason and the note asked for in one dialog (a note typed
        before the refusal came, at the save, fills its field)."""

        def answered(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                why, typed = answer
                self._toggle(name, number, False, typed or None, force=why, text=text)

        self.app.push_screen(TickAnywayScreen(text, refused, note or ""), answered)

    def _offer_attach_anyway(self, choice: gateway.PlaybookChoice, why: str) -> None:
        """The playbook is for accounts in other stages: say so, and attach it anyway with a reason
        (kept in the commit message), as `kam attach --force --reason` does."""
        self.notify(safe(why), severity="warning", markup=False)
        self._ask_note(choice.name, "attach_force", lambda reason: self._attach_playbook(choice, reason))

    def _ask_note(self, step: str, verb: str, then: Callable[[str], object]) -> None:
        def answered(text: str | None) -> None:
            if text is not None:
                then(text)

        self.app.push_screen(TickNoteScreen(step, verb), answered)

    @work(thread=True, exclusive=True, group="tick")
    def _toggle(
        self,
        name: str,
        number: int,
        done: bool,
        note: str | None = None,
        reason: str | None = None,
        force: str | None = None,
        text: str = "",
    ) -> None:
        try:
            result = gateway.toggle_step(self.repo, self.account_id, name, number, done, note, reason, force)
        except Exception as exc:  # noqa: BLE001 - a refusal is shown; nothing was written
            refused = gateway.forcible(exc) if force is None else None
            if refused is not None:
                self.app.call_from_thread(self._offer_force, name, number, note, text, refused)
                return
            self.app.call_from_thread(self.notify, safe(gateway.error_message(exc)), severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, safe(f"{result.commit[:10]} {result.message}"), title=_("Saved and committed"), markup=False
        )
        self._load_checklists()

    def action_attach(self) -> None:
        """`a` in the Playbooks tab: choose a playbook (the repository's or kam's) and attach it."""
        self._choose_playbook()

    @work(thread=True, exclusive=True, group="attach")
    def _choose_playbook(self) -> None:
        try:
            choices = gateway.playbook_choices(self.repo, self.account_id)
        except Exception as exc:  # noqa: BLE001 - shown; nothing was written
            self.app.call_from_thread(self.notify, safe(gateway.error_message(exc)), severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.app.push_screen, ChoosePlaybookScreen(self.account_id, choices), self._attach_chosen
        )

    def _attach_chosen(self, choice: gateway.PlaybookChoice | None) -> None:
        if choice is not None:
            self._attach_playbook(choice)

    @work(thread=True, exclusive=True, group="attach")
    def _attach_playbook(self, choice: gateway.PlaybookChoice, force: str | None = None) -> None:
        try:
            message = gateway.attach_playbook(self.repo, self.account_id, choice, force)
        except gateway.AttachMisfit as exc:
            self.app.call_from_thread(self._offer_attach_anyway, exc.choice, exc.message)
            return
        except Exception as exc:  # noqa: BLE001 - a refusal is shown; nothing was written
            self.app.call_from_thread(self.notify, safe(gateway.error_message(exc)), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, safe(message), title=_("Saved and committed"), markup=False)
        self._load_checklists()
        self._load()  # attaching staged-exit moves the stage
