"""Review files in the repository: `reviews/PERIOD/plan.yaml` (and later the report), committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kam_tui.model.account import Account
from kam_tui.model.cycle import Cycle
from kam_tui.model.errors import KamError
from kam_tui.model.evaluate import evaluate_facts
from kam_tui.model.review import Gap, ReviewPlan, gaps, make_plan, plan_from_data, render_plan
from kam_tui.store.files import read_regular
from kam_tui.store.repository import Repository
from kam_tui.store.snapshot import load_now
from kam_tui.store.write import FileChange, Transaction
from kam_tui.store.yamlread import YamlProblem, parse_bytes

REVIEWS = "reviews"


def plan_rel(cycle: Cycle) -> str:
    return f"{REVIEWS}/{cycle.key}/plan.yaml"


@dataclass(frozen=True, slots=True)
class PlanWritten:
    plan: ReviewPlan
    rel: str
    commit: str | None  # None: the file already held this plan
    message: str


def write_plan(
    repo: Repository,
    cycle: Cycle,
    *,
    tiers: Sequence[str] = (),
    stages: Sequence[str] = (),
    ids: Sequence[str] = (),
    indicators: Sequence[str] = (),
    data_due: dt.date | None = None,
    review_date: dt.date | None = None,
    replace: bool = False,
    today: dt.date | None = None,
    author: str | None = None,
) -> PlanWritten:
    """Plan a review and commit the plan file (one commit). An existing plan is kept unless
    `replace`: a plan the team agreed on is not overwritten by a second run."""
    snap = load_now(repo, today, full=True)
    tiers_of = {e.id: e.tier for e in evaluate_facts(snap.facts, snap.settings.scoring, snap.today)}
    plan = make_plan(
        cycle,
        snap.accounts,
        tiers_of,
        tiers=tiers,
        stages=stages,
        ids=ids,
        indicators=indicators,
        data_due=data_due,
        review_date=review_date,
    )
    rel = plan_rel(cycle)
    title = f"kam review plan {cycle.key}: what is assessed, the schedule and who reviews each account"
    text = render_plan(plan, title).encode("utf-8")
    message = f"review {cycle.key}: plan for {len(plan.accounts)} account(s), data due {plan.data_due}"
    with Transaction(repo, author) as tx:
        old = tx.read(rel)
        if old is not None and not replace:
            raise KamError(f"{rel} already exists", hint="--replace writes the plan again")
        if old == text:
            return PlanWritten(plan, rel, None, f"{rel} already holds this plan")
        sha = tx.commit([FileChange(rel, text, old)], message + "\n")
    return PlanWritten(plan, rel, sha, message)


def read_plan(repo: Repository, cycle: Cycle) -> ReviewPlan:
    rel = plan_rel(cycle)
    raw = read_regular(repo.root / rel)
    if raw is None:
        raise KamError(f"no review plan for {cycle.key} ({rel})", hint=f"plan it with `kam review plan {cycle.key}`")
    try:
        doc = parse_bytes(raw)
    except YamlProblem as exc:
        raise KamError(f"{rel} cannot be read", problems=[exc.problem(rel)]) from None
    plan = plan_from_data(doc.data, rel)
    if plan.cycle != cycle:
        raise KamError(f"{rel} says it plans {plan.cycle.key}, not {cycle.key}")
    return plan


@dataclass(frozen=True, slots=True)
class Status:
    plan: ReviewPlan
    gaps: list[Gap]
    skipped: int  # account files with errors (their accounts show as missing `file`)

    @property
    def complete(self) -> bool:
        return all(not g.missing for g in self.gaps)


def review_status(repo: Repository, cycle: Cycle) -> Status:
    plan = read_plan(repo, cycle)
    snap = load_now(repo, full=True)
    accounts: dict[str, Account] = {a.id: a for a in snap.accounts}
    return Status(plan, gaps(plan, accounts), snap.skipped)
