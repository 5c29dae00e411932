"""The review plan (考核计划) and how complete its data is.

L3–6 of the handbook: a review names its cycle, what is assessed, the schedule and who carries
it out. The plan is a small YAML file the team commits (`reviews/PERIOD/plan.yaml`); this module
builds it, reads it back, and says which accounts still miss which figures and who owes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from kam_tui.i18n import _, pgettext
from kam_tui.model.account import Account
from kam_tui.model.cycle import Cycle, parse_cycle
from kam_tui.model.errors import KamError
from kam_tui.model.summary import AccountSummary
from kam_tui.model.schema import ACCOUNT, ID_PATTERN, STAGES, TIERS
from kam_tui.model.text import double_quoted

FIGURES = tuple(ACCOUNT.fields["periods"].item.fields)  # type: ignore[union-attr]
SURVEY = "survey"  # a satisfaction survey dated inside the cycle
INDICATORS = (*FIGURES, SURVEY)
DEFAULT_INDICATORS = ("sales", "gross_margin", "stock_in", "sell_through", "receivables", "overdue", SURVEY)
DATA_DUE_DAYS = 10  # after the cycle's last day: the team's default, not the handbook's
REVIEW_DAYS = 20
SURVEYED_STAGES = ("developing", "active", "at-risk")  # not prospects (nothing to rate) nor accounts leaving


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One account in the plan, the person who reviews it (default: its owner), and whether a
    satisfaction survey is asked of it this cycle."""

    id: str
    reviewer: str | None
    survey: bool = False


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    cycle: Cycle
    indicators: tuple[str, ...]
    data_due: dt.date
    review_date: dt.date
    accounts: tuple[Reviewed, ...]
    scope: str  # how the accounts were chosen, in words, for the reader of the file

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.cycle.key,
            "quarters": list(self.cycle.quarters),
            "indicators": list(self.indicators),
            "schedule": {"data_due": self.data_due.isoformat(), "review": self.review_date.isoformat()},
            "scope": self.scope,
            "accounts": [{"id": a.id, "reviewer": a.reviewer, "survey": a.survey} for a in self.accounts],
        }


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What a person asks of a plan (`kam review plan`'s options); empty means the default."""

    tiers: Sequence[str] = ()
    stages: Sequence[str] = ()
    ids: Sequence[str] = ()
    indicators: Sequence[str] = ()
    data_due: dt.date | None = None
    review_date: dt.date | None = None


class SurveyHistory(NamedTuple):
    """What decides who is surveyed by default: kam.yaml `surveys.every` and each account's survey dates."""

    every: Mapping[str, int | None]  # tier -> days between two surveys (None: not surveyed by default)
    dates: Mapping[str, Sequence[dt.date]]  # account id -> its survey dates


def survey_due(cycle: Cycle, tier: str | None, stage: str | None, dates: Sequence[dt.date], every: Mapping) -> bool:
    """Whether the default plan asks a survey of an account: its tier has a survey interval, it is a
    customer being kept (developing, active, at-risk), and by the cycle's last day its latest survey
    is that many days old or it has none."""
    days = every.get(tier) if tier else None
    if days is None or stage not in SURVEYED_STAGES:
        return False
    held = [day for day in dates if day <= cycle.last_day]
    return not held or (cycle.last_day - max(held)).days >= days


def make_plan(
    cycle: Cycle,
    accounts: Iterable[AccountSummary],
    tiers_of: dict[str, str | None],
    request: PlanRequest,
    surveys: SurveyHistory,
) -> ReviewPlan:
    """The plan for a cycle: accounts in scope (by tier, stage or ids; by default every account
    that has not exited), reviewers, indicators and schedule. A survey is asked of every account in
    scope when `--indicator survey` names it, else of the accounts whose tier's survey is due."""
    tiers, stages, ids, indicators = request.tiers, request.stages, request.ids, request.indicators
    data_due, review_date = request.data_due, request.review_date
    for tier in tiers:
        if tier not in TIERS:
            raise KamError(_("'{tier}' is not a tier").format(tier=tier), hint=", ".join(TIERS))
    for stage in stages:
        if stage not in STAGES:
            raise KamError(_("'{stage}' is not a stage").format(stage=stage), hint=", ".join(STAGES))
    for name in indicators:
        if name not in INDICATORS:
            raise KamError(_("'{name}' is not an indicator").format(name=name), hint=", ".join(INDICATORS))
    by_id = {a.id: a for a in accounts}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise KamError(_("no account {ids}").format(ids=", ".join(repr(i) for i in unknown)), hint=_("see `kam list`"))

    def in_scope(account: AccountSummary) -> bool:
        if ids and account.id not in ids:
            return False
        if tiers and tiers_of.get(account.id) not in tiers:
            return False
        if stages:
            return account.stage in stages
        return bool(ids) or account.stage != "exited"

    chosen = [a for a in by_id.values() if in_scope(a)]
    if not chosen:
        raise KamError(_("no account is in this plan's scope"), hint=_("widen --tier/--stage, or name accounts"))
    scope = "; ".join(
        part
        for part in (
            _("tiers {tiers}").format(tiers=", ".join(tiers)) if tiers else "",
            _("stages {stages}").format(stages=", ".join(stages)) if stages else "",
            _("accounts {ids}").format(ids=", ".join(ids)) if ids else "",
        )
        if part
    )
    due = data_due or cycle.last_day + dt.timedelta(days=DATA_DUE_DAYS)
    review = review_date or cycle.last_day + dt.timedelta(days=REVIEW_DAYS)
    if review < due:
        raise KamError(
            _("the review ({review}) would come before the data is due ({due})").format(review=review, due=due)
        )
    assessed = tuple(indicators) or DEFAULT_INDICATORS

    def surveyed(account: AccountSummary) -> bool:
        if SURVEY not in assessed:
            return False
        if SURVEY in indicators:  # named: asked of every account in scope
            return True
        return survey_due(
            cycle, tiers_of.get(account.id), account.stage, surveys.dates.get(account.id, ()), surveys.every
        )

    return ReviewPlan(
        cycle,
        assessed,
        due,
        review,
        tuple(Reviewed(a.id, a.owner, surveyed(a)) for a in sorted(chosen, key=lambda a: a.id)),
        scope or _("every account that has not exited"),
    )


def render_plan(plan: ReviewPlan, title: str) -> str:
    """The plan file's text: a new file, so it is written whole (never an edit of a user's file)."""
    lines = [
        f"# {title}",
        f"period: {plan.cycle.key}",
        f"scope: {double_quoted(plan.scope)}",
        f"indicators: [{', '.join(plan.indicators)}]",
        "schedule:",
        f"  data_due: {plan.data_due.isoformat()}",
        f"  review: {plan.review_date.isoformat()}",
        "accounts:",
    ]
    asks_surveys = SURVEY in plan.indicators
    if asks_surveys:
        lines.append("  # " + _("survey: whether a satisfaction survey is asked of the account in this cycle"))
    for entry in plan.accounts:
        keys = [] if entry.reviewer is None else [f"reviewer: {double_quoted(entry.reviewer)}"]
        if asks_surveys:
            keys.append(f"survey: {'true' if entry.survey else 'false'}")
        lines.append(f"  {entry.id}: {{{', '.join(keys)}}}")
    return "\n".join(lines) + "\n"


def plan_from_data(data: Any, where: str) -> ReviewPlan:
    """A plan read back from its file's data; a hand-edited plan that does not hold is refused."""

    def bad(why: str) -> KamError:
        return KamError(f"{where}: {why}", hint=_("fix the file, or write it again with `kam review plan`"))

    if not isinstance(data, dict):
        raise bad(_("a review plan must be a mapping of keys"))
    cycle = parse_cycle(str(data.get("period", "")))
    indicators = data.get("indicators") or list(DEFAULT_INDICATORS)
    if not isinstance(indicators, list) or any(i not in INDICATORS for i in indicators):
        raise bad(_("indicators must be a list of {names}").format(names=", ".join(INDICATORS)))
    schedule = data.get("schedule") or {}
    if not isinstance(schedule, dict):
        raise bad(_("schedule must be a mapping with data_due and review"))
    due, review = schedule.get("data_due"), schedule.get("review")
    if not isinstance(due, dt.date) or not isinstance(review, dt.date):
        raise bad(_("schedule.data_due and schedule.review must be dates (YYYY-MM-DD)"))
    accounts = data.get("accounts") or {}
    if not isinstance(accounts, dict):
        raise bad(_("accounts must map each account id to its reviewer"))
    entries = []
    for ident, entry in accounts.items():
        if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident):
            raise bad(_("'{ident}' is not an account id").format(ident=ident))
        reviewer = entry.get("reviewer") if isinstance(entry, dict) else None
        survey = entry.get("survey", True) if isinstance(entry, dict) else True
        if not isinstance(survey, bool):
            raise bad(_("{ident}: survey must be true or false").format(ident=ident))
        entries.append(Reviewed(ident, None if reviewer is None else str(reviewer), survey and SURVEY in indicators))
    return ReviewPlan(cycle, tuple(indicators), due, review, tuple(entries), str(data.get("scope") or ""))


# --- completeness ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gap:
    """What one account in the plan still misses, and who owes it."""

    id: str
    reviewer: str | None
    missing: tuple[str, ...]  # `periods.2026-Q4.sales`, `survey`, or `file` (the file has errors / is gone)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "reviewer": self.reviewer, "missing": list(self.missing), "complete": not self.missing}


class Coverage(NamedTuple):
    """What a review's completeness asks of one account: small enough to cache per file, so the
    status of 10,000 accounts needs no account built."""

    since: dt.date | None
    filled: dict[str, tuple[str, ...]]  # quarter key -> the figures it holds (a few names: a tuple)
    surveys: tuple[dt.date, ...]


def coverage(account: Account) -> Coverage:
    filled = {p.key: tuple(n for n in FIGURES if getattr(p, n) is not None) for p in account.periods}
    return Coverage(account.since, filled, tuple(s.date for s in account.surveys))


def gaps(plan: ReviewPlan, covered: dict[str, Coverage]) -> list[Gap]:
    """Every planned account with what it misses (an empty `missing` when complete).

    A quarter that ended before the relationship started is not asked for."""
    figures = [i for i in plan.indicators if i != SURVEY]
    quarters = [(key, parse_cycle(key).last_day) for key in plan.cycle.quarters]
    first, last = plan.cycle.first_day, plan.cycle.last_day
    out = []
    for entry in plan.accounts:
        account = covered.get(entry.id)
        if account is None:
            out.append(Gap(entry.id, entry.reviewer, ("file",)))
            continue
        missing: list[str] = []
        for quarter, ends in quarters:
            if account.since is not None and ends < account.since:
                continue
            held = account.filled.get(quarter, ())
            missing += [f"periods.{quarter}.{name}" for name in figures if name not in held]
        if entry.survey and not any(first <= day <= last for day in account.surveys):
            missing.append(SURVEY)
        out.append(Gap(entry.id, entry.reviewer, tuple(missing)))
    return out


def missing_text(missing: Sequence[str]) -> str:
    """`2026-Q4: sales, overdue; survey` — grouped by quarter, short enough to scan."""
    by_quarter: dict[str, list[str]] = {}
    other: list[str] = []
    for item in missing:
        if item.startswith("periods."):
            quarter, name = item.split(".")[1:]
            by_quarter.setdefault(quarter, []).append(name)
        else:
            other.append(_gap_word(item))
    parts = [_("{quarter}: {fields}").format(quarter=q, fields=_(", ").join(names)) for q, names in by_quarter.items()]
    return _("; ").join(parts + other)


def _gap_word(item: str) -> str:
    """A gap that is no field name, as words in the reader's language."""
    if item == "file":
        return _("the file has errors")
    return pgettext("review gap", "survey") if item == SURVEY else item


def owed_by(found: Iterable[Gap]) -> dict[str, int]:
    """Incomplete accounts per person who owes their figures ("–": no reviewer named)."""
    owed: dict[str, int] = {}
    for gap in found:
        if gap.missing:
            owed[gap.reviewer or "–"] = owed.get(gap.reviewer or "–", 0) + 1
    return dict(sorted(owed.items()))
