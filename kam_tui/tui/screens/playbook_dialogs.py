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
from kam_tui.tui.safe_text import lines, safe
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
    """Asks for the note beside a tick or untick ("" for none), the reason a step does not apply
    (`verb` "na": needed), or — after saying why the playbook refused a tick — the reason to tick
    it anyway (`verb` "force": needed, as `kam check --force --reason`); dismisses with it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"), id="note.cancel")]

    PROMPTS: ClassVar[dict[str, tuple[str, str | None]]] = {  # verb → placeholder, refusal when empty
        "tick": ("note", None),
        "untick": ("note", None),
        "na": ("reason", "reason_needed"),
        "force": ("force_reason", "force_needed"),
    }

    def __init__(self, step: str, verb: str, refused: str | None = None) -> None:
        super().__init__(
            id="tick-force" if verb == "force" else "tick-note"
        )  # a refused tick's note dialog may still be closing
        self.step = step
        self.verb = verb  # tick | untick | na | force (a tick the playbook refused: `refused` says why)
        self.refused = refused

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = Text.assemble((label(LABELS, self.verb) + ": ", ""), (safe(self.step), "bold"))
            yield Static(title, id="dialog-title")
            if self.refused is not None:
                yield Static(lines(self.refused), id="error")
            yield Input(placeholder=label(LABELS, self.PROMPTS[self.verb][0]), id="note")
            yield Static(Text(label(LABELS, "note_keys"), style="dim"), id="dialog-keys")

    @on(Input.Submitted, "#note")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        needed = self.PROMPTS[self.verb][1]
        if needed is not None and not text:
            self.notify(label(LABELS, needed), severity="warning", markup=False)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
