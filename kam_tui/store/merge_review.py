"""What merge commits decided, for `kam changes`: the fields a merge settled itself (a conflict
resolved by `kam resolve` or by hand, a teammate's change the merge dropped), each with both
sides' values and the merge's. What a merge only brought over from one side is that side's own
commit and is not repeated.

Per merge: one `git merge-base`; for all merges together one `git diff-tree` (the files that
differ from either parent) and one `cat-file --batch` (the four versions of each).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kam_tui.model.field_diff import MergeDecision, merge_decisions, step_states
from kam_tui.model.merge import MISSING
from kam_tui.store import gitcmd
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, Repository
from kam_tui.store.yamlread import YamlProblem, decode, parse_text


class MergedFile(NamedTuple):
    rel: str
    decisions: list[MergeDecision]
    unreadable: bool  # a version did not read as data: what the merge decided is not known


def merge_files(repo: Repository, merges: dict[str, tuple[str, str]]) -> dict[str, list[MergedFile]]:
    """For each merge commit (hash → its first two parents), the account and checklist files in
    which it decided something."""
    touched = _touched(repo, list(merges))
    plan: list[tuple[str, str, list[str]]] = []  # (merge, file, the four object names)
    for merge, rels in touched.items():
        ours, theirs = merges[merge]
        base = _merge_base(repo, ours, theirs)
        for rel in rels:
            revisions = (base, ours, theirs, merge)
            plan.append((merge, rel, [f"{rev}:./{rel}" if rev else "" for rev in revisions]))
    wanted = sorted({name for _merge, _rel, names in plan for name in names if name})
    found = dict(zip(wanted, gitcmd.read_blobs(repo.root, wanted)))
    out: dict[str, list[MergedFile]] = {}
    for merge, rel, names in plan:
        blobs = [found.get(name) if name else None for name in names]
        if (blobs[3] == blobs[1] and blobs[2] == blobs[0]) or (blobs[3] == blobs[2] and blobs[1] == blobs[0]):
            continue  # one side's file, taken whole: nothing the merge decided
        merged = _decided(rel, blobs)
        if merged.decisions or merged.unreadable:
            out.setdefault(merge, []).append(merged)
    return out


def _touched(repo: Repository, merges: list[str]) -> dict[str, list[str]]:
    """The account and checklist files each merge changed against either parent."""
    if not merges:
        return {}
    out = gitcmd.git(
        repo.root,
        "-c",
        "core.quotePath=false",
        "diff-tree",
        "--stdin",
        "-m",
        "-r",
        "--no-renames",
        "--name-only",
        "--relative",
        "--",
        ACCOUNTS,
        CHECKLISTS,
        stdin="".join(f"{merge}\n" for merge in merges),
    ).stdout
    found: dict[str, list[str]] = {}
    current: list[str] = []
    heads = set(merges)
    for line in out.splitlines():
        if line in heads:
            current = found.setdefault(line, [])
        elif line and line not in current:
            current.append(line)
    return found


def _merge_base(repo: Repository, ours: str, theirs: str) -> str | None:
    result = gitcmd.git(repo.root, "merge-base", ours, theirs, check=False)
    return result.stdout.strip() or None


def _decided(rel: str, blobs: list[bytes | None]) -> MergedFile:
    """What the merge decided in one file, from its base, ours, theirs and the merge's (None: absent)."""
    try:
        texts = [decode(raw)[0] if raw is not None else None for raw in blobs]
        if rel.endswith(".md"):
            steps: list[Any] = [step_states(text) if text is not None else MISSING for text in texts]
            return MergedFile(rel, merge_decisions(steps[0], steps[1], steps[2], steps[3], spec=None), False)
        data = [parse_text(text).data if text is not None else MISSING for text in texts]
    except YamlProblem:
        return MergedFile(rel, [], True)
    return MergedFile(rel, merge_decisions(data[0], data[1], data[2], data[3]), False)
