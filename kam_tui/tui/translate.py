"""Key descriptions in the reader's language.

Bindings are class attributes, built once at import whatever the language; their descriptions
are marked with `N_()` and translated here, where the footer and `?` read them (a screen's
`active_bindings`), so they follow the language the CLI chose for the run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.binding import ActiveBinding, Binding

from kam_tui.i18n import _


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
