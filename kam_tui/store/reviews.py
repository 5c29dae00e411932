"""Review files in the repository: `reviews/PERIOD/plan.yaml` (and later the report), committed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from kam_tui.i18n import _, writing_in
from kam_tui.model.cycle import CYCLE_PATTERN, Cycle, parse_cycle
from kam_tui.model.errors import KamError
from kam_tui.model.review import (
    Gap,
    PlanRequest,
    ReviewPlan,
    SurveyHistory,
    gaps,
    make_plan,
    plan_from_data,
    render_plan,
)
from kam_tui.model.review_report import EVERY_ACCOUNT, ReviewReport, Scope, Side, build_report
from kam_tui.model.settings import Settings
from kam_tui.render.markdown import render_markdown
from kam_tui.render.review_document import review_document
from kam_tui.store import gitcmd
from kam_tui.store.files import read_regular
from kam_tui.store.repository import REVIEW_TAG, Repository
from kam_tui.store.checklists import checklist_overview
from kam_tui.store.account_cache import load_accounts, load_coverage
from kam_tui.store.catalog import load_catalog
from kam_tui.store.snapshot import load_at, score_summaries
from kam_tui.store.transaction import FileChange, Transaction
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
    request: PlanRequest,
    *,
    replace: bool = False,
    today: dt.date | None = None,
    author: str | None = None,
) -> PlanWritten:
    """Plan a review and commit the plan file (one commit). An existing plan is kept unless
    `replace`: a plan the team agreed on is not overwritten by a second run."""
    settings = repo.settings()  # an invalid kam.yaml is refused, never replaced by defaults
    catalog = load_catalog(repo)  # the list fields and the cached scores are all a plan needs
    tiers_of = {ident: s.tier for ident, s in score_summaries(repo, today, catalog).items()}
    covered, _skipped = load_coverage(repo)  # each account's survey dates: who is due a survey
    surveys = SurveyHistory(settings.surveys.every, {ident: c.surveys for ident, c in covered.items()})
    plan = make_plan(cycle, catalog.accounts, tiers_of, request, surveys)
    rel = plan_rel(cycle)
    with writing_in(settings.language):  # the file and the commit in the team's language
        title = _("kam review plan {period}: what is assessed, the schedule and who reviews each account")
        text = render_plan(plan, title.format(period=cycle.key)).encode("utf-8")
        message = _("review {period}: plan for {count} account(s), data due {due}").format(
            period=cycle.key, count=len(plan.accounts), due=plan.data_due
        )
    with Transaction(repo, author) as tx:
        old = tx.read(rel)
        if old is not None and not replace:
            raise KamError(_("{path} already exists").format(path=rel), hint=_("--replace writes the plan again"))
        if old == text:
            return PlanWritten(plan, rel, None, _("{path} already holds this plan").format(path=rel))
        sha = tx.commit([FileChange(rel, text, old)], message + "\n")
    return PlanWritten(plan, rel, sha, message)


def read_plan(repo: Repository, cycle: Cycle) -> ReviewPlan:
    rel = plan_rel(cycle)
    raw = read_regular(repo.root / rel)
    if raw is None:
        raise KamError(
            _("no review plan for {period} ({path})").format(period=cycle.key, path=rel),
            hint=_("plan it with `kam review plan {period}`").format(period=cycle.key),
        )
    try:
        doc = parse_bytes(raw, positions=False)  # a plan names 10,000 accounts; its errors name no line
    except YamlProblem as exc:
        raise KamError(_("{path} cannot be read").format(path=rel), problems=[exc.problem(rel)]) from None
    plan = plan_from_data(doc.data, rel)
    if plan.cycle != cycle:
        raise KamError(
            _("{path} says it plans {planned}, not {period}").format(path=rel, planned=plan.cycle.key, period=cycle.key)
        )
    return plan


def planned_periods(repo: Repository) -> list[Cycle]:
    """The periods with a plan under reviews/, newest first."""
    folder = repo.root / REVIEWS
    cycles = []
    for path in folder.glob("*/plan.yaml") if folder.is_dir() else []:
        try:
            cycles.append(parse_cycle(path.parent.name))
        except KamError:
            continue  # a folder that names no period is not a review
    return sorted(cycles, key=lambda c: (c.last_day, c.first_day), reverse=True)


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
    covered, skipped = load_coverage(repo)  # what each account holds, not whole accounts
    return Status(plan, gaps(plan, covered), skipped)


# --- the report and closing a review ---------------------------------------------------------------


def review_tag(repo: Repository, cycle: Cycle) -> str:
    """`review/2026-Q4`, prefixed with the kam folder's path inside a larger work tree."""
    return f"{repo.git_prefix}{REVIEW_TAG}{cycle.key}"


def _tag_commit(repo: Repository, tag: str) -> str | None:
    result = gitcmd.git(repo.root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}", check=False)
    return result.stdout.strip() or None


def _side_now(repo: Repository, cycle: Cycle) -> tuple[Side, Settings]:
    settings = repo.settings()  # an invalid kam.yaml is refused, never replaced by defaults
    accounts, _skipped = load_accounts(repo)  # scored below, cut to the cycle: no facts here
    return Side(accounts, settings.scoring, cycle, "now"), settings


def _side_before(repo: Repository, cycle: Cycle, now: Side) -> Side:
    """The previous review as it was closed (its tag), else the current files as of its end."""
    previous = cycle.previous
    tag = review_tag(repo, previous)
    if _tag_commit(repo, tag) is not None:
        snap = load_at(repo, tag, previous.last_day, full=True)
        return Side(snap.accounts, snap.settings.scoring, previous, _("the closed review {tag}").format(tag=tag))
    label = _("the figures up to {period} (no {tag} tag yet)").format(period=previous.key, tag=tag)
    return Side(now.accounts, now.config, previous, label)


def _tier_history(repo: Repository, cycle: Cycle, report: ReviewReport) -> list[tuple[str, dict[str, int]]]:
    """Tiers per closed review (from each committed report.json) and this one."""
    history: list[tuple[str, dict[str, int]]] = []
    folder = repo.root / REVIEWS
    for path in sorted(folder.glob("*/report.json")) if folder.is_dir() else []:
        key = path.parent.name
        if key >= cycle.key or not CYCLE_PATTERN.fullmatch(key):
            continue
        try:
            data = json.loads((read_regular(path) or b"{}").decode("utf-8"))
            tiers = data["portfolio"]["tiers"]
        except (KamError, ValueError, KeyError, TypeError):
            continue  # a report that cannot be read is left out of the chart, not fatal
        if isinstance(tiers, dict):
            history.append((key, {str(k): int(v) for k, v in tiers.items() if isinstance(v, int)}))
    history.append((cycle.key, report.tiers))
    return history


@dataclass(frozen=True)
class RenderedReport:
    report: ReviewReport
    markdown: str
    history: list[tuple[str, dict[str, int]]]
    language: str  # the reader's when printed, kam.yaml's when committed (the team's document)

    def html(self) -> str:
        from kam_tui.render.html import render_html  # Jinja2 and leather only when HTML is asked for

        with writing_in(self.language):
            return render_html(review_document(self.report), self.report, self.history, self.language)

    def json_text(self) -> str:
        return json.dumps(self.report.as_json(), ensure_ascii=False, indent=2) + "\n"


def report_scope(repo: Repository, cycle: Cycle) -> Scope:
    """The accounts a review's report covers: its plan's (a plan that cannot be read is refused,
    never taken for "every account"), else every account."""
    if read_regular(repo.root / plan_rel(cycle)) is None:
        return EVERY_ACCOUNT
    plan = read_plan(repo, cycle)
    return Scope(frozenset(a.id for a in plan.accounts), plan.scope, plan_rel(cycle))


def review_report(repo: Repository, cycle: Cycle, language: str | None = None) -> RenderedReport:
    """The review's report in `language`: the reader's for a report a person reads (`kam review
    report`, the TUI), kam.yaml's (the default) for the one `close_review` commits."""
    now, settings = _side_now(repo, cycle)
    language = language or settings.language
    playbooks: dict[str, list[tuple[str, int, int]]] = {}
    for status in checklist_overview(repo).statuses:
        playbooks.setdefault(status.account, []).append((status.name, status.playbook.done, status.playbook.total))
    with writing_in(language):
        before = _side_before(repo, cycle, now)
        report = build_report(now, before, playbooks, settings.currency, report_scope(repo, cycle))
        markdown = render_markdown(review_document(report))
    return RenderedReport(report, markdown, _tier_history(repo, cycle, report), language)


@dataclass(frozen=True, slots=True)
class Closed:
    tag: str
    commit: str
    files: tuple[str, ...]


def close_review(repo: Repository, cycle: Cycle, author: str | None = None) -> Closed:
    """Commit the report (markdown, HTML, JSON) and a feedback page under reviews/PERIOD/, then tag
    the commit `review/PERIOD`: the next review compares against exactly this."""
    tag = review_tag(repo, cycle)
    if _tag_commit(repo, tag) is not None:
        raise KamError(
            _("the review {period} is already closed (tag {tag})").format(period=cycle.key, tag=tag),
            hint=f"git show {tag}",
        )
    rendered = review_report(repo, cycle)
    folder = f"{REVIEWS}/{cycle.key}"
    files = {
        f"{folder}/report.md": rendered.markdown.encode("utf-8"),
        f"{folder}/report.html": rendered.html().encode("utf-8"),
        f"{folder}/report.json": rendered.json_text().encode("utf-8"),
    }
    feedback = f"{folder}/feedback.md"
    with Transaction(repo, author) as tx:
        changes = [FileChange(rel, data, tx.read(rel)) for rel, data in files.items()]
        with writing_in(rendered.language):
            page = feedback_page(cycle)
            subject = _("review {period}: closed, report on {count} account(s)").format(
                period=cycle.key, count=len(rendered.report.accounts)
            )
        if tx.read(feedback) is None:
            changes.append(FileChange(feedback, page.encode("utf-8"), None))
        changes = [c for c in changes if c.new != c.old]
        sha = tx.commit(changes, subject + "\n")
        gitcmd.git(repo.root, "tag", "-a", f"--message={subject}", "--end-of-options", tag, sha)
    return Closed(tag, sha, tuple(c.rel for c in changes))


def feedback_page(cycle: Cycle) -> str:
    """The page where the team says what the next review should change (L13–22)."""
    return "\n".join(
        [
            "# " + _("Feedback on the review {period}").format(period=cycle.key),
            "",
            _("What should change in the indicators, the weights or the schedule of the next review?"),
            _("Write it here, one point per line with your name; a kam.yaml change made in answer shows in the"),
            _("next report as a rules change."),
            "",
            "- " + _("(what should change, and why) — (your name)"),
            "",
        ]
    )
