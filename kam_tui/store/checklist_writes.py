"""Attaching a playbook to an account and ticking its steps: each one commit through `Transaction`.

The store reads the files and the facts the rules ask for, the model's `checklist_plan` decides
what to write and why, and the store writes and commits exactly that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kam_tui.i18n import _
from kam_tui.model.account import Account
from kam_tui.model.checklist import one_line
from kam_tui.model.checklist_plan import (
    NetworkNotInHand,
    PlaybookError,
    StageGated,
    TickPlan,
    is_exit_playbook,
    plan_attach,
    plan_detach,
    plan_tick,
    plan_untick,
)
from kam_tui.model.risks import network_status
from kam_tui.store import clock, gitcmd
from kam_tui.store.account_changes import InvalidChange, edit_text
from kam_tui.store.files import read_regular
from kam_tui.store.checklists import ChecklistStatus, checklist_status, read_checklist
from kam_tui.store.playbook_files import MarkdownFile, checklist_rel, read_markdown, template_rel
from kam_tui.store.playbook_templates import missing_template
from kam_tui.store.repository import NoSuchAccount, Repository, read_account
from kam_tui.store.transaction import FileChange, Transaction, WriteRefused


def author_name(repo: Repository, author: str | None) -> str:
    """The name written beside a tick: from `--author`/$KAM_AUTHOR, else git's author identity."""
    if author:
        name = author.partition("<")[0].strip()
        if name:
            return one_line(name, _("the author's name"))
    result = gitcmd.git(repo.root, "var", "GIT_AUTHOR_IDENT", check=False)
    ident = result.stdout.strip()
    if result.returncode != 0 or "<" not in ident:
        raise WriteRefused(gitcmd.identity_problem(repo.root) or _("git does not know who you are"))
    return one_line(ident.partition("<")[0].strip() or "unknown", _("the author's name"))


# --- attach -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachResult:
    account: str
    playbook: str
    rel: str
    commit: str
    message: str
    stage_from: str | None = None  # set when attaching moved the account's stage
    stage_to: str | None = None
    forced: str | None = None  # why the playbook did not fit the account's stage, when forced


def attach(
    repo: Repository,
    account_id: str,
    name: str,
    *,
    author: str | None = None,
    today: dt.date | None = None,
    env: dict[str, str] | None = None,
    force: str | None = None,
) -> AttachResult:
    """Write `checklists/ID/NAME.md` from the template and commit it, as `plan_attach` says
    (with the account's stage move, for the staged-exit playbook, in the same commit). `force` is
    the reason to attach a playbook whose `stages:` leave out the account's stage."""
    account_rel = repo.account_rel(account_id)
    rel = checklist_rel(account_id, name)
    with Transaction(repo, author, env) as tx:
        who = author_name(repo, tx.author)
        account_raw = tx.read(account_rel)
        if account_raw is None:
            raise NoSuchAccount(account_id)
        loaded = read_account(account_rel, account_raw)
        account = loaded.account
        if account is None:
            raise InvalidChange(
                _("{file} has errors; fix them before attaching a playbook").format(file=account_rel),
                [p for p in loaded.problems if p.level == "error"],
            )
        template_raw = tx.read(template_rel(name))
        if template_raw is None:
            raise PlaybookError(missing_template(repo, name))
        template = read_markdown(template_rel(name), template_raw, "template")
        if not template.playbook.ok:
            raise InvalidChange(
                _("{file} has errors; fix the template first").format(file=template.rel),
                [p for p in template.problems if p.level == "error"],
            )
        if tx.read(rel) is not None:
            raise PlaybookError(
                _(
                    "{name} is already attached to {id} ({file}); see `kam checklist {id} {name}`. "
                    "A recurring playbook starts its next cycle with `kam attach {id} {name} --new-cycle`; "
                    "to remove it: `kam detach {id} {name} --reason TEXT`"
                ).format(id=account_id, name=name, file=rel)
            )
        repo.settings()  # the checklist's header is kam.yaml's words: an invalid kam.yaml is refused, never guessed
        plan = plan_attach(
            account_id=account_id,
            account_stage=account.stage,
            name=name,
            template=template.text,
            exit_playbook=is_exit_playbook(name, template.fits),
            day=clock.today(today).isoformat(),
            who=who,
            language=repo.language,
            fits=template.fits,
            force=force,
        )
        changes = [FileChange(rel, template.encode(plan.text), None)]
        if plan.stage_to is not None:
            new_account, _doc = edit_text(account_rel, account_raw, [(("stage",), plan.stage_to)])
            changes.append(FileChange(account_rel, new_account, account_raw))
        new_folders = _missing_folders(repo, rel)
        try:
            sha = tx.commit(changes, plan.message)
        except BaseException:
            _remove_empty(new_folders)  # a refused attach leaves no empty checklists/ID/ behind
            raise
    return AttachResult(account_id, name, rel, sha, plan.subject, plan.stage_from, plan.stage_to, plan.forced)


def _missing_folders(repo: Repository, rel: str) -> list[Path]:
    """The folders a write of `rel` would create, deepest first."""
    out = []
    folder = (repo.root / rel).parent
    while folder != repo.root and not folder.exists():
        out.append(folder)
        folder = folder.parent
    return out


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


# --- tick and untick --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TickResult:
    account: str
    playbook: str
    number: int
    step: str
    done: bool  # the step's state after the change
    commit: str
    message: str
    forced: str | None = None  # the open stage it skipped, when --force was needed
    status: ChecklistStatus | None = None
    network_forced: str | None = None  # the network rule's why, when --force overrode it


def tick(
    repo: Repository,
    account_id: str,
    name: str,
    item: str,
    *,
    note: str | None = None,
    force: bool = False,
    reason: str | None = None,
    author: str | None = None,
    today: dt.date | None = None,
    env: dict[str, str] | None = None,
    na: bool = False,
) -> TickResult:
    """Tick one step (or, with `na`, mark it not applicable, `reason` saying why): exactly one
    line of the checklist changes, one commit `ID: NAME ✓ step` (`ID: NAME – step`)."""
    day = clock.today(today).isoformat()
    with Transaction(repo, author, env) as tx:
        file = read_for_change(repo, tx, account_id, name)
        plan = _plan_tick(
            repo,
            account_id,
            name,
            file,
            item,
            tx.read,
            lambda: author_name(repo, tx.author),
            note=note,
            force=force,
            reason=reason,
            day=day,
            na=na,
        )
        sha = tx.commit([FileChange(file.rel, file.encode(plan.text), file.raw)], plan.message)
    return _result(repo, account_id, name, plan, sha)


def tick_refusal(repo: Repository, account_id: str, name: str, item: str) -> NetworkNotInHand | StageGated | None:
    """The refusal a tick of this step would meet now for a rule `--force --reason` overrides (an
    earlier stage still open, the staged exit's network rule), or None when it would pass. Read
    without the lock and nothing written: the TUI asks for the reason before the note, not after
    it. Any other refusal (no such step, a step done already, a checklist with errors) is raised
    as the tick would raise it."""
    file = _valid(read_checklist(repo, account_id, name))
    day = clock.today().isoformat()
    try:
        _plan_tick(
            repo,
            account_id,
            name,
            file,
            item,
            _read_now(repo),
            lambda: "",
            note=None,
            force=False,
            reason=None,
            day=day,
        )
    except (NetworkNotInHand, StageGated) as exc:
        return exc
    return None


def _read_now(repo: Repository) -> Callable[[str], bytes | None]:
    return lambda rel: read_regular(repo.inside(rel))


def _plan_tick(
    repo: Repository,
    account_id: str,
    name: str,
    file: MarkdownFile,
    item: str,
    read: Callable[[str], bytes | None],
    who: Callable[[], str],
    *,
    note: str | None,
    force: bool,
    reason: str | None,
    day: str,
    na: bool = False,
) -> TickPlan:
    """The model's plan of a tick of `file`'s step `item`, with the account read through `read`
    when the staged exit's network rule asks for it."""
    return plan_tick(
        account_id=account_id,
        name=name,
        checklist=file.playbook,
        text=file.text,
        item=item,
        note=note,
        force=force,
        reason=reason,
        day=day,
        who=who,
        language=repo.language,
        exit_playbook=is_exit_playbook(name, file.fits),
        network=lambda: network_status(_account(read, repo, account_id), repo.settings()),
        ordered=file.ordered,
        na=na,
    )


def untick(
    repo: Repository,
    account_id: str,
    name: str,
    item: str,
    *,
    note: str | None = None,
    author: str | None = None,
    env: dict[str, str] | None = None,
) -> TickResult:
    """Untick one step: exactly one line of the checklist changes, one commit `ID: NAME ✗ step`."""
    with Transaction(repo, author, env) as tx:
        file = read_for_change(repo, tx, account_id, name)
        plan = plan_untick(
            account_id=account_id,
            name=name,
            checklist=file.playbook,
            text=file.text,
            item=item,
            note=note,
            language=repo.language,
        )
        sha = tx.commit([FileChange(file.rel, file.encode(plan.text), file.raw)], plan.message)
    return _result(repo, account_id, name, plan, sha)


def detach(
    repo: Repository,
    account_id: str,
    name: str,
    *,
    reason: str | None,
    author: str | None = None,
    env: dict[str, str] | None = None,
) -> tuple[str, str]:
    """Remove `checklists/ID/NAME.md` in one commit whose message carries the reason; git keeps
    every tick it had. Returns (commit, subject)."""
    with Transaction(repo, author, env) as tx:
        file = _read_in(repo, tx, account_id, name)
        subject, message = plan_detach(
            account_id=account_id, name=name, checklist=file.playbook, reason=reason, language=repo.language
        )
        sha = tx.commit([FileChange(file.rel, None, file.raw)], message)
    _remove_empty([(repo.root / file.rel).parent])
    return sha, subject


def _account(read: Callable[[str], bytes | None], repo: Repository, account_id: str) -> Account:
    """The account a checklist belongs to, valid, for a rule that needs its figures."""
    rel = repo.account_rel(account_id)
    raw = read(rel)
    if raw is None:
        raise NoSuchAccount(account_id)
    loaded = read_account(rel, raw)
    if loaded.account is None:
        raise InvalidChange(
            _("{file} has errors; fix them first").format(file=rel), [p for p in loaded.problems if p.level == "error"]
        )
    return loaded.account


def _read_in(repo: Repository, tx: Transaction, account_id: str, name: str) -> MarkdownFile:
    """The checklist as it is inside the transaction (a missing one is refused with the list of
    those attached)."""
    rel = checklist_rel(account_id, name)
    raw = tx.read(rel)
    if raw is None:
        read_checklist(repo, account_id, name)  # raises with the list of attached playbooks
        raise PlaybookError(_("{file} does not exist").format(file=rel))
    return read_markdown(rel, raw, "checklist")


def read_for_change(repo: Repository, tx: Transaction, account_id: str, name: str) -> MarkdownFile:
    """The checklist as it is inside the transaction, refused when it has errors."""
    return _valid(_read_in(repo, tx, account_id, name))


def _valid(file: MarkdownFile) -> MarkdownFile:
    """The checklist, refused when it has errors."""
    if not file.playbook.ok:
        raise InvalidChange(
            _("{file} has errors; fix them before ticking").format(file=file.rel),
            [p for p in file.problems if p.level == "error"],
        )
    return file


def _result(repo: Repository, account_id: str, name: str, plan: TickPlan, sha: str) -> TickResult:
    """What a tick did, with the checklist's progress after it (read once the lock is released)."""
    status = checklist_status(repo, account_id, name)
    step = plan.step
    return TickResult(
        account_id, name, step.number, step.text, plan.done, sha, plan.subject, plan.forced, status, plan.network_forced
    )
