"""One input per account field, for the forms (`n`, `t`, `e`): a Select where the schema fixes
the choices, a text input for the rest, each checked as it is typed by the same parser as
`kam set`, its error shown under it. Values are plain text: Input and Select never read markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from kam_tui.i18n import _
from kam_tui.tui.safe_text import lines, safe

Check = Callable[[str, str], str | None]  # (key, text) → why the text cannot be saved, or None


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form."""

    key: str  # as `kam set` types it: `stage`, `ratings.credit`, `tier_override.tier`
    label: str | Callable[[], str]  # marked with N_() where defined, translated when shown; or the shown text's maker
    choices: tuple[str, ...] = ()  # fixed choices: a Select (with a blank entry unless required)
    placeholder: str = ""  # marked with N_() too
    required: bool = False

    def shown_label(self) -> str:
        """The label in the reader's language."""
        return self.label() if callable(self.label) else _(self.label)


class FieldInput(Vertical):
    """Label, input and the input's error. `value` is the text as `kam set` would take it after
    `KEY=` (empty: not set); `changed` says whether it differs from what the form opened with."""

    DEFAULT_CSS = """
    FieldInput { height: auto; }
    FieldInput > Horizontal { height: auto; }
    FieldInput .field-label { width: 24; color: $text-muted; }
    FieldInput .field-error { color: $error; display: none; padding-left: 24; }
    FieldInput Input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    FieldInput Input:focus { border: none; background: $primary 25%; }
    FieldInput Select { width: 1fr; }
    FieldInput SelectCurrent { height: 1; border: none; padding: 0 1; background: $boost; }
    FieldInput Select:focus > SelectCurrent { border: none; background: $primary 25%; }
    """

    def __init__(self, spec: FieldSpec, value: str, check: Check) -> None:
        super().__init__(id=field_id(spec.key))
        self.spec = spec
        # an input draws its text as it is: a control character in the file is shown escaped
        # (`\x1b`), and that text, left as it is, is no change (typed over, it is what is saved)
        self.initial = value if spec.choices else safe(value)
        self._check = check
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.spec.shown_label() + (" *" if self.spec.required else ""), classes="field-label")
            yield self._input()
        yield Static(classes="field-error")

    def _input(self) -> Input | Select[str]:
        spec = self.spec
        if spec.choices:
            options = [(Text(safe(choice)), choice) for choice in spec.choices]
            if self.initial and self.initial not in spec.choices:  # a value the schema refuses: shown as it is
                options.append((Text(safe(self.initial)), self.initial))
            return Select(
                options,
                prompt=_("(not set)"),
                allow_blank=not spec.required,
                value=self.initial if self.initial else Select.NULL,
                id="input",
            )
        return Input(self.initial, placeholder=_(spec.placeholder) if spec.placeholder else "", id="input")

    @property
    def value(self) -> str:
        widget = self.query_one("#input")
        if isinstance(widget, Select):
            return "" if widget.is_blank() else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value.strip()

    @property
    def changed(self) -> bool:
        return self.value != self.initial.strip()

    def check(self) -> str | None:
        """Check the value now and show the error under the input (or hide it)."""
        value = self.value
        if not value:
            self.error = _("needed") if self.spec.required else None
        else:
            self.error = self._check(self.spec.key, value)
        error = self.query_one(".field-error", Static)
        error.update(lines(self.error or ""))
        error.display = self.error is not None
        return self.error

    @on(Input.Changed)
    @on(Select.Changed)
    def _typed(self) -> None:
        if self.is_mounted:
            self.check()


def field_id(key: str) -> str:
    """A widget id for a field key (`ratings.credit` → `field-ratings-credit`)."""
    return "field-" + key.replace(".", "-").replace("_", "-")


def first_error(fields: list[FieldInput]) -> FieldInput | None:
    """Check every field (so each shows its error); the first with one."""
    bad = [field for field in fields if field.check() is not None]
    return bad[0] if bad else None
