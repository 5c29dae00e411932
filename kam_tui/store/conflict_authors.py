"""Who changed a conflicting field on each side of an open merge, from git's history.

The merge driver is given three texts and no history, so `kam sync` names the people: on each
side (HEAD, MERGE_HEAD) the newest commit since the merge base that gave the field the value
that side has, where no parent of that commit had it. The last person to touch the *file* is
often someone else (a teammate who logged a visit after the rating was changed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from kam_tui.model.merge import MISSING, same
from kam_tui.model.schema import Path_
from kam_tui.store import gitcmd
from kam_tui.store.yamlread import YamlProblem, decode, node_at, parse_text

SIDES = ("HEAD", "MERGE_HEAD")
LIMIT = 200  # commits per side and file looked at; beyond that the file's last author is named


class Change(NamedTuple):
    commit: str
    parents: tuple[str, ...]
    author: str


class FileSides:
    """One conflicted file's history on both sides since the merge base, read once for all its fields."""

    def __init__(self, root: Path, rel: str) -> None:
        base = gitcmd.git(root, "merge-base", "HEAD", "MERGE_HEAD", check=False).stdout.strip()
        self.history = {side: _history(root, f"{base}..{side}" if base else side, rel) for side in SIDES}
        commits = sorted(
            {c for changes in self.history.values() for change in changes for c in (change.commit, *change.parents)}
        )
        blobs = gitcmd.read_blobs(root, [f"{commit}:./{rel}" for commit in commits])
        self._data = {commit: _data(raw) for commit, raw in zip(commits, blobs)}

    def last_author(self, side: str) -> str:
        """Who last changed the file on `side` ("?" when nobody did since the merge base)."""
        changes = self.history[side]
        return changes[0].author if changes else "?"

    def author(self, side: str, path: Path_, value: Any) -> str:
        """Who gave the field at `path` the `value` it has on `side` (else the file's last author)."""
        for change in self.history[side]:
            if same(self._value(change.commit, path), value) and not any(
                same(self._value(parent, path), value) for parent in change.parents
            ):
                return change.author
        return self.last_author(side)

    def _value(self, commit: str, path: Path_) -> Any:
        try:
            return node_at(self._data.get(commit), path)
        except (KeyError, IndexError, TypeError):
            return MISSING  # (not None: a field set to null is a value the other side may lack)


def _history(root: Path, spec: str, rel: str) -> list[Change]:
    out = gitcmd.git(root, "log", f"-{LIMIT}", "--format=%H%x00%P%x00%an", spec, "--", rel, check=False).stdout
    changes = []
    for line in out.splitlines():
        commit, parents, author = line.split("\0")
        changes.append(Change(commit, tuple(parents.split()), author))
    return changes


def _data(raw: bytes | None) -> Any:
    """A version's data; MISSING when the file is absent or does not read (then no field is there)."""
    if raw is None:
        return MISSING
    try:
        return parse_text(decode(raw)[0]).data
    except YamlProblem:
        return MISSING
