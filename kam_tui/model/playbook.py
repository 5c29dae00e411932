"""Playbooks and attached checklists as text: stages, steps and ticks, each with its line.

A playbook is markdown: optional YAML front matter between `---` lines, `## ` headings as
its stages, `- [ ] ` items as its steps, indented lines under an item as guidance. An
attached checklist is the same text with a header line (who attached it, when) and ticks
written on the step's own line: `- [x] Clear its inventory — 2026-11-20 wang`. A step that does
not apply is `- [-] Step — 2026-11-20 wang — why`. A recurring checklist renewed for a new cycle
carries a cycle line under its header: `> kam cycle: 2026-Q4, started 2026-11-20 by li`.

Pure: text in, records out. The store decodes bytes, parses the front matter's YAML (with
`validate_front_matter` here to judge it) and drives git.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from kam_tui.model.problems import Level, Problem
from kam_tui.model.schema import STAGES

Kind = Literal["template", "checklist"]

STEP = re.compile(r"- \[([ xX-])\] (.*)$")
# Things a writer meant as a step but git-flavoured markdown or kam would not read as one:
# `-[ ]`, `* [ ]`, `- []`, `- [ ]` with no text, or an indented (nested) step.
LOOKS_LIKE_STEP = re.compile(r"\s*[-*+]\s*\[[ xX-]?\]")
TICK_SUFFIX = re.compile(r" — (\d{4}-\d{2}-\d{2})(?: (.*))?$")
CONFLICT = re.compile(r"(<{7}|>{7}|={7}|\|{7})(?: |$)")
SEPARATOR = " — "
FORCED = {"en": "forced: ", "zh": "强制："}
HEADER_EN = re.compile(
    r"> kam checklist: (?P<playbook>[^,]+), attached (?P<date>\d{4}-\d{2}-\d{2}) "
    r"by (?P<rest>.*)$"
)
# "启用" since the handbook's words were adopted; "挂上", the older wording, is read forever.
HEADER_ZH = re.compile(
    r"> kam 清单：(?P<playbook>[^，]+)，(?P<date>\d{4}-\d{2}-\d{2}) 由 (?P<by>.*?) (?:启用|挂上)"
    r"(?P<rest>.*)$"
)
CYCLE_EN = re.compile(r"> kam cycle: (?P<label>[^,]+), started (?P<date>\d{4}-\d{2}-\d{2}) by (?P<by>.*)$")
CYCLE_ZH = re.compile(r"> kam 周期：(?P<label>[^，]+)，(?P<date>\d{4}-\d{2}-\d{2}) 由 (?P<by>.*?) 开始$")
FRONT_MATTER_KEYS = ("title", "description", "stages", "ordered")
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


def split_lines(text: str) -> list[str]:
    """Lines as git numbers them (only `\\n` ends a line), without their `\\r`."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def parse_tick(rest: str) -> tuple[str, Tick | None]:
    """`Clear its inventory — 2026-11-20 wang — forced: … — note` → (text, Tick)."""
    match = TICK_SUFFIX.search(rest)
    if match is None:
        return rest, None
    # The step's own text ends at the first ` — YYYY-MM-DD`; what follows is the record.
    first = re.search(r" — \d{4}-\d{2}-\d{2}(?: |$)", rest)
    assert first is not None
    text, record = rest[: first.start()], rest[first.start() + len(SEPARATOR) :]
    date, _, tail = record.partition(" ")
    parts = tail.split(SEPARATOR) if tail else [""]
    by, reason, note = parts[0], None, None
    rest_parts = parts[1:]
    if rest_parts:
        prefix = next((p for p in FORCED.values() if rest_parts[0].startswith(p)), None)
        if prefix is not None:
            reason = rest_parts[0][len(prefix) :]
            rest_parts = rest_parts[1:]
    if rest_parts:
        note = SEPARATOR.join(rest_parts)
    return text, Tick(date, by, reason, note)


def parse_step_line(line: str) -> StepLine | None:
    """A step line as (state, text, tick), or None when the line is not a step. The record of a
    step marked n/a says why where a tick has its note: it is read as the tick's reason."""
    match = STEP.match(line)
    if match is None:
        return None
    mark = match.group(1)
    if mark == " ":
        return StepLine("open", match.group(2).rstrip(), None)
    text, tick = parse_tick(match.group(2))
    if mark == "-":
        if tick is not None and tick.reason is None:
            tick = Tick(tick.date, tick.by, tick.note, None)
        return StepLine("na", text.rstrip(), tick)
    return StepLine("done", text.rstrip(), tick)


def parse_cycle_line(line: str, number: int) -> CycleLine | None:
    match = CYCLE_EN.match(line) or CYCLE_ZH.match(line)
    if match is None:
        return None
    return CycleLine(match.group("label").strip(), match.group("date"), match.group("by"), number)


def parse_header(line: str, number: int) -> Header | None:
    match = HEADER_EN.match(line)
    if match:
        by, _, tail = match.group("rest").partition(SEPARATOR)
        return Header(match.group("playbook"), match.group("date"), by, _reason(tail), number)
    match = HEADER_ZH.match(line)
    if match:
        tail = match.group("rest")
        tail = tail[len(SEPARATOR) :] if tail.startswith(SEPARATOR) else tail
        return Header(match.group("playbook"), match.group("date"), match.group("by"), _reason(tail), number)
    return None


def _reason(tail: str) -> str | None:
    for prefix in FORCED.values():
        if tail.startswith(prefix):
            return tail[len(prefix) :]
    return None


def front_matter_bounds(lines: list[str]) -> tuple[int, int] | None:
    """(index of the opening `---`, index of the closing line), or None without front matter.
    An opening `---` that is never closed gives (0, -1)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return 0, index
    return 0, -1


class _Builder:
    def __init__(self, path: str, kind: Kind) -> None:
        self.path, self.kind = path, kind
        self.problems: list[Problem] = []
        self.stages: list[tuple[str, int, list[Step]]] = []
        self.numbers = 0

    def problem(self, line: int, level: Level, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, line, 0, level, message, hint))

    def step(self, number: int, parsed: StepLine) -> Step:
        self.numbers += 1
        index = len(self.stages) - 1
        name, _, steps = self.stages[index]
        step = Step(self.numbers, index, name, parsed.text, number, parsed.done, parsed.tick, na=parsed.state == "na")
        steps.append(step)
        return step


def parse_playbook(text: str, path: str = "", kind: Kind = "template") -> Playbook:
    """Read a template or checklist; never raises: what is wrong lands in `problems`."""
    lines = split_lines(text)
    b = _Builder(path, kind)
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        b.problem(
            text.count("\n", 0, lone_cr.start()) + 1,
            "error",
            "a line ends with a lone carriage return (CR)",
            "save the file with LF or CRLF line ends",
        )
    bounds = front_matter_bounds(lines)
    front, front_line, body = None, 0, 0
    if bounds is not None:
        if bounds[1] < 0:
            b.problem(
                1, "error", "front matter opened with '---' on line 1 is never closed", "end it with a line '---'"
            )
            body = 1  # read the rest as body so its steps are still checked
        else:
            front, front_line, body = "\n".join(lines[1 : bounds[1]]), 2, bounds[1] + 1
    header: Header | None = None
    cycle: CycleLine | None = None
    guidance: list[str] | None = None  # the guidance lines of the step just read
    guided: list[tuple[int, list[str]]] = []
    seen_stages: dict[str, int] = {}
    fence: str | None = None  # inside a ``` or ~~~ code block: text, never steps or stages
    for index in range(body, len(lines)):
        line, number = lines[index], index + 1
        marker = line.strip()[:3]
        if marker in ("```", "~~~") and (fence is None or marker == fence):
            fence = marker if fence is None else None
            if guidance is not None and line[:1] in (" ", "\t"):
                guidance.append(line.strip())
            continue
        if fence is not None:
            if guidance is not None and line[:1] in (" ", "\t"):
                guidance.append(line.strip())
            continue
        if CONFLICT.match(line):
            b.problem(number, "error", "git conflict marker; resolve the merge first")
            guidance = None
            continue
        parsed = parse_step_line(line)
        if parsed is not None:
            step_text = parsed.text
            guidance = None
            if not b.stages:
                b.problem(
                    number, "error", "a step before the first stage heading", "put a '## Stage name' line above it"
                )
                continue
            if not step_text.strip():
                b.problem(number, "error", "a step without text", "write '- [ ] what to do'")
                continue
            b.step(number, parsed)
            guidance = []
            guided.append((b.numbers, guidance))
            continue
        if LOOKS_LIKE_STEP.match(line):
            nested = line[:1].isspace()
            b.problem(
                number,
                "error",
                "nested steps are not supported" if nested else "not a step kam can read",
                "a step is '- [ ] text' at the start of a line"
                + ("; make it a step of its own or plain guidance text" if nested else ""),
            )
            guidance = None
            continue
        if line.startswith("##") and not line.startswith("###"):
            name = line[2:].strip().rstrip("#").rstrip()  # `## Before ##` is the stage "Before"
            guidance = None
            if not line.startswith("## ") or not name:
                b.problem(number, "error", "a stage heading is '## ' followed by its name")
                continue
            if name in seen_stages:
                b.problem(
                    number,
                    "error",
                    f"stage '{name}' appears twice (first on line {seen_stages[name]})",
                    "give each stage its own name",
                )
                continue
            seen_stages[name] = number
            b.stages.append((name, number, []))
            continue
        if not b.stages and cycle is None and header is not None and line.startswith("> kam "):
            cycle = parse_cycle_line(line, number)
            if cycle is not None:
                continue
        if not b.stages and header is None and line.startswith("> kam "):
            header = parse_header(line, number)
            if header is None:
                b.problem(
                    number,
                    "warning",
                    "a kam header line kam cannot read",
                    "'> kam checklist: PLAYBOOK, attached YYYY-MM-DD by NAME'",
                )
            continue
        if guidance is not None and line[:1] in (" ", "\t") and line.strip():
            guidance.append(line.strip())
        else:
            guidance = None
    stages = []
    gmap = {number: tuple(g) for number, g in guided}
    for index, (name, number, steps) in enumerate(b.stages):
        stages.append(
            Stage(
                index,
                name,
                number,
                tuple(
                    Step(s.number, s.stage_index, s.stage, s.text, s.line, s.done, s.tick, gmap.get(s.number, ()), s.na)
                    for s in steps
                ),
            )
        )
    _whole_file_checks(b, stages, header)
    problems = tuple(sorted(b.problems, key=lambda p: p.line))
    return Playbook(path, kind, front, front_line, body + 1, tuple(stages), header, problems, cycle)


def _whole_file_checks(b: _Builder, stages: list[Stage], header: Header | None) -> None:
    if not stages:
        b.problem(1, "error", "no stages: a playbook needs '## Stage' headings with '- [ ] step' items")
    elif not any(stage.steps for stage in stages):
        b.problem(stages[0].line, "error", "no steps: a playbook needs '- [ ] step' items under its stages")
    seen: dict[str, int] = {}
    for stage in stages:
        if not stage.steps:
            b.problem(stage.line, "warning", f"stage '{stage.name}' has no steps")
        for step in stage.steps:
            key = step.text.casefold()
            if key in seen:
                b.problem(
                    step.line,
                    "warning",
                    f"the same step as line {seen[key]}",
                    "kam check by text cannot tell them apart; use its number or reword it",
                )
            else:
                seen[key] = step.line
            if b.kind == "template" and not step.open:
                b.problem(
                    step.line,
                    "warning",
                    "a template's step is already ticked",
                    "attaching gives a fresh copy with every step open",
                )
            if step.open and re.search(r" — \d{4}-\d{2}-\d{2}(?: |$)", step.text):
                b.problem(
                    step.line,
                    "error",
                    "the step's text contains ' — YYYY-MM-DD', which kam reads as a tick's date",
                    "use another dash or date format",
                )
            if b.kind == "checklist" and not step.open and step.tick is None:
                b.problem(
                    step.line,
                    "warning",
                    "ticked without a date and a name",
                    "tick with `kam check` so the file says who did it and when",
                )
    if b.kind == "checklist" and header is None:
        b.problem(
            1,
            "warning",
            "no header line saying when and by whom the playbook was attached",
            "attach playbooks with `kam attach`",
        )


def validate_front_matter(
    data: Any,
    path: str,
    key_lines: Mapping[str, int],
    first_line: int,
) -> list[Problem]:
    """Judge front matter already read as YAML: title and description as text, `stages` as a list
    of lifecycle stages; unknown keys are warnings with a "did you mean"."""
    out: list[Problem] = []

    def add(key: str | None, level: Level, message: str, hint: str | None = None) -> None:
        out.append(Problem(path, key_lines.get(key or "", first_line), 0, level, message, hint))

    if data is None:
        return out
    if not isinstance(data, dict):
        add(None, "error", "front matter must be keys and values (title:, description:, stages:)")
        return out
    for key, value in data.items():
        name = str(key)
        if name not in FRONT_MATTER_KEYS:
            close = difflib.get_close_matches(name, FRONT_MATTER_KEYS, n=1)
            add(
                name,
                "warning",
                f"unknown front matter key '{name}'",
                f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(FRONT_MATTER_KEYS),
            )
        elif name in ("title", "description") and not isinstance(value, str):
            add(name, "error", f"{name} must be text")
        elif name == "ordered" and not isinstance(value, bool):
            add(name, "error", "ordered must be true or false (true: a stage opens when the one before is done)")
        elif name == "stages":
            items = value if isinstance(value, list) else None
            if items is None:
                add(name, "error", "stages must be a list of lifecycle stages, e.g. [active, at-risk]")
                continue
            for item in items:
                if item not in STAGES:
                    close = difflib.get_close_matches(str(item), STAGES, n=1)
                    add(
                        name,
                        "error",
                        f"stages: '{item}' is not a lifecycle stage",
                        f"did you mean '{close[0]}'?" if close else "one of " + ", ".join(STAGES),
                    )
    return out
