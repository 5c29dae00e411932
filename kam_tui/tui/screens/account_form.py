"""`e` on the account screen: the account's own fields, a widget per field (a Select where the
schema fixes the choices, checked text for numbers and dates, the team as names separated by
commas), saved as `kam set ID KEY=VALUE…` saves them: only what was changed, validated, one
commit; an emptied field is removed. Visits, complaints and surveys are logged with `v`/`c`/`s`;
notes and anything else are edited with `E` (the file in an editor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.text import Text

from kam_tui.i18n import N_, _
from kam_tui.model.schema import KINDS, PAYMENT_TERMS, RATINGS, STAGES, TIERS
from kam_tui.model.score_labels import rating_label
from kam_tui.model.text import double_quoted
from kam_tui.tui import gateway
from kam_tui.tui.gateway import AccountView, ChangeResult, Repository
from kam_tui.tui.safe_text import safe
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.translate import label
from kam_tui.tui.widgets.field_inputs import FieldSpec

LABELS = {
    "title": N_("Edit"),
    "hint": N_("Visits, complaints, surveys: v, c, s. Notes and the rest: E opens the file in your editor."),
}
DATE = N_("YYYY-MM-DD")
RATIO = N_("a ratio: 0.05 = 5 %")
RATING_CHOICES = ("1", "2", "3", "4", "5")
RATING = N_("Rating: {name}")


def rating_field_label(code: str) -> Callable[[], str]:
    """A rating's label, with the name the overview gives it (one name per rating, kept in the model)."""
    return lambda: _(RATING).format(name=rating_label(code))


FIELDS = (
    FieldSpec("name", N_("Name"), required=True),
    FieldSpec("kind", N_("Kind (empty: dealer)"), choices=KINDS),
    FieldSpec("stage", N_("Stage"), choices=STAGES),
    FieldSpec("owner", N_("Owner")),
    FieldSpec("team", N_("Team"), placeholder=N_("names, separated by commas")),
    FieldSpec("since", N_("Since"), placeholder=DATE),
    FieldSpec("industry", N_("Industry")),
    FieldSpec("region", N_("Region")),
    FieldSpec("payment_terms", N_("Payment terms"), choices=PAYMENT_TERMS),
    FieldSpec("credit_limit", N_("Credit limit"), placeholder=N_("money, e.g. 500000")),
    FieldSpec("discount", N_("Discount granted"), placeholder=RATIO),
    FieldSpec("rebate", N_("Rebate granted"), placeholder=RATIO),
    FieldSpec("strategic", N_("Strategic"), choices=("true", "false")),
    FieldSpec("network_held", N_("Network held"), placeholder=N_("share of its outlets we reach, 0–1")),
    FieldSpec("tier_override.tier", N_("Tier override"), choices=TIERS),
    FieldSpec("tier_override.reason", N_("Override reason")),
    *(FieldSpec(f"ratings.{code}", rating_field_label(code), choices=RATING_CHOICES) for code in RATINGS),
)


LISTS = ("team",)  # lists of names, typed as `a, b, c`


def shown(value: Any) -> str:
    """A value from the file as the text a person would type for it after `KEY=` (a list of
    names as `a, b`)."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        return str(int(value))
    return str(value)


def current_values(data: Any) -> dict[str, str]:
    """Every form field's value in the file (dotted keys looked up in nested mappings)."""
    out = {}
    for spec in FIELDS:
        node = data
        for part in spec.key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        out[spec.key] = shown(node)
    return out


def as_assigned(key: str, text: str) -> str:
    """What the form's text means after `KEY=` in `kam set`: a list field's names, separated by
    commas, as a flow list of quoted names (so `yes` or `007` stays a name); the store writes
    the list in the file's own style, unquoted where YAML allows."""
    if key not in LISTS or not text.strip():
        return text
    names = [double_quoted(name.strip()) for name in text.split(",") if name.strip()]
    return "[" + ", ".join(names) + "]"


def account_form(repo: Repository, view: AccountView) -> FieldFormScreen:
    data = view.loaded.doc.data if view.loaded.doc is not None else {}

    def check(key: str, text: str) -> str | None:
        return gateway.check_field(key, as_assigned(key, text))

    def save(changed: dict[str, str]) -> ChangeResult:
        return gateway.save_fields(repo, view, {key: as_assigned(key, text) for key, text in changed.items()})

    title = Text.assemble((label(LABELS, "title") + " ", ""), (safe(view.id), "bold"))
    return FieldFormScreen(
        title,
        FIELDS,
        check,
        save,
        current_values(data),
        only_changed=True,
        form_id="account-form",
        hint=Text(label(LABELS, "hint"), style="dim"),
    )
