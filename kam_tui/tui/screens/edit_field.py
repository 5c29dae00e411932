"""A dialog that changes one field with `KEY=VALUE`, the same syntax as `kam set`.

It knows nothing of files or git: the caller hands it `preview` (text → the commit message it
would make, or InvalidChange) and `save` (text → ChangeResult, or a store error). It dismisses
with the ChangeResult, or None when cancelled; errors stay in the dialog so the text can be fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from kam_tui.tui import gateway
from kam_tui.tui.gateway import ChangeResult, InvalidChange
from kam_tui.tui.screens.confirm import ConfirmScreen
from kam_tui.tui.safe_text import lines, safe

LABELS = {
    "drop": "Drop the text typed here? Nothing was saved.",
}
EXAMPLES = "owner=li   stage=at-risk   ratings.credit=3   periods.2026-Q4.sales=1200000"


class EditFieldScreen(ModalScreen[ChangeResult | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="edit_field.save"),
        Binding("escape", "cancel", "Cancel", id="edit_field.cancel"),
    ]

    def __init__(
        self, account_id: str, preview: Callable[[str], str], save: Callable[[str], ChangeResult], value: str = ""
    ) -> None:
        super().__init__(id="edit-field")
        self.account_id = account_id
        self._preview = preview
        self._save = save
        self._value = value
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Text.assemble(("Change one field of ", ""), (safe(self.account_id), "bold")), id="dialog-title"
            )
            yield Static(Text(f"KEY=VALUE, as with `kam set`, e.g.\n{EXAMPLES}", style="dim"), id="dialog-hint")
            yield Input(self._value, placeholder="KEY=VALUE", id="assignment")
            yield Static(id="preview")
            yield Static(id="error")
            yield Static(
                Text("Enter or Ctrl+S saves it as one git commit · Esc cancels", style="dim"), id="dialog-keys"
            )

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self._update_preview(self._value)

    @on(Input.Changed, "#assignment")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#error").display = False
        self._update_preview(event.value)

    def _update_preview(self, text: str) -> bool:
        """Show the commit message this text would make, or why it cannot be read."""
        preview = self.query_one("#preview", Static)
        preview.remove_class("invalid")
        if not text.strip():
            preview.update(Text(" ", style="dim"))
            return False
        try:
            message = self._preview(text)
        except InvalidChange as exc:
            preview.add_class("invalid")
            preview.update(lines(str(exc)))
            return False
        preview.update(Text.assemble(("commit: ", "dim"), (safe(message), "bold")))
        return True

    @on(Input.Submitted, "#assignment")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        field = self.query_one("#assignment", Input)
        if self.saving or not self._update_preview(field.value):
            return
        self.saving = True
        field.disabled = True
        self._run_save(field.value)

    def unsaved(self) -> bool:
        """Text typed here that is not saved yet (asked about before it is dropped)."""
        return self.query_one("#assignment", Input).value.strip() not in ("", self._value.strip())

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _run_save(self, text: str) -> ChangeResult:
        return self._save(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The save finished: close with its result, or show why nothing was saved. (Handled
        here, once the worker is done, so closing the dialog never cancels a running save.)"""
        if event.worker.group != "save":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state == WorkerState.ERROR:
            exc = event.worker.error
            assert exc is not None
            message = gateway.error_text(exc)
            if message is not None and gateway.is_refusal(exc):
                message += "\n(Esc, then r on the account reloads it from disk)"
            if message is None:  # a bug: said so, logged, and nothing was saved
                self.log.error(f"unexpected error while saving {self.account_id}: {exc!r}")
                message = f"unexpected error: {type(exc).__name__}: {exc}"
            self._failed(message)

    def _failed(self, message: str) -> None:
        self.saving = False
        error = self.query_one("#error", Static)
        error.update(lines(message))
        error.display = True
        field = self.query_one("#assignment", Input)
        field.disabled = False
        field.focus()

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.unsaved():
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(LABELS["drop"]), answered)
