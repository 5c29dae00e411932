"""The account file format (schema v1), written down once.

Validation (`kam_tui.model.account_checks`), the docs (`kam schema`, docs/schema.md) and value
parsing for `kam set` are all generated from `ACCOUNT` below, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import N_, _, pgettext


ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
PERIOD_PATTERN = re.compile(r"(19|20|21)[0-9]{2}-Q[1-4]")
TARGET_PATTERN = re.compile(r"(19|20|21)[0-9]{2}(-Q[1-4]|-H[12])?")  # a quarter, a half or a year
WHEN_PATTERN = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}(:[0-9]{2})?)")
YEARS = range(1900, 2200)  # dates and periods kam accepts; far outside is a typo (or an attack)
MAX_MONEY = 10**15  # far above any account's figures; keeps sums of them finite
STAGES = ("prospect", "developing", "active", "at-risk", "exiting", "exited")
PAYMENT_TERMS = ("credit", "partial", "cash")
TIERS = ("A", "B", "C")
KINDS = ("dealer", "distributor", "retailer", "end-user")  # absent means dealer
NETWORK_KINDS = ("dealer", "distributor", "retailer")  # accounts that have a downstream network
ACTION_STATUSES = ("open", "done", "dropped")
RATINGS = ("capital", "network", "logistics", "relations", "staff", "vision", "management", "marketing", "credit")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Field:
    """One key of the format: its kind, its doc line, and what makes a value valid."""

    kind: str  # text enum date when money signed-ratio ratio count rating bool list record map
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    item: Field | None = None  # element of a list, value of a map
    fields: dict[str, Field] = field(default_factory=dict)  # keys of a record
    key_pattern: re.Pattern[str] | None = None  # keys of a map
    key_doc: str = ""
    # A list of records: the keys that say two versions of an item are the same item (the merge
    # driver matches items by them), and the key the list is ordered by (a union stays in order).
    identity: tuple[str, ...] = ()
    order: str = ""


def _rec(doc: str, **fields: Field) -> Field:
    return Field("record", doc, fields=dict(fields))


def _text(doc: str, required: bool = False) -> Field:
    return Field("text", doc, required=required)


_MONEY = N_("money ≥ 0")
_PERIOD = _rec(
    N_("figures for one quarter"),
    sales=Field("money", N_("sales to the account in the quarter")),
    gross_margin=Field("signed-ratio", N_("gross margin as a ratio (0.15 = 15 %), may be negative")),
    orders=Field("count", N_("number of orders in the quarter")),
    stock_in=Field("money", N_("what the account bought in (stock-in)")),
    sell_through=Field("money", N_("what the account really sold on (sell-through)")),
    receivables=Field("money", N_("what it owes us at quarter end")),
    overdue=Field("money", N_("part of receivables past due")),
    owed_to_account=Field("money", N_("what we owe it: deposits, rebates, credits")),
)

ACCOUNT = _rec(
    N_("a key account"),
    id=Field("id", N_("the account's id; equals the file name without .yaml"), required=True),
    name=_text(N_("display name"), required=True),
    kind=Field(
        "enum", N_("what the account is (absent: dealer); network advice is for the first three"), choices=KINDS
    ),
    stage=Field("enum", N_("lifecycle stage"), choices=STAGES),
    owner=_text(N_("the dedicated account manager")),
    team=Field("list", N_("everyone who works the account"), item=_text(N_("a team member"))),
    since=Field("date", N_("when the relationship started")),
    industry=_text(N_("industry")),
    region=_text(N_("sales territory")),
    payment_terms=Field("enum", N_("payment terms"), choices=PAYMENT_TERMS),
    credit_limit=Field("money", N_("credit limit granted")),
    discount=Field("ratio", N_("price discount granted, as a ratio (0.05 = 5 %)")),
    rebate=Field("ratio", N_("rebate granted on sales, as a ratio (0.02 = 2 %)")),
    strategic=Field("bool", N_("strategic significance or brand influence beyond volume")),
    tier_override=_rec(
        N_("a person's override of the computed tier; the reason stays in the file"),
        tier=Field("enum", N_("the tier to use"), required=True, choices=TIERS),
        reason=_text(N_("why the computed tier is overridden"), required=True),
        by=_text(N_("who decided")),
        date=Field("date", N_("when")),
    ),
    ratings=_rec(
        N_("qualitative ratings, 1 (weak) to 5 (strong)"),
        **{name: Field("rating", f"{name} rating") for name in RATINGS},
    ),
    network_held=Field("ratio", N_("share of its downstream outlets we reach directly (0–1)")),
    contacts=Field(
        "list",
        N_("people at the account"),
        item=_rec(
            N_("a contact"),
            name=_text(N_("name")),
            role=_text(N_("role")),
            phone=_text(N_("phone")),
            email=_text(N_("email")),
        ),
        identity=("name",),
    ),
    periods=Field("map", N_("figures per quarter"), item=_PERIOD, key_pattern=PERIOD_PATTERN, key_doc="YYYY-Qn"),
    targets=Field(
        "map",
        N_("targets agreed with the account, per quarter, half-year or year (future periods allowed)"),
        item=_rec(
            N_("targets for one period"),
            sales=Field("money", N_("sales target")),
            gross_margin=Field("signed-ratio", N_("gross margin target as a ratio")),
        ),
        key_pattern=TARGET_PATTERN,
        key_doc="YYYY-Qn, YYYY-Hn or YYYY",
    ),
    visits=Field(
        "list",
        N_("visit log"),
        item=_rec(
            N_("a visit"),
            date=Field("date", N_("when"), required=True),
            by=_text(N_("who visited")),
            summary=_text(N_("what happened")),
            next=_text(N_("the agreed next step")),
        ),
        identity=("date", "by", "summary"),
        order="date",
    ),
    complaints=Field(
        "list",
        N_("complaints"),
        item=_rec(
            N_("a complaint"),
            opened=Field("when", N_("when it was received"), required=True),
            answered=Field("when", N_("when we first answered; response = answered − opened")),
            closed=Field("when", N_("when it was resolved; absent while open")),
            summary=_text(N_("what it is about")),
        ),
        identity=("opened", "summary"),
        order="opened",
    ),
    surveys=Field(
        "list",
        N_("satisfaction surveys"),
        item=_rec(
            N_("a survey"),
            date=Field("date", N_("when"), required=True),
            product=Field("rating", N_("product satisfaction 1–5")),
            service=Field("rating", N_("service satisfaction 1–5")),
            brand=Field("rating", N_("brand image 1–5")),
            comment=_text(N_("comment")),
        ),
        identity=("date",),
        order="date",
    ),
    actions=Field(
        "list",
        N_("improvement actions tracked to closure (from surveys, complaints, reviews)"),
        item=_rec(
            N_("an action"),
            what=_text(N_("what is to be done"), required=True),
            owner=_text(N_("who does it")),
            due=Field("date", N_("by when")),
            status=Field("enum", N_("open (absent means open), done or dropped"), choices=ACTION_STATUSES),
            opened=Field("date", N_("when it was opened")),
            closed=Field("date", N_("when it was done or dropped")),
            source=_text(N_("where it came from, e.g. 'survey 2026-11-20'")),
        ),
        identity=("what", "opened"),
        order="opened",
    ),
    notes=_text(N_("free notes")),
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A validation result at a data path; the store turns the path into a line."""

    path: Path_
    level: str  # "error" | "warning"
    message: str
    hint: str | None = None
    at_key: bool = False  # point at the key rather than the value


def dotted(path: Path_) -> str:
    """A data path as a person types it: list items by their 1-based number (`visits.3.date`)."""
    return ".".join(str(part + 1 if isinstance(part, int) and part >= 0 else part) for part in path)


def parse_when(value: Any) -> dt.datetime | None:
    """`2026-11-20 14:30` or `2026-11-20T14:30[:00]` as a datetime (None if it is not one)."""
    if not isinstance(value, str):
        return None
    match = WHEN_PATTERN.fullmatch(value)
    if match is None:
        return None
    try:
        return dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
    except ValueError:
        return None


def spec_at(path: Path_) -> Field | None:
    """The field that describes a dotted path, e.g. ('periods', '2026-Q3', 'sales')."""
    spec: Field | None = ACCOUNT
    for part in path:
        if spec is None:
            return None
        if spec.kind == "record":
            spec = spec.fields.get(str(part))
        elif spec.kind in ("map", "list"):
            if spec.kind == "map" and spec.key_pattern and not spec.key_pattern.fullmatch(str(part)):
                return None
            if spec.kind == "list" and not isinstance(part, int):
                return None
            spec = spec.item
        else:
            return None
    return spec


def schema_markdown() -> str:
    """The format as a markdown reference, generated from ACCOUNT, in the reader's language
    (docs/schema.md is the English one)."""
    lines = [
        _("# The account file (schema v1)"),
        "",
        _("One file per account: `accounts/<id>.yaml`. Only `id` and `name` are required."),
        _("Unknown keys are kept untouched and reported as warnings."),
        "",
        _("| key | kind | meaning |"),
        "|---|---|---|",
    ]

    def walk(spec: Field, prefix: str) -> None:
        for key, sub in spec.fields.items():
            name = f"{prefix}{key}"
            kind = _kind_doc(sub)
            req = _(" (required)") if sub.required else ""
            doc = _("{name} rating").format(name=pgettext("rating", key)) if prefix == "ratings." else _(sub.doc)
            lines.append(f"| `{name}` | {kind} | {doc}{req} |")
            if sub.kind == "record":
                walk(sub, f"{name}.")
            elif sub.kind in ("list", "map") and sub.item and sub.item.kind == "record":
                walk(sub.item, f"{name}.{sub.key_doc or '[]'}." if sub.kind == "map" else f"{name}[].")

    walk(ACCOUNT, "")
    return "\n".join(lines) + "\n"


def _kind_doc(spec: Field) -> str:
    if spec.kind == "enum":
        return " \\| ".join(f"`{c}`" for c in spec.choices)
    if spec.kind == "map":
        return _("map {key} →").format(key=f"`{spec.key_doc}`")
    if spec.kind == "list":
        return _("list of text") if spec.item and spec.item.kind == "text" else _("list")
    kinds = {
        "money": _MONEY,
        "ratio": N_("ratio 0–1"),
        "signed-ratio": N_("ratio -1–1"),
        "count": N_("whole number ≥ 0"),
        "rating": "1–5",
        "bool": "true/false",
        "date": N_("date YYYY-MM-DD"),
        "when": N_("date YYYY-MM-DD, or date and time YYYY-MM-DD HH:MM"),
        "id": "id",
        "text": N_("text"),
        "record": N_("record"),
    }
    return _(kinds.get(spec.kind, spec.kind))
