"""The pure playbook/checklist layer: parsing with lines, rendering, one-line ticks, finding,
gating, progress and template drift. No disk, no git."""

from __future__ import annotations


import pytest

from kam_tui.model.checklist import (
    ChecklistError,
    StepNotFound,
    blocking_stage,
    current_stage,
    find_step,
    header_line,
    next_step,
    one_line,
    progress,
    render_checklist,
    set_step,
    template_differences,
)
from kam_tui.model.playbook import Tick, parse_playbook, parse_step_line
from kam_tui.store.shipped import shipped_playbooks

SMALL = """---
title: Small
stages: [active]
---

Intro text.

## First
- [ ] Alpha step
  guidance for alpha
- [ ] Beta step
- [ ] Gamma step

## Second
- [ ] Delta step
- [ ] Epsilon step
"""


def lines_changed(a: str, b: str) -> list[tuple[str, str]]:
    left, right = a.split("\n"), b.split("\n")
    assert len(left) == len(right)
    return [(x, y) for x, y in zip(left, right) if x != y]


def checklist(template: str = SMALL) -> str:
    return render_checklist(template, header_line("small", "2026-11-20", "wang"))


# --- the shipped templates ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["development", "maintenance", "staged-exit"])
def test_shipped_templates_parse_clean_and_languages_match(name: str) -> None:
    en = parse_playbook(shipped_playbooks("en")[name].read_text(encoding="utf-8"), f"en/{name}.md")
    zh = parse_playbook(shipped_playbooks("zh")[name].read_text(encoding="utf-8"), f"zh/{name}.md")
    assert en.problems == () and zh.problems == ()
    assert [len(s.steps) for s in en.stages] == [len(s.steps) for s in zh.stages]
    assert en.total >= 20
    assert all(step.guidance for step in en.steps)  # concrete steps, each with guidance


def test_staged_exit_stages_follow_the_handbook() -> None:
    pb = parse_playbook(shipped_playbooks("en")["staged-exit"].read_text(encoding="utf-8"))
    assert [s.name for s in pb.stages] == ["Before", "During", "After"]
    before = " ".join(s.text for s in pb.stages[0].steps).lower()
    for words in ("downstream network", "inventory", "collect", "settle"):
        assert words in before


# --- parsing --------------------------------------------------------------------------------------


def test_parse_gives_numbers_lines_stages_and_guidance() -> None:
    pb = parse_playbook(SMALL, "playbooks/small.md")
    assert pb.problems == ()
    assert [(s.number, s.stage, s.text, s.line) for s in pb.steps] == [
        (1, "First", "Alpha step", 9),
        (2, "First", "Beta step", 11),
        (3, "First", "Gamma step", 12),
        (4, "Second", "Delta step", 15),
        (5, "Second", "Epsilon step", 16),
    ]
    assert pb.steps[0].guidance == ("guidance for alpha",)
    assert pb.front_matter == "title: Small\nstages: [active]"
    assert pb.front_matter_line == 2


# name: (template text, expected line, level, a piece of the message)
BAD: dict[str, tuple[str, int, str, str]] = {
    "step before any stage": ("- [ ] Too early\n## S\n- [ ] ok\n", 1, "error", "before the first stage"),
    "nested step": ("## S\n- [ ] ok\n  - [ ] nested\n", 3, "error", "nested steps"),
    "no space in box": ("## S\n- [ ] ok\n-[ ] squashed\n", 3, "error", "not a step"),
    "star bullet": ("## S\n- [ ] ok\n* [ ] star\n", 3, "error", "not a step"),
    "empty box": ("## S\n- [ ] ok\n- [] empty box\n", 3, "error", "not a step"),
    "step without text": ("## S\n- [ ] ok\n- [ ]  \n", 3, "error", "without text"),
    "heading without space": ("## S\n- [ ] ok\n##Later\n", 3, "error", "stage heading"),
    "stage twice": ("## S\n- [ ] ok\n\n## S\n- [ ] again\n", 4, "error", "appears twice"),
    "front matter never closed": ("---\ntitle: x\n## S\n- [ ] ok\n", 1, "error", "never closed"),
    "conflict marker": (
        "## S\n<<<<<<< HEAD\n- [ ] ok\n=======\n- [ ] other\n>>>>>>> b\n",
        2,
        "error",
        "conflict marker",
    ),
    "no stages": ("Just prose.\n", 1, "error", "no stages"),
    "stage without steps": ("## S\n- [ ] ok\n## Empty\n", 3, "warning", "no steps"),
    "same step twice": ("## S\n- [ ] Call\n\n- [ ] call\n", 4, "warning", "same step"),
    "ticked template step": ("## S\n- [x] done already\n", 2, "warning", "already ticked"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_template_reported_with_its_line(case: str) -> None:
    text, line, level, piece = BAD[case]
    pb = parse_playbook(text, "playbooks/bad.md")
    found = [p for p in pb.problems if piece in p.message]
    assert found, pb.problems
    assert (found[0].line, found[0].level) == (line, level)
    assert found[0].render().startswith(f"playbooks/bad.md:{line}: {level}: ")


NO_STAGES = "x.md:1: error: no stages: a playbook needs '## Stage' headings with '- [ ] step' items"


@pytest.mark.parametrize(
    "text,problems",
    [
        ("", [NO_STAGES]),
        ("\n\n", [NO_STAGES]),
        ("\x00\x1b[31m", [NO_STAGES]),
        ("---\n---\n", [NO_STAGES]),
        (
            "---",
            [
                "x.md:1: error: front matter opened with '---' on line 1 is never closed (end it with a line '---')",
                NO_STAGES,
            ],
        ),
        (
            "## \n- [ ]",
            [
                "x.md:1: error: a stage heading is '## ' followed by its name",
                NO_STAGES,
                "x.md:2: error: not a step kam can read (a step is '- [ ] text' at the start of a line)",
            ],
        ),
    ],
)
def test_junk_is_a_playbook_with_problems_not_an_exception(text: str, problems: list[str]) -> None:
    """Any text parses to a playbook; what kam cannot use is a problem with its line."""
    playbook = parse_playbook(text, "x.md")
    assert playbook.stages == ()
    assert [p.render() for p in playbook.problems] == problems


def test_crlf_playbook_reads_like_lf() -> None:
    """CRLF line endings are read like LF: the stage and its step, on their own lines."""
    playbook = parse_playbook("\r\n## S\r\n- [ ] x\r\n", "x.md")
    assert playbook.problems == ()
    [stage] = playbook.stages
    assert (stage.name, stage.line) == ("S", 2)
    assert [(s.number, s.text, s.line) for s in stage.steps] == [(1, "x", 3)]


def test_step_line_with_record() -> None:
    assert parse_step_line("- [x] Clear its inventory — 2026-11-20 wang — forced: boss — counted 12 — ok") == (
        "done",
        "Clear its inventory",
        Tick("2026-11-20", "wang", "boss", "counted 12 — ok"),
    )
    assert parse_step_line("- [x] 清理库存 — 2026-11-20 王伟 — 强制：领导同意") == (
        "done",
        "清理库存",
        Tick("2026-11-20", "王伟", "领导同意", None),
    )
    assert parse_step_line("- [x] By hand") == ("done", "By hand", None)
    assert parse_step_line("- [ ] Open — not a record") == ("open", "Open — not a record", None)
    assert parse_step_line("  - [ ] nested") is None


# --- rendering ------------------------------------------------------------------------------------


def test_render_puts_header_after_front_matter_and_keeps_the_rest() -> None:
    text = checklist()
    lines = text.split("\n")
    assert lines[:6] == [
        "---",
        "title: Small",
        "stages: [active]",
        "---",
        "",
        "> kam checklist: small, attached 2026-11-20 by wang",
    ]
    pb = parse_playbook(text, "c.md", "checklist")
    assert pb.problems == ()
    assert pb.header is not None and (pb.header.date, pb.header.by, pb.header.reason) == ("2026-11-20", "wang", None)
    assert [s.text for s in pb.steps] == [s.text for s in parse_playbook(SMALL).steps]


def test_render_separates_adjacent_steps_so_ticks_merge() -> None:
    pb = parse_playbook(checklist(), "c.md", "checklist")
    step_lines = [s.line for s in pb.steps]
    assert all(b - a >= 2 for a, b in zip(step_lines, step_lines[1:]))


def test_render_without_front_matter_crlf_and_ticked_template() -> None:
    template = "# Title\r\n## S\r\n- [x] Done in template — 2026-01-01 x\r\n- [ ] Next\r\n"
    text = render_checklist(template, header_line("t", "2026-11-20", "li", "because", "zh"))
    assert text == (
        "> kam 清单：t，2026-11-20 由 li 启用 — 强制：because\r\n\r\n# Title\r\n## S\r\n"
        "- [ ] Done in template\r\n\r\n- [ ] Next\r\n"
    )
    pb = parse_playbook(text, "c.md", "checklist")
    assert pb.header is not None and pb.header.reason == "because" and pb.header.by == "li"


# --- ticking --------------------------------------------------------------------------------------


def test_tick_and_untick_change_exactly_one_line() -> None:
    text = checklist()
    pb = parse_playbook(text, "c.md", "checklist")
    beta = find_step(pb, "2")
    ticked = set_step(text, beta, Tick("2026-11-20", "wang", None, "called twice"))
    assert lines_changed(text, ticked) == [("- [ ] Beta step", "- [x] Beta step — 2026-11-20 wang — called twice")]
    again = parse_playbook(ticked, "c.md", "checklist")
    assert again.steps[1].done and again.steps[1].tick == Tick("2026-11-20", "wang", None, "called twice")
    assert set_step(ticked, again.steps[1], None) == text


def test_tick_keeps_crlf_and_writes_reason_in_language() -> None:
    text = checklist(SMALL.replace("\n", "\r\n"))
    pb = parse_playbook(text, "c.md", "checklist")
    ticked = set_step(text, pb.steps[3], Tick("2026-11-21", "王伟", "客户同意", None), lang="zh")
    assert lines_changed(text, ticked) == [
        ("- [ ] Delta step\r", "- [x] Delta step — 2026-11-21 王伟 — 强制：客户同意\r")
    ]


def test_one_line_user_text() -> None:
    assert one_line("  two\nlines\t here ", "note") == "two lines here"
    assert one_line("a — b", "note") == "a - b"
    with pytest.raises(ChecklistError):
        one_line("bell\x07", "note")
    with pytest.raises(ChecklistError):
        one_line("rtl\u202eoverride", "note")


# --- finding --------------------------------------------------------------------------------------


def test_find_step_by_number_and_text() -> None:
    pb = parse_playbook(SMALL)
    assert find_step(pb, "4").text == "Delta step"
    assert find_step(pb, " gamma ").number == 3
    assert find_step(pb, "EPSILON STEP").number == 5
    with pytest.raises(StepNotFound, match="numbered 1 to 5"):
        find_step(pb, "9")
    with pytest.raises(StepNotFound, match="matches 5 steps"):
        find_step(pb, "step")
    with pytest.raises(StepNotFound, match="did you mean 'Delta step'"):
        find_step(pb, "Deltx step")


def test_exact_text_wins_over_a_piece() -> None:
    pb = parse_playbook("## S\n- [ ] Visit\n\n- [ ] Visit report\n")
    assert find_step(pb, "visit").number == 1


# --- gating, progress, drift ----------------------------------------------------------------------


def test_gating_and_progress() -> None:
    text = checklist()
    pb = parse_playbook(text, "c.md", "checklist")
    delta = pb.steps[3]
    assert blocking_stage(pb, delta) is not None and blocking_stage(pb, delta).name == "First"
    for number in (1, 2, 3):
        pb = parse_playbook(text, "c.md", "checklist")
        text = set_step(text, pb.steps[number - 1], Tick("2026-11-20", "wang"))
    pb = parse_playbook(text, "c.md", "checklist")
    assert blocking_stage(pb, pb.steps[3]) is None
    assert [(p.name, p.done, p.total, p.locked) for p in progress(pb)] == [
        ("First", 3, 3, False),
        ("Second", 0, 2, False),
    ]
    assert next_step(pb).number == 4 and current_stage(pb).name == "Second"


def test_progress_locks_later_stages() -> None:
    pb = parse_playbook(SMALL)
    assert [p.locked for p in progress(pb)] == [False, True]


def test_template_differences() -> None:
    attached = parse_playbook(checklist(), "c.md", "checklist")
    changed = (
        SMALL.replace("- [ ] Beta step\n", "")
        .replace("- [ ] Gamma step\n", "- [ ] Zeta step\n")
        .replace("## Second\n- [ ] Delta step\n", "## Second\n")
        .replace("- [ ] Epsilon step\n", "- [ ] Epsilon step\n\n## Third\n- [ ] Delta step\n")
    )
    diffs = template_differences(attached, parse_playbook(changed))
    assert sorted((d.change, d.text, d.stage, d.from_stage) for d in diffs) == [
        ("added", "Zeta step", "First", None),
        ("moved", "Delta step", "Third", "Second"),
        ("removed", "Beta step", "First", None),
        ("removed", "Gamma step", "First", None),
    ]
    assert template_differences(attached, parse_playbook(SMALL)) == []


def test_code_fences_hold_text_not_steps_and_closing_hashes_are_not_part_of_a_name() -> None:
    from kam_tui.model.playbook import parse_playbook

    text = (
        "## Before ##\n- [ ] Real step\n  Guidance:\n  ```\n  - [ ] an example, not a step\n  ```\n"
        "\n```\n- [ ] also an example\n## Not a stage\n```\n- [ ] Second real step\n"
    )
    pb = parse_playbook(text, "playbooks/x.md")
    assert [s.name for s in pb.stages] == ["Before"]
    assert [s.text for s in pb.steps] == ["Real step", "Second real step"]
    assert not [p for p in pb.problems if p.level == "error"]


def test_an_old_chinese_header_is_read_forever() -> None:
    """Checklists attached before the wording became "启用" keep their header ("挂上")."""
    old = "> kam 清单：staged-exit，2025-03-01 由 王伟 挂上\n\n## 事前\n- [ ] 抓网络\n"
    pb = parse_playbook(old, "c.md", "checklist")
    assert pb.header is not None and (pb.header.playbook, pb.header.date, pb.header.by) == (
        "staged-exit",
        "2025-03-01",
        "王伟",
    )
    assert not pb.problems
