"""The checks that need the whole parsed file: missing stages or steps, duplicate steps, ticks
where they do not belong, a checklist without its header.

Apart from the line-by-line parser so that each rule reads as one plain condition over the records.
"""

from __future__ import annotations

from kam_tui.i18n import _
from kam_tui.model.playbook_lines import TICK_DATE
from kam_tui.model.playbook_records import Header, Kind, Stage
from kam_tui.model.problems import Level, Problem


def whole_file_problems(path: str, kind: Kind, stages: list[Stage], header: Header | None) -> list[Problem]:
    """What is wrong with the file as a whole, each problem on the line it concerns."""
    out: list[Problem] = []

    def problem(line: int, level: Level, message: str, hint: str | None = None) -> None:
        out.append(Problem(path, line, 0, level, message, hint))

    if not stages:
        problem(1, "error", _("no stages: a playbook needs '## Stage' headings with '- [ ] step' items"))
    elif not any(stage.steps for stage in stages):
        problem(stages[0].line, "error", _("no steps: a playbook needs '- [ ] step' items under its stages"))
    seen: dict[str, int] = {}
    for stage in stages:
        if not stage.steps:
            problem(stage.line, "warning", _("stage '{name}' has no steps").format(name=stage.name))
        for step in stage.steps:
            key = step.text.casefold()
            if key in seen:
                problem(
                    step.line,
                    "warning",
                    _("the same step as line {line}").format(line=seen[key]),
                    _("kam check by text cannot tell them apart; use its number or reword it"),
                )
            else:
                seen[key] = step.line
            if kind == "template" and not step.open:
                problem(
                    step.line,
                    "warning",
                    _("a template's step is already ticked"),
                    _("attaching gives a fresh copy with every step open"),
                )
            if step.open and TICK_DATE.search(step.text):
                problem(
                    step.line,
                    "error",
                    _("the step's text contains ' — YYYY-MM-DD', which kam reads as a tick's date"),
                    _("use another dash or date format"),
                )
            if kind == "checklist" and not step.open and step.tick is None:
                problem(
                    step.line,
                    "warning",
                    _("ticked without a date and a name"),
                    _("tick with `kam check` so the file says who did it and when"),
                )
    if kind == "checklist" and header is None:
        problem(
            1,
            "warning",
            _("no header line saying when and by whom the playbook was attached"),
            _("attach playbooks with `kam attach`"),
        )
    return out
