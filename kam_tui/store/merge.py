"""`kam merge-driver`: git's merge driver for account files and checklists.

git calls it once per file both sides changed (`kam merge-driver %O %A %B %P`), with the
three versions in temporary files; the merged text goes into %A and the exit status says
clean (0) or conflicted (1). Account files are merged as data (`model.merge`) and written
into ours' text (`store.merge_text`); a conflict is marked around the conflicting field's
lines only, with both values, so `kam validate` (and the pre-commit hook) refuse the file
until it is resolved. Whatever kam cannot merge as data falls back to git's own line merge,
and a result that would add a validation error neither side had is a conflict, never a
silent commit.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kam_tui.i18n import _, ngettext
from kam_tui.model.checklist_merge import merge_checklists
from kam_tui.model.merge import MISSING, FieldConflict, merge_account
from kam_tui.model.account_checks import validate_account
from kam_tui.model.schema import Path_
from kam_tui.store import gitcmd
from kam_tui.store.merge_text import RewriteFailed, rewrite
from kam_tui.store.merge_comments import carry_comments
from kam_tui.store.yamlread import YamlProblem, decode, parse_text
from kam_tui.store.yaml_render import flow_text

MARKER = 7
OURS_LABEL, THEIRS_LABEL = "ours", "theirs"


@dataclass
class MergeOutcome:
    """The merged bytes and what the person needs to know about them."""

    data: bytes
    conflicts: list[str] = field(default_factory=list)  # what conflicts, one line each
    notes: list[str] = field(default_factory=list)  # kept but worth a look (e.g. a comment moved)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_file(base: bytes, ours: bytes, theirs: bytes, rel: str) -> MergeOutcome:
    """Merge three versions of one repository file; the kind of merge follows the path."""
    if rel.endswith(".md"):
        return _merge_checklist(base, ours, theirs)
    if rel.endswith(".yaml") and rel.startswith("accounts/"):
        return merge_account_file(base, ours, theirs, Path(rel).stem)
    return line_merge(base, ours, theirs)


def _merge_checklist(base: bytes, ours: bytes, theirs: bytes) -> MergeOutcome:
    try:
        texts = [decode(raw)[0] for raw in (base, ours, theirs)]
    except YamlProblem:
        return line_merge(base, ours, theirs)
    merged = merge_checklists(*texts)
    if merged is None:
        return line_merge(base, ours, theirs)
    text, conflicts = merged
    if conflicts:
        return MergeOutcome(
            _encode(mark_conflicts(*text), ours),
            [_("line {n}: both sides changed this step").format(n=n) for n in conflicts],
        )
    return MergeOutcome(_encode(text[0], ours))


def _encode(text: str, like: bytes) -> bytes:
    bom = b"\xef\xbb\xbf" if like.startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


def merge_account_file(base: bytes, ours: bytes, theirs: bytes, stem: str) -> MergeOutcome:
    if ours == theirs or theirs == base:
        return MergeOutcome(ours)
    if ours == base:
        return MergeOutcome(theirs)
    try:
        docs = [parse_text(decode(raw)[0]) if raw.strip() else None for raw in (base, ours, theirs)]
    except YamlProblem:
        return line_merge(base, ours, theirs)
    base_doc, ours_doc, theirs_doc = docs
    if ours_doc is None or theirs_doc is None:
        return line_merge(base, ours, theirs)
    base_data = base_doc.data if base_doc is not None else MISSING
    had = _errors(ours_doc.data, stem) | _errors(theirs_doc.data, stem)  # Counter union: the larger count
    forced: frozenset[Path_] = frozenset()
    for _attempt in range(3):
        merged = merge_account(base_data, ours_doc.data, theirs_doc.data, forced)
        added = (_errors(merged.ours, stem) - had) + (_errors(merged.theirs, stem) - had)
        if not added:
            break
        more = frozenset(_force_at(path) for path in added.elements())
        forced = forced | (more if more - forced else frozenset({()}))
    else:
        merged = merge_account(base_data, ours_doc.data, theirs_doc.data, frozenset({()}))
    try:
        ours_text = rewrite(ours_doc.text, merged.ours, theirs_doc)
        theirs_text = rewrite(ours_doc.text, merged.theirs, theirs_doc) if merged.conflicts else ours_text
    except RewriteFailed:
        return _checked(line_merge(base, ours, theirs), had, stem)
    base_text = base_doc.text if base_doc is not None else ""
    ours_text, notes = carry_comments(base_text, theirs_doc, ours_text)
    if merged.conflicts:
        theirs_text, _notes = carry_comments(base_text, theirs_doc, theirs_text)
        text = mark_conflicts(ours_text, theirs_text)
        return MergeOutcome(_encode(text, ours), [_describe(c) for c in merged.conflicts], notes)
    return MergeOutcome(_encode(ours_text, ours), [], notes)


_INDEX = re.compile(r"\[\d+\]|(?<=[A-Za-z_])\.\d+\b")  # a list item's position: visits.3 (or visits[2])


def _errors(data: Any, stem: str) -> Counter[tuple[Path_, str]]:
    """Errors as (path without list positions, message without them): positions move in a merge."""
    if data is MISSING:
        return Counter()
    out: Counter[tuple[Path_, str]] = Counter()
    for finding in validate_account(data, stem):
        if finding.level == "error":
            path = tuple(p if isinstance(p, str) else -1 for p in finding.path)
            out[(path, _INDEX.sub(".#", finding.message))] += 1
    return out


def _force_at(key: tuple[Path_, str]) -> Path_:
    """The part of the file a new error makes a conflict: the record holding the field (a whole
    list when the field sits in a list item)."""
    path = key[0]
    if -1 in path:
        return path[: path.index(-1)]
    return path[:-1] if len(path) > 1 else path


def _describe(conflict: FieldConflict) -> str:
    """What the person reads about one conflicting field (on the terminal, in their language)."""
    return _("{field}: ours {ours}, theirs {theirs}").format(
        field=conflict.name, ours=_show(conflict.ours), theirs=_show(conflict.theirs)
    )


def _show(value: Any) -> str:
    if value is MISSING:
        return _("(removed)")
    text = flow_text(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _checked(outcome: MergeOutcome, had: Counter[tuple[Path_, str]], stem: str) -> MergeOutcome:
    """git's line merge came out clean: still a conflict if the file no longer reads or is worse."""
    if not outcome.clean:
        return outcome
    try:
        data = parse_text(decode(outcome.data)[0]).data
    except YamlProblem as exc:
        return MergeOutcome(
            outcome.data, [_("the line merge does not read as YAML: {problem}").format(problem=exc.message)]
        )
    if _errors(data, stem) - had:
        return MergeOutcome(outcome.data, [_("the line merge adds a validation error neither side had")])
    return outcome


def line_merge(base: bytes, ours: bytes, theirs: bytes) -> MergeOutcome:
    """git's own three-way line merge (what git does without kam's driver)."""
    with tempfile.TemporaryDirectory(prefix="kam-merge-") as tmp:
        folder = Path(tmp)
        for name, raw in (("base", base), ("ours", ours), ("theirs", theirs)):
            (folder / name).write_bytes(raw)
        labels = (f"-L{OURS_LABEL}", "-Lbase", f"-L{THEIRS_LABEL}")
        result = gitcmd.git(folder, "merge-file", *labels, "--", "ours", "base", "theirs", check=False)
        if not 0 <= result.returncode < 128:
            raise gitcmd.GitError(result.stderr.strip() or "merge-file failed")
        data = (folder / "ours").read_bytes()
    count = result.returncode
    return MergeOutcome(
        data,
        [
            ngettext(
                "{n} block of lines changed on both sides", "{n} blocks of lines changed on both sides", count
            ).format(n=count)
        ]
        if count
        else [],
    )


def mark_conflicts(ours: str, theirs: str) -> str:
    """One text from two that differ only where the conflicts are: each differing run of lines
    between git's conflict markers, ours first."""
    a, b = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    nl = "\r\n" if "\r\n" in ours else "\n"
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += a[i1:i2]
            continue
        out.append("<" * MARKER + f" {OURS_LABEL}{nl}")
        out += _ended(a[i1:i2], nl)
        out.append("=" * MARKER + nl)
        out += _ended(b[j1:j2], nl)
        out.append(">" * MARKER + f" {THEIRS_LABEL}{nl}")
    return "".join(out)


def _ended(lines: list[str], nl: str) -> list[str]:
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + nl]
    return lines
