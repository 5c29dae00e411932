"""What changed between two versions of an account, field by field (old → new), for a
reader of the team's history: list items are matched by the schema's identity, so a visit
added at the top is one added visit, not every visit shifted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kam_tui.model.merge import MISSING, child_spec, keyed, same
from kam_tui.model.schema import ACCOUNT, Field, Path_, dotted
from kam_tui.model.playbook import parse_step_line


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's change; `old` / `new` are MISSING when the field was added / removed."""

    field: str
    old: Any
    new: Any


def account_changes(old: Any, new: Any) -> list[FieldChange]:
    """Field-level changes between two versions of an account's data (MISSING for no file)."""
    out: list[FieldChange] = []
    if isinstance(old, dict) or isinstance(new, dict):  # a new or deleted file: its fields one by one
        old, new = ({} if old is MISSING else old), ({} if new is MISSING else new)
    _diff(old, new, ACCOUNT, (), out)
    return out


def _diff(old: Any, new: Any, spec: Field | None, path: Path_, out: list[FieldChange]) -> None:
    if same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _diff(old.get(key, MISSING), new.get(key, MISSING), child_spec(spec, key), path + (key,), out)
        return
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and spec is not None
        and spec.kind == "list"
        and spec.item is not None
        and spec.item.kind == "record"
    ):
        before, after = keyed(spec, old), keyed(spec, new)
        positions = {key: index for index, key in enumerate(after)}
        for index, (key, item) in enumerate(before.items()):
            if key not in after:
                out.append(FieldChange(dotted(path + (index,)), item, MISSING))
        for key, item in after.items():
            _diff(before.get(key, MISSING), item, spec.item, path + (positions[key],), out)
        return
    out.append(FieldChange(dotted(path) or "(file)", old, new))


def step_states(text: str) -> dict[str, str]:
    """A checklist's steps by their text: `open`, or the state with its tick (`done DATE BY — note`)."""
    found: dict[str, str] = {}
    for line in text.split("\n"):
        parsed = parse_step_line(line.removesuffix("\r"))
        if parsed is None:
            continue
        shown: str = parsed.state
        tick = parsed.tick
        if parsed.state != "open" and tick is not None:
            shown += f" {tick.date} {tick.by}"
            why = tick.note if parsed.done else tick.reason
            if why:
                shown += f" — {why}"
        found.setdefault(parsed.text, shown)
    return found


def checklist_changes(old: str, new: str) -> list[FieldChange]:
    """Steps whose state changed (open, or done with its tick), by the step's text."""
    before, after = step_states(old), step_states(new)
    out = []
    for step in list(before) + [s for s in after if s not in before]:
        if before.get(step) != after.get(step):
            out.append(FieldChange(step, before.get(step, MISSING), after.get(step, MISSING)))
    return out


@dataclass(frozen=True, slots=True)
class MergeDecision:
    """A field a merge commit settled itself: its value on each side and in the merge (MISSING
    where absent). `ours` is the merge's first parent, `theirs` its second."""

    field: str
    ours: Any
    theirs: Any
    result: Any


def merge_decisions(
    base: Any, ours: Any, theirs: Any, result: Any, spec: Field | None = ACCOUNT
) -> list[MergeDecision]:
    """The fields where a merge holds what a field-by-field merge of the two sides would not have
    made by itself: a field both sides changed (however it was settled: ours, theirs or a third
    value), and a field the merge changed or dropped against the side that changed it. What the
    merge only brought over from one side is that side's own change, reported with its commit.
    Versions are data (MISSING for no file); for a checklist, `step_states` with `spec` None."""
    out: list[MergeDecision] = []
    _decide(base, ours, theirs, result, spec, (), out)
    return out


_TWO_WAYS = object()


def _decide(base: Any, ours: Any, theirs: Any, result: Any, spec: Field | None, path: Path_, out: list) -> None:
    if same(result, ours) and same(result, theirs):
        return
    if same(ours, theirs):
        expected = ours
    elif same(base, ours):
        expected = theirs
    elif same(base, theirs):
        expected = ours
    else:
        expected = _TWO_WAYS  # both changed it: whatever the merge holds, it chose
    if expected is not _TWO_WAYS and same(result, expected):
        return
    versions = (ours, theirs, result)
    if all(isinstance(v, dict) for v in versions) and (base is MISSING or isinstance(base, dict)):
        maps = [v if v is not MISSING else {} for v in (base, ours, theirs, result)]
        keys = list(dict.fromkeys(k for version in (result, ours, theirs, maps[0]) for k in version))
        for key in keys:
            b, o, t, r = (m.get(key, MISSING) for m in maps)
            _decide(b, o, t, r, child_spec(spec, key), path + (key,), out)
        return
    if (
        all(isinstance(v, list) for v in versions)
        and (base is MISSING or isinstance(base, list))
        and spec is not None
        and spec.kind == "list"
        and spec.item is not None
    ):
        lists = [keyed(spec, v if v is not MISSING else []) for v in (base, ours, theirs, result)]
        keys = list(dict.fromkeys(k for items in (lists[3], lists[1], lists[2], lists[0]) for k in items))
        for key in keys:
            b, o, t, r = (items.get(key, MISSING) for items in lists)
            position = next(
                list(items).index(key) for items in (lists[3], lists[1], lists[2], lists[0]) if key in items
            )
            _decide(b, o, t, r, spec.item, path + (position,), out)
        return
    out.append(MergeDecision(dotted(path) or "(file)", ours, theirs, result))
