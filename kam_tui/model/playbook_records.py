"""The records a parsed playbook or checklist is made of: stages, steps, ticks, header and cycle.

Apart from the parser so the modules that only read or compare these records (checklist plans,
merges, history) do not depend on the grammar that builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from kam_tui.model.problems import Problem

Kind = Literal["template", "checklist"]
State = Literal["open", "done", "na"]


@dataclass(frozen=True, slots=True)
class Tick:
    """What a ticked step records beside it: when, by whom, and why if it skipped the order."""

    date: str  # YYYY-MM-DD as written
    by: str
    reason: str | None = None  # why it skipped the order (--force), or why the step does not apply (n/a)
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date, "by": self.by, "reason": self.reason, "note": self.note}


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # 1-based, in document order: what `kam check ID PLAYBOOK 7` means
    stage_index: int
    stage: str
    text: str
    line: int  # 1-based line in the file
    done: bool
    tick: Tick | None = None  # None for an open step, or a tick written by hand without a record
    guidance: tuple[str, ...] = ()
    na: bool = False  # marked not applicable (`- [-]`): neither open nor done, counted apart

    @property
    def state(self) -> State:
        return "done" if self.done else "na" if self.na else "open"

    @property
    def open(self) -> bool:
        return not (self.done or self.na)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "stage": self.stage,
            "text": self.text,
            "line": self.line,
            "done": self.done,
            "state": self.state,
            "tick": self.tick.as_json() if self.tick else None,
        }


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    name: str
    line: int
    steps: tuple[Step, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        """The steps that apply (a step marked n/a is counted apart)."""
        return sum(1 for s in self.steps if not s.na)

    @property
    def na(self) -> int:
        return sum(1 for s in self.steps if s.na)

    @property
    def open(self) -> bool:
        """A stage is open while any of its steps is neither ticked nor marked n/a (a stage
        without steps never is)."""
        return any(s.open for s in self.steps)


@dataclass(frozen=True, slots=True)
class Header:
    """The checklist's header line: which playbook, attached when and by whom (and why, if forced)."""

    playbook: str
    date: str
    by: str
    reason: str | None
    line: int

    def as_json(self) -> dict[str, Any]:
        return {"playbook": self.playbook, "date": self.date, "by": self.by, "reason": self.reason, "line": self.line}


@dataclass(frozen=True, slots=True)
class CycleLine:
    """The cycle a recurring checklist is in, written when a new cycle started (`--new-cycle`)."""

    label: str  # 2026-Q4, or any short label the team uses
    date: str
    by: str
    line: int

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "date": self.date, "by": self.by}


class StepLine(NamedTuple):
    """A step's line read: its state, text and record (date, who, why or note)."""

    state: State
    text: str
    tick: Tick | None

    @property
    def done(self) -> bool:
        return self.state == "done"


@dataclass(frozen=True)
class Playbook:
    """A parsed template or checklist. `problems` holds everything wrong, each with its line."""

    path: str
    kind: Kind
    front_matter: str | None  # the YAML text between the `---` lines
    front_matter_line: int  # file line of the front matter's first YAML line (0: none)
    body_line: int  # first file line after the front matter
    stages: tuple[Stage, ...]
    header: Header | None
    problems: tuple[Problem, ...]
    cycle: CycleLine | None = None

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for stage in self.stages for step in stage.steps)

    @property
    def done(self) -> int:
        return sum(stage.done for stage in self.stages)

    @property
    def total(self) -> int:
        """The steps that apply: a step marked n/a is counted apart (`na`)."""
        return sum(stage.total for stage in self.stages)

    @property
    def na(self) -> int:
        return sum(stage.na for stage in self.stages)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)
