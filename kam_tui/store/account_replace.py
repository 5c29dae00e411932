"""An account file replaced as a whole by a person's own edit (the TUI's `E`: the file in
$EDITOR): checked as every write is, refused if the file changed since it was read, one commit
naming the fields that changed. Nothing invalid is ever written."""

from __future__ import annotations

from typing import Any

from kam_tui.i18n import _, writing_in
from kam_tui.model.field_diff import account_changes
from kam_tui.model.text import printable
from kam_tui.store.account_changes import ChangeResult, InvalidChange
from kam_tui.store.repository import LoadedAccount, NoSuchAccount, Repository, read_account
from kam_tui.store.transaction import FileChange, Transaction, WriteRefused

NAMED = 6  # fields named in the commit subject; the rest are counted


def replace_account(
    repo: Repository, account_id: str, new_raw: bytes, expected: bytes, author: str | None = None
) -> ChangeResult:
    """Write `new_raw` as the account's file and commit it, when it is a valid account and the
    file on disk is still `expected`; raises InvalidChange (with every error) or WriteRefused."""
    rel = repo.account_rel(account_id)
    edited = read_account(rel, new_raw)  # read once: checked here, compared below
    errors = [p for p in edited.problems if p.level == "error"]
    if errors:
        raise InvalidChange(_("the edited file is not a valid account; nothing saved"), errors)
    with Transaction(repo, author) as tx:
        raw = tx.read(rel)
        if raw is None:
            raise NoSuchAccount(account_id)
        if raw != expected:
            raise WriteRefused(_("{file} changed on disk while it was in the editor; nothing saved").format(file=rel))
        if new_raw == raw:
            return ChangeResult(account_id, None, _("{id}: no change").format(id=account_id))
        with writing_in(repo.language()):
            message = edit_subject(account_id, _data(read_account(rel, raw)), _data(edited))
        sha = tx.commit([FileChange(rel, new_raw, raw)], message + "\n")
    return ChangeResult(account_id, sha, message)


def _data(loaded: LoadedAccount) -> Any:
    doc = loaded.doc
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def edit_subject(account_id: str, old: Any, new: Any) -> str:
    """`acme: owner, notes edited by hand` — the fields a reviewer will find changed (a commit's
    subject: the caller writes it in the repository's language)."""
    fields = list(dict.fromkeys(printable(change.field) for change in account_changes(old, new)))
    if not fields:
        return _("{id}: layout edited by hand (no field changed)").format(id=account_id)
    named = ", ".join(fields[:NAMED])
    if len(fields) > NAMED:
        named = _("{fields} and {count} more").format(fields=named, count=len(fields) - NAMED)
    return _("{id}: {fields} edited by hand").format(id=account_id, fields=named)
