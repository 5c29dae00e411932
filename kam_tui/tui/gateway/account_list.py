"""The accounts list as the accounts screen shows it first: every account's list fields, and the
records of the scores and figures that fill in beside them. Loaded at the TUI's launch, so it
imports no more than reading the list needs (the scoring lives in `accounts`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kam_tui.model.problems import Problem
from kam_tui.model.risks import Totals, portfolio_totals
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.model.summary import AccountSummary, ScoreSummary
from kam_tui.store.gcpause import bulk
from kam_tui.store.catalog import Catalog, Progress, fingerprint, load_catalog, load_warm_catalog
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import git_blocks_writes

if TYPE_CHECKING:
    from kam_tui.model.portfolio import Concentration

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
    with bulk(keep=True):  # kept by the accounts screen until a reload (see `bulk`)
        return _view_of(repo, load_catalog(repo, progress=progress))


def load_warm_catalog_view(repo: Repository) -> CatalogView | None:
    """The list when the store's cache covers (nearly) every file, else None: read before the TUI
    starts, while no other thread wants the interpreter (in a worker beside Textual's start, the
    `stat` of 10,000 files took three times as long), and left to the worker when files must be
    parsed, which shows progress."""
    with bulk(keep=True):
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


# --- beside the list fields -----------------------------------------------------------------------

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
