"""`n` on the accounts screen: a new account, written as `kam new ID --name NAME KEY=VALUE…`
writes it (one commit; stage prospect unless chosen)."""

from __future__ import annotations

from rich.text import Text

from kam_tui.i18n import N_
from kam_tui.tui.translate import label
from kam_tui.model.schema import ID_PATTERN, KINDS, STAGES
from kam_tui.tui import gateway
from kam_tui.tui.gateway import Repository
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.widgets.field_inputs import FieldSpec

LABELS = {
    "title": N_("New account"),
    "bad_id": N_("lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters"),
}
FIELDS = (
    FieldSpec("id", N_("Id (the file name)"), placeholder=N_("e.g. acme-motors"), required=True),
    FieldSpec("name", N_("Name"), required=True),
    FieldSpec("kind", N_("Kind (empty: dealer)"), choices=KINDS),
    FieldSpec("stage", N_("Stage"), choices=STAGES, required=True),
    FieldSpec("owner", N_("Owner")),
    FieldSpec("region", N_("Region")),
    FieldSpec("industry", N_("Industry")),
)


def check(key: str, text: str) -> str | None:
    """The id by the id rule, the name as any text, the rest as `kam set` reads them."""
    if key == "id":
        return None if ID_PATTERN.fullmatch(text) else label(LABELS, "bad_id")
    if key == "name":
        return None
    return gateway.check_field(key, text)


def new_account_form(repo: Repository) -> FieldFormScreen:
    def save(values: dict[str, str]) -> gateway.ChangeResult:
        rest = {key: text for key, text in values.items() if key not in ("id", "name")}
        return gateway.new_account(repo, values["id"], values["name"], rest)

    return FieldFormScreen(
        Text(label(LABELS, "title"), style="bold"),
        FIELDS,
        check,
        save,
        {"stage": "prospect"},
        form_id="new-account",
    )
