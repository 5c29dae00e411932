"""The merge driver merges account files field by field and checklists tick by tick: two
people's edits of different fields never conflict, the same field changed two ways is a
conflict of that field only (both values kept), and nothing either side wrote is lost."""

from __future__ import annotations

from kam_tui.model.checklist_merge import merge_checklists
from kam_tui.store.merge import merge_file
from kam_tui.store.yamlread import parse_bytes

BASE = b"""# Sanjiang: our oldest account
id: sanjiang
name: Sanjiang Auto
stage: active
ratings: {capital: 3, network: 3, logistics: 4}
periods:
  2026-Q3: {sales: 1000, gross_margin: 0.1,
            receivables: 500, overdue: 0}
visits:
  - date: 2026-11-01
    by: li
    summary: kick-off
"""
REL = "accounts/sanjiang.yaml"


def merge(ours: bytes, theirs: bytes, base: bytes = BASE):  # type: ignore[no-untyped-def]
    return merge_file(base, ours, theirs, REL)


def test_different_keys_of_one_flow_map_merge_cleanly_keeping_ours_layout() -> None:
    ours = BASE.replace(b"capital: 3", b"capital: 4")
    theirs = BASE.replace(b"network: 3", b"network: 5")
    out = merge(ours, theirs)
    assert out.clean
    assert out.data == BASE.replace(b"{capital: 3, network: 3", b"{capital: 4, network: 5")


def test_different_figures_of_one_wrapped_flow_map_merge_cleanly() -> None:
    ours = BASE.replace(b"sales: 1000", b"sales: 1200")
    theirs = BASE.replace(b"overdue: 0", b"overdue: 100")
    out = merge(ours, theirs)
    assert out.clean
    assert out.data == BASE.replace(b"sales: 1000", b"sales: 1200").replace(b"overdue: 0", b"overdue: 100")


def test_adjacent_lines_changed_on_both_sides_merge_cleanly() -> None:
    ours = BASE.replace(b"name: Sanjiang Auto", b"name: Sanjiang Automotive")
    theirs = BASE.replace(b"stage: active", b"stage: at-risk")
    out = merge(ours, theirs)
    assert out.clean
    assert b"name: Sanjiang Automotive\nstage: at-risk\n" in out.data


def test_the_same_field_changed_two_ways_is_a_conflict_of_that_field_only() -> None:
    ours = BASE.replace(b"capital: 3", b"capital: 4").replace(b"stage: active", b"stage: at-risk")
    theirs = BASE.replace(b"capital: 3", b"capital: 5").replace(b"sales: 1000", b"sales: 900")
    out = merge(ours, theirs)
    assert out.conflicts == ["ratings.capital: ours 4, theirs 5"]
    text = out.data.decode()
    assert (
        "<<<<<<< ours\nratings: {capital: 4, network: 3, logistics: 4}\n=======\n"
        "ratings: {capital: 5, network: 3, logistics: 4}\n>>>>>>> theirs\n" in text
    )
    assert "stage: at-risk" in text and "sales: 900" in text  # both sides' clean changes are merged
    assert text.count("<<<<<<<") == 1


def test_visits_appended_on_both_sides_are_all_kept_in_date_order() -> None:
    ours = BASE + b"  - date: 2026-11-10\n    by: wang\n    summary: ours\n"
    theirs = BASE + b"  - date: 2026-11-05\n    by: zhao\n    summary: theirs\n    next: call back\n"
    out = merge(ours, theirs)
    assert out.clean
    assert out.data.endswith(
        b"    summary: kick-off\n"
        b"  - date: 2026-11-05\n    by: zhao\n    summary: theirs\n    next: call back\n"
        b"  - date: 2026-11-10\n    by: wang\n    summary: ours\n"
    )


def test_visits_of_the_same_day_keep_ours_first() -> None:
    ours = BASE + b"  - date: 2026-11-10\n    by: wang\n    summary: ours\n"
    theirs = BASE + b"  - date: 2026-11-10\n    by: zhao\n    summary: theirs\n"
    out = merge(ours, theirs)
    assert out.clean
    assert out.data.index(b"summary: ours") < out.data.index(b"summary: theirs")


def test_two_fields_of_one_complaint_changed_on_two_sides_give_one_complaint_with_both() -> None:
    """A list item is the same item while the schema's identity keys (a complaint's opened and
    summary) are the same: edits of its other fields merge inside it, never duplicate it."""
    base = BASE + b"complaints:\n  - opened: 2026-11-02\n    summary: late delivery\n"
    ours = base + b"    answered: 2026-11-03\n"
    theirs = base + b"    closed: 2026-11-09\n"
    out = merge(ours, theirs, base)
    assert out.clean
    complaints = parse_bytes(out.data).data["complaints"]
    assert [{k: str(v) for k, v in c.items()} for c in complaints] == [
        {"opened": "2026-11-02", "summary": "late delivery", "answered": "2026-11-03", "closed": "2026-11-09"}
    ]


def test_the_same_field_of_one_visit_changed_two_ways_is_a_conflict_of_that_field() -> None:
    out = merge(BASE + b"    next: call\n", BASE + b"    next: visit\n")
    assert not out.clean
    assert out.data.count(b"summary: kick-off") == 1
    assert b"next: call" in out.data and b"next: visit" in out.data


def test_a_comment_the_other_side_added_survives() -> None:
    ours = BASE.replace(b"capital: 3", b"capital: 4")
    theirs = BASE.replace(b"stage: active\n", b"# moved to active after the audit\nstage: active  # since Q3\n")
    out = merge(ours, theirs)
    assert out.clean
    assert b"# moved to active after the audit\nstage: active  # since Q3\n" in out.data  # spaced as they wrote it
    assert b"capital: 4" in out.data


def test_both_sides_adding_the_same_key_give_one_key() -> None:
    ours = BASE.replace(b"stage: active\n", b"stage: active\nowner: wang\n")
    theirs = BASE + b"owner: wang\n"
    out = merge(ours, theirs)
    assert out.clean
    assert out.data.count(b"owner:") == 1
    parse_bytes(out.data)  # reads: no duplicate key


def test_both_sides_adding_one_key_with_different_values_conflict_with_both_values() -> None:
    ours = BASE + b"owner: wang\n"
    theirs = BASE + b"owner: li\n"
    out = merge(ours, theirs)
    assert out.conflicts == ["owner: ours wang, theirs li"]
    assert b"<<<<<<< ours\nowner: wang\n=======\nowner: li\n>>>>>>> theirs\n" in out.data


def test_a_key_the_other_side_added_is_written_as_they_wrote_it() -> None:
    ours = BASE.replace(b"capital: 3", b"capital: 4")
    theirs = BASE.replace(b"stage: active\n", b"stage: active\nnotes: |\n  line one\n  line two\n")
    out = merge(ours, theirs)
    assert out.clean
    assert b"stage: active\nnotes: |\n  line one\n  line two\nratings: {capital: 4" in out.data


def test_a_merge_that_would_add_a_validation_error_is_a_conflict() -> None:
    ours = BASE.replace(b"overdue: 0", b"overdue: 450")  # valid: 450 of 500 overdue
    theirs = BASE.replace(b"receivables: 500", b"receivables: 300")  # valid: 0 of 300
    out = merge(ours, theirs)
    assert not out.clean
    assert sorted(out.conflicts) == [
        "periods.2026-Q3.overdue: ours 450, theirs 0",
        "periods.2026-Q3.receivables: ours 500, theirs 300",
    ]
    assert b"<<<<<<< ours\n            receivables: 500, overdue: 450}\n=======\n" in out.data


def test_a_removed_visit_stays_removed_when_the_other_side_only_appended() -> None:
    base = BASE + b"  - date: 2026-11-02\n    by: li\n    summary: duplicate entry\n"
    ours = BASE
    theirs = base + b"  - date: 2026-11-09\n    by: zhao\n    summary: new\n"
    out = merge(ours, theirs, base)
    assert out.clean
    assert b"duplicate entry" not in out.data and b"summary: new" in out.data


def test_a_file_with_conflict_markers_falls_back_to_the_line_merge() -> None:
    ours = BASE.replace(b"stage: active\n", b"<<<<<<< HEAD\nstage: active\n")
    theirs = BASE.replace(b"capital: 3", b"capital: 5")
    out = merge(ours, theirs)
    assert out.clean  # git's merge of different lines
    assert b"capital: 5" in out.data and b"<<<<<<< HEAD" in out.data


STEPS = "> kam checklist: maintenance, attached 2026-11-01 by wang\n\n- [ ] Visit\n\n- [ ] Survey\n"


def test_the_same_step_ticked_twice_keeps_the_earlier_tick_and_both_notes() -> None:
    ours = STEPS.replace("- [ ] Visit", "- [x] Visit — 2026-11-20 wang — met the owner")
    theirs = STEPS.replace("- [ ] Visit", "- [x] Visit — 2026-11-18 li — phoned first")
    merged = merge_checklists(STEPS, ours, theirs)
    assert merged is not None
    (text, _), conflicts = merged
    assert conflicts == []
    assert "- [x] Visit — 2026-11-18 li — phoned first — met the owner\n" in text


def test_ticks_of_different_steps_merge_through_the_driver() -> None:
    ours = STEPS.replace("- [ ] Visit", "- [x] Visit — 2026-11-20 wang")
    theirs = STEPS.replace("- [ ] Survey", "- [x] Survey — 2026-11-21 li")
    out = merge_file(STEPS.encode(), ours.encode(), theirs.encode(), "checklists/sanjiang/maintenance.md")
    assert out.clean
    assert out.data.decode() == STEPS.replace("- [ ] Visit", "- [x] Visit — 2026-11-20 wang").replace(
        "- [ ] Survey", "- [x] Survey — 2026-11-21 li"
    )
