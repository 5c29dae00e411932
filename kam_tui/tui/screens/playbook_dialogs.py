"""The Playbooks tab's dialogs: `a` chooses a playbook to attach (the repository's templates and
the ones kam ships), `space` asks for an optional note written beside the tick, `x` for the
reason a step does not apply."""

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
from kam_tui.tui.safe_text import safe
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

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"), id="note.cancel")]

    def __init__(self, step: str, verb: str) -> None:
        super().__init__(id="tick-note")
        self.step = step
        self.verb = verb  # tick | untick | na

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = Text.assemble((label(LABELS, self.verb) + ": ", ""), (safe(self.step), "bold"))
            yield Static(title, id="dialog-title")
            yield Input(placeholder=label(LABELS, "reason" if self.verb == "na" else "note"), id="note")
            yield Static(Text(label(LABELS, "note_keys"), style="dim"), id="dialog-keys")

    @on(Input.Submitted, "#note")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.verb == "na" and not text:
            self.notify(label(LABELS, "reason_needed"), severity="warning", markup=False)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
