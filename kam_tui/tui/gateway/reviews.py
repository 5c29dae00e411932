"""The review cycle: the Reviews and portfolio chart screens, and the open work of every account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kam_tui.i18n import current_language
from kam_tui.model.agenda import AgendaItem, open_work
from kam_tui.model.cycle import Cycle
from kam_tui.model.evaluate import tiers_of
from kam_tui.model.review import PlanRequest
from kam_tui.model.review_report import ReviewReport
from kam_tui.render.review_document import Document, review_document
from kam_tui.store import clock
from kam_tui.store.repository import Repository
from kam_tui.store.reviews import (
    PlanWritten,
    RenderedReport,
    Status,
    plan_rel,
    planned_periods,
    review_report,
    review_status,
    write_plan,
)
from kam_tui.store.snapshot import load_now


# --- the review cycle (the Reviews and portfolio chart screens) ----------------------------------


def review_periods(
    repo: Repository, shown: Cycle | None = None, today: dt.date | None = None
) -> tuple[list[Cycle], Cycle]:
    """The periods to choose from (every planned one, this quarter and the last, and `shown`),
    newest first, and the one to show: `shown`, else the latest plan, else the quarter that ended
    last (the one due for review)."""
    planned = planned_periods(repo)
    now = Cycle.containing(clock.today(today))
    first = shown or (planned[0] if planned else now.previous)
    choices = sorted({*planned, now, now.previous, first}, key=lambda c: (c.last_day, c.first_day), reverse=True)
    return choices, first


def step_period(periods: list[Cycle], cycle: Cycle, step: int) -> Cycle | None:
    """The period `step` places along `periods` (newest first: +1 is older), None past either end."""
    index = periods.index(cycle) + step if cycle in periods else -1
    return periods[index] if 0 <= index < len(periods) else None


def has_plan(repo: Repository, cycle: Cycle) -> bool:
    """A plan file exists for the period (readable or not: the status says which)."""
    return repo.root.joinpath(plan_rel(cycle)).exists()


def today() -> dt.date:
    """Today as kam sees it ($KAM_TODAY in tests and demos)."""
    return clock.today()


def plan_review(repo: Repository, cycle: Cycle, request: PlanRequest | None = None) -> PlanWritten:
    """Plan the period as `kam review plan` does (by default every account that has not exited,
    the usual indicators, a survey of the accounts due one, its owner as reviewer) and commit the
    plan; an existing plan is refused (a plan agreed on is not replaced from the TUI)."""
    return write_plan(repo, cycle, request or PlanRequest())


def load_review_status(repo: Repository, cycle: Cycle) -> Status:
    """The plan and what each account in it still misses (raises KamError without a plan)."""
    return review_status(repo, cycle)


@dataclass(frozen=True)
class ReviewPreview:
    """The review report, and its document in the reader's language (the screen shows that)."""

    rendered: RenderedReport
    document: Document

    @property
    def report(self) -> ReviewReport:
        return self.rendered.report


def load_review_report(repo: Repository, cycle: Cycle) -> ReviewPreview:
    """Every figure of the review (seconds at 10,000 accounts: call it from a worker)."""
    rendered = review_report(repo, cycle, current_language())  # what a person reads
    return ReviewPreview(rendered, review_document(rendered.report))


def load_open_work(repo: Repository) -> list[AgendaItem]:
    """Every open action of every account whatever its due date, and what else is due now
    (complaints to answer, visits, next steps; `kam due`'s list), soonest first."""
    snap = load_now(repo, full=True)
    tiers = tiers_of(snap.facts, snap.settings.scoring, snap.today)
    return open_work(snap.accounts, tiers, snap.settings.scoring, snap.today)
