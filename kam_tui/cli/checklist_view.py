"""`kam checklist`: one account's checklists as they stand, as they stood in a past cycle, or their history."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from kam_tui.cli.output import OK, clean, note, print_json, table
from kam_tui.i18n import N_, _
from kam_tui.store.repository import NoSuchAccount, Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).
if TYPE_CHECKING:
    from kam_tui.model.playbook import Tick
    from kam_tui.store.checklists import ChecklistStatus


def register(sub: Any) -> None:
    p = sub.add_parser(
        "checklist", help=N_("an account's checklists: progress per stage, or --history"), intermixed=True
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", nargs="?", metavar="PLAYBOOK", help=N_("one checklist (default: all of the account's)"))
    p.add_argument("--history", action="store_true", help=N_("every attach, tick and untick from git history"))
    p.add_argument("--cycle", metavar="LABEL", help=N_("a recurring checklist as it stood in a past cycle (from git)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_checklist)


def cmd_checklist(args: argparse.Namespace) -> int:
    from kam_tui.model.checklist_plan import PlaybookError
    from kam_tui.store.checklist_history import tick_history
    from kam_tui.store.history import history_cut
    from kam_tui.store.checklists import account_playbooks, checklist_status
    from kam_tui.store.playbook_templates import template_names

    repo = Repository.find(args.repo)
    if args.history:
        events = tick_history(repo, args.id, args.playbook)
        cut = history_cut(repo, [e.hash for e in events])
        if cut:
            note(f"kam: warning: {cut}")
        if not events:
            _require_account(repo, args.id)
        if args.json:
            print_json([e.as_json() for e in events])
            return OK
        if not events:
            note(_("no checklist history yet"))
            return OK
        table(
            [
                [
                    e.date[:16].replace("T", " "),
                    e.author,
                    e.playbook,
                    _action(e.action),
                    e.step or "",
                    _na_record(e.tick) if e.action == "na" else _record(e.tick),
                ]
                for e in events
            ],
            [_("DATE"), _("AUTHOR"), _("PLAYBOOK"), _("ACTION"), _("STEP"), _("RECORD")],
            max_widths={4: 60, 5: 50},
        )
        return OK
    if args.cycle:
        from kam_tui.store.checklist_cycles import cycle_status

        if not args.playbook:
            raise PlaybookError(_("--cycle needs the PLAYBOOK: `kam checklist ID PLAYBOOK --cycle LABEL`"))
        past = cycle_status(repo, args.id, args.playbook, args.cycle)
        print_json(past.as_json()) if args.json else _print_status(past)
        return OK
    names = [args.playbook] if args.playbook else account_playbooks(repo, args.id)
    if not names:
        _require_account(repo, args.id)
        if args.json:
            print_json([])
        else:
            available = ", ".join(template_names(repo)) or _("none")
            note(
                _("{id} has no checklists; attach one with `kam attach {id} PLAYBOOK` (playbooks: {available})").format(
                    id=args.id, available=available
                )
            )
        return OK
    statuses = [checklist_status(repo, args.id, name) for name in names]
    problems = [p for s in statuses for p in s.file.problems]
    if args.json:
        data = [s.as_json() for s in statuses]
        print_json(data[0] if args.playbook else data)
    else:
        for index, status in enumerate(statuses):
            if index:
                print()
            _print_status(status)
    for problem in problems:  # shown with what could be read, exit 0 (`kam validate` judges)
        print(clean(problem.render()), file=sys.stderr)
    return OK


def _require_account(repo: Repository, account_id: str) -> None:
    if not (repo.root / repo.account_rel(account_id)).exists():
        raise NoSuchAccount(account_id)


def _action(action: str) -> str:
    return _(ACTION_WORDS[action]) if action in ACTION_WORDS else action


ACTION_WORDS = {
    "tick": N_("✓ tick"),
    "untick": N_("✗ untick"),
    "retick": N_("✓ re-tick"),
    "na": N_("– n/a"),
    "new-cycle": N_("↻ new cycle"),
}


def _record(tick: Tick | None) -> str:
    if tick is None:
        return ""
    parts = [f"{tick.date} {tick.by}"]
    if tick.reason:
        parts.append(_("forced: {reason}").format(reason=tick.reason))
    if tick.note:
        parts.append(tick.note)
    return " · ".join(parts)


def _na_record(tick: Tick | None) -> str:
    if tick is None:
        return ""
    return f"{tick.date} {tick.by} · " + _("n/a: {reason}").format(reason=tick.reason or "")


def _print_status(status: ChecklistStatus) -> None:
    from kam_tui.model.checklist import next_step, progress

    pb = status.playbook
    title = f" — {status.file.title}" if status.file.title else ""
    done = _("{done}/{total} done").format(done=pb.done, total=pb.total)
    if pb.na:
        done += " · " + _("{n} n/a").format(n=pb.na)
    print(f"{clean(status.account)} · {clean(status.name)}{clean(title)}   {done}")
    if pb.header:
        attached = _("attached {date} by {who}").format(date=pb.header.date, who=pb.header.by)
        if pb.header.reason:
            attached += " (" + _("forced: {reason}").format(reason=pb.header.reason) + ")"
        print(clean(attached))
    if pb.cycle:
        print(
            clean(
                _("cycle {label}, started {date} by {who}").format(
                    label=pb.cycle.label, date=pb.cycle.date, who=pb.cycle.by
                )
            )
        )
    for stage, prog in zip(pb.stages, progress(pb, status.file.ordered)):
        waits = "  " + _("(waits for the earlier stages)") if prog.locked and prog.done < prog.total else ""
        print(f"\n{clean(stage.name)}  {prog.done}/{prog.total}{waits}")
        for step in stage.steps:
            box = {"done": "[x]", "na": "[-]", "open": "[ ]"}[step.state]
            record = f" — {_na_record(step.tick) if step.na else _record(step.tick)}" if step.tick else ""
            print(f"  {step.number:>3} {box} {clean(step.text)}{clean(record)}")
    nxt = next_step(pb)
    print()
    print(_("next: {number} {text}").format(number=nxt.number, text=clean(nxt.text)) if nxt else _("all steps done"))
    if not status.template_exists:
        note(
            _("the template playbooks/{name}.md no longer exists; the checklist stands on its own").format(
                name=status.name
            )
        )
    elif status.differences:
        note(
            _(
                "the template playbooks/{name}.md has changed since: {n} step(s) differ "
                "(this checklist is left as it is):"
            ).format(name=status.name, n=len(status.differences))
        )
        for difference in status.differences:
            note("  " + difference.describe())
