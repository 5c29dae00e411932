"""The line grammar of playbooks and checklists: one line in, its record (or None) out.

A step line `- [x] Clear its inventory — 2026-11-20 wang — forced: why — note`, the checklist's
header line, the cycle line under it. Apart from the parser because the checklist editor,
merges and history read and write single lines without parsing a whole file.
"""

from __future__ import annotations

import re

from kam_tui.model.playbook_records import CycleLine, Header, StepLine, Tick

STEP = re.compile(r"- \[([ xX-])\] (.*)$")
# Things a writer meant as a step but git-flavoured markdown or kam would not read as one:
# `-[ ]`, `* [ ]`, `- []`, `- [ ]` with no text, or an indented (nested) step.
LOOKS_LIKE_STEP = re.compile(r"\s*[-*+]\s*\[[ xX-]?\]")
# Where a step's own text ends and its record begins; open step text must not contain it.
TICK_DATE = re.compile(r" — \d{4}-\d{2}-\d{2}(?: |$)")
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


def split_lines(text: str) -> list[str]:
    """Lines as git numbers them (only `\\n` ends a line), without their `\\r`."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def parse_tick(rest: str) -> tuple[str, Tick | None]:
    """`Clear its inventory — 2026-11-20 wang — forced: … — note` → (text, Tick)."""
    # The step's own text ends at the first ` — YYYY-MM-DD`; what follows is the record.
    first = TICK_DATE.search(rest)
    if first is None:
        return rest, None
    text, record = rest[: first.start()], rest[first.start() + len(SEPARATOR) :]
    date, _, tail = record.partition(" ")
    by, *parts = tail.split(SEPARATOR)
    reason = _reason(parts[0]) if parts else None
    if reason is not None:
        parts = parts[1:]
    return text, Tick(date, by, reason, SEPARATOR.join(parts) if parts else None)


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
