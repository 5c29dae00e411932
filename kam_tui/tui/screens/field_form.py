"""A form of typed fields (`n` new account, `t` target, `e` the account's fields): one input per
field, each checked as it is typed, saved by a function the caller hands in as one commit.

It knows nothing of files or git: `check(key, text)` says why a value cannot be saved, and
`save(values)` gets {key: text} (every field, or with `only_changed` those the person changed)
and returns the ChangeResult, or raises the store's refusal, which stays in the form."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from kam_tui.i18n import N_
from kam_tui.tui.translate import label
from kam_tui.tui.screens.form_base import FormScreen, Result
from kam_tui.tui.widgets.field_inputs import Check, FieldInput, FieldSpec, first_error

LABELS = {
    "keys": N_("Ctrl+S saves it as one git commit · Tab or Enter: next field · Esc cancels"),
    "nothing": N_("Nothing to save: no field was changed."),
}


class FieldFormScreen(FormScreen[Result]):
    """Dismisses with what `save` returns (the ChangeResult of the commit), or None when cancelled."""

    def __init__(
        self,
        title: Text,
        specs: Sequence[FieldSpec],
        check: Check,
        save: Callable[[dict[str, str]], Result],
        values: Mapping[str, str] | None = None,
        *,
        only_changed: bool = False,
        form_id: str = "field-form",
        hint: Text | None = None,
    ) -> None:
        super().__init__(id=form_id)
        self._title = title
        self._specs = list(specs)
        self._check = check
        self._save = save
        self._initial = dict(values or {})
        self._only_changed = only_changed
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title, id="dialog-title")
            if self._hint is not None:
                yield Static(self._hint, id="dialog-hint")
            with VerticalScroll(id="form-fields"):
                for spec in self._specs:
                    yield FieldInput(spec, self._initial.get(spec.key, ""), self._check)
            yield Static(id="error")
            yield Static(Text(label(LABELS, "keys"), style="dim"), id="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        fields = self.fields()
        if fields:
            fields[0].query_one("#input").focus()

    def fields(self) -> list[FieldInput]:
        return list(self.query(FieldInput))

    def values(self) -> dict[str, str]:
        return {field.spec.key: field.value for field in self.fields() if field.changed or not self._only_changed}

    def unsaved(self) -> bool:
        return any(field.changed for field in self.fields())

    @on(Input.Changed)
    def _typed(self) -> None:
        self.query_one("#error").display = False

    def action_save(self) -> None:
        if self.saving:
            return
        bad = first_error(self.fields())
        if bad is not None:
            bad.query_one("#input").focus()
            return
        values = self.values()
        if self._only_changed and not values:
            self.show_error(label(LABELS, "nothing"))
            return
        self.start_save(lambda: self._save(values))
