"""What every form dialog shares: save in a worker through a function the caller hands in, show
why nothing was saved in the dialog, and never drop typed text without asking (escape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from textual import work
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from kam_tui.i18n import N_, _
from kam_tui.tui.translate import TranslatedBindings, label

from kam_tui.tui import gateway
from kam_tui.tui.safe_text import lines
from kam_tui.tui.screens.confirm import ConfirmScreen

INPUTS = "Input, Select"  # what a person types into or picks from; disabled while a save runs
LABELS = {
    "drop": N_("Drop the text typed here? Nothing was saved."),
    "reload_hint": N_("(Esc, then r on the account reloads it from disk)"),
}


def after_typed(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Run `callback` once the focused field has taken the keys typed before this one. A key
    bound with priority (Enter, Tab) is handled as it arrives, while the keys before it may still
    wait in the field's own queue: reading the field at once would miss them."""
    (screen.focused or screen).call_later(callback)


Result = TypeVar("Result")  # what a form's save returns (ChangeResult for an account's change)


class FormScreen(TranslatedBindings, ModalScreen[Result | None], Generic[Result]):
    """A dialog that dismisses with the result of its save (a ChangeResult), or None when cancelled.
    Subclasses compose an `#error` Static and call `start_save(save)`; `unsaved()` says whether
    typed text would be lost."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        # Priority: the focus moves as the key arrives, before the keys typed after it reach a
        # field (bubbling up from the field, a fast `Tab 2 Tab 4` put 4 in the wrong one).
        Binding("tab", "app.focus_next", N_("Next field"), show=False, priority=True, id="form.next"),
        Binding("shift+tab", "app.focus_previous", N_("Previous field"), show=False, priority=True, id="form.previous"),
        # Enter too, as it arrives: `x Enter y` typed at once put y in x's field, Enter's move
        # (a Submitted message, bubbling up) coming after the y
        Binding(
            "enter", "next_or_save", N_("Next field, or save in the last"), show=False, priority=True, id="form.enter"
        ),
    ]

    saving = False

    def unsaved(self) -> bool:
        raise NotImplementedError

    def action_save(self) -> None:
        raise NotImplementedError

    def action_next_or_save(self) -> None:
        """Enter in a text field moves to the next field; in the last one it saves. On anything
        else (a Select, its open list) Enter is that widget's own."""
        if not isinstance(self.focused, Input):
            raise SkipAction()
        fields = list(self.query(INPUTS))
        if self.focused is fields[-1]:
            after_typed(self, self.action_save)
        else:
            self.app.action_focus_next()

    def start_save(self, save: Callable[[], Result]) -> None:
        if self.saving:
            return
        self.saving = True
        for field in self.query(INPUTS):
            field.disabled = True
        self._run_save(save)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _run_save(self, save: Callable[[], Result]) -> Result:
        return save()

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
                message += "\n" + label(LABELS, "reload_hint")
            if message is None:  # a bug: said so, logged, and nothing was saved
                self.log.error(f"unexpected error while saving: {exc!r}")
                message = _("unexpected error: {kind}: {detail}").format(kind=type(exc).__name__, detail=exc)
            self.show_error(message)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_to_screen)

    def fit_to_screen(self) -> None:
        """Give the fields (`#form-fields`, scrolled) what the screen leaves of its height after
        the title, the error and the keys: every form fits 80×24 with its error and save hint."""
        scrolls = self.query("#form-fields")
        if not scrolls:
            return
        fields = scrolls.first()
        dialog = self.query_one("#dialog")
        width = dialog.content_size.width
        rest = sum(  # measured from their text, so an error just shown counts before the next layout
            w.get_content_height(self.size, self.size, max(1, width - w.styles.gutter.width))
            + w.styles.gutter.height
            + w.styles.margin.height
            for w in dialog.children
            if w is not fields and w.display
        )
        chrome = dialog.styles.gutter.height + dialog.styles.margin.height + fields.styles.margin.height
        fields.styles.max_height = max(3, self.size.height - rest - chrome)

    def show_error(self, message: str) -> None:
        self.saving = False
        error = self.query_one("#error", Static)
        error.update(lines(message))
        error.display = True
        self.fit_to_screen()
        fields = list(self.query(INPUTS))
        for field in fields:
            field.disabled = False
        if fields:
            fields[0].focus()

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.unsaved():
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(label(LABELS, "drop")), answered)
