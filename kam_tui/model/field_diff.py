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


def checklist_changes(old: str, new: str) -> list[FieldChange]:
    """Steps whose state changed (open, or done with its tick), by the step's text."""

    def states(text: str) -> dict[str, str]:
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

    before, after = states(old), states(new)
    out = []
    for step in list(before) + [s for s in after if s not in before]:
        if before.get(step) != after.get(step):
            out.append(FieldChange(step, before.get(step, MISSING), after.get(step, MISSING)))
    return out
