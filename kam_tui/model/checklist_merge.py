"""Merging two clones' ticks of one checklist.

Every tick changes one step line (`model.checklist` keeps steps apart, so git's line merge
already takes ticks of different steps). What git cannot take is the same step ticked in
both clones: that is one step done, so the merge keeps the earlier tick (its date, its
person, its reason) and both notes. Anything else changed two ways on one line is a
conflict of that line only.
"""

from __future__ import annotations

from kam_tui.model.playbook import SEPARATOR, parse_step_line


def merge_checklists(base: str, ours: str, theirs: str) -> tuple[tuple[str, str], list[int]] | None:
    """((ours-variant, theirs-variant), conflicting line numbers), or None when the three
    versions do not line up (lines added or removed: git's line merge handles those)."""
    b, o, t = base.split("\n"), ours.split("\n"), theirs.split("\n")
    if not len(b) == len(o) == len(t):
        return None
    out_ours: list[str] = []
    out_theirs: list[str] = []
    conflicts: list[int] = []
    for number, (bl, ol, tl) in enumerate(zip(b, o, t), start=1):
        if ol == tl or tl == bl:
            line = ol
        elif ol == bl:
            line = tl
        else:
            both = both_ticked(ol, tl)
            if both is None:
                conflicts.append(number)
                out_ours.append(ol)
                out_theirs.append(tl)
                continue
            line = both
        out_ours.append(line)
        out_theirs.append(line)
    return ("\n".join(out_ours), "\n".join(out_theirs)), conflicts


def both_ticked(ours: str, theirs: str) -> str | None:
    """One line for a step both sides ticked: the earlier tick (ours on the same day) with the
    other's note added; None when the lines are not the same step ticked twice."""
    cr = "\r" if ours.endswith("\r") else ""
    o = parse_step_line(ours.removesuffix("\r"))
    t = parse_step_line(theirs.removesuffix("\r"))
    if o is None or t is None or not (o.done and t.done) or o.text != t.text or o.tick is None or t.tick is None:
        return None
    if t.tick.date < o.tick.date:
        kept, kept_tick, other = theirs.removesuffix("\r"), t.tick, o.tick
    else:
        kept, kept_tick, other = ours.removesuffix("\r"), o.tick, t.tick
    if other.note and other.note != kept_tick.note:
        kept += SEPARATOR + other.note
    return kept + cr
