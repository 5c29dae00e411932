"""The names a person reads for the scorecard's dimensions and an account's ratings (docs/glossary.md).

The codes (`sales`, `credit`, …) stay in files and JSON; these are labels only. Each has the
context "dimension" or "rating", so a dimension's "credit" (信用) is never confused with the
payment term "credit" (赊销)."""

from __future__ import annotations

from kam_tui.i18n import NP_, pgettext

# The codes that have a label, each marked once for the catalogue; `pgettext` reads it when shown.
DIMENSIONS = (
    NP_("dimension", "sales"),
    NP_("dimension", "margin"),
    NP_("dimension", "frequency"),
    NP_("dimension", "years"),
    NP_("dimension", "strength"),
    NP_("dimension", "capability"),
    NP_("dimension", "credit"),
    NP_("dimension", "satisfaction"),
    NP_("dimension", "strategic"),
)
RATINGS = (
    NP_("rating", "capital"),
    NP_("rating", "network"),
    NP_("rating", "logistics"),
    NP_("rating", "relations"),
    NP_("rating", "staff"),
    NP_("rating", "vision"),
    NP_("rating", "management"),
    NP_("rating", "marketing"),
    NP_("rating", "credit"),
)


def dimension_label(code: str) -> str:
    """A scorecard dimension's name in the reader's language; an unknown code as it is."""
    return pgettext("dimension", code)


def rating_label(code: str) -> str:
    """A qualitative rating's name (ratings.capital, …) in the reader's language; an unknown code as it is."""
    return pgettext("rating", code)
