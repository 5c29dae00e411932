"""The daily log as store functions: add a list item, remove one, unset a key — each one commit.

`kam add/remove/unset` and the TUI's forms call these; the rules (defaults, the survey rule)
are the model's (`model/log.py`), so every path that logs an item applies them the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kam_tui.i18n import _, writing_in
from kam_tui.model.log import in_schema_order, item_defaults, log_subject, survey_action
from kam_tui.model.schema import ACCOUNT, dotted
from kam_tui.store import clock, gitcmd
from kam_tui.store.account_changes import (
    UNSET,
    Append,
    Assignment,
    ChangeResult,
    InvalidChange,
    describe,
    edit_text,
    parse_key,
    parse_value,
    read_for_edit,
    resolve_path,
)
from kam_tui.store.repository import NoSuchAccount, Repository
from kam_tui.store.transaction import FileChange, Transaction
from kam_tui.store.yamlread import Path_, value_at


def list_names() -> tuple[str, ...]:
    """The account's lists: the log's records and the lists of plain values (team)."""
    return tuple(k for k, f in ACCOUNT.fields.items() if f.kind == "list")


def _list_spec(list_name: str) -> Any:
    """The schema of one of the account's lists, or InvalidChange naming the lists there are."""
    spec = ACCOUNT.fields.get(list_name)
    if spec is None or spec.kind != "list" or spec.item is None:
        raise InvalidChange(
            _("'{name}' is not a list of an account").format(name=list_name),
            hint=_("lists: {names}").format(names=", ".join(list_names())),
        )
    return spec


def parse_item(list_name: str, values: list[str], number: int = 1) -> Any:
    """`date=2026-11-20 summary=…` → a record for a list of records; `li` → a plain value.
    `number`: the item's number in its list, which a bad value's problem names (`visits.6.date`)."""
    spec = _list_spec(list_name)
    if spec.item is None or spec.item.kind != "record":
        if len(values) != 1:
            raise InvalidChange(
                _("{list} holds plain values: give one, e.g. `kam add ID {list} li`").format(list=list_name)
            )
        value = parse_value((list_name, number - 1), values[0])
        if value is UNSET:
            raise InvalidChange(_("{list}: an empty value cannot be added").format(list=list_name))
        return value
    item: dict[str, Any] = {}
    for text in values:
        key, sep, raw = text.partition("=")
        if not sep or not key.strip():
            raise InvalidChange(_("'{text}' is not KEY=VALUE").format(text=text))
        path = parse_key(f"{list_name}.{number}.{key.strip()}")
        value = parse_value(path, raw)
        if value is not UNSET:
            item[str(path[-1])] = value
    return item


def author_name(repo: Repository, settings_people: dict[str, str], author: str | None) -> str | None:
    """The short name for `by`: kam.yaml `people:` maps the git e-mail to it, else git's user name."""
    ident = author or _git_ident(repo)
    if not ident:
        return None
    name, _sep, email = ident.partition("<")
    email = email.split(">", 1)[0].strip().lower()
    return settings_people.get(email) or name.strip() or None


def _git_ident(repo: Repository) -> str | None:
    result = gitcmd.git(repo.root, "var", "GIT_AUTHOR_IDENT", check=False)
    return result.stdout.strip() or None


def add_item(
    repo: Repository,
    account_id: str,
    list_name: str,
    values: list[str],
    author: str | None = None,
    message: str | None = None,
    today: dt.date | None = None,
) -> ChangeResult:
    """Append one item, given as `kam add` takes it (KEY=VALUE…, or one plain value), with defaults
    filled in; a low survey also opens its action; one commit. The result's `address` is the new
    item's (`visits.3`), `opened` the action's it opened (`actions.2`)."""
    _list_spec(list_name)  # a list that does not exist is refused before the file is read
    settings = repo.settings()
    day = clock.today(today)
    rel = repo.account_rel(account_id)
    with Transaction(repo, author) as tx:
        raw = tx.read(rel)
        if raw is None:
            raise NoSuchAccount(account_id)
        data = read_for_edit(rel, raw).data if raw else {}
        number = _count(data, list_name) + 1
        item = parse_item(list_name, values, number)
        owner = data.get("owner") if isinstance(data, dict) and isinstance(data.get("owner"), str) else None
        if isinstance(item, dict):
            by = author_name(repo, settings.people, tx.author) if list_name == "visits" and "by" not in item else None
            item = item_defaults(list_name, item, by, owner, day)
        changes: list[Assignment] = [((list_name,), Append(item))]
        with writing_in(settings.language):  # the action's `what` is the team's text, as the commit is
            action = survey_action(item, owner, settings.surveys) if list_name == "surveys" else None
        if action is not None:
            changes.append((("actions",), Append(in_schema_order("actions", action))))
        new_raw, doc = edit_text(rel, raw, changes, day)
        address = f"{list_name}.{number}"
        opened = None if action is None else f"actions.{_count(data, 'actions') + 1}"
        with writing_in(settings.language):
            subject = log_subject(account_id, list_name, item, action is not None)
            body = describe(account_id, doc.data, changes)
        text = f"{message}\n\n{subject}\n{body}\n" if message else f"{subject}\n\n{body}\n"
        sha = tx.commit([FileChange(rel, new_raw, raw)], text)
        return ChangeResult(account_id, sha, message or subject, address=address, opened=opened)


def _count(data: Any, list_name: str) -> int:
    """How many items a list of the account holds (the last one's number)."""
    items = data.get(list_name) if isinstance(data, dict) else None
    return len(items) if isinstance(items, list) else 0


def remove_item(
    repo: Repository, account_id: str, key: str, author: str | None = None, message: str | None = None
) -> ChangeResult:
    """Remove one list item (`visits.2`, `-1` the last); `removed` is what was taken out."""
    path = parse_key(key)
    if not path or not isinstance(path[-1], int):
        raise InvalidChange(
            _("'{key}' is not a list item (write LIST.N, e.g. visits.2)").format(key=key),
            hint=_("to remove a key: kam unset ID KEY"),
        )
    return _remove(repo, account_id, path, author, message)


def unset_key(
    repo: Repository, account_id: str, key: str, author: str | None = None, message: str | None = None
) -> ChangeResult:
    """Remove one key, also one the schema does not know (a typo kam warned about)."""
    return _remove(repo, account_id, parse_key(key, allow_unknown=True), author, message)


def _remove(repo: Repository, account_id: str, path: Path_, author: str | None, message: str | None) -> ChangeResult:
    if path in (("id",), ("name",)):
        raise InvalidChange(_("{key} is required; set a new value instead of removing it").format(key=path[0]))
    rel = repo.account_rel(account_id)
    with Transaction(repo, author) as tx:
        raw = tx.read(rel)
        if raw is None:
            raise NoSuchAccount(account_id)
        data = read_for_edit(rel, raw).data
        path = resolve_path(data, path)
        address = dotted(path)  # `visits.-1` as the number it resolved to
        removed = value_at(data, path)
        if removed is None and not _has(data, path):
            raise InvalidChange(_("{key} is not set in {file}; nothing to remove").format(key=dotted(path), file=rel))
        siblings = value_at(data, path[:-1])
        if isinstance(path[-1], int) and isinstance(siblings, list) and len(siblings) == 1:
            path = path[:-1]  # the last item: the list goes with it, never left as `visits:` with nothing
        new_raw, doc = edit_text(rel, raw, [(path, UNSET)])
        with writing_in(repo.language()):
            summary = describe(account_id, doc.data, [(path, UNSET)])
        text = f"{message}\n\n{summary}\n" if message else summary + "\n"
        sha = tx.commit([FileChange(rel, new_raw, raw)], text)
        return ChangeResult(account_id, sha, message or summary, address=address, removed=removed)


def _has(data: Any, path: Path_) -> bool:
    parent = value_at(data, path[:-1])
    return isinstance(parent, dict) and path[-1] in parent
