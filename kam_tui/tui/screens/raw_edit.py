"""`E` on the account screen: the account's file in $VISUAL / $EDITOR, the app suspended
meanwhile. The person edits a copy; on return it is checked: valid → committed through the one
write path; invalid → the errors, with the choice to edit again or restore (drop the edit);
unchanged → nothing. The work tree never holds an invalid edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from kam_tui.i18n import N_
from kam_tui.tui import gateway
from kam_tui.tui.gateway import ChangeResult, Repository
from kam_tui.tui.safe_text import lines, safe
from kam_tui.tui.translate import TranslatedBindings, label

LABELS = {
    "title": N_("Nothing was saved: the edited file is not valid"),
    "refused": N_("Nothing was saved"),
    "keys": N_("e or Enter: edit again · r: restore (drop the edit)"),
    "restored": N_("Restored: the file is as it was; nothing saved."),
    "unchanged": N_("Nothing changed in the editor."),
    "no_suspend": N_("This terminal cannot hand over to an editor; use `kam validate` after editing the file."),
    "editor_failed": N_("The editor could not run: {error}"),
}


class EditorProblemsScreen(TranslatedBindings, ModalScreen[bool]):
    """Why the edit was not saved; dismisses with True to edit again, False to restore."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "answer(True)", N_("Edit again"), id="editor.again"),
        Binding("r", "answer(False)", N_("Restore"), id="editor.restore"),
    ]

    def __init__(self, title: str, problems: str) -> None:
        super().__init__(id="editor-problems")
        self._title = title
        self._problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, style="bold"), id="dialog-title")
            with VerticalScroll(id="editor-errors"):
                yield Static(lines(self._problems), id="error")
            yield Static(Text(label(LABELS, "keys"), style="dim"), id="dialog-keys")

    def action_answer(self, again: bool) -> None:
        self.dismiss(again)


class RawEdit:
    """One round of editing the account's file; `done` gets the commit (or None: nothing saved)."""

    def __init__(
        self, screen: Screen[None], repo: Repository, account_id: str, done: Callable[[ChangeResult | None], None]
    ) -> None:
        self.screen = screen
        self.repo = repo
        self.done = done
        self.draft = gateway.start_editing(repo, account_id)

    def edit(self) -> None:
        app = self.screen.app
        try:
            with app.suspend():
                gateway.run_editor(self.draft)
        except SuspendNotSupported:
            self._finish(None, label(LABELS, "no_suspend"), "error")
            return
        except OSError as exc:
            self._finish(None, label(LABELS, "editor_failed").format(error=safe(exc)), "error")
            return
        app.refresh(repaint=True, layout=True)
        self._check()

    def _check(self) -> None:
        try:
            result = gateway.finish_editing(self.repo, self.draft)
        except Exception as exc:  # noqa: BLE001 - a refusal is shown with the choice; a bug is logged
            message = gateway.error_text(exc)
            if message is None:
                self.screen.log.error(f"unexpected error while saving the edit: {exc!r}")
                message = f"unexpected error: {type(exc).__name__}: {exc}"
            title = label(LABELS, "title" if gateway.is_invalid(exc) else "refused")
            self.screen.app.push_screen(EditorProblemsScreen(title, message), self._answered)
            return
        if result is None:
            self._finish(None, label(LABELS, "unchanged"), "information")
            return
        self._finish(result)

    def _answered(self, again: bool | None) -> None:
        if again:
            self.edit()
        else:
            self._finish(None, label(LABELS, "restored"), "information")

    def _finish(self, result: ChangeResult | None, note: str = "", severity: str = "information") -> None:
        gateway.drop_editing(self.draft)
        if note:
            self.screen.notify(note, severity=severity, markup=False)  # type: ignore[arg-type]
        self.done(result)
