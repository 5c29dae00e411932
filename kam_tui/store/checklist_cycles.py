"""Cycles of a recurring checklist (maintenance): starting the next one in one commit, and reading
a past one back from git (`kam checklist ID NAME --cycle 2026-Q3`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kam_tui.i18n import _
from kam_tui.model.checklist_plan import PlaybookError, cycle_of, plan_new_cycle
from kam_tui.store import clock, gitcmd
from kam_tui.store.checklist_writes import author_name, read_for_change
from kam_tui.store.checklists import ChecklistStatus, read_checklist
from kam_tui.store.playbook_files import checklist_rel, read_markdown
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import FileChange, Transaction


@dataclass(frozen=True)
class NewCycle:
    account: str
    playbook: str
    label: str
    previous: str
    commit: str
    message: str


def new_cycle(
    repo: Repository,
    account_id: str,
    name: str,
    *,
    label: str | None = None,
    author: str | None = None,
    today: dt.date | None = None,
    env: dict[str, str] | None = None,
) -> NewCycle:
    """The same checklist file, its ticks cleared and the cycle's label recorded, in one commit."""
    day = clock.today(today).isoformat()
    with Transaction(repo, author, env) as tx:
        file = read_for_change(repo, tx, account_id, name)
        plan = plan_new_cycle(
            account_id=account_id,
            name=name,
            checklist=file.playbook,
            text=file.text,
            ordered=file.ordered,
            label=label,
            day=day,
            who=author_name(repo, tx.author),
            language=repo.language,
        )
        sha = tx.commit([FileChange(file.rel, file.encode(plan.text), file.raw)], plan.message)
    return NewCycle(account_id, name, plan.label, plan.previous, sha, plan.subject)


def cycle_status(repo: Repository, account_id: str, name: str, label: str) -> ChecklistStatus:
    """The checklist as it stood at the end of cycle `label`: the current file when that is the
    current cycle, else its last committed version in that cycle."""
    current = read_checklist(repo, account_id, name)
    if cycle_of(current.playbook) == label:
        return ChecklistStatus(account_id, name, current, True, [])
    rel = checklist_rel(account_id, name)
    seen: list[str] = []
    for commit in gitcmd.log(repo.root, [rel]):
        raw = gitcmd.file_at(repo.root, commit.hash, rel)
        if raw is None:
            continue
        file = read_markdown(rel, raw, "checklist")
        found = cycle_of(file.playbook)
        if found == label:
            return ChecklistStatus(account_id, name, file, True, [])
        if found is not None and found not in seen:
            seen.append(found)
    known = ", ".join(dict.fromkeys([c for c in [cycle_of(current.playbook)] if c] + seen)) or _("none")
    raise PlaybookError(
        _("{id} {name} has no cycle '{label}' in its history (cycles: {known})").format(
            id=account_id, name=name, label=label, known=known
        )
    )
