"""`kam changes`: the team's commits since I last looked, grouped by account, field by field.

"Since I last looked" is remembered per clone and per kam folder (`.git/kam/…/changes-seen`),
and moves only when the reader says so (`kam changes --seen`, a key in the TUI). One `git log
--raw` and one `cat-file --batch` read a week of work, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kam_tui.i18n import _
from kam_tui.model.field_diff import FieldChange, MergeDecision, account_changes, checklist_changes
from kam_tui.model.merge import MISSING
from kam_tui.store import gitcmd
from kam_tui.store.atomic import write_atomic
from kam_tui.store.conflicts import show
from kam_tui.store.merge_review import merge_files
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, Repository
from kam_tui.store.revisions import NothingBefore, resolve
from kam_tui.store.yamlread import YamlProblem, decode, parse_text

SEEN_FILE = "changes-seen"
_NULL_SHA = "0" * 40


@dataclass(frozen=True)
class FileChanges:
    rel: str
    fields: list[FieldChange]
    unreadable: bool = False  # a version did not read as data: the fields are not known
    renamed_from: str | None = None  # the path the file had before (`kam rename`, `git mv`)
    merge: list[MergeDecision] = field(default_factory=list)  # what a merge commit settled itself


@dataclass
class CommitChanges:
    commit: gitcmd.Commit
    files: list[FileChanges] = field(default_factory=list)


@dataclass
class AccountChanges:
    id: str
    commits: list[CommitChanges] = field(default_factory=list)


@dataclass
class ChangesReport:
    since: str | None  # the commit the changes start after; None: from the first commit
    head: str | None
    commits: int
    accounts: list[AccountChanges]


def seen(repo: Repository) -> str | None:
    path = repo.state_dir / SEEN_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return text or None


def mark_seen(repo: Repository, commit: str) -> None:
    folder = repo.state_dir
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / SEEN_FILE, (commit + "\n").encode())


def resolve_since(repo: Repository, since: str | None) -> str | None:
    """A revision, else a date (the last commit before that day starts, as `score --since`
    reads it; None before the first commit), else what I last marked as seen."""
    if since is None:
        remembered = seen(repo)
        if remembered is None:
            return None
        exists = gitcmd.git(repo.root, "cat-file", "-e", f"{remembered}^{{commit}}", check=False)
        return remembered if exists.returncode == 0 else None
    try:
        return resolve(repo, since, start_of_day=True)
    except NothingBefore:
        return None


class _Raw(NamedTuple):
    """One file of a commit as `git log --raw` lists it: its path, blobs before and after (zeros
    where there is none) and, for a rename, the path before."""

    rel: str
    old: str
    new: str
    renamed_from: str | None


def changes(repo: Repository, since: str | None) -> ChangesReport:
    """The commits after `since` (a hash or None) up to HEAD touching accounts or checklists."""
    root = repo.root
    head = gitcmd.head(root)
    if head is None:
        return ChangesReport(since, None, 0, [])
    spec = f"{since}..HEAD" if since else "HEAD"
    out = gitcmd.git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--reverse",
        "-M",
        "--raw",
        "--no-abbrev",
        "--relative",
        "--full-history",  # a merge that dropped a side's change, and that side's commits, are shown
        "--format=%x01%H%x1f%P%x1f%aI%x1f%an%x1f%ae%x1f%s",
        spec,
        "--",
        ACCOUNTS,
        CHECKLISTS,
    ).stdout
    commits: list[tuple[gitcmd.Commit, list[_Raw]]] = []
    merges: dict[str, tuple[str, str]] = {}
    for line in out.splitlines():
        if line.startswith("\x01"):
            sha, parents, date, name, email, subject = line[1:].split("\x1f", 5)
            commits.append((gitcmd.Commit(sha, date, name, email, subject), []))
            if len(parents.split()) == 2:  # an octopus merge settles no conflicts
                merges[sha] = (parents.split()[0], parents.split()[1])
        elif line.startswith(":") and commits:
            meta, *paths = line.split("\t")
            parts = meta.split()
            renamed_from = paths[0] if parts[4].startswith("R") and len(paths) == 2 else None
            commits[-1][1].append(_Raw(paths[-1], parts[2], parts[3], renamed_from))
    blobs = _blobs(repo, {sha for _commit, files in commits for raw in files for sha in (raw.old, raw.new)})
    decided = merge_files(repo, merges)
    by_account: dict[str, AccountChanges] = {}
    counted = set()
    for commit, files in commits:
        found = [_file_changes(raw, blobs.get(raw.old), blobs.get(raw.new)) for raw in files]
        found += [FileChanges(m.rel, [], m.unreadable, merge=m.decisions) for m in decided.get(commit.hash, [])]
        for file in found:
            account = _account_of(file.rel)
            if account is None:
                continue
            counted.add(commit.hash)
            entry = by_account.setdefault(account, AccountChanges(account))
            if not entry.commits or entry.commits[-1].commit.hash != commit.hash:
                entry.commits.append(CommitChanges(commit))
            entry.commits[-1].files.append(file)
    return ChangesReport(since, head, len(counted), sorted(by_account.values(), key=lambda a: a.id))


def _account_of(rel: str) -> str | None:
    parts = rel.split("/")
    if len(parts) == 2 and parts[0] == ACCOUNTS and parts[1].endswith(".yaml"):
        return parts[1][: -len(".yaml")]
    if len(parts) == 3 and parts[0] == CHECKLISTS and parts[2].endswith(".md"):
        return parts[1]
    return None


def _file_changes(raw: _Raw, old: bytes | None, new: bytes | None) -> FileChanges:
    rel, renamed_from = raw.rel, raw.renamed_from
    try:
        old_text = decode(old)[0] if old is not None else None
        new_text = decode(new)[0] if new is not None else None
        if rel.endswith(".md"):
            if old_text is None or new_text is None:  # attached or detached: one line, not every step
                before = "attached" if old_text is not None else MISSING
                after = "attached" if new_text is not None else MISSING
                return FileChanges(rel, [FieldChange("checklist", before, after)])
            return FileChanges(rel, checklist_changes(old_text, new_text), renamed_from=renamed_from)
        before = parse_text(old_text).data if old_text is not None else MISSING
        after = parse_text(new_text).data if new_text is not None else MISSING
    except YamlProblem:
        return FileChanges(rel, [], unreadable=True, renamed_from=renamed_from)
    fields = account_changes(before, after)
    if renamed_from is not None:  # the id that follows the file name is the rename itself, said once
        ids = FieldChange("id", _account_of(renamed_from), _account_of(rel))
        fields = [f for f in fields if f != ids]
    return FileChanges(rel, fields, renamed_from=renamed_from)


def renamed(file: FileChanges) -> str | None:
    """`renamed acme → acme-motors` for a file that moved with its account (else None)."""
    if file.renamed_from is None:
        return None
    old = _account_of(file.renamed_from) or file.renamed_from
    return _("renamed {old} → {new}").format(old=old, new=_account_of(file.rel) or file.rel)


def _blobs(repo: Repository, shas: set[str]) -> dict[str, bytes]:
    wanted = sorted(sha for sha in shas if sha != _NULL_SHA)
    found = gitcmd.read_blobs(repo.root, wanted)
    return {sha: raw for sha, raw in zip(wanted, found) if raw is not None}


def shown(value: Any) -> str:
    """A field's value in a change, in one short line: `(none)` where the field was not there
    (a conflict says `(removed)`: there one side took it away)."""
    return _("(none)") if value is MISSING else show(value)


def settled(decision: MergeDecision) -> str:
    """`ours 2, theirs 4 → 3`: what a merge held against each side's value."""
    return _("ours {ours}, theirs {theirs} → {result}").format(
        ours=shown(decision.ours), theirs=shown(decision.theirs), result=shown(decision.result)
    )


def plain(value: Any) -> Any:
    """A field's value as JSON data: null for absent, dates as text."""
    if value is MISSING:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def report_json(report: ChangesReport) -> dict[str, Any]:
    return {
        "since": report.since,
        "head": report.head,
        "commits": report.commits,
        "accounts": [
            {
                "id": account.id,
                "commits": [
                    dict(
                        change.commit.as_json(),
                        files=[
                            {
                                "path": f.rel,
                                "renamed_from": f.renamed_from,
                                "unreadable": f.unreadable,
                                "fields": [
                                    {"field": c.field, "old": plain(c.old), "new": plain(c.new)} for c in f.fields
                                ],
                                "merge": [
                                    {
                                        "field": d.field,
                                        "ours": plain(d.ours),
                                        "theirs": plain(d.theirs),
                                        "result": plain(d.result),
                                    }
                                    for d in f.merge
                                ],
                            }
                            for f in change.files
                        ],
                    )
                    for change in account.commits
                ],
            }
            for account in report.accounts
        ],
    }
