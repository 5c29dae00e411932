"""The records that cross from the store to the front ends for lists: an account's list fields,
its score summary, and one list row joining both — with the one tier label rule.

Caches hold the plain forms (`as_json()` dicts and tuples: marshal-safe); the front ends (`kam list`,
`kam score`, `kam show`, the TUI) get these typed records, so a label is derived in one place.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kam_tui.i18n import N_, _
from kam_tui.model.account import Account

LIST_FIELDS = ("id", "name", "stage", "owner", "region", "industry", "payment_terms")
MISSING = "–"  # a tier or score that is not known


def tier_label(tier: str | None, computed_tier: str | None, overridden: bool, *, long: bool = False) -> str:
    """The tier as every front end shows it: the effective tier, `*` when a tier_override is set
    (also when it equals the computed tier), and — `long`, where there is room (show, the TUI's
    account view, explanations) — `(computed B)` when the computed tier differs."""
    if tier is None:
        return MISSING
    label = f"{tier}*" if overridden else tier
    if long and overridden and computed_tier is not None and computed_tier != tier:
        label += " " + _("(computed {tier})").format(tier=computed_tier)
    return label


TIER_WORDS = {"A": N_("tier A"), "B": N_("tier B"), "C": N_("tier C")}  # zh: the letter and its name (L70)


def tier_words(tier: str | None, computed_tier: str | None, overridden: bool) -> str:
    """`tier B* (computed A)` for a heading; in Chinese with the tier's name: `B 级（重点客户）*`."""
    label = tier_label(tier, computed_tier, overridden, long=True)
    if tier not in TIER_WORDS:
        return _("tier {label}").format(label=label)
    return _(TIER_WORDS[tier]) + label[len(tier) :]


class AccountSummary(NamedTuple):
    """An account's list fields, as the catalog keeps them for every valid account file."""

    id: str
    name: str
    stage: str | None = None
    owner: str | None = None
    region: str | None = None
    industry: str | None = None
    payment_terms: str | None = None
    tier_override: str | None = None  # the overriding tier, if any

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> AccountSummary:
        """From the cached `as_json()` form."""
        return cls._make(data.get(name) for name in cls._fields)

    def as_json(self) -> dict[str, Any]:
        """`{id, name, stage, owner, region, industry, payment_terms, tier_override}` (docs/json.md)."""
        return self._asdict()


def summarize(account: Account) -> AccountSummary:
    """What `kam list` and the accounts table need, without re-reading the file."""
    return AccountSummary(
        account.id,
        account.name,
        account.stage,
        account.owner,
        account.region,
        account.industry,
        account.payment_terms,
        account.tier_override.tier if account.tier_override else None,
    )


class ScoreSummary(NamedTuple):
    """The few scoring columns a list shows beside an account."""

    score: float | None  # None: too little data
    tier: str | None  # the effective tier: the override's when there is one
    computed_tier: str | None
    risks: tuple[str, ...]  # risk codes
    override: str | None = None  # the overriding tier, if any

    @classmethod
    def from_plain(cls, data: tuple[Any, ...] | list[Any]) -> ScoreSummary:
        """From the cached `plain()` form."""
        score, tier, computed, risks, override = data
        return cls(score, tier, computed, tuple(risks), override)

    def plain(self) -> tuple[Any, ...]:
        """A marshal-safe tuple for the scores cache."""
        return tuple(self)

    def tier_label(self, *, long: bool = False) -> str:
        return tier_label(self.tier, self.computed_tier, self.override is not None, long=long)

    def tier_words(self) -> str:
        return tier_words(self.tier, self.computed_tier, self.override is not None)

    def score_text(self, digits: int = 0) -> str:
        return MISSING if self.score is None else f"{self.score:.{digits}f}"

    def as_json(self) -> dict[str, Any]:
        """`{score, tier, computed_tier, risks}` (docs/json.md)."""
        return {"score": self.score, "tier": self.tier, "computed_tier": self.computed_tier, "risks": list(self.risks)}


class ListRow(NamedTuple):
    """One row of an account list (`kam list`, the TUI's accounts table)."""

    account: AccountSummary
    scored: ScoreSummary | None  # None while scores are not (yet) known

    @property
    def id(self) -> str:
        return self.account.id

    def tier_label(self, *, long: bool = False) -> str:
        return MISSING if self.scored is None else self.scored.tier_label(long=long)

    def as_json(self) -> dict[str, Any]:
        """The `kam list --json` shape: the list fields, then the score summary (docs/json.md)."""
        score = self.scored or ScoreSummary(None, None, None, ())
        return {**self.account.as_json(), **score.as_json()}
