"""The team: sync with the remote, and the changes since I last looked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kam_tui.store import changelog
from kam_tui.store import sync as syncing
from kam_tui.model.field_diff import MergeDecision
from kam_tui.store.changelog import ChangesReport, FileChanges
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, Repository
from kam_tui.store import gitcmd
from kam_tui.store.sync import AheadBehind, SyncReport


# --- the team: sync with the remote, and the changes since I last looked ---------------------------


def remote_status(repo: Repository) -> AheadBehind:
    """Commits to push and to pull as of the last fetch (no network: for the header line)."""
    return syncing.ahead_behind(repo)


def uncommitted_files(repo: Repository) -> list[str]:
    """Account and checklist files that differ from the last commit (a hand edit not committed,
    a new file not added): what the header says is not shared yet."""
    return gitcmd.is_dirty(repo.root, [ACCOUNTS, CHECKLISTS], repo.git_prefix)


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


def rename_text(file: FileChanges) -> str | None:
    """`renamed acme → acme-motors` for a file that moved with its account, as `kam changes` says it."""
    return changelog.renamed(file)


def merge_text(decision: MergeDecision) -> str:
    """`ours 2, theirs 4 → 3`: what a merge settled itself, as `kam changes` says it."""
    return changelog.settled(decision)


def is_sync_refusal(exc: BaseException) -> bool:
    """Sync did not start (dirty tree, detached head, no remote…): nothing changed."""
    return isinstance(exc, syncing.SyncRefused)
