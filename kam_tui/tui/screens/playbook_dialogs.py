"""The Playbooks tab's dialogs: `a` chooses a playbook to attach (the repository's templates and
the ones kam ships), `space` asks for an optional note written beside the tick (or, for a step
the playbook refuses, for the reason to tick it anyway and the note), `x` for the reason a step
does not apply."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kam_tui.i18n import N_
from kam_tui.tui.gateway import PlaybookChoice
from kam_tui.tui.safe_text import lines, safe
from kam_tui.tui.screens.form_base import after_typed
from kam_tui.tui.translate import TranslatedBindings, label

LABELS = {
    "choose": N_("Attach a playbook to"),
    "choose_keys": N_("Enter attaches it (one commit) · Esc cancels"),
    "none": N_("Every playbook there is is attached already."),
    "shipped": N_("kam's template ({lang}), added to playbooks/ first"),
    "steps": N_("{steps} steps"),
    "tick": N_("Tick"),
    "untick": N_("Untick"),
    "na": N_("Not applicable"),
    "note": N_("Note written beside it (optional)"),
    "reason": N_("Why it does not apply (needed)"),
    "reason_needed": N_("Say why the step does not apply: the reason is written beside it"),
    "note_keys": N_("Enter saves it as one git commit · Esc cancels"),
    "force": N_("Tick anyway"),
    "force_reason": N_("Why tick it anyway (needed: written beside the tick)"),
    "force_needed": N_("Say why the step is ticked anyway: the reason is written beside the tick"),
    "force_keys": N_("Tab moves to the note · Enter saves it as one git commit · Esc cancels"),
    "attach_force": N_("Attach anyway"),
    "attach_reason": N_("Why attach it anyway (needed: kept in the commit message)"),
    "attach_reason_needed": N_("Say why the playbook is attached anyway: the reason is kept in the commit message"),
}


class ChoosePlaybookScreen(TranslatedBindings, ModalScreen[PlaybookChoice | None]):
    """Dismisses with the chosen playbook, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"), id="choose.cancel")]

    def __init__(self, account_id: str, choices: list[PlaybookChoice]) -> None:
        super().__init__(id="choose-playbook")
        self.account_id = account_id
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Text.assemble((label(LABELS, "choose") + " ", ""), (safe(self.account_id), "bold")), id="dialog-title"
            )
            if self.choices:
                yield OptionList(*(Option(_option_text(c), id=str(i)) for i, c in enumerate(self.choices)))
            else:
                yield Static(Text(label(LABELS, "none"), style="dim"))
            yield Static(Text(label(LABELS, "choose_keys"), style="dim"), id="dialog-keys")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)


def _option_text(choice: PlaybookChoice) -> Text:
    text = Text(safe(choice.name), style="bold")
    if choice.title:
        text.append(f"  {safe(choice.title)}")
    if choice.shipped_language:
        text.append("  · " + label(LABELS, "shipped").format(lang=choice.shipped_language), style="dim")
    elif choice.steps:
        text.append("  · " + label(LABELS, "steps").format(steps=choice.steps), style="dim")
    return text


class TickNoteScreen(TranslatedBindings, ModalScreen[str | None]):
    """Asks for the note beside a tick or untick ("" for none), or the reason a step does not
    apply (`verb` "na": needed); dismisses with it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="note.cancel"),
        # as the key arrives (priority): the keys typed after it go to the screen below, not here
        Binding("enter", "submit", N_("Save"), show=False, priority=True, id="note.save"),
    ]

    PROMPTS: ClassVar[dict[str, tuple[str, str | None]]] = {  # verb → placeholder, refusal when empty
        "tick": ("note", None),
        "untick": ("note", None),
        "na": ("reason", "reason_needed"),
        "attach_force": ("attach_reason", "attach_reason_needed"),
    }

    def __init__(self, step: str, verb: str) -> None:
        super().__init__(id="tick-note")
        self.step = step
        self.verb = verb  # tick | untick | na | attach_force

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = Text.assemble((label(LABELS, self.verb) + ": ", ""), (safe(self.step), "bold"))
            yield Static(title, id="dialog-title")
            yield Input(placeholder=label(LABELS, self.PROMPTS[self.verb][0]), id="note")
            yield Static(Text(label(LABELS, "note_keys"), style="dim"), id="dialog-keys")

    def action_submit(self) -> None:
        after_typed(self, self._submit)

    def _submit(self) -> None:
        text = self.query_one("#note", Input).value.strip()
        needed = self.PROMPTS[self.verb][1]
        if needed is not None and not text:
            self.notify(label(LABELS, needed), severity="warning", markup=False)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TickAnywayScreen(TranslatedBindings, ModalScreen[tuple[str, str] | None]):
    """A tick the playbook refuses for a rule a reason overrides (an earlier stage still open, the
    staged exit's network): says why, and asks in one dialog for the reason (needed: written
    beside the tick, as `kam check --force --reason`) and the note (optional). It comes before any
    note is typed; when the refusal came only at the save (the checklist changed meanwhile), the
    note typed then fills its field, so nothing typed is lost. Dismisses with (reason, note)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="force.cancel"),
        # as the keys arrive (priority), as in the forms: `reason Tab note Enter` typed at once
        # put the note into the reason field (the focus moved after the keys that followed Tab)
        Binding("enter", "submit", N_("Save"), show=False, priority=True, id="force.save"),
        Binding("tab", "app.focus_next", N_("Next field"), show=False, priority=True, id="force.next"),
        Binding(
            "shift+tab", "app.focus_previous", N_("Previous field"), show=False, priority=True, id="force.previous"
        ),
    ]

    def __init__(self, step: str, refused: str, note: str = "") -> None:
        super().__init__(id="tick-force")
        self.step = step
        self.refused = refused
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = Text.assemble((label(LABELS, "force") + ": ", ""), (safe(self.step), "bold"))
            yield Static(title, id="dialog-title")
            yield Static(lines(self.refused), id="error")
            yield Input(placeholder=label(LABELS, "force_reason"), id="reason")
            yield Input(self.note, placeholder=label(LABELS, "note"), id="note")
            yield Static(Text(label(LABELS, "force_keys"), style="dim"), id="dialog-keys")

    def action_submit(self) -> None:
        after_typed(self, self._submit)

    def _submit(self) -> None:
        """Enter in either field saves, once there is a reason."""
        reason = self.query_one("#reason", Input)
        if not reason.value.strip():
            self.notify(label(LABELS, "force_needed"), severity="warning", markup=False)
            reason.focus()
            return
        self.dismiss((reason.value.strip(), self.query_one("#note", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
