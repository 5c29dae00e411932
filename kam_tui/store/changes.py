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

from kam_tui.model.problems import Problem
from kam_tui.model.text import printable
from kam_tui.model.schema import ID_PATTERN, check_scalar, dotted, spec_at, validate_account
from kam_tui.store.edit import EditError, apply_edits, flow_text
from kam_tui.store.repository import AccountNotFound, Repository, locate
from kam_tui.store.write import FileChange, Transaction, WriteRefused
from kam_tui.store.yamlread import Document, Path_, YamlProblem, parse_bytes, parse_text

Assignment = tuple[Path_, Any]


class InvalidChange(WriteRefused):
    """The change would make the file invalid; nothing was written."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message, problems=problems or [])


@dataclass(frozen=True)
class ChangeResult:
    account_id: str
    commit: str | None  # None when nothing changed
    message: str


def parse_assignment(text: str) -> Assignment:
    """`ratings.capital=4` → (('ratings', 'capital'), 4), typed by the schema."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InvalidChange(f"'{text}' is not KEY=VALUE")
    parts: list[str | int] = []
    for piece in key.split("."):
        if not piece:
            raise InvalidChange(f"'{key}' is not a valid key (empty part)")
        spec = spec_at(tuple(parts))
        is_index = spec is not None and spec.kind == "list" and re.fullmatch("[0-9]+", piece) is not None
        parts.append(int(piece) if is_index else piece)
    path = tuple(parts)
    spec = spec_at(path)
    if spec is None:
        raise InvalidChange(f"'{key}' is not a key of an account file{_did_you_mean(path)} (see `kam schema`)")
    if spec.kind in ("record", "map", "list") and spec.kind != "list":
        raise InvalidChange(f"'{key}' is a group of keys; set its parts, e.g. {key}.<name>=VALUE")
    return path, parse_value(path, raw)


def _did_you_mean(path: Path_) -> str:
    """`; did you mean 'owner'?` for the first part of the path that is not a key."""
    for depth in range(len(path)):
        parent = spec_at(path[:depth])
        if parent is None or parent.kind != "record":
            return ""
        if str(path[depth]) not in parent.fields:
            close = difflib.get_close_matches(str(path[depth]), list(parent.fields), n=1)
            return f"; did you mean '{'.'.join(map(str, (*path[:depth], close[0])))}'?" if close else ""
    return ""


def parse_value(path: Path_, raw: str) -> Any:
    spec = spec_at(path)
    stripped = raw.strip()
    if stripped == "":
        return None
    quoted = stripped[:1] in ("'", '"')
    if spec is not None and spec.kind in ("text", "id") and not quoted:
        return raw
    try:
        value = parse_text(f"v: {stripped}\n").data["v"]
    except YamlProblem as exc:
        raise InvalidChange(f"{dotted(path)}: cannot read '{raw}' as a value: {exc.message}") from None
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
    """`acme-motors: owner wang → li`, the line a reviewer scans."""
    parts = []
    for path, value in assignments:
        before = _lookup(old, path)
        key = dotted(path)
        parts.append(f"{key} {_show(before)} → {_show(value)}" if before is not None else f"{key} = {_show(value)}")
    return f"{account_id}: " + ", ".join(parts)


def _lookup(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _encode(text: str, doc: Document) -> bytes:
    return (b"\xef\xbb\xbf" if doc.bom else b"") + text.encode("utf-8")


def edit_text(rel: str, raw: bytes, assignments: list[Assignment]) -> tuple[bytes, Document]:
    """The file's new bytes with these assignments, validated; raises InvalidChange."""
    try:
        doc = parse_bytes(raw)
    except YamlProblem as exc:
        raise InvalidChange("the file cannot be read; fix it first", [exc.problem(rel)]) from None
    try:
        new_text = apply_edits(doc, assignments)
    except EditError as exc:
        raise InvalidChange(str(exc)) from None
    stem = rel.rsplit("/", 1)[-1][:-5]
    before = {f.message for f in validate_account(doc.data, stem) if f.level == "error"}
    new_doc = parse_text(new_text)
    problems = [
        p
        for p in locate(rel, new_doc, validate_account(new_doc.data, stem))
        if p.level == "error" and p.message not in before
    ]
    if problems:  # errors the file already had do not block fixing them one at a time
        raise InvalidChange("the change would leave the file invalid; nothing saved", problems)
    return _encode(new_text, doc), doc


def edit_account(
    repo: Repository,
    account_id: str,
    assignments: list[Assignment],
    message: str | None = None,
    author: str | None = None,
    expected: bytes | None = None,
) -> ChangeResult:
    """Apply assignments to one account: validated, atomic, one commit (or nothing at all).

    `expected` is the content the caller showed the user; if the file changed since, stop."""
    rel = repo.account_rel(account_id)
    with Transaction(repo, author) as tx:
        raw = tx.read(rel)
        if raw is None:
            raise AccountNotFound(f"no account '{account_id}' ({rel} does not exist)")
        if expected is not None and raw != expected:
            raise WriteRefused(f"{rel} changed on disk since it was read; nothing saved")
        new_raw, doc = edit_text(rel, raw, assignments)
        summary = describe(account_id, doc.data, assignments)
        if new_raw == raw:
            return ChangeResult(account_id, None, f"{account_id}: no change")
        text = f"{message}\n\n{summary}\n" if message else summary + "\n"
        sha = tx.commit([FileChange(rel, new_raw, raw)], text)
        return ChangeResult(account_id, sha, message or summary)


def new_account_text(account_id: str, name: str) -> str:
    return f"id: {account_id}\nname: {_name_scalar(name)}\n"


def _name_scalar(name: str) -> str:
    from kam_tui.store.edit import render_scalar

    return render_scalar(name, "", 2, "\n")


def create_account(
    repo: Repository,
    account_id: str,
    name: str,
    assignments: list[Assignment],
    author: str | None = None,
    message: str | None = None,
) -> ChangeResult:
    if not ID_PATTERN.fullmatch(account_id):
        raise InvalidChange(
            f"'{account_id}' is not a valid account id: lowercase letters, digits and '-', "
            "starting with a letter or digit, at most 64 characters"
        )
    if not name.strip():
        raise InvalidChange("an account needs a name (--name)")
    rel = repo.account_rel(account_id)
    with Transaction(repo, author) as tx:
        if tx.read(rel) is not None:
            raise WriteRefused(f"account '{account_id}' already exists ({rel})")
        base = new_account_text(account_id, name).encode("utf-8")
        new_raw, _ = edit_text(rel, base, [a for a in assignments if a[0] not in (("id",), ("name",))])
        summary = f"{account_id}: new account {name}"
        text = f"{message}\n\n{summary}\n" if message else summary + "\n"
        sha = tx.commit([FileChange(rel, new_raw, None)], text)
        return ChangeResult(account_id, sha, message or summary)
