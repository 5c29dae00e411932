"""One account's whole evaluation — score, tier, override, policy, risk flags — and the shared
JSON shape that the CLI and the TUI print.

`evaluate_all` is the entry point for a list, a table or a report: facts once per account, one
pass for the portfolio totals, then the fast scorecard and the risk checks per account.
Explanations (the per-dimension why) are computed only when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from kam_tui.model.account import Account, TierOverride
from kam_tui.model.facts import Facts, account_facts, annual_volume
from kam_tui.model.risks import RISK_CODES, Risk, Totals, dependency_risk, find_risks, portfolio_totals, totals_of
from kam_tui.model.scorecard import Policy, ScoringConfig
from kam_tui.model.scoring import METHOD, DimensionScore, explain, score_facts
from kam_tui.model.summary import ScoreSummary, tier_label, tier_words


class Evaluation(NamedTuple):
    """An account as scored on one day under one set of rules. (A NamedTuple, like Facts: a list
    of 10,000 of them is built in one go.)"""

    facts: Facts
    config: ScoringConfig
    today: dt.date
    score: float | None  # None: too little data (see coverage)
    coverage: float  # share of the scorecard's weight that had data
    computed_tier: str | None
    tier: str | None  # the override's tier when there is one
    risks: tuple[Risk, ...]
    share: float | None  # of company sales
    key_account: bool  # by volume: share above tiers.key_account_share (does not change the tier)

    @property
    def id(self) -> str:
        return self.facts.id

    @property
    def override(self) -> TierOverride | None:
        return self.facts.override

    @property
    def drift(self) -> bool:
        """The override and the computed tier disagree."""
        o = self.facts.override
        return o is not None and self.computed_tier is not None and o.tier != self.computed_tier

    @property
    def policy(self) -> Policy | None:
        return None if self.tier is None else self.config.policies[self.tier]

    @property
    def risk_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.risks)

    def dimensions(self) -> list[DimensionScore]:
        return explain(self.facts, self.config, self.today)

    def as_json(self, dimensions: bool = True) -> dict[str, Any]:
        """The stable score shape: id, score, tier, computed_tier, dimensions, risks (+ extras).
        Without `dimensions` the per-dimension breakdown is left out (the whole-portfolio list,
        where it would be most of 40 MB at 10,000 accounts)."""
        o = self.facts.override
        return {
            "id": self.id,
            "score": self.score,
            "tier": self.tier,
            "computed_tier": self.computed_tier,
            **({"dimensions": [d.as_json() for d in self.dimensions()]} if dimensions else {}),
            "risks": [r.as_json() for r in self.risks],
            "override": None
            if o is None
            else {
                "tier": o.tier,
                "reason": o.reason,
                "by": o.by or None,
                "date": o.date.isoformat() if o.date else None,
            },
            "drift": self.drift,
            "coverage": round(self.coverage, 4),
            "share_of_sales": None if self.share is None else round(self.share, 4),
            "key_account": self.key_account,
            "policy": None if self.policy is None else self.policy.as_json(),
            "as_of": self.today.isoformat(),
            "method": METHOD,
        }

    def summary(self) -> ScoreSummary:
        """The few columns a list shows: score, tier, computed tier, risk codes, override."""
        o = self.facts.override
        return ScoreSummary(self.score, self.tier, self.computed_tier, self.risk_codes, None if o is None else o.tier)

    def tier_label(self, *, long: bool = False) -> str:
        """The tier as shown everywhere (see `summary.tier_label`)."""
        return tier_label(self.tier, self.computed_tier, self.facts.override is not None, long=long)

    def tier_words(self) -> str:
        """`tier B* (computed A)` for a heading, in the reader's language (see `summary.tier_words`)."""
        return tier_words(self.tier, self.computed_tier, self.facts.override is not None)


class Scored(NamedTuple):
    """An account's score and tier under one set of rules on one day, before any risk flag."""

    score: float | None  # None: too little data
    coverage: float
    computed_tier: str | None
    tier: str | None  # the override's tier when there is one


def scored(f: Facts, config: ScoringConfig, today: dt.date) -> Scored:
    """The score, the tier it earns and the tier that holds (an override wins): the one place a
    score becomes a tier, for a list, a report, the tier moves and the time travel alike."""
    score, coverage = score_facts(f, config, today)
    computed = None if score is None else config.tier_for(score)
    return Scored(score, coverage, computed, computed if f.override is None else f.override.tier)


def tiers_of(facts: Iterable[Facts], config: ScoringConfig, today: dt.date) -> dict[str, str | None]:
    """Every account's tier: what the agenda and the open work need, without the risk flags and
    portfolio totals a whole evaluation also works out."""
    return {f.id: scored(f, config, today).tier for f in facts}


class OwnScore(NamedTuple):
    """What an account's list summary holds that depends on the account alone (with the rules and
    the day): everything but the portfolio-relative `dependency` flag. Kept per file version, so
    after an edit only that account is rescored and the relative flag redone over all."""

    id: str
    score: float | None
    tier: str | None
    computed_tier: str | None
    risks: tuple[str, ...]  # codes of the flags that depend on the account alone
    override: str | None
    sales: float | None  # what the portfolio totals need (the volume: what sold through)
    region: str | None
    exited: bool


def own_score(f: Facts, config: ScoringConfig, today: dt.date) -> OwnScore:
    score, _coverage, computed, tier = scored(f, config, today)
    override = f.override.tier if f.override is not None else None
    codes = tuple(r.code for r in find_risks(f, tier, config, today, None))
    return OwnScore(f.id, score, tier, computed, codes, override, annual_volume(f), f.region, f.stage == "exited")


def summaries_of(owns: Sequence[OwnScore], config: ScoringConfig) -> dict[str, ScoreSummary]:
    """The list summaries of a whole portfolio from each account's own part: the same as
    `evaluate_facts(...)[i].summary()`, with only the relative flag computed over all."""
    totals = totals_of(((o.sales, o.region) for o in owns), config)
    out = {}
    for o in owns:
        codes = o.risks
        if not o.exited and dependency_risk(o.sales, o.region, config, totals) is not None:
            codes = tuple(sorted((*codes, "dependency"), key=RISK_CODES.index))
        out[o.id] = ScoreSummary(o.score, o.tier, o.computed_tier, codes, o.override)
    return out


def evaluate_facts(
    facts: Sequence[Facts], config: ScoringConfig, today: dt.date, totals: Totals | None = None
) -> list[Evaluation]:
    """Evaluate every account; `totals` defaults to those of `facts` (the whole portfolio)."""
    if totals is None:
        totals = portfolio_totals(facts, config)
    key_share = config.key_account_share
    out = []
    for f in facts:
        score, coverage, computed, tier = scored(f, config, today)
        share = totals.share(f)
        out.append(
            _new(
                Evaluation,
                (
                    f,
                    config,
                    today,
                    score,
                    coverage,
                    computed,
                    tier,
                    tuple(find_risks(f, tier, config, today, totals)),
                    share,
                    share is not None and share > key_share,
                ),
            )
        )
    return out


_new = tuple.__new__


def evaluate_all(accounts: Iterable[Account], config: ScoringConfig, today: dt.date) -> list[Evaluation]:
    """Score, tier and flag every account of the portfolio as of `today`."""
    return evaluate_facts([account_facts(a) for a in accounts], config, today)
