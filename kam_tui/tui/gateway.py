"""The TUI's only door to the store: what screens read and write, as plain functions.

Screens and widgets never import `kam_tui.store` (an import contract in pyproject.toml says so);
they call these from worker threads and get plain data back, so every function can be tested
without a terminal. No Textual here. Nothing here decides anything about accounts — scores,
tiers, risks, validation and saving all come from `kam_tui.model` / `kam_tui.store`.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.errors import KamError
from kam_tui.model.problems import Problem
from kam_tui.model.agenda import AgendaItem, open_work
from kam_tui.model.assess import Assessment, assess
from kam_tui.model.cycle import Cycle
from kam_tui.model.evaluate import Evaluation, evaluate_facts
from kam_tui.model.portfolio import concentration
from kam_tui.model.review import PlanRequest, quarter_of
from kam_tui.model.review_report import ReviewReport
from kam_tui.model.risks import portfolio_totals
from kam_tui.model.summary import AccountSummary, ScoreSummary
from kam_tui.render.review_document import Document, review_document
from kam_tui.store import changelog, clock
from kam_tui.store import sync as syncing
from kam_tui.store.catalog import Catalog, Progress, fingerprint, load_catalog
from kam_tui.store.account_replace import replace_account
from kam_tui.store.account_changes import (
    ChangeResult,
    InvalidChange,
    create_account,
    describe,
    edit_account,
    parse_assignment,
)
from kam_tui.store.changelog import AccountChanges, ChangesReport
from kam_tui.store.gitcmd import Commit, GitError
from kam_tui.i18n import LANGUAGES
from kam_tui.store.checklist_writes import TickResult, attach, tick, untick
from kam_tui.store.playbook_files import repository_language
from kam_tui.store.playbook_templates import add_shipped, list_templates
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.checklists import ChecklistStatus, account_playbooks, checklist_status
from kam_tui.store.items import add_item, parse_item
from kam_tui.store.history import account_history, commit_diff
from kam_tui.store.repository import AccountNotFound, LoadedAccount, Repository
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
from kam_tui.store.snapshot import load_now, score_summaries
from kam_tui.store.sync import AheadBehind, SyncConflict, SyncReport
from kam_tui.store.transaction import WriteRefused, git_blocks_writes

__all__ = [  # the store's types that screens name
    "AccountChanges",
    "AccountNotFound",
    "ChangeResult",
    "ChecklistStatus",
    "Commit",
    "InvalidChange",
    "Repository",
    "SyncConflict",
]

FILTER_FIELDS = ("id", "name", "owner", "stage", "region", "industry")


# --- the accounts list ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One account of the accounts table: the catalog's list fields, and the text a filter word
    is searched in (lower-cased id, name, owner, stage, region and industry)."""

    account: AccountSummary
    haystack: str

    @property
    def id(self) -> str:
        return self.account.id

    @classmethod
    def from_summary(cls, account: AccountSummary) -> AccountRow:
        words = (getattr(account, name) for name in FILTER_FIELDS)
        return cls(account, "\x1f".join("" if word is None else str(word) for word in words).casefold())


@dataclass(frozen=True)
class CatalogView:
    rows: list[AccountRow]
    problems: list[Problem]  # the errors of the files left out of the list
    skipped: int  # files with errors, left out of the list
    catalog: Catalog | None = field(default=None, repr=False)  # kept so scoring does not read it again
    writes_blocked: str | None = None  # why every save is refused now (a rebase stopped midway…)

    @property
    def fingerprint(self) -> str:
        """Changes whenever any account file does (see `accounts_fingerprint`)."""
        return self.catalog.fingerprint if self.catalog is not None else ""


def load_catalog_view(repo: Repository, progress: Progress | None = None) -> CatalogView:
    """All accounts' list fields (cached by the store), in the catalog's order (by file name);
    `progress(done, total)` hears how many files a cold load has parsed."""
    catalog = load_catalog(repo, progress=progress)
    problems = [p for e in catalog.entries if e.summary is None for p in e.problems if p.level == "error"]
    rows = [AccountRow.from_summary(account) for account in catalog.accounts]
    tree = repo.work_tree
    blocked = git_blocks_writes(tree.git_dir) if tree is not None else None
    return CatalogView(rows, problems, catalog.skipped, catalog, blocked)


def accounts_fingerprint(repo: Repository) -> str:
    """The account files' identity now (a `stat` of each, none read): a change means reload."""
    return fingerprint(repo)


def account_changed(repo: Repository, view: AccountView) -> bool:
    """The account's file is no longer what the screen read (changed, or gone)."""
    try:
        return repo.root.joinpath(repo.account_rel(view.id)).read_bytes() != view.loaded.raw
    except FileNotFoundError:
        return True


# --- scores ---------------------------------------------------------------------------------------

Scores = dict[str, ScoreSummary]  # id → Evaluation.summary()


@dataclass(frozen=True, slots=True)
class Figures:
    """The money columns of the accounts table, from the scoring facts."""

    sales: float | None  # trailing twelve months
    margin: float | None  # mean gross margin of the recent quarters


@dataclass(frozen=True)
class PortfolioView:
    """What the accounts screen shows beside the list fields, for every account at once."""

    scores: Scores
    figures: dict[str, Figures]
    top20_share: float | None  # share of sales of the top 20 % of accounts (the 20/80 figure)


def load_scores(repo: Repository, today: dt.date | None = None) -> Scores:
    """Score, tier and risk codes of every account (the whole portfolio: shares are relative to
    it), from the store's cached facts. Raises SettingsInvalid for a bad kam.yaml."""
    return score_summaries(repo, today)


def load_portfolio(repo: Repository, view: CatalogView | None = None, today: dt.date | None = None) -> PortfolioView:
    """Scores, sales and margins of every account, and the 20/80 figure, reusing the catalog the
    list was read from. Raises SettingsInvalid for a bad kam.yaml."""
    catalog = view.catalog if view is not None and view.catalog is not None else load_catalog(repo)
    scores = score_summaries(repo, today, catalog=catalog)
    facts = catalog.facts()
    catalog.save_facts()
    figures = {f.id: Figures(f.sales, f.margin) for f in facts}
    top20, _ = concentration([f.sales for f in facts if f.sales is not None])
    return PortfolioView(scores, figures, top20)


# --- one account's score ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreView:
    """One account as scored within the whole portfolio, with the keep-or-cut assessment."""

    evaluation: Evaluation
    assessment: Assessment


def load_score_view(
    repo: Repository, account_id: str, view: CatalogView | None = None, today: dt.date | None = None
) -> ScoreView | None:
    """The account's evaluation (None when its file has errors), scored against the totals of
    every account, reusing the list's catalog when given. Raises SettingsInvalid for a bad kam.yaml."""
    snap = load_now(repo, today, catalog=view.catalog if view is not None else None)
    facts = next((f for f in snap.facts if f.id == account_id), None)
    if facts is None:
        return None
    config = snap.settings.scoring
    evaluation = evaluate_facts([facts], config, snap.today, portfolio_totals(snap.facts, config))[0]
    return ScoreView(evaluation, assess(evaluation))


# --- one account ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountView:
    """Everything the account screen shows, read in one go."""

    id: str
    loaded: LoadedAccount
    history: list[Commit] = field(default_factory=list)
    history_error: str | None = None

    @property
    def account(self) -> Account | None:
        return self.loaded.account

    @property
    def problems(self) -> list[Problem]:
        return self.loaded.problems


def load_account_view(repo: Repository, account_id: str) -> AccountView:
    """The account file (raises AccountNotFound) and its git history (an error there is shown,
    not raised: the file itself is still worth seeing)."""
    loaded = repo.load_account(account_id)
    try:
        return AccountView(account_id, loaded, account_history(repo, account_id))
    except (GitError, AccountNotFound) as exc:
        return AccountView(account_id, loaded, [], str(exc))


def load_commit_diff(repo: Repository, account_id: str, commit: str) -> str:
    """The change a commit made to the account's files (raises GitError)."""
    return commit_diff(repo, account_id, commit)


# --- changing one field ---------------------------------------------------------------------------


def preview_change(view: AccountView, text: str) -> str:
    """The commit message a `KEY=VALUE` text would make (`acme: owner wang → li`); raises
    InvalidChange when the text cannot be read as an assignment."""
    assignment = parse_assignment(text)
    data = view.loaded.doc.data if view.loaded.doc is not None else {}
    return describe(view.id, data, [assignment])


def save_change(repo: Repository, view: AccountView, text: str) -> ChangeResult:
    """Apply one `KEY=VALUE` through the shared write path (validated, atomic, one commit),
    refusing if the file changed since the screen read it."""
    return edit_account(repo, view.id, [parse_assignment(text)], expected=view.loaded.raw)


def load_checklists(repo: Repository, account_id: str) -> list[ChecklistStatus]:
    """Every checklist attached to the account, with its progress."""
    templates: dict[str, Any] = {}
    return [checklist_status(repo, account_id, name, templates) for name in account_playbooks(repo, account_id)]


def toggle_step(
    repo: Repository, account_id: str, name: str, number: int, done: bool, note: str | None = None
) -> TickResult:
    """Tick an open step or untick a ticked one, as `kam check [--undo] [--note]` does: one commit.
    Raises the playbook's refusal (e.g. a staged-exit cut before the network is in hand)."""
    change = untick if done else tick
    return change(repo, account_id, name, str(number), note=note)


@dataclass(frozen=True)
class PlaybookChoice:
    """A playbook that can be attached: a template in playbooks/, or one kam ships that is
    added there first (`kam playbook add NAME --lang LANG`), under `name`."""

    name: str
    title: str | None = None
    steps: int = 0
    shipped: str | None = None  # kam's template name, when it is not in playbooks/ yet
    shipped_language: str | None = None


def playbook_choices(repo: Repository, account_id: str) -> list[PlaybookChoice]:
    """What `kam playbook list` offers, less what the account has attached: the repository's
    templates without errors, then kam's own in the repository's language and the other."""
    attached = set(account_playbooks(repo, account_id))
    templates = list_templates(repo)
    present = {t.name for t in templates}
    out = [PlaybookChoice(t.name, t.title, t.steps) for t in templates if t.name not in attached and not t.errors]
    language = repository_language(repo)
    for lang in sorted(LANGUAGES, key=lambda lang: lang != language):
        for shipped in shipped_playbooks(lang):
            name = shipped if lang == language else f"{shipped}-{lang}"
            if name not in present and name not in attached:
                out.append(PlaybookChoice(name, None, 0, shipped, lang))
    return out


def attach_playbook(repo: Repository, account_id: str, choice: PlaybookChoice) -> str:
    """Attach as `kam attach ID NAME` does (one commit), adding kam's template to playbooks/
    first as `kam playbook add` does (its own commit) when it is not there; what was committed."""
    done = []
    if choice.shipped is not None:
        added = add_shipped(repo, choice.shipped, choice.shipped_language, choice.name)
        done.append(f"{added.commit[:10]} {added.message}")
    result = attach(repo, account_id, choice.name)
    done.append(f"{result.commit[:10]} {result.message}")
    return "\n".join(done)


def add_log_item(repo: Repository, account_id: str, list_name: str, values: dict[str, str]) -> ChangeResult:
    """Append one item to a list of the account (a visit, complaint, survey…) from the text typed
    per field, exactly as `kam add ID LIST KEY=VALUE…` does: one commit."""
    item = parse_item(list_name, [f"{key}={value}" for key, value in values.items()])
    return add_item(repo, account_id, list_name, item)


# --- forms: typed fields, saved as `kam set` / `kam new` save them ----------------------------------


def check_field(key: str, text: str) -> str | None:
    """Why `KEY=text` cannot be saved (as `kam set` would say it), or None when it can."""
    try:
        parse_assignment(f"{key}={text}")
    except InvalidChange as exc:
        return exc.message.removeprefix(f"{key}: ")  # the form shows it under the field already
    return None


def save_fields(repo: Repository, view: AccountView, values: dict[str, str]) -> ChangeResult:
    """Set several fields at once as `kam set ID KEY=VALUE…` does (an empty value removes the
    key): validated, atomic, one commit; refused if the file changed since the screen read it."""
    assignments = [parse_assignment(f"{key}={text}") for key, text in values.items()]
    return edit_account(repo, view.id, assignments, expected=view.loaded.raw)


def new_account(repo: Repository, account_id: str, name: str, values: dict[str, str]) -> ChangeResult:
    """Create an account as `kam new ID --name NAME KEY=VALUE…` does: one commit."""
    assignments = [parse_assignment(f"{key}={text}") for key, text in values.items() if text]
    return create_account(repo, account_id.strip(), name.strip(), assignments)


# --- E: the account's file in the person's editor ---------------------------------------------------


@dataclass(frozen=True)
class EditorDraft:
    """A copy of the account's file, outside the repository, for the person's editor."""

    account_id: str
    original: bytes  # the file when the editor was opened
    path: Path


def start_editing(repo: Repository, account_id: str) -> EditorDraft:
    """Copy the account's file into a private folder (raises AccountNotFound)."""
    raw = repo.load_account(account_id).raw
    path = Path(tempfile.mkdtemp(prefix="kam-edit-")) / f"{account_id}.yaml"
    path.write_bytes(raw)
    return EditorDraft(account_id, raw, path)


def editor_command(env: Mapping[str, str]) -> list[str]:
    """$VISUAL, else $EDITOR, else vi — split as a shell would split words (no shell runs it)."""
    return shlex.split(env.get("VISUAL") or env.get("EDITOR") or "vi")


def run_editor(draft: EditorDraft) -> None:
    """Run the editor on the draft and wait for it (raises OSError when it cannot start)."""
    subprocess.run([*editor_command(os.environ), str(draft.path)], check=False)


def finish_editing(repo: Repository, draft: EditorDraft) -> ChangeResult | None:
    """Commit the draft when it changed and is a valid account (raises InvalidChange, or
    WriteRefused when the file changed on disk meanwhile); None when nothing was changed."""
    new = draft.path.read_bytes()
    if new == draft.original:
        return None
    return replace_account(repo, draft.account_id, new, draft.original)


def drop_editing(draft: EditorDraft) -> None:
    """Remove the draft and its folder."""
    draft.path.unlink(missing_ok=True)
    draft.path.parent.rmdir()


def is_invalid(exc: BaseException) -> bool:
    """The text itself cannot be saved (as opposed to a refusal for another reason)."""
    return isinstance(exc, InvalidChange)


def is_refusal(exc: BaseException) -> bool:
    """The store refused to write for a reason outside the text typed (file changed, lock, …)."""
    return isinstance(exc, WriteRefused) and not isinstance(exc, InvalidChange)


def error_text(exc: BaseException) -> str | None:
    """A KamError as the lines a person reads; None for anything else (a bug)."""
    if isinstance(exc, KamError):
        return "\n".join(exc.lines())
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    return None


# --- the review cycle (the Reviews and portfolio chart screens) ----------------------------------


def review_periods(
    repo: Repository, shown: Cycle | None = None, today: dt.date | None = None
) -> tuple[list[Cycle], Cycle]:
    """The periods to choose from (every planned one, this quarter and the last, and `shown`),
    newest first, and the one to show: `shown`, else the latest plan, else the quarter that ended
    last (the one due for review)."""
    planned = planned_periods(repo)
    now = quarter_of(clock.today(today))
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


def plan_review(repo: Repository, cycle: Cycle) -> PlanWritten:
    """Plan the period with `kam review plan`'s defaults (every account that has not exited, the
    usual indicators, its owner as reviewer) and commit the plan; an existing plan is refused."""
    return write_plan(repo, cycle, PlanRequest())


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
    rendered = review_report(repo, cycle)
    return ReviewPreview(rendered, review_document(rendered.report))


def load_open_work(repo: Repository) -> list[AgendaItem]:
    """Every open action of every account whatever its due date, and what else is due now
    (complaints to answer, visits, next steps; `kam due`'s list), soonest first."""
    snap = load_now(repo, full=True)
    tiers = {e.id: e.tier for e in evaluate_facts(snap.facts, snap.settings.scoring, snap.today)}
    return open_work(snap.accounts, tiers, snap.settings.scoring, snap.today)


# --- the team: sync with the remote, and the changes since I last looked ---------------------------


def remote_status(repo: Repository) -> AheadBehind:
    """Commits to push and to pull as of the last fetch (no network: for the header line)."""
    return syncing.ahead_behind(repo)


def run_sync(repo: Repository, progress: Callable[[str], None]) -> SyncReport:
    """`kam sync`: fetch, merge, push, telling `progress` each step. Raises SyncRefused (nothing
    changed) or SyncConflict (the repository is in git's conflicted state)."""
    return syncing.sync(repo, progress)


def load_changes(repo: Repository) -> ChangesReport:
    """The commits since I last marked changes as seen (as `kam changes`), by account."""
    return changelog.changes(repo, changelog.resolve_since(repo, None))


def mark_changes_seen(repo: Repository, report: ChangesReport) -> None:
    """Everything up to the report's head is seen (as `kam changes --seen`)."""
    if report.head:
        changelog.mark_seen(repo, report.head)


def value_text(value: Any) -> str:
    """A field's value in a change, in one short line, as `kam changes` shows it."""
    return changelog.shown(value)


def is_sync_refusal(exc: BaseException) -> bool:
    """Sync did not start (dirty tree, detached head, no remote…): nothing changed."""
    return isinstance(exc, syncing.SyncRefused)
