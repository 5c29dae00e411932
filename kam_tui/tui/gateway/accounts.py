"""The portfolio's scores and one account as read: what fills in beside the accounts list and
what the account screen shows (the list itself is `account_list`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kam_tui.model.account import Account
from kam_tui.model.problems import Problem
from kam_tui.model.assess import Assessment, assess
from kam_tui.model.checklist_plan import EXIT_PLAYBOOK
from kam_tui.model.evaluate import Evaluation, evaluate_facts
from kam_tui.model.portfolio import concentration_of
from kam_tui.model.risks import portfolio_totals
from kam_tui.store.checklists import attached_checklist
from kam_tui.store.catalog import load_catalog
from kam_tui.store.gitcmd import Commit, GitError
from kam_tui.store.history import account_history, commit_diff
from kam_tui.store.repository import AccountNotFound, LoadedAccount, Repository
from kam_tui.store import clock
from kam_tui.store.gcpause import bulk
from kam_tui.store.snapshot import score_summaries
from kam_tui.tui.gateway.account_list import CatalogView, Figures, PortfolioView
from kam_tui.tui.gateway.own_writes import changed_behind_our_back


def account_changed(repo: Repository, view: AccountView) -> bool:
    """The account's file is no longer what the screen read (changed, or gone), and not by a save
    of ours either."""
    return changed_behind_our_back(repo.root / repo.account_rel(view.id), view.loaded.raw)


# --- scores ---------------------------------------------------------------------------------------


def load_portfolio(repo: Repository, view: CatalogView | None = None, today: dt.date | None = None) -> PortfolioView:
    """Scores, sales and margins of every account, and the 20/80 figure, reusing the catalog the
    list was read from. Raises SettingsInvalid for a bad kam.yaml."""
    catalog = view.catalog if view is not None and view.catalog is not None else load_catalog(repo)
    with bulk(keep=True):  # kept by the accounts screen until a reload (see `bulk`)
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
