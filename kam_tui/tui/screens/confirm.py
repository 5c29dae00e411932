"""A yes/no question, answered with `y`/`enter` or `n`/`escape`; dismisses with the answer."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kam_tui.i18n import N_
from kam_tui.tui.translate import TranslatedBindings, label

LABELS = {
    "keys": N_("y or Enter: yes · n or Esc: no"),
}


class ConfirmScreen(TranslatedBindings, ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(id="confirm")
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._question, style="bold"), id="dialog-title")
            yield Static(Text(label(LABELS, "keys"), style="dim"), id="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
