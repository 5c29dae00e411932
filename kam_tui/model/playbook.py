"""Playbooks and attached checklists as text: stages, steps and ticks, each with its line.

A playbook is markdown: optional YAML front matter between `---` lines, `## ` headings as
its stages, `- [ ] ` items as its steps, indented lines under an item as guidance. An
attached checklist is the same text with a header line (who attached it, when) and ticks
written on the step's own line: `- [x] Clear its inventory — 2026-11-20 wang`. A step that does
not apply is `- [-] Step — 2026-11-20 wang — why`. A recurring checklist renewed for a new cycle
carries a cycle line under its header: `> kam cycle: 2026-Q4, started 2026-11-20 by li`.

Pure: text in, records out. The store decodes bytes, parses the front matter's YAML (with
`validate_front_matter` to judge it) and drives git.

This module is the parser and the one import path callers use: the records, the line grammar,
the whole-file checks and the front matter live in their own `playbook_*` modules.
"""

from __future__ import annotations

import re

from kam_tui.i18n import _
from kam_tui.model.playbook_checks import whole_file_problems
from kam_tui.model.playbook_front_matter import front_matter_bounds, validate_front_matter
from kam_tui.model.playbook_lines import (
    CONFLICT,
    FORCED,
    LOOKS_LIKE_STEP,
    SEPARATOR,
    parse_cycle_line,
    parse_header,
    parse_step_line,
    split_lines,
)
from kam_tui.model.playbook_records import CycleLine, Header, Kind, Playbook, Stage, Step, StepLine, Tick
from kam_tui.model.problems import Level, Problem

# What callers import from here; the parser itself is `parse_playbook`.
__all__ = [
    "FORCED",
    "SEPARATOR",
    "Header",
    "Kind",
    "Playbook",
    "Stage",
    "Step",
    "Tick",
    "front_matter_bounds",
    "parse_cycle_line",
    "parse_playbook",
    "parse_step_line",
    "split_lines",
    "validate_front_matter",
]


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
        name, _line, steps = self.stages[index]
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
            _("a line ends with a lone carriage return (CR)"),
            _("save the file with LF or CRLF line ends"),
        )
    bounds = front_matter_bounds(lines)
    front, front_line, body = None, 0, 0
    if bounds is not None:
        if bounds[1] < 0:
            b.problem(
                1,
                "error",
                _("front matter opened with '---' on line 1 is never closed"),
                _("end it with a line '---'"),
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
            b.problem(number, "error", _("git conflict marker; resolve the merge first"))
            guidance = None
            continue
        parsed = parse_step_line(line)
        if parsed is not None:
            step_text = parsed.text
            guidance = None
            if not b.stages:
                b.problem(
                    number,
                    "error",
                    _("a step before the first stage heading"),
                    _("put a '## Stage name' line above it"),
                )
                continue
            if not step_text.strip():
                b.problem(number, "error", _("a step without text"), _("write '- [ ] what to do'"))
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
                _("nested steps are not supported") if nested else _("not a step kam can read"),
                _("a step is '- [ ] text' at the start of a line; make it a step of its own or plain guidance text")
                if nested
                else _("a step is '- [ ] text' at the start of a line"),
            )
            guidance = None
            continue
        if line.startswith("##") and not line.startswith("###"):
            name = line[2:].strip().rstrip("#").rstrip()  # `## Before ##` is the stage "Before"
            guidance = None
            if not line.startswith("## ") or not name:
                b.problem(number, "error", _("a stage heading is '## ' followed by its name"))
                continue
            if name in seen_stages:
                b.problem(
                    number,
                    "error",
                    _("stage '{name}' appears twice (first on line {line})").format(name=name, line=seen_stages[name]),
                    _("give each stage its own name"),
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
                    _("a kam header line kam cannot read"),
                    _("'> kam checklist: PLAYBOOK, attached YYYY-MM-DD by NAME'"),
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
    b.problems.extend(whole_file_problems(path, kind, stages, header))
    problems = tuple(sorted(b.problems, key=lambda p: p.line))
    return Playbook(path, kind, front, front_line, body + 1, tuple(stages), header, problems, cycle)
