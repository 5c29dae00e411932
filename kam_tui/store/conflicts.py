"""An open merge's conflicts: which account fields, whose values — and `kam resolve`.

git's index is the record of what is conflicted (`git ls-files -u`: stages 1 base, 2 ours,
3 theirs), so this works after `kam sync`, a plain `git merge` or `git pull` alike.
Resolving settles the conflicting fields only: both sides' clean changes stay as merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.merge import MISSING, FieldConflict, Merged, merge_account
from kam_tui.model.problems import Problem
from kam_tui.model.account_checks import validate_account
from kam_tui.model.schema import Path_
from kam_tui.store import gitcmd
from kam_tui.store.atomic import write_atomic
from kam_tui.store.conflict_authors import FileSides
from kam_tui.store.files import read_regular
from kam_tui.store.yaml_render import flow_text
from kam_tui.store.merge_comments import carry_comments
from kam_tui.store.merge_text import RewriteFailed, rewrite
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, Repository, read_account
from kam_tui.store.transaction import Transaction, WriteRefused
from kam_tui.store.yamlread import Document, YamlProblem, decode, parse_text
from kam_tui.store.merge import merge_file


class ResolveRefused(WriteRefused):
    """Nothing was resolved; the conflict is as it was."""


@dataclass(frozen=True)
class Stages:
    rel: str
    base: bytes | None
    ours: bytes | None
    theirs: bytes | None


def unmerged(repo: Repository) -> list[Stages]:
    """Every conflicted file under the kam folder, with its three versions from the index."""
    out = gitcmd.git(repo.root, "ls-files", "-u", "-z", "--", ".").stdout
    stages: dict[str, dict[int, str]] = {}
    for entry in out.split("\0"):
        if entry:
            meta, _tab, rel = entry.partition("\t")
            _mode, sha, stage = meta.split()
            stages.setdefault(rel, {})[int(stage)] = sha
    found = []
    for rel, by_stage in sorted(stages.items()):
        blobs = [
            gitcmd.git_bytes(repo.root, "cat-file", "blob", by_stage[n]) if n in by_stage else None for n in (1, 2, 3)
        ]
        found.append(Stages(rel, *blobs))
    return found


def _docs(stages: Stages) -> tuple[Any, Document, Document] | None:
    try:
        ours = parse_text(decode(stages.ours or b"")[0])
        theirs = parse_text(decode(stages.theirs or b"")[0])
        base = parse_text(decode(stages.base)[0]).data if stages.base else MISSING
    except YamlProblem:
        return None
    return base, ours, theirs


def field_conflicts(stages: Stages) -> list[FieldConflict] | None:
    """The conflicting fields of an account file, or None when its versions do not read as data."""
    docs = _docs(stages)
    if docs is None:
        return None
    base, ours, theirs = docs
    return merge_account(base, ours.data, theirs.data).conflicts


def describe_conflicts(repo: Repository) -> list[Problem]:
    """One problem per conflicting field (account files) or file (others), each side with the
    person who gave it that value."""
    found = []
    for stages in unmerged(repo):
        sides = FileSides(repo.root, stages.rel)
        blocks = marker_blocks(repo.root / stages.rel)
        conflicts = field_conflicts(stages) if stages.rel.startswith(ACCOUNTS + "/") else None
        if not conflicts:
            ours_by, theirs_by = sides.last_author("HEAD"), sides.last_author("MERGE_HEAD")
            message = _("conflict: changed on both sides (ours by {ours}, theirs by {theirs})").format(
                ours=ours_by, theirs=theirs_by
            )
            found.append(Problem(stages.rel, blocks[0][0] if blocks else 0, 0, "error", message))
            continue
        for conflict in conflicts:
            ours_by = sides.author("HEAD", conflict.path, conflict.ours)
            theirs_by = sides.author("MERGE_HEAD", conflict.path, conflict.theirs)
            message = _("conflict in {field}: ours {ours} ({ours_by}), theirs {theirs} ({theirs_by})").format(
                field=conflict.name,
                ours=show(conflict.ours),
                ours_by=ours_by,
                theirs=show(conflict.theirs),
                theirs_by=theirs_by,
            )
            found.append(Problem(stages.rel, _line_of(conflict.path, blocks), 0, "error", message))
    return found


def marker_blocks(path: Path) -> list[tuple[int, str]]:
    """Each `<<<<<<<` … `>>>>>>>` block of the working file: its first line's number and its text
    (none when the file is gone or unreadable)."""
    data = read_regular(path)
    if data is None:
        return []
    blocks: list[tuple[int, str]] = []
    start, lines = 0, list[str]()
    for number, line in enumerate(decode(data)[0].split("\n"), 1):
        if line.startswith("<<<<<<<"):
            start, lines = number, []
        elif start:
            lines.append(line)
            if line.startswith(">>>>>>>"):
                blocks.append((start, "\n".join(lines)))
                start = 0
    return blocks


def _line_of(path: Path_, blocks: list[tuple[int, str]]) -> int:
    """The line of the conflict block that holds the field (its last key), else of the first."""
    key = next((str(part) for part in reversed(path) if isinstance(part, str)), "")
    for start, text in blocks:
        if key and re.search(rf"(^|[\s{{,]){re.escape(key)}:", text, re.M):
            return start
    return blocks[0][0] if blocks else 0


def show(value: Any) -> str:
    if value is MISSING:
        return _("(removed)")
    text = flow_text(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --- kam resolve ------------------------------------------------------------------------------------


def resolve(repo: Repository, account_id: str, side: str | None, assignments: list[tuple[Path_, Any]]) -> list[str]:
    """Settle the conflicts of one account (and its checklists): `side` ("ours"/"theirs") for
    every conflicting field not named in `assignments`. Writes and stages; returns what it did."""
    rel = repo.account_rel(account_id)
    wanted = [s for s in unmerged(repo) if s.rel == rel or s.rel.startswith(f"{CHECKLISTS}/{account_id}/")]
    if not wanted:
        raise ResolveRefused(
            _("{file} has no open conflict").format(file=rel),
            hint=_("`git status` lists the conflicted files; `kam sync --continue` finishes a merge with none left"),
        )
    done = []
    with Transaction(repo, finishing=frozenset({"merge"})):
        for stages in wanted:
            if stages.rel == rel:
                data = _resolved_account(stages, side, assignments)
            else:
                data = _resolved_lines(stages, side)
            path = repo.root / stages.rel
            write_atomic(path, data)
            gitcmd.git(repo.root, "add", "--", stages.rel)
            done.append(_("resolved {file}").format(file=stages.rel))
    return done


def _resolved_account(stages: Stages, side: str | None, assignments: list[tuple[Path_, Any]]) -> bytes:
    docs = _docs(stages)
    if docs is None:
        raise ResolveRefused(
            _("{file}: a version does not read as YAML; resolve it by hand, then `git add` it").format(file=stages.rel)
        )
    base, ours, theirs = docs
    merged: Merged = merge_account(base, ours.data, theirs.data)
    target = merged.theirs if side == "theirs" else merged.ours
    named = {path for path, _value in assignments}
    open_fields = [c for c in merged.conflicts if c.path not in named]
    if side is None and open_fields:
        raise ResolveRefused(
            _("{file}: no value given for {fields}").format(
                file=stages.rel, fields=", ".join(c.name for c in open_fields)
            ),
            hint=_("name each as FIELD=VALUE, or take one side for the rest with --ours or --theirs"),
        )
    known = {c.path for c in merged.conflicts}
    for path, value in assignments:
        if path not in known:
            raise ResolveRefused(
                _("{field} is not a conflicting field of {file}; those are: {fields}").format(
                    field=".".join(map(str, path)),
                    file=stages.rel,
                    fields=", ".join(c.name for c in merged.conflicts) or _("none"),
                )
            )
        _set(target, path, value)
    try:
        text = rewrite(ours.text, target, theirs)
    except RewriteFailed as exc:
        raise ResolveRefused(
            _("{file}: kam cannot write the resolution ({why}); resolve it by hand").format(file=stages.rel, why=exc)
        ) from None
    text, _notes = carry_comments(parse_text(decode(stages.base)[0]).text if stages.base else "", theirs, text)
    raw = text.encode("utf-8")
    problems = [p for p in read_account(stages.rel, raw).problems if p.level == "error"]
    if problems and not any(f.level == "error" for f in validate_account(ours.data, Path(stages.rel).stem)):
        raise ResolveRefused(
            _("{file}: the resolution would not be valid; nothing written").format(file=stages.rel), problems=problems
        )
    return raw


def _set(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    if value is MISSING:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = value


def _resolved_lines(stages: Stages, side: str | None) -> bytes:
    if side is None:
        raise ResolveRefused(
            _("{file}: say which side to take (--ours or --theirs), or edit it by hand").format(file=stages.rel)
        )

    outcome = merge_file(stages.base or b"", stages.ours or b"", stages.theirs or b"", stages.rel)
    if outcome.clean:
        return outcome.data
    return _pick(outcome.data.decode("utf-8", "surrogateescape"), side).encode("utf-8", "surrogateescape")


def _pick(text: str, side: str) -> str:
    """One side of every `<<<<<<< / ======= / >>>>>>>` block."""
    out, mode = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("<" * 7):
            mode = "ours"
        elif line.startswith("=" * 7) and mode == "ours":
            mode = "theirs"
        elif line.startswith(">" * 7) and mode == "theirs":
            mode = None
        elif mode is None or mode == side:
            out.append(line)
    return "".join(out)
