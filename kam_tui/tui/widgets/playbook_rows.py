"""The Playbooks tab's rows: each attached checklist, a progress bar per stage, its steps with
who ticked them. Pure presentation of the model's Playbook."""

from __future__ import annotations

from rich.text import Text

from kam_tui.i18n import N_, _
from kam_tui.tui.gateway import ChecklistStatus
from kam_tui.tui.safe_text import plain, safe

COLUMNS = ("", "#", N_("STEP"), N_("TICKED"))
NONE_ATTACHED = N_("No playbook attached: `kam attach ID PLAYBOOK` attaches one.")


def columns() -> tuple[str, ...]:
    """The table's headings in the reader's language."""
    return tuple(_(c) if c else c for c in COLUMNS)


def none_attached() -> str:
    return _(NONE_ATTACHED)


BAR = 12
MARKS = {"done": Text("✓", style="green"), "na": Text("–", style="yellow"), "open": Text("·", style="dim")}

Row = tuple[str, tuple[Text, ...]]  # (key, cells); step keys are "NAME:NUMBER", others "NAME:"


def progress(done: int, total: int) -> Text:
    filled = round(done / total * BAR) if total else 0
    return Text("█" * filled, style="green") + Text("░" * (BAR - filled), style="dim") + Text(f" {done}/{total}")


def rows(statuses: list[ChecklistStatus]) -> list[Row]:
    out: list[Row] = []
    for status in statuses:
        book = status.playbook
        out.append(
            (
                f"{status.name}:",
                (Text("▣", style="bold"), Text(""), plain(status.name, style="bold"), progress(book.done, book.total)),
            )
        )
        for stage in book.stages:
            out.append(
                (
                    f"{status.name}:",
                    (Text(""), Text(""), plain(stage.name, style="underline"), progress(stage.done, stage.total)),
                )
            )
            for step in stage.steps:
                mark = MARKS[step.state].copy()
                who = "" if step.tick is None else " ".join(safe(x) for x in (step.tick.date, step.tick.by) if x)
                if step.na:  # not applicable: counted apart, its why beside it
                    who = " ".join(x for x in ("n/a", who, safe(step.tick.reason or "") if step.tick else "") if x)
                out.append(
                    (
                        f"{status.name}:{step.number}",
                        (mark, Text(str(step.number), style="dim"), plain(step.text), Text(who, style="dim")),
                    )
                )
    return out
