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
    """What the line-by-line pass collects: the problems, and each stage's step lines with the
    guidance read under them (the records are built once, at the end)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.stages: list[tuple[str, int, list[tuple[int, StepLine, list[str]]]]] = []

    def problem(self, line: int, level: Level, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, line, 0, level, message, hint))

    def built_stages(self) -> list[Stage]:
        stages, number = [], 0
        for index, (name, line, lines) in enumerate(self.stages):
            steps = []
            for step_line, parsed, guidance in lines:
                number += 1
                na = parsed.state == "na"
                steps.append(
                    Step(number, index, name, parsed.text, step_line, parsed.done, parsed.tick, tuple(guidance), na)
                )
            stages.append(Stage(index, name, line, tuple(steps)))
        return stages


def parse_playbook(text: str, path: str = "", kind: Kind = "template") -> Playbook:
    """Read a template or checklist; never raises: what is wrong lands in `problems`."""
    lines = split_lines(text)
    b = _Builder(path)
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
            guidance = None
            if not b.stages:
                b.problem(
                    number,
                    "error",
                    _("a step before the first stage heading"),
                    _("put a '## Stage name' line above it"),
                )
                continue
            if not parsed.text.strip():
                b.problem(number, "error", _("a step without text"), _("write '- [ ] what to do'"))
                continue
            guidance = []
            b.stages[-1][2].append((number, parsed, guidance))
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
    stages = b.built_stages()
    b.problems.extend(whole_file_problems(path, kind, stages, header))
    problems = tuple(sorted(b.problems, key=lambda p: p.line))
    return Playbook(path, kind, front, front_line, body + 1, tuple(stages), header, problems, cycle)
