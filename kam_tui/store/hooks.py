"""The pre-commit check: the staged account, checklist and playbook files, as staged (in the
index git is committing: `git commit -a` and `git commit FILE` commit a temporary one).

Only those files are read (from git's index, not the work tree), so the hook costs one
file's check. An error the file already had at HEAD does not block: a partial repair of a
broken file can be committed, as `kam set` allows.
"""

from __future__ import annotations

import re
from collections import Counter

from kam_tui.model.problems import Problem
from kam_tui.store import gitcmd
from kam_tui.store.playbook_files import read_markdown
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, PLAYBOOKS, Repository, read_account

_INDEX = re.compile(r"\[\d+\]|(?<=[A-Za-z_])\.\d+\b")  # a list item's position moves between versions


def staged_files(repo: Repository) -> list[str]:
    """kam's files staged for the next commit (added, changed, renamed), repository-relative."""
    args = ("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--relative")
    out = gitcmd.git(repo.root, *args, env=gitcmd.committing_index()).stdout
    rels = [name for name in out.split("\0") if name]
    return [rel for rel in rels if _kind(rel) is not None]


def _kind(rel: str) -> str | None:
    parts = rel.split("/")
    if len(parts) == 2 and parts[0] == ACCOUNTS and rel.endswith(".yaml"):
        return "account"
    if len(parts) == 2 and parts[0] == PLAYBOOKS and rel.endswith(".md"):
        return "template"
    if len(parts) >= 2 and parts[0] == CHECKLISTS and rel.endswith(".md"):
        return "checklist"
    return None


def problems_of(rel: str, raw: bytes) -> list[Problem]:
    kind = _kind(rel)
    if kind == "account":
        return read_account(rel, raw).problems
    assert kind is not None
    return list(read_markdown(rel, raw, kind).problems)  # type: ignore[arg-type]


def _blobs(repo: Repository, names: list[str]) -> list[bytes | None]:
    """Blobs by `:path` (the index) or `HEAD:path`, paths relative to the kam folder."""
    prefix = repo.git_prefix
    specs = [f"{n.split(':', 1)[0]}:{prefix}{n.split(':', 1)[1]}" for n in names]
    return gitcmd.read_blobs(repo.root, specs, env=gitcmd.committing_index())


def _key(problem: Problem) -> tuple[str, str]:
    return problem.level, _INDEX.sub(".#", problem.message)


def staged_problems(repo: Repository) -> tuple[list[Problem], list[Problem]]:
    """(problems that block the commit, errors the files already had at HEAD)."""
    rels = staged_files(repo)
    blobs = _blobs(repo, [f":{rel}" for rel in rels] + [f"HEAD:{rel}" for rel in rels])
    blocking: list[Problem] = []
    inherited: list[Problem] = []
    for rel, staged, before in zip(rels, blobs[: len(rels)], blobs[len(rels) :]):
        found = problems_of(rel, staged or b"")
        had = (
            Counter(_key(p) for p in problems_of(rel, before) if p.level == "error")
            if before is not None
            else Counter()
        )
        for problem in found:
            if problem.level != "error":
                continue
            if had[_key(problem)] > 0:
                had[_key(problem)] -= 1
                inherited.append(problem)
            else:
                blocking.append(problem)
    return blocking, inherited
