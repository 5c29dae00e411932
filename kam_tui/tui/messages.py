"""App-wide events: small dataclasses posted by workers and screens.

Workers run in threads and post these back to the screen that started them; Textual delivers
them on the UI thread. Widget-specific messages live with their widget (`control` property)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from kam_tui.tui.gateway import (
        AccountIndex,
        AccountView,
        AheadBehind,
        ChangesReport,
        ChecklistStatus,
        CatalogView,
        PortfolioView,
        ScoreView,
    )


@dataclass
class CatalogLoaded(Message):
    """The accounts list was read (or could not be: `error`)."""

    view: CatalogView | None
    error: str | None = None


@dataclass
class PortfolioLoaded(Message):
    """Scores, sales and the portfolio figures for the listed accounts (or why not: `error`)."""

    portfolio: PortfolioView | None
    error: str | None = None


@dataclass
class LoadProgress(Message):
    """How many account files a cold load has parsed, of how many."""

    done: int
    total: int


@dataclass
class IndexLoaded(Message):
    """Kinds, playbooks, overdue items and notes' text of the listed accounts (or why not)."""

    index: AccountIndex | None
    error: str | None = None


@dataclass
class AccountLoaded(Message):
    """One account and its history were read (or could not be: `error`)."""

    account_id: str
    view: AccountView | None
    error: str | None = None


@dataclass
class ScoreViewLoaded(Message):
    """One account's evaluation and assessment (or why there is none: `error`)."""

    view: ScoreView | None
    error: str | None = None


@dataclass
class DiffLoaded(Message):
    """What one commit changed in the account's files (or why it could not be read)."""

    commit: str
    diff: str
    error: str | None = None


@dataclass
class ChecklistsLoaded(Message):
    """The account's checklists with their progress (or why they could not be read)."""

    statuses: list[ChecklistStatus]
    error: str | None = None


@dataclass
class FilesChanged(Message):
    """The account files' fingerprint now (posted by the app's watcher when it changes)."""

    fingerprint: str


@dataclass
class AccountChangedOnDisk(Message):
    """The open account's file changed behind the screen's back."""

    account_id: str


@dataclass
class AccountSaved(Message):
    """An account file was changed and committed; lists showing it are stale."""

    account_id: str
    commit: str | None
    message: str


@dataclass
class RemoteStatus(Message):
    """Commits to push and to pull, as of the last fetch, and the account and checklist files not
    committed (for the accounts screen's header)."""

    status: AheadBehind
    uncommitted: int = 0


@dataclass
class ChangesLoaded(Message):
    """The commits since I last looked (or why they could not be read: `error`)."""

    report: ChangesReport | None
    error: str | None = None


def post_result(target: MessagePump, message: Message) -> None:
    """Post a worker's result to `target`, unless a newer run of the same exclusive worker has
    replaced this one (a thread cannot be stopped, but its stale result can be dropped)."""
    if not get_current_worker().is_cancelled:
        target.post_message(message)
