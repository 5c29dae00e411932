"""Key descriptions in the reader's language.

Bindings are class attributes, built once at import whatever the language; their descriptions
are marked with `N_()` and translated here, where the footer and `?` read them (a screen's
`active_bindings`), so they follow the language the CLI chose for the run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from kam_tui.i18n import N_, _

# Textual's own words that kam shows (the palette's system commands and prompts), marked here so
# the catalogue holds them; a word Textual renames later shows in English until it is added.
TEXTUAL_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
TEXTUAL_KEYS_COMMAND = "Keys"  # Textual's key panel: kam's own `?` help replaces it
NO_MATCHES = N_("No matches found")


class TranslatedPalette(CommandPalette):
    """Textual's command palette, saying "No matches found" in the reader's language.

    Textual writes that line inside `_start_no_matches_countdown` with no setting to change it,
    so this is that method with the line translated (the same in every Textual the tests run on:
    the palette test fails if it changes)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # an empty search lists commands to discover: nothing to say
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(_(NO_MATCHES), style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class TranslatedBindings:
    """Mixed into a screen before Screen/ModalScreen: its footer and `?` speak the reader's language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)  # type: ignore[misc]  # Screen's, next in the MRO


def translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The same bindings, each description through the catalogue (Textual's own stay as they are
    unless the catalogue knows them)."""
    return {
        key: active._replace(binding=_translated(active.binding)) if active.binding.description else active
        for key, active in bindings.items()
    }


def _translated(binding: Binding) -> Binding:
    tooltip = _(binding.tooltip) if binding.tooltip else ""
    return replace(binding, description=_(binding.description), tooltip=tooltip)


def label(labels: Mapping[str, str], key: str) -> str:
    """One of a screen's LABELS (marked with `N_()` where defined) in the reader's language."""
    return _(labels[key])


def system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's palette commands in the reader's language, without its key panel (kam's help,
    "Show the keys", lists kam's keys in the reader's language)."""
    for command in commands:
        if command.title != TEXTUAL_KEYS_COMMAND:
            yield command._replace(title=_(command.title), help=_(command.help))
