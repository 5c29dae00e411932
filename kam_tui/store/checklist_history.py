"""Who ticked which step, when: checklist events read back from `git log -p`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam_tui.model.playbook import Tick, parse_cycle_line, parse_step_line
from kam_tui.store import gitcmd
from kam_tui.store.playbook_files import checklist_rel
from kam_tui.store.repository import CHECKLISTS, Repository, require_account_id


@dataclass(frozen=True, slots=True)
class TickEvent:
    """One change to a checklist as git recorded it."""

    hash: str
    date: str  # the commit's author date, ISO 8601
    author: str
    email: str
    playbook: str
    action: str  # attach | tick | untick | retick | na | add-step | remove-step | detach | new-cycle
    step: str | None = None
    tick: Tick | None = None  # the record written beside the tick (date, by, reason, note)
    message: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "date": self.date,
            "author": self.author,
            "email": self.email,
            "playbook": self.playbook,
            "action": self.action,
            "step": self.step,
            "tick": self.tick.as_json() if self.tick else None,
            "message": self.message,
        }


# A record marker no commit subject or checklist line can hold (checklists refuse NUL).
_RECORD, _FIELD = "\x00kam-record\x00", "\x00kam-field\x00"


def _git_format(marker: str) -> str:
    """A marker as git's --format spells it (NUL as %x00)."""
    return marker.replace("\x00", "%x00")


def tick_history(repo: Repository, account_id: str, name: str | None = None) -> list[TickEvent]:
    """Every attach, tick and untick of an account's checklists (or one of them), oldest first,
    read from `git log -p` of the checklist files."""
    path = checklist_rel(account_id, name) if name else f"{CHECKLISTS}/{require_account_id(account_id)}/"
    if gitcmd.head(repo.root) is None:
        return []
    out = gitcmd.git(
        repo.root,
        "-c",
        "core.quotepath=false",
        "log",
        "-p",
        "--reverse",
        "--no-color",
        "--no-ext-diff",
        "--no-renames",
        "--unified=0",
        f"--format={_git_format(_RECORD)}%H{_git_format(_FIELD)}%aI{_git_format(_FIELD)}%an"
        f"{_git_format(_FIELD)}%ae{_git_format(_FIELD)}%s",
        "--",
        path,
    ).stdout
    events: list[TickEvent] = []
    for record in out.split(_RECORD):
        if record.strip():
            events += _events_of_commit(record)
    return events


def _events_of_commit(record: str) -> list[TickEvent]:
    head, _, patch = record.partition("\n")
    parts = head.split(_FIELD, 4)
    if len(parts) != 5:
        return []
    sha, date, author, email, subject = parts
    events: list[TickEvent] = []
    files: list[tuple[str, str, list[str], list[str]]] = []  # (path, kind, removed, added)
    in_hunk = False
    for line in patch.split("\n"):
        if line.startswith("diff --git "):
            files.append(("", "modify", [], []))
            in_hunk = False
            continue
        if not files:
            continue
        path, kind, removed, added = files[-1]
        if not in_hunk:
            if line.startswith("new file mode"):
                files[-1] = (path, "create", removed, added)
            elif line.startswith("deleted file mode"):
                files[-1] = (path, "delete", removed, added)
            elif line.startswith("--- a/") and not path or line.startswith("+++ b/"):
                files[-1] = (line[6:], kind, removed, added)
            elif line.startswith("@@"):
                in_hunk = True
            continue
        if line.startswith("@@"):
            continue
        if line.startswith("-"):
            removed.append(line[1:])
        elif line.startswith("+"):
            added.append(line[1:])

    def event(playbook: str, action: str, step: str | None = None, tick: Tick | None = None) -> None:
        events.append(TickEvent(sha, date, author, email, playbook, action, step, tick, subject))

    for path, kind, removed, added in files:
        playbook = Path(path).stem
        if kind == "create":
            event(playbook, "attach")
            continue
        if kind == "delete":
            event(playbook, "detach")
            continue
        cycle = next((c for c in (parse_cycle_line(x.rstrip("\r"), 0) for x in added) if c is not None), None)
        if cycle is not None:  # a new cycle: every step opened again, one event
            event(playbook, "new-cycle", cycle.label)
            continue
        before = [s for s in (parse_step_line(x.rstrip("\r")) for x in removed) if s is not None]
        after = [s for s in (parse_step_line(x.rstrip("\r")) for x in added) if s is not None]
        for state, text, tick in after:
            match = next((b for b in before if b.text == text), None)
            if match is None:
                event(playbook, "add-step", text)
                continue
            before.remove(match)
            if state == match.state:
                if state != "open" and match.tick != tick:
                    event(playbook, "retick" if state == "done" else "na", text, tick)
            elif state == "done":
                event(playbook, "tick", text, tick)
            elif state == "na":
                event(playbook, "na", text, tick)
            else:
                event(playbook, "untick", text)
        for _done, text, _tick in before:
            event(playbook, "remove-step", text)
    return events
