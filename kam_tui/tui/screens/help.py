"""`?`: the keys of the screen below, with what they do."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kam_tui.i18n import N_, _
from kam_tui.tui.translate import TranslatedBindings

KeyHelp = tuple[str, str]  # (keys as shown, what they do)


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", N_("Close"), key_display="esc", id="help.close"),
    ]

    def __init__(self, title: str, keys: list[KeyHelp]) -> None:
        super().__init__(id="help")
        self._title = title
        self._keys = keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True, justify="right")
        table.add_column()
        for keys, description in self._keys:
            table.add_row(Text(keys), Text(description))
        with Vertical(id="dialog"):
            yield Static(Text.assemble((_("Keys"), "bold"), (f" — {self._title}", "dim")), id="dialog-title")
            yield Static(table, id="help-keys")
            yield Static(Text(_("Esc or ? closes"), style="dim"), id="dialog-keys")

    def action_close(self) -> None:
        self.dismiss()
