"""Changing accounts: `KEY=VALUE` assignments applied surgically, validated, committed.

These are the functions `kam set`, `kam new` and (later) the TUI's forms share.
"""

from __future__ import annotations

import contextlib
import difflib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import _, writing_in
from kam_tui.model.dates import future_findings
from kam_tui.model.log import implied_changes
from kam_tui.model.problems import Problem
from kam_tui.model.text import control_characters, printable
from kam_tui.model.account_checks import check_scalar, validate_account
from kam_tui.model.schema import dotted, spec_at
from kam_tui.store import clock
from kam_tui.store.yaml_edit import EditError, apply_edits
from kam_tui.store.yaml_render import flow_text, render_scalar
from kam_tui.store.structure import append_item, remove_entry
from kam_tui.store.repository import NoSuchAccount, Repository, locate, require_account_id
from kam_tui.store.transaction import FileChange, Transaction, WriteRefused
from kam_tui.store.yamlread import Document, Path_, YamlProblem, parse_bytes, parse_text, value_at


class _Unset:
    """The value of `KEY=` (nothing after `=`): remove the key."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class Append:
    """The value of an assignment that appends `item` to the list at its path."""

    item: Any


Assignment = tuple[Path_, Any]  # the value may be UNSET (remove the key or item) or Append(item)


class InvalidChange(WriteRefused):
    """The change would make the file invalid; nothing was written."""

    def __init__(self, message: str, problems: list[Problem] | None = None, hint: str | None = None) -> None:
        super().__init__(message, problems=problems or [], hint=hint)


@dataclass(frozen=True)
class ChangeResult:
    account_id: str
    commit: str | None  # None when nothing changed
    message: str
    address: str | None = None  # the item an add made or a remove took out, e.g. `visits.3`
    removed: Any = None  # what a remove took out
    opened: str | None = None  # the action an add opened with it (a low survey), e.g. `actions.2`


def parse_key(key: str, allow_unknown: bool = False) -> Path_:
    """`visits.2.next` → ('visits', 1, 'next'): list items are numbered from 1, `-1` is the last.

    Negative numbers stay negative until `resolve_path` sees the data. With `allow_unknown`, a key
    the schema does not know (typed by mistake) is returned as written, so it can be removed."""
    key = key.strip()
    parts: list[str | int] = []
    for piece in key.split("."):
        if not piece:
            raise InvalidChange(_("'{key}' is not a valid key (empty part)").format(key=key))
        spec = spec_at(tuple(parts))
        if spec is not None and spec.kind == "list":
            if re.fullmatch("-?[0-9]+", piece) is None:
                raise InvalidChange(
                    _("'{key}': '{piece}' is not an item number of {list}").format(
                        key=key, piece=piece, list=dotted(tuple(parts))
                    )
                )
            number = int(piece)
            if number == 0:
                raise InvalidChange(
                    _("'{key}': list items are numbered from 1 ({list}.1 is the first, -1 the last)").format(
                        key=key, list=dotted(tuple(parts))
                    )
                )
            parts.append(number - 1 if number > 0 else number)
        else:
            parts.append(piece)
    path = tuple(parts)
    if spec_at(path) is None and not allow_unknown:
        raise InvalidChange(
            _("'{key}' is not a key of an account file{suggestion} (see `kam schema`)").format(
                key=key, suggestion=_did_you_mean(path)
            )
        )
    return path


def parse_assignment(text: str) -> Assignment:
    """`ratings.capital=4` → (('ratings', 'capital'), 4), typed by the schema; `owner=` → UNSET."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise InvalidChange(_("'{text}' is not KEY=VALUE").format(text=text))
    path = parse_key(key)
    spec = spec_at(path)
    assert spec is not None
    if spec.kind in ("record", "map"):
        raise InvalidChange(
            _("'{key}' is a group of keys; set its parts, e.g. {key}.<name>=VALUE").format(key=key.strip())
        )
    return path, parse_value(path, raw)


def resolve_path(data: Any, path: Path_) -> Path_:
    """The path with `-1`-style item numbers made absolute; a missing item is a clear refusal."""
    out: list[str | int] = []
    node = data
    for part in path:
        if isinstance(part, int):
            size = len(node) if isinstance(node, list) else 0
            index = part + size if part < 0 else part
            if not 0 <= index < size:
                where = dotted(tuple(out))
                number = part + 1 if part >= 0 else part
                raise InvalidChange(
                    _("there is no {list}.{number}: {list} has {size} item(s), numbered from 1").format(
                        list=where, number=number, size=size
                    ),
                    hint=_("add one with `kam add ID {list} KEY=VALUE…`").format(list=where)
                    if out and isinstance(out[-1], str)
                    else None,
                )
            part = index
            node = node[index]
        else:
            node = node.get(part) if isinstance(node, dict) else None
        out.append(part)
    return tuple(out)


def _did_you_mean(path: Path_) -> str:
    """`; did you mean 'owner'?` for the first part of the path that is not a key."""
    for depth in range(len(path)):
        parent = spec_at(path[:depth])
        if parent is None or parent.kind != "record":
            return ""
        if str(path[depth]) not in parent.fields:
            close = difflib.get_close_matches(str(path[depth]), list(parent.fields), n=1)
            return (
                _("; did you mean '{key}'?").format(key=".".join(map(str, (*path[:depth], close[0])))) if close else ""
            )
    return ""


def parse_value(path: Path_, raw: str) -> Any:
    """A typed value for this path; `` (nothing) is UNSET, a bare null or ~ is refused."""
    spec = spec_at(path)
    stripped = raw.strip()
    if stripped == "":
        return UNSET
    if stripped in ("null", "Null", "NULL", "~"):
        raise InvalidChange(
            _("{key}={value}: kam does not store empty values").format(key=dotted(path), value=stripped),
            hint=_(
                "to remove the key write `{key}=` (nothing after =) or `kam unset ID {key}`; "
                "for the text '{value}' quote it: {key}='\"{value}\"'"
            ).format(key=dotted(path), value=stripped),
        )
    quoted = stripped[:1] in ("'", '"')
    if spec is not None and spec.kind in ("text", "id") and not quoted:
        return raw
    try:
        value = parse_text(f"v: {stripped}\n").data["v"]
    except YamlProblem as exc:
        unread = _("{path}: cannot read '{raw}' as a value: {problem}")
        raise InvalidChange(unread.format(path=dotted(path), raw=raw, problem=exc.message)) from None
    if spec is not None and spec.kind == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):  # check_scalar below says what is wrong with it
            value = dt.date.fromisoformat(value)
    if spec is not None and spec.kind not in ("record", "map", "list"):
        why = check_scalar(spec, value)
        if why:
            raise InvalidChange(f"{dotted(path)}: {why}")
    return value


def _show(value: Any) -> str:
    """A value as the file would say it, on one line: `true`, `[wang, li]`, `2026-01-02`."""
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else flow_text(value)
    text = printable(text.replace("\n", "⏎"))
    return text if len(text) <= 40 else text[:39] + "…"


def describe(account_id: str, old: Any, assignments: list[Assignment]) -> str:
    """`acme-motors: owner wang → li`, the line a reviewer scans (a commit's: the caller runs it
    `writing_in` the repository's language)."""
    parts = []
    for path, value in assignments:
        before = value_at(old, path)
        key = dotted(path)
        if value is UNSET:
            parts.append(_("{key} removed (was {value})").format(key=key, value=_show(before)))
        elif isinstance(value, Append):
            size = len(before) if isinstance(before, list) else 0
            parts.append(_("{key} added: {value}").format(key=f"{key}.{size + 1}", value=_show(value.item)))
        else:
            parts.append(f"{key} {_show(before)} → {_show(value)}" if before is not None else f"{key} = {_show(value)}")
    return _("{id}: {changes}").format(id=account_id, changes=", ".join(parts))


def _encode(text: str, doc: Document) -> bytes:
    return (b"\xef\xbb\xbf" if doc.bom else b"") + text.encode("utf-8")


def complete(data: Any, assignments: list[Assignment], today: dt.date | None = None) -> list[Assignment]:
    """The assignments as they will be made: item numbers resolved (`-1`), implied changes added."""
    resolved = [(p if isinstance(v, Append) else resolve_path(data, p), v) for p, v in assignments]
    return resolved + implied_changes(data, resolved, clock.today(today))


def refuse_overlaps(assignments: list[Assignment]) -> None:
    """`owner=li owner=wang` or `team=[a,b] team.0=c`: which one was meant? Refused, never half
    applied. (Several items appended to one list do not overlap.)"""
    seen: list[Assignment] = []
    for path, value in assignments:
        for other, other_value in seen:
            common = min(len(path), len(other))
            both_append = isinstance(value, Append) and isinstance(other_value, Append)
            if path[:common] == other[:common] and not both_append:
                raise InvalidChange(
                    _("{first} and {second} overlap; set each key once in a command; nothing saved").format(
                        first=dotted(other), second=dotted(path)
                    )
                )
        seen.append((path, value))


def refuse_control_characters(what: str, value: Any) -> None:
    """Text with ESC, BEL or other control characters (newline and tab are fine) is never written."""
    if isinstance(value, Append):
        refuse_control_characters(what, value.item)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_control_characters(what, key)
            refuse_control_characters(what, item)
    elif isinstance(value, list):
        for item in value:
            refuse_control_characters(what, item)
    elif isinstance(value, str) and (found := control_characters(value)):
        raise InvalidChange(
            _("{key}: control characters ({found}) are not allowed in text; nothing saved").format(
                key=what, found=found
            )
        )


def read_for_edit(rel: str, raw: bytes) -> Document:
    """The file as an edit reads it; one that is not valid YAML is refused with its file and line."""
    try:
        return parse_bytes(raw)
    except YamlProblem as exc:
        raise InvalidChange(_("the file cannot be read; fix it first"), [exc.problem(rel)]) from None


def edit_text(
    rel: str, raw: bytes, assignments: list[Assignment], today: dt.date | None = None, doc: Document | None = None
) -> tuple[bytes, Document]:
    """The file's new bytes with these assignments, validated; raises InvalidChange. `doc`: the
    caller's own read of `raw` (with positions), so an import reads each file once."""
    refuse_overlaps(assignments)
    for path, value in assignments:
        refuse_control_characters(dotted(path), value)
    if doc is None:
        doc = read_for_edit(rel, raw)
    new_doc = _apply(doc, complete(doc.data, assignments, today))
    stem = rel.rsplit("/", 1)[-1][:-5]
    day = clock.today(today)
    errors = [f for f in validate_account(new_doc.data, stem) if f.level == "error"]
    errors += future_findings(new_doc.data, day)
    if errors:  # errors the file already had do not block fixing them one at a time
        before = {f.message for f in validate_account(doc.data, stem) if f.level == "error"}
        before |= {f.message for f in future_findings(doc.data, day)}
        problems = [p for p in locate(rel, parse_text(new_doc.text), errors) if p.message not in before]
        if problems:
            raise InvalidChange(_("the change would leave the file invalid; nothing saved"), problems)
    return _encode(new_doc.text, doc), doc


def _apply(doc: Document, assignments: list[Assignment]) -> Document:
    """Each assignment in turn on the text: a set, a removal or an append, each checked. The
    result's text and data (where each value sits is left out when no step needs it)."""
    plain = [a for a in assignments if a[1] is not UNSET and not isinstance(a[1], Append)]
    current = doc
    try:
        if plain:
            current = apply_edits(current, plain, positions=len(plain) < len(assignments))
        for path, value in assignments:
            if value is UNSET:
                if value_at(current.data, path) is None and not _present(current.data, path):
                    raise InvalidChange(_("{key} is not set; nothing to remove").format(key=dotted(path)))
                current = remove_entry(current, path)
            elif isinstance(value, Append):
                current = append_item(current, path, value.item)
    except EditError as exc:
        raise InvalidChange(str(exc)) from None
    return current


def _present(data: Any, path: Path_) -> bool:
    parent = value_at(data, path[:-1]) if path[:-1] else data
    if isinstance(parent, dict):
        return path[-1] in parent
    return isinstance(parent, list) and isinstance(path[-1], int) and 0 <= path[-1] < len(parent)


def edit_account(
    repo: Repository,
    account_id: str,
    assignments: list[Assignment],
    message: str | None = None,
    author: str | None = None,
    expected: bytes | None = None,
    today: dt.date | None = None,
) -> ChangeResult:
    """Apply assignments to one account: validated, atomic, one commit (or nothing at all).

    `expected` is the content the caller showed the user; if the file changed since, stop."""
    rel = repo.account_rel(account_id)
    with Transaction(repo, author) as tx:
        raw = tx.read(rel)
        if raw is None:
            raise NoSuchAccount(account_id)
        if expected is not None and raw != expected:
            raise WriteRefused(_("{file} changed on disk since it was read; nothing saved").format(file=rel))
        new_raw, doc = edit_text(rel, raw, assignments, today)
        with writing_in(repo.language()):
            summary = describe(account_id, doc.data, complete(doc.data, assignments, today))
        if new_raw == raw:
            tx.require_committed([rel])  # the value may be there only as a hand edit git has not seen
            return ChangeResult(account_id, None, _("{id}: no change").format(id=account_id))
        text = f"{message}\n\n{summary}\n" if message else summary + "\n"
        sha = tx.commit([FileChange(rel, new_raw, raw)], text)
        return ChangeResult(account_id, sha, message or summary)


def new_account_text(account_id: str, name: str) -> str:
    return f"id: {account_id}\nname: {_name_scalar(name)}\n"


def new_account_assignments(assignments: list[Assignment]) -> list[Assignment]:
    """What a new account is written with, by `kam new` and `kam import accounts` alike: the
    values given, and `stage: prospect` unless a stage is given (so it is not flagged for neglect
    before its first visit is due)."""
    if any(path == ("stage",) for path, _value in assignments):
        return list(assignments)
    return [(("stage",), "prospect"), *assignments]


def _name_scalar(name: str) -> str:
    return render_scalar(name, "", 2, "\n")


def create_account(
    repo: Repository,
    account_id: str,
    name: str,
    assignments: list[Assignment],
    author: str | None = None,
    message: str | None = None,
) -> ChangeResult:
    require_account_id(account_id)
    if not name.strip():
        raise InvalidChange(_("an account needs a name (--name)"))
    refuse_control_characters("name", name)
    twice = [dotted(path) for path, _value in assignments if path in (("id",), ("name",))]
    if twice:
        raise InvalidChange(
            _("{key} cannot be assigned in kam new: the id is ID and the name is --name").format(key=twice[0])
        )
    rel = repo.account_rel(account_id)
    with Transaction(repo, author) as tx:
        if tx.read(rel) is not None:
            raise WriteRefused(_("account '{id}' already exists ({file})").format(id=account_id, file=rel))
        base = new_account_text(account_id, name).encode("utf-8")
        new_raw, _changes = edit_text(rel, base, new_account_assignments(assignments))
        with writing_in(repo.language()):
            summary = _("{id}: new account {name}").format(id=account_id, name=name)
        text = f"{message}\n\n{summary}\n" if message else summary + "\n"
        sha = tx.commit([FileChange(rel, new_raw, None)], text)
        return ChangeResult(account_id, sha, message or summary)
