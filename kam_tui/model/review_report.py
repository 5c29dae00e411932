"""The review itself (绩效考核): every figure of one cycle's report, computed once.

Per account: score and tier with the change since the previous review and its cause, targets
against actuals, risks new and resolved, satisfaction, complaints answered within the tier's
standard, visits against the tier's cadence, actions, playbook progress. Per account manager
(L218, L340): accounts, sales and growth, achievement, satisfaction, response time and
resolution rate, visits against cadence, actions closed on time. Tier moves come with the policy
change each implies (L83) for the team to decide.

Figures are as of the cycle's last day, on the data up to that day: an account is cut to what
was known then (`as_of_cycle`), so a report made later says the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.achievement import Achievement, achievement_of
from kam_tui.model.cycle import Cycle
from kam_tui.model.evaluate import Evaluation, evaluate_facts
from kam_tui.model.scoring import METHOD
from kam_tui.model.facts import account_facts
from kam_tui.model.policy_change import PolicyChange, policy_change
from kam_tui.model.portfolio import Concentration, concentration_of
from kam_tui.model.risks import RISK_CODES
from kam_tui.model.schema import TIERS
from kam_tui.model.summary import tier_label
from kam_tui.model.scorecard import ScoringConfig, config_changes
from kam_tui.model.review_figures import (
    Service,
    as_of_cycle,
    cycle_sales,
    quarterly_totals,
    service,
    survey_mean,
    year_before,
)
from kam_tui.model.timetravel import tier_change, unmoved


@dataclass(frozen=True, slots=True)
class AccountReview:
    id: str
    name: str
    owner: str | None
    stage: str | None
    tier: str | None
    computed_tier: str | None
    overridden: bool
    score: float | None
    prev_tier: str | None
    prev_score: float | None
    cause: str  # none | data | rules | both | time | new
    why: str
    sales: float | None
    prev_year_sales: float | None
    sell_through: float | None
    targeted: Achievement | None  # the cycle's sales target and how much of it was sold
    risks: tuple[str, ...]
    new_risks: tuple[str, ...]
    resolved_risks: tuple[str, ...]
    satisfaction: float | None
    prev_satisfaction: float | None
    service: Service
    playbooks: tuple[tuple[str, int, int], ...]  # (playbook, done, total)

    def tier_label(self) -> str:
        """The tier as every front end shows it (`summary.tier_label`), with the computed tier."""
        return tier_label(self.tier, self.computed_tier, self.overridden, long=True)

    @property
    def growth(self) -> float | None:
        if self.sales is None or not self.prev_year_sales:
            return None
        return self.sales / self.prev_year_sales - 1

    @property
    def target(self) -> float | None:
        return None if self.targeted is None else self.targeted.target_sales

    @property
    def achievement(self) -> float | None:
        return None if self.targeted is None else self.targeted.ratio

    @property
    def moved(self) -> bool:
        return self.cause != "new" and self.prev_tier != self.tier

    def as_json(self) -> dict[str, Any]:
        s = self.service
        return {
            "id": self.id,
            "name": self.name,
            "owner": self.owner,
            "stage": self.stage,
            "tier": self.tier,
            "computed_tier": self.computed_tier,
            "score": _round(self.score, 1),
            "previous": {"tier": self.prev_tier, "score": _round(self.prev_score, 1)},
            "cause": self.cause,
            "why": self.why,
            "sales": self.sales,
            "growth": _round(self.growth, 4),
            "sell_through": self.sell_through,
            "target": self.target,
            "achievement": _round(self.achievement, 4),
            "risks": list(self.risks),
            "new_risks": list(self.new_risks),
            "resolved_risks": list(self.resolved_risks),
            "satisfaction": _round(self.satisfaction, 2),
            "previous_satisfaction": _round(self.prev_satisfaction, 2),
            "complaints": {
                "opened": s.complaints,
                "answered": s.answered,
                "answered_in_time": s.answered_in_time,
                "resolved": s.resolved,
            },
            "visits": {"made": s.visits, "expected": s.visits_expected},
            "actions": {
                "due": s.actions_due,
                "on_time": s.actions_on_time,
                "open": s.actions_open,
                "overdue": s.actions_overdue,
            },
            "playbooks": [{"playbook": p, "done": d, "total": t} for p, d, t in self.playbooks],
        }


@dataclass(frozen=True, slots=True)
class OwnerReview:
    """One account manager's figures (客户经理考核)."""

    owner: str
    accounts: int
    sales: float
    comparable_sales: float  # sales of the accounts that have last year's figure
    prev_year_sales: float | None
    target: float | None
    achieved_sales: float  # sales of the accounts that have a target
    satisfaction: float | None
    response_hours: float | None  # mean
    complaints: int
    answered_in_time: int
    resolved: int
    visits: int
    visits_expected: int
    actions_due: int
    actions_on_time: int

    @property
    def growth(self) -> float | None:
        return None if not self.prev_year_sales else self.comparable_sales / self.prev_year_sales - 1

    @property
    def achievement(self) -> float | None:
        return None if not self.target else self.achieved_sales / self.target

    @property
    def resolution_rate(self) -> float | None:
        return None if not self.complaints else self.resolved / self.complaints

    @property
    def visit_rate(self) -> float | None:
        return None if not self.visits_expected else self.visits / self.visits_expected

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.actions_due else self.actions_on_time / self.actions_due

    def as_json(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "accounts": self.accounts,
            "sales": self.sales,
            "growth": _round(self.growth, 4),
            "target": self.target,
            "achievement": _round(self.achievement, 4),
            "satisfaction": _round(self.satisfaction, 2),
            "response_hours": _round(self.response_hours, 1),
            "complaints": self.complaints,
            "answered_in_time": self.answered_in_time,
            "resolution_rate": _round(self.resolution_rate, 4),
            "visits": self.visits,
            "visits_expected": self.visits_expected,
            "visit_rate": _round(self.visit_rate, 4),
            "actions_due": self.actions_due,
            "actions_on_time": self.actions_on_time,
            "on_time_rate": _round(self.on_time_rate, 4),
        }


@dataclass(frozen=True, slots=True)
class Scope:
    """Which accounts a report covers: the plan's (`reviews/PERIOD/plan.yaml`), or every account
    when the period has no plan."""

    ids: frozenset[str] | None  # None: every account
    words: str  # the plan's scope in words ("every account that has not exited"), "" without a plan
    plan: str | None = None  # the plan file

    def covers(self, ident: str) -> bool:
        return self.ids is None or ident in self.ids

    def as_json(self) -> dict[str, Any]:
        return {"plan": self.plan, "description": self.words or None}


EVERY_ACCOUNT = Scope(None, "")


@dataclass(frozen=True)
class ReviewReport:
    cycle: Cycle
    scope: Scope
    as_of: dt.date
    previous_label: str  # what the change is measured against
    accounts: list[AccountReview]
    owners: list[OwnerReview]
    policy_changes: list[PolicyChange]
    tiers: dict[str, int]
    prev_tiers: dict[str, int]
    total_sales: float
    concentration: Concentration  # as of the cycle's end: the year to its last quarter
    risks: dict[str, int]  # code → accounts flagged
    satisfaction: float | None
    prev_satisfaction: float | None
    currency: str
    rule_changes: tuple[tuple[str, Any, Any], ...]  # kam.yaml keys changed since the previous review
    quarterly: tuple[tuple[str, float, float], ...]  # (quarter, Σ sales, Σ sell-through), the last eight

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.cycle.key,
            "quarters": list(self.cycle.quarters),
            "as_of": self.as_of.isoformat(),
            "compared_with": self.previous_label,
            "scope": self.scope.as_json(),
            "currency": self.currency,
            "scoring_method": METHOD,
            "portfolio": {
                "accounts": len(self.accounts),
                "tiers": self.tiers,
                "previous_tiers": self.prev_tiers,
                "sales": self.total_sales,
                "concentration": self.concentration.as_json(),
                "risks": self.risks,
                "satisfaction": _round(self.satisfaction, 2),
                "previous_satisfaction": _round(self.prev_satisfaction, 2),
            },
            "tier_moves": [p.as_json() for p in self.policy_changes],
            "rule_changes": [{"key": k, "old": _plain(a), "new": _plain(b)} for k, a, b in self.rule_changes],
            "accounts": [a.as_json() for a in self.accounts],
            "owners": [o.as_json() for o in self.owners],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Side:
    """The accounts and rules of one review (this one, or the one compared with)."""

    accounts: Sequence[Account]
    config: ScoringConfig
    cycle: Cycle
    label: str


def _evaluate(side: Side) -> tuple[dict[str, Account], dict[str, Evaluation]]:
    cut = [as_of_cycle(a, side.cycle) for a in side.accounts]
    evaluations = evaluate_facts([account_facts(a) for a in cut], side.config, side.cycle.last_day)
    return {a.id: a for a in cut}, {e.id: e for e in evaluations}


def build_report(
    now: Side,
    before: Side,
    playbooks: dict[str, list[tuple[str, int, int]]],
    currency: str,
    scope: Scope = EVERY_ACCOUNT,
) -> ReviewReport:
    """Every figure of the review of `now.cycle`, compared with `before`, for the accounts in
    `scope`. Every account is scored (a risk such as dependency weighs an account against the
    whole portfolio, as `kam score` does); the report then keeps the ones in scope."""
    accounts, evaluations = _within(scope, *_evaluate(now))
    old_accounts, old_evaluations = _within(scope, *_evaluate(before))
    rules = tuple(config_changes(before.config, now.config))  # the same for every account
    quarters, last_year = now.cycle.quarters, year_before(now.cycle)
    rows: list[AccountReview] = []
    changes: list[PolicyChange] = []
    for ident, account in sorted(accounts.items()):
        e = evaluations[ident]
        old = old_accounts.get(ident)
        old_e = old_evaluations.get(ident)
        if old is None or old_e is None:
            cause, why = "new", "not in the previous review"
        elif old_e.tier == e.tier:  # most accounts: nothing moved, nothing to compare
            cause, why = "none", unmoved(e.tier)
        else:
            then, at = before.cycle.last_day, now.cycle.last_day
            facts = (old_e.facts, e.facts)  # as evaluated: the facts are not worked out again
            change = tier_change(old, before.config, then, account, now.config, at, facts=facts, rules=rules)
            cause, why = change.cause, change.why
        policy = e.policy
        row = AccountReview(
            id=ident,
            name=account.name,
            owner=account.owner,
            stage=account.stage,
            tier=e.tier,
            computed_tier=e.computed_tier,
            overridden=account.tier_override is not None,
            score=e.score,
            prev_tier=None if old_e is None else old_e.tier,
            prev_score=None if old_e is None else old_e.score,
            cause=cause,
            why=why,
            sales=cycle_sales(account, quarters),
            prev_year_sales=cycle_sales(account, last_year),
            sell_through=cycle_sales(account, quarters, "sell_through"),
            targeted=achievement_of(account, now.cycle.key),
            risks=e.risk_codes,
            new_risks=tuple(c for c in e.risk_codes if old_e is None or c not in old_e.risk_codes),
            resolved_risks=() if old_e is None else tuple(c for c in old_e.risk_codes if c not in e.risk_codes),
            satisfaction=survey_mean(account, now.cycle),
            prev_satisfaction=None if old is None else survey_mean(old, before.cycle),
            service=service(account, now.cycle, policy),
            playbooks=tuple(playbooks.get(ident, ())),
        )
        rows.append(row)
        if row.moved:
            changes.append(policy_change(ident, row.prev_tier, row.tier, now.config))
    sales = [r.sales for r in rows if r.sales is not None]
    return ReviewReport(
        cycle=now.cycle,
        scope=scope,
        as_of=now.cycle.last_day,
        previous_label=before.label,
        accounts=rows,
        owners=owner_reviews(rows),
        policy_changes=changes,
        tiers=_tier_counts(e.tier for e in evaluations.values()),
        prev_tiers=_tier_counts(e.tier for e in old_evaluations.values()),
        total_sales=sum(sales),
        concentration=concentration_of(e.facts for e in evaluations.values()),
        risks={code: sum(1 for r in rows if code in r.risks) for code in RISK_CODES},
        satisfaction=_mean([r.satisfaction for r in rows]),
        prev_satisfaction=_mean([survey_mean(a, before.cycle) for a in old_accounts.values()]),
        currency=currency,
        rule_changes=rules,
        quarterly=quarterly_totals(list(accounts.values()), now.cycle.quarters[-1]),
    )


def _within(
    scope: Scope, accounts: dict[str, Account], evaluations: dict[str, Evaluation]
) -> tuple[dict[str, Account], dict[str, Evaluation]]:
    if scope.ids is None:
        return accounts, evaluations
    return (
        {i: a for i, a in accounts.items() if scope.covers(i)},
        {i: e for i, e in evaluations.items() if scope.covers(i)},
    )


def _tier_counts(tiers: Any) -> dict[str, int]:
    counts = {t: 0 for t in TIERS} | {"unscored": 0}
    for tier in tiers:
        counts[tier or "unscored"] += 1
    return counts


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def owner_reviews(rows: Sequence[AccountReview]) -> list[OwnerReview]:
    """The account managers' table: one row per owner (accounts without one under "–")."""
    by_owner: dict[str, list[AccountReview]] = {}
    for row in rows:
        by_owner.setdefault(row.owner or "–", []).append(row)
    out = []
    for owner, mine in sorted(by_owner.items()):
        with_prev = [r for r in mine if r.sales is not None and r.prev_year_sales]
        with_target = [r.targeted for r in mine if r.targeted is not None and r.targeted.ratio is not None]
        hours = [h for r in mine for h in r.service.response_hours]
        out.append(
            OwnerReview(
                owner=owner,
                accounts=len(mine),
                sales=sum(r.sales or 0.0 for r in mine),
                comparable_sales=sum(r.sales or 0.0 for r in with_prev),
                prev_year_sales=None if not with_prev else sum(r.prev_year_sales or 0.0 for r in with_prev),
                target=None if not with_target else sum(a.target_sales or 0.0 for a in with_target),
                achieved_sales=sum(a.sales or 0.0 for a in with_target),
                satisfaction=_mean([r.satisfaction for r in mine]),
                response_hours=sum(hours) / len(hours) if hours else None,
                complaints=sum(r.service.complaints for r in mine),
                answered_in_time=sum(r.service.answered_in_time for r in mine),
                resolved=sum(r.service.resolved for r in mine),
                visits=sum(r.service.visits for r in mine),
                visits_expected=sum(r.service.visits_expected for r in mine),
                actions_due=sum(r.service.actions_due for r in mine),
                actions_on_time=sum(r.service.actions_on_time for r in mine),
            )
        )
    return out
