"""`p` on the Reviews screen: plan a review as `kam review plan PERIOD [--tier T] [--stage S]`
does — the period and, if the team wants, one tier or stage as the scope — committed as one
commit by the same function (`write_plan`)."""

from __future__ import annotations

from rich.text import Text

from kam_tui.i18n import N_
from kam_tui.model.cycle import Cycle, parse_cycle
from kam_tui.model.errors import KamError
from kam_tui.model.review import PlanRequest
from kam_tui.model.schema import STAGES, TIERS
from kam_tui.tui import gateway
from kam_tui.tui.gateway import PlanWritten, Repository
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.translate import label
from kam_tui.tui.widgets.field_inputs import FieldSpec

LABELS = {
    "title": N_("Plan a review"),
    "hint": N_(
        "Without a tier or stage: every account that has not exited. A survey is asked of the accounts "
        "due one (kam.yaml surveys.every)."
    ),
}
FIELDS = (
    FieldSpec("period", N_("Period"), placeholder=N_("2026-Q4, 2026-H2 or 2026"), required=True),
    FieldSpec("tier", N_("Only tier"), choices=TIERS),
    FieldSpec("stage", N_("Only stage"), choices=STAGES),
)


def check(key: str, text: str) -> str | None:
    if key != "period":
        return None  # a choice from the list
    try:
        parse_cycle(text)
    except KamError as exc:
        return exc.hint or exc.message  # the forms that work
    return None


def plan_request(typed: dict[str, str]) -> tuple[Cycle, PlanRequest]:
    """What the form asks, as `kam review plan`'s arguments."""
    tiers = [typed["tier"]] if typed.get("tier") else []
    stages = [typed["stage"]] if typed.get("stage") else []
    return parse_cycle(typed["period"]), PlanRequest(tiers=tiers, stages=stages)


def plan_form(repo: Repository, shown: Cycle) -> FieldFormScreen[PlanWritten]:
    """The form, opened on the period the screen shows."""

    def save(typed: dict[str, str]) -> PlanWritten:
        cycle, request = plan_request(typed)
        return gateway.plan_review(repo, cycle, request)

    title = Text(label(LABELS, "title"), style="bold")
    hint = Text(label(LABELS, "hint"), style="dim")
    return FieldFormScreen(title, FIELDS, check, save, {"period": shown.key}, form_id="plan-form", hint=hint)
