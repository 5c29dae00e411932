"""The history of one account, from git."""

from __future__ import annotations

from kam_tui.store import gitcmd
from kam_tui.store.repository import CHECKLISTS, NoSuchAccount, Repository


def account_paths(repo: Repository, account_id: str) -> list[str]:
    """Every path whose commits belong to this account's history: its file and its checklists."""
    return [repo.account_rel(account_id), f"{CHECKLISTS}/{account_id}"]


def account_history(repo: Repository, account_id: str, limit: int | None = None) -> list[gitcmd.Commit]:
    """Commits that touched the account or its checklists, newest first (renames not followed)."""
    paths = account_paths(repo, account_id)
    if not (repo.root / paths[0]).exists() and not gitcmd.log(repo.root, paths[:1], limit=1):
        raise NoSuchAccount(account_id, never=True)
    return gitcmd.log(repo.root, paths, limit)


def commit_diff(repo: Repository, account_id: str, commit: str) -> str:
    """What one commit changed in the account's files, as a unified diff (no colour codes)."""
    paths = account_paths(repo, account_id)
    args = ("show", "--format=", "--no-color", "--no-ext-diff", "--end-of-options", commit, "--", *paths)
    return gitcmd.git(repo.root, *args).stdout


def history_cut(repo: Repository, hashes: list[str]) -> str | None:
    """What to say when these commits reach the boundary of a shallow clone, where git shows the
    first fetched commit as if it had made every file then present (an attach by the wrong
    person, the ticks before it missing); None when the history shown is whole."""
    boundary = gitcmd.shallow_boundary(repo.root)
    cut = next((h for h in hashes if h in boundary), None)
    if cut is None:
        return None
    return (
        f"this clone is shallow: the history is cut at the shallow boundary (commit {cut[:10]}), which "
        "shows everything older as made there; `git fetch --unshallow` fetches the rest"
    )
