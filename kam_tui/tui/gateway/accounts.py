"""The accounts list, the portfolio's scores and one account as read: what the accounts and account
screens show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kam_tui.model.account import Account
from kam_tui.model.problems import Problem
from kam_tui.model.assess import Assessment, assess
from kam_tui.model.checklist_plan import EXIT_PLAYBOOK
from kam_tui.model.evaluate import Evaluation, evaluate_facts
from kam_tui.model.portfolio import Concentration, concentration_of
from kam_tui.model.risks import Totals, portfolio_totals
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.model.summary import AccountSummary, ScoreSummary
from kam_tui.store.checklists import attached_checklist
from kam_tui.store.catalog import Catalog, Progress, fingerprint, load_catalog, load_warm_catalog
from kam_tui.store.gitcmd import Commit, GitError
from kam_tui.store.history import account_history, commit_diff
from kam_tui.store.repository import AccountNotFound, LoadedAccount, Repository
from kam_tui.store import clock
from kam_tui.store.snapshot import score_summaries
from kam_tui.store.transaction import git_blocks_writes
from kam_tui.tui.gateway.own_writes import changed_behind_our_back


FILTER_FIELDS = ("id", "name", "owner", "stage", "region", "industry")
PARSE_BEFORE_START = 20  # files changed since the cache: parsed before the TUI starts (~2 ms each)

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
    _totals: dict[str, Totals] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def fingerprint(self) -> str:
        """Changes whenever any account file does (see `accounts_fingerprint`)."""
        return self.catalog.fingerprint if self.catalog is not None else ""

    def totals(self, catalog: Catalog, config: ScoringConfig) -> Totals:
        """The whole portfolio's totals the Score tab scores one account against: summed once per
        list read and kam.yaml (every account the list opens shares them), not on every open."""
        key = repr(config)
        if key not in self._totals:
            self._totals[key] = portfolio_totals(catalog.facts(), config)
        return self._totals[key]


def load_catalog_view(repo: Repository, progress: Progress | None = None) -> CatalogView:
    """All accounts' list fields (cached by the store), in the catalog's order (by file name);
    `progress(done, total)` hears how many files a cold load has parsed."""
    return _view_of(repo, load_catalog(repo, progress=progress))


def load_warm_catalog_view(repo: Repository) -> CatalogView | None:
    """The list when the store's cache covers (nearly) every file, else None: read before the TUI
    starts, while no other thread wants the interpreter (in a worker beside Textual's start, the
    `stat` of 10,000 files took three times as long), and left to the worker when files must be
    parsed, which shows progress."""
    catalog = load_warm_catalog(repo, PARSE_BEFORE_START)
    return None if catalog is None else _view_of(repo, catalog)


def _view_of(repo: Repository, catalog: Catalog) -> CatalogView:
    problems = [p for e in catalog.left_out() for p in e.problems if p.level == "error"]
    rows = [AccountRow.from_summary(account) for account in catalog.accounts]
    tree = repo.work_tree
    blocked = git_blocks_writes(tree.git_dir) if tree is not None else None
    return CatalogView(rows, problems, catalog.skipped, catalog, blocked)


def accounts_fingerprint(repo: Repository) -> str:
    """The account files' identity now (a `stat` of each, none read): a change means reload."""
    return fingerprint(repo)


def account_changed(repo: Repository, view: AccountView) -> bool:
    """The account's file is no longer what the screen read (changed, or gone), and not by a save
    of ours either."""
    return changed_behind_our_back(repo.root / repo.account_rel(view.id), view.loaded.raw)


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
    concentration: Concentration  # the 20/80 figure, of what sold through


def load_portfolio(repo: Repository, view: CatalogView | None = None, today: dt.date | None = None) -> PortfolioView:
    """Scores, sales and margins of every account, and the 20/80 figure, reusing the catalog the
    list was read from. Raises SettingsInvalid for a bad kam.yaml."""
    catalog = view.catalog if view is not None and view.catalog is not None else load_catalog(repo)
    scores = score_summaries(repo, today, catalog=catalog)
    facts = catalog.facts()
    catalog.save_facts()
    figures = {f.id: Figures(f.sales, f.margin) for f in facts}
    return PortfolioView(scores, figures, concentration_of(facts))


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
    every account. With the list's `view`, only this account's facts are read and the totals are
    the list's (summed once). Raises SettingsInvalid for a bad kam.yaml."""
    config = repo.settings().scoring  # raises SettingsInvalid: refused, never replaced by defaults
    catalog = view.catalog if view is not None and view.catalog is not None else load_catalog(repo)
    rel = next((file.rel for file in catalog.valid_files() if file.account.id == account_id), None)
    facts = catalog.facts_by_file({rel}).get(rel) if rel is not None else None
    if facts is None:
        return None
    totals = view.totals(catalog, config) if view is not None and view.catalog is catalog else None
    if totals is None:
        totals = portfolio_totals(catalog.facts(), config)
    catalog.save_facts()
    evaluation = evaluate_facts([facts], config, clock.today(today), totals)[0]
    return ScoreView(evaluation, assess(evaluation, attached_checklist(repo, account_id, EXIT_PLAYBOOK)))


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
