"""`t` on the account screen: a target agreed with the account for a quarter, half-year or year,
written as `kam set ID targets.PERIOD.sales=… targets.PERIOD.gross_margin=…` writes it (one
commit; future periods allowed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from kam_tui.i18n import N_
from kam_tui.model.schema import TARGET_PATTERN
from kam_tui.tui import gateway
from kam_tui.tui.gateway import AccountView, ChangeResult, InvalidChange, Repository
from kam_tui.tui.safe_text import safe
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.translate import label
from kam_tui.tui.widgets.field_inputs import FieldSpec

LABELS = {
    "title": N_("Set a target for"),
    "bad_period": N_("a quarter, a half-year or a year: 2027-Q1, 2027-H1 or 2027"),
    "no_value": N_("give a sales target, a margin target or both"),
}
FIELDS = (
    FieldSpec("period", N_("Period"), placeholder=N_("2027-Q1, 2027-H1 or 2027"), required=True),
    FieldSpec("sales", N_("Sales target"), placeholder=N_("e.g. 1200000")),
    FieldSpec("gross_margin", N_("Margin target"), placeholder=N_("a ratio: 0.15 = 15 %")),
)
SAMPLE_PERIOD = "2000"  # any valid period: a value is checked the same for every period


def next_quarter(today: dt.date) -> str:
    """The quarter after today's (targets are agreed ahead)."""
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year + 1}-Q1" if quarter == 4 else f"{today.year}-Q{quarter + 1}"


def check(key: str, text: str) -> str | None:
    if key == "period":
        return None if TARGET_PATTERN.fullmatch(text) else label(LABELS, "bad_period")
    return gateway.check_field(f"targets.{SAMPLE_PERIOD}.{key}", text)


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        return str(int(value))
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def target_form(repo: Repository, view: AccountView, today: dt.date | None = None) -> FieldFormScreen:
    period = next_quarter(today or gateway.today())
    data = view.loaded.doc.data if view.loaded.doc is not None else {}
    targets = data.get("targets") if isinstance(data, dict) else None
    current = targets.get(period) if isinstance(targets, dict) else None
    values = {"period": period}
    if isinstance(current, dict):
        values |= {key: _shown(current.get(key)) for key in ("sales", "gross_margin")}

    def save(typed: dict[str, str]) -> ChangeResult:
        chosen = typed["period"]
        changes = {f"targets.{chosen}.{key}": typed[key] for key in ("sales", "gross_margin") if typed.get(key)}
        if not changes:
            raise InvalidChange(label(LABELS, "no_value"))
        return gateway.save_fields(repo, view, changes)

    title = Text.assemble((label(LABELS, "title") + " ", ""), (safe(view.id), "bold"))
    return FieldFormScreen(title, FIELDS, check, save, values, form_id="target-form")
