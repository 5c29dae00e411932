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


TICKED_CAP = 24  # who ticked and when: cut here (a long name), so the step keeps its room
STEP_MIN = 16
PADDING = 2  # the table's cell padding, one cell each side
EDGES = 4  # the tab pane's padding and the table's scrollbar, two cells each


def rows(statuses: list[ChecklistStatus], width: int | None = None) -> list[Row]:
    """The rows of every checklist; with the screen's `width`, the step column is cut (with an
    ellipsis) so that the TICKED column — dates, names, progress counts — stays on screen."""
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
                        (mark, Text(str(step.number), style="dim"), plain(step.text), _cut(Text(who, style="dim"))),
                    )
                )
    return out if width is None else _fit(out, width)


def _cut(text: Text, cells: int = TICKED_CAP) -> Text:
    text.truncate(cells, overflow="ellipsis")
    return text


def _fit(out: list[Row], width: int) -> list[Row]:
    """Cut the step column to what the other columns leave of `width` (never below STEP_MIN)."""
    widths = [max((cells[i].cell_len for _key, cells in out), default=0) for i in (0, 1, 3)]
    room = max(STEP_MIN, width - EDGES - sum(w + PADDING for w in widths) - PADDING)
    return [(key, (*cells[:2], _cut(cells[2], room), *cells[3:])) for key, cells in out]
