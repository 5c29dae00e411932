"""The names a person reads for the scorecard's dimensions and an account's ratings (docs/glossary.md).

The codes (`sales`, `credit`, …) stay in files and JSON; these are labels only. Each has the
context "dimension" or "rating", so a dimension's "credit" (信用) is never confused with the
payment term "credit" (赊销)."""

from __future__ import annotations

from kam_tui.i18n import pgettext


def dimension_label(code: str) -> str:
    """A scorecard dimension's name in the reader's language; an unknown code as it is."""
    labels = {
        "sales": pgettext("dimension", "sales"),
        "margin": pgettext("dimension", "margin"),
        "frequency": pgettext("dimension", "frequency"),
        "years": pgettext("dimension", "years"),
        "strength": pgettext("dimension", "strength"),
        "capability": pgettext("dimension", "capability"),
        "credit": pgettext("dimension", "credit"),
        "satisfaction": pgettext("dimension", "satisfaction"),
        "strategic": pgettext("dimension", "strategic"),
    }
    return labels.get(code, code)


def rating_label(code: str) -> str:
    """A qualitative rating's name (ratings.capital, …) in the reader's language."""
    labels = {
        "capital": pgettext("rating", "capital"),
        "network": pgettext("rating", "network"),
        "logistics": pgettext("rating", "logistics"),
        "relations": pgettext("rating", "relations"),
        "staff": pgettext("rating", "staff"),
        "vision": pgettext("rating", "vision"),
        "management": pgettext("rating", "management"),
        "marketing": pgettext("rating", "marketing"),
        "credit": pgettext("rating", "credit"),
    }
    return labels.get(code, code)
