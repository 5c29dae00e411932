"""Small forms for the daily log — `v` a visit, `c` a complaint, `s` a survey — one input per
field, saved by the same store function as `kam add` (defaults filled in: today, the author; a
low survey opens its improvement action in the same commit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from kam_tui.i18n import N_, _
from kam_tui.tui.gateway import ChangeResult
from kam_tui.tui.safe_text import filled, safe
from kam_tui.tui.screens.form_base import FormScreen


@dataclass(frozen=True)
class FormField:
    key: str  # the item's key in the account file
    label: str
    placeholder: str = ""


@dataclass(frozen=True)
class LogForm:
    list_name: str  # the account's list the item is added to
    title: str  # with {id} where the account's id goes
    fields: tuple[FormField, ...]


# Every label of these forms, in one place (marked for the message catalogue; translated when shown).
FORMS = {
    "visits": LogForm(
        "visits",
        N_("Log a visit to {id}"),
        (
            FormField("date", N_("Date"), N_("YYYY-MM-DD (empty: today)")),
            FormField("summary", N_("What happened")),
            FormField("next", N_("Next step"), N_("the agreed next step")),
        ),
    ),
    "complaints": LogForm(
        "complaints",
        N_("Log a complaint from {id}"),
        (
            FormField("opened", N_("Received"), N_("YYYY-MM-DD or YYYY-MM-DD HH:MM (empty: today)")),
            FormField("summary", N_("What it is about")),
        ),
    ),
    "surveys": LogForm(
        "surveys",
        N_("Log a satisfaction survey of {id}"),
        (
            FormField("date", N_("Date"), N_("YYYY-MM-DD (empty: today)")),
            FormField("product", N_("Product"), "1–5"),
            FormField("service", N_("Service"), "1–5"),
            FormField("brand", N_("Brand image"), "1–5"),
            FormField("comment", N_("Comment")),
        ),
    ),
}
KEYS_HINT = N_("Ctrl+S (or Enter in the last field) saves it as one git commit · Esc cancels")


class LogFormScreen(FormScreen):
    """Dismisses with the ChangeResult of the commit, or None when cancelled."""

    def __init__(self, account_id: str, form: LogForm, save: Callable[[dict[str, str]], ChangeResult]) -> None:
        super().__init__(id="log-form")
        self.account_id = account_id
        self.form = form
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(filled(_(self.form.title), id=(safe(self.account_id), "bold")), id="dialog-title")
            with VerticalScroll(id="form-fields", can_focus=False):  # tab goes from field to field
                for field in self.form.fields:
                    yield Label(Text(_(field.label)), classes="form-label")
                    yield Input(placeholder=_(field.placeholder) if field.placeholder else "", id=f"field-{field.key}")
            yield Static(id="error")
            yield Static(Text(_(KEYS_HINT), style="dim"), id="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#field-{f.key}", Input).value.strip() for f in self.form.fields}

    def unsaved(self) -> bool:
        return any(self.values().values())

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#error").display = False

    def action_save(self) -> None:
        values = {key: value for key, value in self.values().items() if value}
        self.start_save(lambda: self._save(values))
