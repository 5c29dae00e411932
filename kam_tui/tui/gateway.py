"""The TUI's only door to the store: what screens read and write, as plain functions.

Screens and widgets never import `kam_tui.store` (an import contract in pyproject.toml says so);
they call these from worker threads and get plain data back, so every function can be tested
without a terminal. No Textual here. Nothing here decides anything about accounts — scores,
tiers, risks, validation and saving all come from `kam_tui.model` / `kam_tui.store`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.errors import KamError
from kam_tui.model.problems import Problem
from kam_tui.model.summary import ScoreSummary
from kam_tui.store.changes import (
    ChangeResult,
    InvalidChange,
    describe,
    edit_account,
    parse_assignment,
)
from kam_tui.store.gitcmd import Commit, GitError
from kam_tui.store.repository import AccountNotFound, LoadedAccount, Repository
from kam_tui.store.write import WriteRefused

__all__ = [  # the store's types that screens name
    "AccountNotFound",
    "ChangeResult",
    "Commit",
    "InvalidChange",
    "Repository",
]

FILTER_FIELDS = ("id", "name", "owner", "stage", "region")


# --- the accounts list ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of the accounts table: the catalog's list fields."""

    id: str
    name: str
    stage: str
    owner: str
    region: str
    haystack: str  # lower-cased filter fields, searched by `matches`

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> AccountRow:
        values = {name: "" if summary.get(name) is None else str(summary[name]) for name in FILTER_FIELDS}
        return cls(**values, haystack="\x1f".join(values[name] for name in FILTER_FIELDS).casefold())


@dataclass(frozen=True)
class CatalogView:
    rows: list[AccountRow]
    skipped: int  # files with errors, left out of the list


def load_catalog_view(repo: Repository) -> CatalogView:
    """All accounts' list fields (cached by the store), in the catalog's order (by file name)."""
    from kam_tui.store.catalog import load_catalog

    catalog = load_catalog(repo)
    return CatalogView([AccountRow.from_summary(s) for s in catalog.summaries], catalog.skipped)


def matches(row: AccountRow, query: str) -> bool:
    """Case-insensitive substring match on id, name, owner, stage or region."""
    needle = query.strip().casefold()
    return not needle or needle in row.haystack


def filter_rows(rows: list[AccountRow], query: str) -> list[AccountRow]:
    needle = query.strip()
    return rows if not needle else [row for row in rows if matches(row, needle)]


# --- scores ---------------------------------------------------------------------------------------

Scores = dict[str, ScoreSummary]  # id → Evaluation.summary()


def load_scores(repo: Repository, today: dt.date | None = None) -> Scores:
    """Score, tier and risk codes of every account (the whole portfolio: shares are relative to
    it), from the store's cached facts. Raises SettingsInvalid for a bad kam.yaml."""
    from kam_tui.store.snapshot import score_summaries

    return score_summaries(repo, today)


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
    from kam_tui.store.history import account_history

    loaded = repo.load_account(account_id)
    try:
        return AccountView(account_id, loaded, account_history(repo, account_id))
    except (GitError, AccountNotFound) as exc:
        return AccountView(account_id, loaded, [], str(exc))


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
