"""A dialog that changes one field with `KEY=VALUE`, the same syntax as `kam set`.

It knows nothing of files or git: the caller hands it `preview` (text → the commit message it
would make, or InvalidChange) and `save` (text → ChangeResult, or a store error). It dismisses
with the ChangeResult, or None when cancelled; errors stay in the dialog so the text can be fixed.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from kam_tui.i18n import N_
from kam_tui.tui.gateway import ChangeResult, InvalidChange
from kam_tui.tui.safe_text import filled, lines, safe
from kam_tui.tui.translate import label
from kam_tui.tui.screens.form_base import FormScreen

EXAMPLES = "owner=li   stage=at-risk   ratings.credit=3   periods.2026-Q4.sales=1200000"
LABELS = {
    "title": N_("Change one field of {id}"),
    "hint": N_("KEY=VALUE, as with `kam set`, e.g."),
    "keys": N_("Enter or Ctrl+S saves it as one git commit · Esc cancels"),
    "commit": N_("commit: {message}"),
}


class EditFieldScreen(FormScreen):
    def __init__(
        self, account_id: str, preview: Callable[[str], str], save: Callable[[str], ChangeResult], value: str = ""
    ) -> None:
        super().__init__(id="edit-field")
        self.account_id = account_id
        self._preview = preview
        self._save = save
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(filled(label(LABELS, "title"), id=(safe(self.account_id), "bold")), id="dialog-title")
            yield Static(Text(label(LABELS, "hint") + "\n" + EXAMPLES, style="dim"), id="dialog-hint")
            yield Input(self._value, placeholder="KEY=VALUE", id="assignment")
            yield Static(id="preview")
            yield Static(id="error")
            yield Static(Text(label(LABELS, "keys"), style="dim"), id="dialog-keys")

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
        preview.update(filled(label(LABELS, "commit"), message=(safe(message), "bold"), style="dim"))
        return True

    def action_save(self) -> None:
        text = self.query_one("#assignment", Input).value
        if not self.saving and self._update_preview(text):
            self.start_save(lambda: self._save(text))

    def unsaved(self) -> bool:
        """Text typed here that is not saved yet (asked about before it is dropped)."""
        return self.query_one("#assignment", Input).value.strip() not in ("", self._value.strip())
