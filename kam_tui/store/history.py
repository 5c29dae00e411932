"""The history of one account, from git."""

from __future__ import annotations

from kam_tui.store import gitcmd
from kam_tui.store.repository import CHECKLISTS, AccountNotFound, Repository


def account_paths(repo: Repository, account_id: str) -> list[str]:
    """Every path whose commits belong to this account's history: its file and its checklists."""
    return [repo.account_rel(account_id), f"{CHECKLISTS}/{account_id}"]


def account_history(repo: Repository, account_id: str, limit: int | None = None) -> list[gitcmd.Commit]:
    """Commits that touched the account or its checklists, newest first (renames not followed)."""
    paths = account_paths(repo, account_id)
    if not (repo.root / paths[0]).exists() and not gitcmd.log(repo.root, paths[:1], limit=1):
        raise AccountNotFound(f"no account '{account_id}' ({paths[0]} does not exist and never did)")
    return gitcmd.log(repo.root, paths, limit)


def commit_diff(repo: Repository, account_id: str, commit: str) -> str:
    """What one commit changed in the account's files, as a unified diff (no colour codes)."""
    paths = account_paths(repo, account_id)
    args = ("show", "--format=", "--no-color", "--no-ext-diff", "--end-of-options", commit, "--", *paths)
    return gitcmd.git(repo.root, *args).stdout
