"""Moving work between people and names: `kam reassign FROM TO` (accounts and open actions) and
`kam rename OLD NEW` (an account id with its checklists) — each one commit through the write path."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kam_tui.i18n import _, writing_in
from kam_tui.model.ownership import reassignments
from kam_tui.store.account_changes import InvalidChange, describe, edit_text
from kam_tui.store.checklists import account_playbooks
from kam_tui.store.playbook_files import checklist_rel
from kam_tui.store.repository import CHECKLISTS, NoSuchAccount, Repository
from kam_tui.store.transaction import FileChange, Transaction, WriteRefused
from kam_tui.store.yamlread import YamlProblem, parse_bytes


@dataclass(frozen=True)
class Moved:
    """What one write moved: the commit, its subject and one line per account."""

    commit: str
    subject: str
    lines: tuple[str, ...]
    unreadable: tuple[str, ...] = ()  # files that name FROM but do not read as YAML: not touched


def reassign(
    repo: Repository,
    giver: str,
    taker: str,
    stages: Collection[str] = (),
    author: str | None = None,
    message: str | None = None,
) -> Moved:
    """Every account `giver` owns (in `stages`, when given) and every open action `giver` owns in
    those accounts goes to `taker`, in one commit."""
    giver, taker = giver.strip(), taker.strip()
    if not giver or not taker or giver == taker:
        raise InvalidChange(_("reassign needs two different people: FROM and TO"))
    language = repo.language()
    with Transaction(repo, author) as tx:
        changes: list[FileChange] = []
        lines: list[str] = []
        accounts = actions = 0
        unreadable: list[str] = []
        for path in repo.account_files():
            rel = repo.rel(path)
            raw = tx.read(rel)
            if raw is None or giver.encode() not in raw:
                continue
            try:
                data = parse_bytes(raw).data
            except YamlProblem:
                unreadable.append(rel)  # it cannot be edited; the person is told
                continue
            moves = reassignments(data, giver, taker, stages)
            if not moves:
                continue
            new_raw, _doc = edit_text(rel, raw, moves)
            changes.append(FileChange(rel, new_raw, raw))
            with writing_in(language):
                lines.append(describe(path.stem, data, moves))
            accounts += any(p == ("owner",) for p, _v in moves)
            actions += sum(p[0] == "actions" for p, _v in moves)
        if not changes:
            raise InvalidChange(
                _("{who} owns no account and no open action{where}; nothing to move").format(
                    who=giver, where=_(" in stage {stages}").format(stages=", ".join(stages)) if stages else ""
                )
            )
        with writing_in(language):
            subject = _("reassign {giver} → {taker}: {accounts} account(s), {actions} open action(s)").format(
                giver=giver, taker=taker, accounts=accounts, actions=actions
            )
        body = "\n".join(lines)
        text = f"{message}\n\n{subject}\n{body}\n" if message else f"{subject}\n\n{body}\n"
        sha = tx.commit(changes, text)
    return Moved(sha, message or subject, tuple(lines), tuple(unreadable))


def rename(repo: Repository, old: str, new: str, author: str | None = None, message: str | None = None) -> Moved:
    """accounts/OLD.yaml → accounts/NEW.yaml with its `id:` line changed, and checklists/OLD/ →
    checklists/NEW/ unchanged, in one commit git sees as renames (`git log --follow` traces it)."""
    old_rel, new_rel = repo.account_rel(old), repo.account_rel(new)
    language = repo.language()
    with Transaction(repo, author) as tx:
        raw = tx.read(old_rel)
        if raw is None:
            raise NoSuchAccount(old)
        if tx.read(new_rel) is not None:
            raise WriteRefused(_("{id} already exists ({rel}); choose another id").format(id=new, rel=new_rel))
        taken = repo.root / CHECKLISTS / new
        if taken.exists():
            raise WriteRefused(
                _("{folder} already exists: move or remove it first").format(folder=f"{CHECKLISTS}/{new}/")
            )
        new_raw, _doc = edit_text(new_rel, raw, [(("id",), new)])
        changes = [FileChange(old_rel, None, raw), FileChange(new_rel, new_raw, None)]
        lines = [f"{old_rel} → {new_rel}"]
        names = account_playbooks(repo, old)
        _refuse_strays(repo, old, len(names))
        for name in names:
            rel, moved_rel = checklist_rel(old, name), checklist_rel(new, name)
            checklist = tx.read(rel)
            changes += [FileChange(rel, None, checklist), FileChange(moved_rel, checklist, None)]
            lines.append(f"{rel} → {moved_rel}")
        with writing_in(language):
            subject = _("rename {old} → {new}").format(old=old, new=new)
        text = f"{message}\n\n{subject}\n" if message else f"{subject}\n"
        sha = tx.commit(changes, text + "\n" + "\n".join(lines) + "\n")
    folder = repo.root / CHECKLISTS / old
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()  # git keeps no empty folder; neither do we
    return Moved(sha, message or subject, tuple(lines))


def _refuse_strays(repo: Repository, account_id: str, checklists: int) -> None:
    """A file in checklists/OLD/ that is no checklist would be left behind under the old id."""
    folder = repo.root / CHECKLISTS / account_id
    if folder.is_dir() and sum(1 for _p in folder.iterdir()) != checklists:
        raise WriteRefused(
            _("{folder} holds files that are not checklists: move them by hand first").format(
                folder=f"{CHECKLISTS}/{account_id}/"
            )
        )
