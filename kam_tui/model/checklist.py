"""Working a checklist: attach a copy of a template, find a step, gate by stage, tick, compare.

Pure functions over the text and the records of `kam_tui.model.playbook`. Dates and names
are passed in; nothing here reads a clock, a file or git.

Merging: git's text merge treats changes to *adjacent* lines as one conflict, so two people
ticking neighbouring steps in two clones would collide. `render_checklist` therefore keeps
at least one line (guidance or a blank line) between any two steps, and every later change
is a single step line: ticks of different steps always merge cleanly.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.errors import KamError
from kam_tui.model.playbook import (
    FORCED,
    SEPARATOR,
    Header,
    Playbook,
    Stage,
    Step,
    Tick,
    front_matter_bounds,
    parse_step_line,
    split_lines,
)

TICK_MARK, UNTICK_MARK = "✓", "✗"
MAX_TEXT = 500  # characters of a note or reason: it goes on the step's one line


class ChecklistError(KamError):
    """A request the checklist cannot satisfy; the message says what to do instead."""


class StepNotFound(ChecklistError):
    pass


# --- writing the text -----------------------------------------------------------------------------


def one_line(text: str, what: str) -> str:
    """User text that goes on a step's line: whitespace runs (newlines too) become one space,
    ' — ' (the record's separator) becomes ' - ', other control characters are refused."""
    if len(text) > MAX_TEXT:
        raise ChecklistError(
            _("{what} is {count:,} characters; at most {most} fit on a step's line").format(
                what=what, count=len(text), most=MAX_TEXT
            )
        )
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs":
            raise ChecklistError(_("{what} is not valid UTF-8 text (check your terminal's encoding)").format(what=what))
        if category in ("Cc", "Cf", "Zl", "Zp") and not ch.isspace():
            raise ChecklistError(
                _("{what} contains a control character ({code})").format(what=what, code=f"U+{ord(ch):04X}")
            )
    flat = re.sub(r"\s+", " ", text).strip()
    if flat.casefold().startswith(("forced:", "强制：", "强制:")):
        raise ChecklistError(
            _("{what} may not start with 'forced:' (kam writes that before a --force reason)").format(what=what)
        )
    return flat.replace(SEPARATOR, " - ")


def header_line(playbook: str, date: str, by: str, reason: str | None = None, lang: str = "en") -> str:
    """`> kam checklist: staged-exit, attached 2026-11-20 by wang` (in the repository's language)."""
    if lang == "zh":
        line = f"> kam 清单：{playbook}，{date} 由 {by} 启用"
    else:
        line = f"> kam checklist: {playbook}, attached {date} by {by}"
    if reason:
        line += SEPARATOR + FORCED.get(lang, FORCED["en"]) + reason
    return line


def cycle_line(label: str, date: str, by: str, lang: str = "en") -> str:
    """`> kam cycle: 2026-Q4, started 2026-11-20 by li` (in the repository's language)."""
    if lang == "zh":
        return f"> kam 周期：{label}，{date} 由 {by} 开始"
    return f"> kam cycle: {label}, started {date} by {by}"


def render_checklist(template: str, header: str) -> str:
    """The template's text with the header line after its front matter, every step open, and a
    blank line between steps that would otherwise sit on adjacent lines (see the module note).
    Every other line is copied as it is, line endings included."""
    cr = "\r" if "\r\n" in template else ""
    bounds = front_matter_bounds(split_lines(template))
    insert_at = bounds[1] + 1 if bounds is not None and bounds[1] > 0 else 0
    out: list[str] = []
    previous_step = False
    for index, line in enumerate(template.split("\n")):
        if index == insert_at:
            out += [cr, header + cr] if insert_at else [header + cr, cr]
        parsed = parse_step_line(line[:-1] if line.endswith("\r") else line)
        is_step = parsed is not None and index >= insert_at
        if is_step and previous_step:
            out.append(cr)
        if parsed is not None and is_step and parsed.state != "open":
            line = f"- [ ] {parsed[1]}" + ("\r" if line.endswith("\r") else "")
        out.append(line)
        previous_step = is_step
    return "\n".join(out)


def tick_text(step: Step, tick: Tick, lang: str = "en") -> str:
    line = f"- [x] {step.text}{SEPARATOR}{tick.date} {tick.by}"
    if tick.reason:
        line += SEPARATOR + FORCED.get(lang, FORCED["en"]) + tick.reason
    if tick.note:
        line += SEPARATOR + tick.note
    return line


def na_text(step: Step, mark: Tick) -> str:
    """`- [-] Step — 2026-11-20 wang — why it does not apply`."""
    return f"- [-] {step.text}{SEPARATOR}{mark.date} {mark.by}{SEPARATOR}{mark.reason}"


def set_step(text: str, step: Step, tick: Tick | None, lang: str = "en", na: bool = False) -> str:
    """The checklist's text with exactly one line changed: the step ticked (with its record),
    marked n/a (`na=True`, the tick's reason says why) or, with `tick=None`, back to `- [ ] text`.
    Line endings are kept."""
    lines = text.split("\n")
    index = step.line - 1
    old = lines[index]
    ending = "\r" if old.endswith("\r") else ""
    if tick is None:
        new = f"- [ ] {step.text}"
    else:
        new = na_text(step, tick) if na else tick_text(step, tick, lang)
    lines[index] = new + ending
    return "\n".join(lines)


def reopen_all(text: str, playbook: Playbook, cycle_line: str) -> str:
    """A new cycle of a recurring checklist: every ticked or n/a step back to `- [ ] text` and the
    cycle line under the header (replacing the last cycle's); every other line as it was."""
    lines = text.split("\n")
    for step in playbook.steps:
        if not step.open:
            ending = "\r" if lines[step.line - 1].endswith("\r") else ""
            lines[step.line - 1] = f"- [ ] {step.text}{ending}"
    ending = "\r" if "\r\n" in text else ""
    if playbook.cycle is not None:
        lines[playbook.cycle.line - 1] = cycle_line + ending
    elif playbook.header is not None:
        lines.insert(playbook.header.line, cycle_line + ending)
    else:
        lines.insert(playbook.body_line - 1, cycle_line + ending)
    return "\n".join(lines)


# --- finding and gating ---------------------------------------------------------------------------


def _short(step: Step) -> str:
    return f"{step.number} '{step.text}'"


def find_step(playbook: Playbook, item: str) -> Step:
    """ITEM is a step's number as listed, or a piece of its text that only one step contains."""
    steps = playbook.steps
    wanted = item.strip()
    if not wanted:
        raise StepNotFound(_("say which step: its number or a piece of its text"))
    if wanted.isascii() and wanted.isdigit():
        if len(wanted) > 6:
            raise StepNotFound(_no_step(wanted[:12] + "…", len(steps)))
        number = int(wanted)
        if 1 <= number <= len(steps):
            return steps[number - 1]
        raise StepNotFound(_no_step(str(number), len(steps)))
    needle = wanted.casefold()
    exact = [s for s in steps if s.text.casefold() == needle]
    if len(exact) == 1:
        return exact[0]
    found = exact or [s for s in steps if needle in s.text.casefold()]
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(_short(s) for s in found[:5])
        if len(found) > 5:
            listed = _("{steps} and {count} more").format(steps=listed, count=len(found) - 5)
        raise StepNotFound(
            _("'{item}' matches {count} steps: {steps}. Use the number or more of the text").format(
                item=item, count=len(found), steps=listed
            )
        )
    close = difflib.get_close_matches(wanted, [s.text for s in steps], n=1, cutoff=0.5)
    if close:
        raise StepNotFound(_("no step contains '{item}'; did you mean '{step}'?").format(item=item, step=close[0]))
    raise StepNotFound(_("no step contains '{item}'").format(item=item))


def _no_step(number: str, count: int) -> str:
    return _("there is no step {number}; the steps are numbered 1 to {count}").format(number=number, count=count)


def blocking_stage(playbook: Playbook, step: Step, ordered: bool = True) -> Stage | None:
    """The first earlier stage still open, which keeps this step from being ticked in order;
    never for a playbook whose sections are parallel work (not `ordered`)."""
    if not ordered:
        return None
    for stage in playbook.stages[: step.stage_index]:
        if stage.open:
            return stage
    return None


def gate_message(step: Step, stage: Stage) -> str:
    """Why a step of a later stage waits (the way past it is the refusal's hint, `GATE_HINT`)."""
    open_steps = [s for s in stage.steps if s.open]
    listed = "; ".join(_short(s) for s in open_steps[:3])
    if len(open_steps) > 3:
        listed = _("{listed} and {more} more").format(listed=listed, more=len(open_steps) - 3)
    return _(
        "step {number} is in stage '{stage}', but the earlier stage '{earlier}' still has "
        "{count} open step(s): {listed}"
    ).format(number=step.number, stage=step.stage, earlier=stage.name, count=len(open_steps), listed=listed)


def gate_hint() -> str:
    """The CLI's way past a stage that waits (the TUI asks for the reason in a dialog instead)."""
    return _(
        "tick those first, or tick this one anyway with --force --reason TEXT (the reason is written beside the tick)"
    )


def next_step(playbook: Playbook) -> Step | None:
    """The first open step in order: the oldest work still waiting (gating makes it so)."""
    return next((s for s in playbook.steps if s.open), None)


def current_stage(playbook: Playbook) -> Stage | None:
    return next((stage for stage in playbook.stages if stage.open), None)


@dataclass(frozen=True, slots=True)
class StageProgress:
    name: str
    done: int
    total: int  # the steps that apply
    locked: bool  # an earlier stage is still open (ordered playbooks only)
    na: int = 0  # steps marked not applicable

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "done": self.done, "total": self.total, "na": self.na, "locked": self.locked}


def progress(playbook: Playbook, ordered: bool = True) -> list[StageProgress]:
    out = []
    earlier_open = False
    for stage in playbook.stages:
        out.append(StageProgress(stage.name, stage.done, stage.total, earlier_open and ordered, stage.na))
        earlier_open = earlier_open or stage.open
    return out


# --- template drift -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """How a step of an attached checklist and its template differ. kam reports; it never
    rewrites the checklist."""

    change: str  # "added" (only in the template), "removed" (only in the checklist), "moved"
    text: str
    stage: str  # the template's stage for added/moved, the checklist's for removed
    from_stage: str | None = None  # for moved
    number: int | None = None  # the checklist's step number, when it has the step
    done: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "text": self.text,
            "stage": self.stage,
            "from_stage": self.from_stage,
            "number": self.number,
            "done": self.done,
        }

    def describe(self) -> str:
        if self.change == "added":
            return f"+ {self.text}  (new in the template, stage '{self.stage}')"
        if self.change == "removed":
            state = "done" if self.done else "open"
            return f"- {self.number} {self.text}  (no longer in the template; {state} here)"
        return f"~ {self.number} {self.text}  (the template moved it from '{self.from_stage}' to '{self.stage}')"


def template_differences(checklist: Playbook, template: Playbook) -> list[Difference]:
    """Steps that differ between a checklist and its template, matched by their text."""
    ours: dict[str, list[Step]] = {}
    for step in checklist.steps:
        ours.setdefault(step.text.strip(), []).append(step)
    out: list[Difference] = []
    for step in template.steps:
        key = step.text.strip()
        mine = ours.get(key)
        if not mine:
            out.append(Difference("added", key, step.stage))
            continue
        have = mine.pop(0)
        if have.stage != step.stage:
            out.append(Difference("moved", key, step.stage, have.stage, have.number, have.done))
    for steps in ours.values():
        for step in steps:
            out.append(Difference("removed", step.text, step.stage, number=step.number, done=step.done))
    return out


def summary_json(playbook: Playbook, ordered: bool = True) -> dict[str, Any]:
    """Progress of one checklist as plain data (what `--json` and the TUI show): `total` counts
    the steps that apply, `na` those marked not applicable."""
    nxt = next_step(playbook)
    header: Header | None = playbook.header
    return {
        "done": playbook.done,
        "total": playbook.total,
        "na": playbook.na,
        "ordered": ordered,
        "cycle": playbook.cycle.as_json() if playbook.cycle else None,
        "attached": header.as_json() if header else None,
        "stages": [
            dict(p.as_json(), steps=[s.as_json() for s in stage.steps])
            for p, stage in zip(progress(playbook, ordered), playbook.stages)
        ],
        "next": nxt.as_json() if nxt else None,
    }
