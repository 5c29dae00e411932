"""Scores as they were recorded in git: the tiers of the closed review whose report is in the tree
at a revision, with the scoring method that computed them (B9: a score moved by kam's upgrade is
told apart from one moved by the data or the rules)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kam_tui.model.cycle import CYCLE_PATTERN
from kam_tui.store import gitcmd
from kam_tui.store.repository import SETTINGS_FILE, Repository
from kam_tui.store.reviews import REVIEWS

REPORT = "report.json"


@dataclass(frozen=True)
class Recorded:
    period: str
    method: int  # 1: reports written before kam recorded its method
    tiers: dict[str, tuple[str | None, float | None]]  # id → (tier, score)


def recorded_at(repo: Repository, commit: str) -> Recorded | None:
    """The newest closed review's scores in the tree at `commit`, when the accounts and kam.yaml
    are as they were when it was closed (otherwise its tiers would not be of the same data)."""
    reports = sorted(
        (rel, blob)
        for rel, blob in gitcmd.tree_blobs(repo.root, commit, REVIEWS)
        if rel.endswith("/" + REPORT) and CYCLE_PATTERN.fullmatch(rel.split("/")[-2])
    )
    if not reports:
        return None
    rel, blob = reports[-1]
    closed = gitcmd.git(repo.root, "log", "-1", "--format=%H", commit, "--", rel).stdout.strip()
    accounts = repo.rel(repo.accounts_dir)
    changed = gitcmd.git(repo.root, "diff", "--name-only", closed, commit, "--", accounts, SETTINGS_FILE).stdout
    if not closed or changed.strip():
        return None
    try:
        data = json.loads(gitcmd.blobs(repo.root, [blob])[blob].decode("utf-8"))
        tiers = {str(a["id"]): (a.get("tier"), a.get("score")) for a in data.get("accounts", [])}
        method = int(data.get("scoring_method", 1))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a report kam cannot read records nothing; the scores are recomputed as before
    return Recorded(rel.split("/")[-2], method, tiers)
