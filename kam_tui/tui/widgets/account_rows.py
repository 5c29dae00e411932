"""How an account reads as one row of the accounts table: its cells, its sort keys, and the
portfolio line above the table. Pure presentation over the gateway's records; built once per
load (not per keystroke), so a filter only picks rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from kam_tui.i18n import N_, _
from kam_tui.model.schema import STAGES, TIERS
from kam_tui.model.summary import MISSING, ScoreSummary
from kam_tui.tui.gateway import AccountRow, Figures, PortfolioView
from kam_tui.tui.safe_text import safe
from kam_tui.tui.widgets.virtual_table import Column

# Every label on this screen, in one place (for the message catalogue; translated when shown).
LABELS = {
    "name": N_("NAME"),
    "id": N_("ID"),
    "tier": N_("TIER"),
    "score": N_("SCORE"),
    "stage": N_("STAGE"),
    "owner": N_("OWNER"),
    "sales": N_("SALES 12M"),
    "margin": N_("MARGIN"),
    "risks": N_("RISKS"),
}


TIER_STYLE = {"A": "bold green", "B": "bold", "C": "dim"}
NO_FIGURES = Figures(None, None)


def _tier_style(tier: str) -> str:
    return TIER_STYLE.get(tier[:1], "")


def _risk_style(risks: str) -> str:
    return "red"


def columns() -> tuple[Column, ...]:
    """The table's columns with headings in the reader's language. The order of the issue; at 80
    columns name, tier, score and risks stay, the rest drop (highest first)."""
    label = {key: _(text) for key, text in LABELS.items()}
    return (
        Column("name", label["name"], max_width=44, min_width=10, flex=True, soft_width=26),
        Column("id", label["id"], max_width=24, drop=6),
        Column("tier", label["tier"], max_width=6, style=_tier_style),
        Column("score", label["score"], max_width=7, justify="right"),
        Column("stage", label["stage"], max_width=11, drop=2),
        Column("owner", label["owner"], max_width=12, drop=3),
        Column("sales", label["sales"], max_width=13, justify="right", drop=4),
        Column("margin", label["margin"], max_width=8, justify="right", drop=5),
        Column("risks", label["risks"], max_width=40, min_width=8, flex=True, soft_width=18, style=_risk_style),
    )


SCORED = frozenset({"tier", "score", "sales", "margin", "risks"})  # the columns the scoring worker fills in


def cells(row: AccountRow, s: ScoreSummary | None, figures: Figures | None) -> tuple[str, ...]:
    """The cells of one row, in `columns()` order: plain strings (shown as typed, never as markup;
    their colour comes from the column), so 10,000 rows build and measure in a few milliseconds."""
    a = row.account
    f = figures or NO_FIGURES
    return (
        a.name,
        a.id,
        s.tier_label() if s is not None else "",
        s.score_text(1) if s is not None else "",
        a.stage or "",
        a.owner or "",
        MISSING if f.sales is None else f"{f.sales:,.0f}",
        MISSING if f.margin is None else f"{f.margin:.1%}",
        ", ".join(s.risks) if s is not None else "",
    )


def _none_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


SortKey = Callable[[AccountRow, PortfolioView | None], Any]
_STAGE_ORDER = {stage: i for i, stage in enumerate(STAGES)}
_TIER_ORDER = {tier: i for i, tier in enumerate(TIERS)}


def _scored(row: AccountRow, portfolio: PortfolioView | None) -> Any:
    return None if portfolio is None else portfolio.scores.get(row.id)


def _figures(row: AccountRow, portfolio: PortfolioView | None) -> Figures:
    return NO_FIGURES if portfolio is None else portfolio.figures.get(row.id, NO_FIGURES)


SORT_KEYS: dict[str, SortKey] = {
    "name": lambda r, p: r.account.name.casefold(),
    "id": lambda r, p: r.id,
    "tier": lambda r, p: _none_last(_TIER_ORDER.get(getattr(_scored(r, p), "tier", None) or "")),
    "score": lambda r, p: _none_last(getattr(_scored(r, p), "score", None)),
    "stage": lambda r, p: _none_last(_STAGE_ORDER.get(r.account.stage or "")),
    "owner": lambda r, p: (r.account.owner or "").casefold(),
    "sales": lambda r, p: _none_last(_figures(r, p).sales),
    "margin": lambda r, p: _none_last(_figures(r, p).margin),
    "risks": lambda r, p: len(getattr(_scored(r, p), "risks", ()) or ()),
}


def sort_rows(rows: list[AccountRow], key: str, descending: bool, portfolio: PortfolioView | None) -> list[AccountRow]:
    """Rows by one column; unknown values last either way; ties keep the file order."""
    sort_key = SORT_KEYS[key]
    keyed = [(sort_key(row, portfolio), row) for row in rows]
    known = [pair for pair in keyed if not (isinstance(pair[0], tuple) and pair[0][0])]
    unknown = [pair for pair in keyed if isinstance(pair[0], tuple) and pair[0][0]]
    known.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _key, row in known] + [row for _key, row in unknown]


def problem_lines(problems: list[Any]) -> Text:
    """Files that failed to load, as `path:line: message` (the rest of the list works on)."""
    return Text("\n".join(safe(p.render()) for p in problems), style="yellow")
