"""Playbook and checklist commands: attach, check, checklist, checklists, playbook list/add."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from kam_tui.cli.output import OK, REFUSED, clean, note, print_json, table
from kam_tui.i18n import N_, _
from kam_tui.store.repository import NoSuchAccount, Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.
if TYPE_CHECKING:
    from kam_tui.model.playbook import Tick
    from kam_tui.store.checklists import ChecklistStatus

AUTHOR_HELP = "commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user); its name goes beside the tick"

PLAYBOOK_ADD_HELP = """\
Copy one of kam's own templates into playbooks/ and commit it. A repository made with
`kam init --lang en` has the English templates as playbooks/development.md,
maintenance.md and staged-exit.md; the other language is one command away:

  kam playbook add staged-exit --lang zh     # writes playbooks/staged-exit-zh.md

Without --lang the repository's language is used and the file is playbooks/NAME.md
(to restore a deleted template); in the other language it is playbooks/NAME-LANG.md,
or the name given with --as. Attach it by that name: `kam attach ID staged-exit-zh`
(any `staged-exit-*` copy follows the staged-exit rules)."""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "attach",
        help="attach a playbook to an account as its checklist (one commit)",
        intermixed=True,
        description=(
            "Write checklists/ID/PLAYBOOK.md, a copy of playbooks/PLAYBOOK.md with a header "
            "line, and commit it. Attaching staged-exit is always allowed and sets the account's "
            "stage to exiting in the same commit; its 'during' stage waits until the downstream "
            "network is in hand (see `kam check`)."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", metavar="PLAYBOOK", help="the template's file name without .md")
    p.add_argument("--force", action="store_true", help="attach a playbook whose stages do not fit the account")
    p.add_argument("--reason", metavar="TEXT", help="why --force")
    p.add_argument(
        "--new-cycle",
        action="store_true",
        help="start the next cycle of a recurring checklist: the same file, every step open again (one commit)",
    )
    p.add_argument("--cycle", metavar="LABEL", help="the new cycle's label (default: this quarter, e.g. 2026-Q4)")
    p.add_argument("--author", help=AUTHOR_HELP)
    p.set_defaults(run=cmd_attach)

    p = sub.add_parser(
        "check",
        help="tick (or --undo) one step of a checklist (one commit)",
        intermixed=True,
        description=(
            "Tick one step: exactly one line of the checklist changes "
            "(`- [x] Clear its inventory — 2026-11-20 wang`) in one commit "
            "(`acme-motors: staged-exit ✓ Clear its inventory`; --undo commits `… ✗ …`). "
            "In a playbook whose front matter says `ordered: true` (development, staged exit) a step "
            "of a later stage waits until the earlier stages are done, and the first "
            "step of a staged exit's 'during' stage waits until its downstream network is in "
            "hand (network_held at or above kam.yaml's risks.control.in_hand), unless "
            "--force --reason TEXT (the reason is written beside the tick). "
            "A step that does not apply is marked with --na --reason TEXT (`- [-]`, counted apart)."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", metavar="PLAYBOOK")
    p.add_argument(
        "item",
        nargs="+",
        metavar="ITEM",
        help="the step's number as `kam checklist` lists it, or a piece of its text only it has",
    )
    p.add_argument("--undo", action="store_true", help="untick the step")
    p.add_argument("--note", metavar="TEXT", help="a short note written beside the tick")
    p.add_argument(
        "--force", action="store_true", help="tick although an earlier stage is open or the network is not in hand"
    )
    p.add_argument("--na", action="store_true", help="mark the step not applicable (needs --reason)")
    p.add_argument("--reason", metavar="TEXT", help="why --force, or why the step does not apply (written beside it)")
    p.add_argument("--author", help=AUTHOR_HELP)
    p.set_defaults(run=cmd_tick)

    p = sub.add_parser("checklist", help="an account's checklists: progress per stage, or --history", intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", nargs="?", metavar="PLAYBOOK", help="one checklist (default: all of the account's)")
    p.add_argument("--history", action="store_true", help="every attach, tick and untick from git history")
    p.add_argument("--cycle", metavar="LABEL", help="a recurring checklist as it stood in a past cycle (from git)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_checklist)

    p = sub.add_parser("detach", help="remove a checklist from an account; the commit keeps why", intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", metavar="PLAYBOOK")
    p.add_argument("--reason", metavar="TEXT", required=True, help="why it is removed (kept in the commit)")
    p.add_argument("--author", help=AUTHOR_HELP)
    p.set_defaults(run=cmd_detach)

    p = sub.add_parser("checklists", help="the portfolio: which accounts run which playbook, and how far")
    p.add_argument("--playbook", metavar="NAME", help="only this playbook")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_checklists)

    p = sub.add_parser("playbook", help="playbook templates: list them, add kam's own in either language")
    psub = p.add_subparsers(dest="playbook_command", metavar="SUBCOMMAND", parser_class=type(p))
    q = psub.add_parser("list", help="the templates in playbooks/ and the ones kam ships")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=cmd_playbook_list)
    q = psub.add_parser(
        "add",
        help="copy kam's template NAME (e.g. in the other language) and commit it",
        description=PLAYBOOK_ADD_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        intermixed=True,
    )
    q.add_argument("name", metavar="NAME", help="development, maintenance or staged-exit")
    q.add_argument("--lang", choices=("en", "zh"), help="the template's language (default: the repository's)")
    q.add_argument("--as", dest="as_name", metavar="FILE", help="the new file's name without .md")
    q.add_argument("--author", help="commit author 'Name <email>'")
    q.set_defaults(run=cmd_playbook_add)
    p.set_defaults(run=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return REFUSED


def _force_args(args: argparse.Namespace) -> bool:
    from kam_tui.model.checklist_plan import PlaybookError

    if getattr(args, "na", False):
        if args.force or args.undo:
            raise PlaybookError(_("--na goes alone: not with --force or --undo"))
        if not (args.reason or "").strip():
            raise PlaybookError(_("--na needs --reason TEXT: why the step does not apply is kept beside it"))
        return False
    if args.reason and not args.force:
        raise PlaybookError(_("--reason goes with --force"))
    if args.force and not (args.reason or "").strip():
        raise PlaybookError(_("--force needs --reason TEXT: the reason is kept with the change"))
    return bool(args.force)


# --- writing ---------------------------------------------------------------------------------------


def cmd_attach(args: argparse.Namespace) -> int:
    from kam_tui.model.checklist_plan import PlaybookError

    force = _force_args(args)
    if args.new_cycle:
        _new_cycle(args)
    elif args.cycle:
        raise PlaybookError(_("--cycle goes with --new-cycle"))
    else:
        _attach(args)
    if force:  # said after either: its reason was written nowhere
        note(_("--force was not needed; nothing was overridden"))
    return OK


def _attach(args: argparse.Namespace) -> None:
    from kam_tui.store.checklist_writes import attach

    result = attach(Repository.find(args.repo), args.id, args.playbook, author=args.author)
    print(f"{result.commit[:10]} {clean(result.message)}")
    note(
        _("{path}: see `kam checklist {id} {playbook}`, tick with `kam check {id} {playbook} NUMBER`").format(
            path=result.rel, id=result.account, playbook=result.playbook
        )
    )


def _new_cycle(args: argparse.Namespace) -> None:
    from kam_tui.store.checklist_cycles import new_cycle

    cycle = new_cycle(Repository.find(args.repo), args.id, args.playbook, label=args.cycle, author=args.author)
    print(f"{cycle.commit[:10]} {clean(cycle.message)}")
    note(
        _("cycle {previous} closed (see it with `kam checklist {id} {playbook} --cycle {previous}`)").format(
            previous=cycle.previous, id=cycle.account, playbook=cycle.playbook
        )
    )


def cmd_detach(args: argparse.Namespace) -> int:
    from kam_tui.store.checklist_writes import detach

    sha, subject = detach(Repository.find(args.repo), args.id, args.playbook, reason=args.reason, author=args.author)
    print(f"{sha[:10]} {clean(subject)}")
    return OK


def cmd_tick(args: argparse.Namespace) -> int:
    """`kam check`: tick a step, or untick it with --undo."""
    from kam_tui.store.checklist_writes import tick, untick

    force = _force_args(args)
    item = " ".join(args.item)
    if args.undo:
        result = untick(Repository.find(args.repo), args.id, args.playbook, item, note=args.note, author=args.author)
    else:
        result = tick(
            Repository.find(args.repo),
            args.id,
            args.playbook,
            item,
            note=args.note,
            force=force,
            reason=args.reason,
            author=args.author,
            na=args.na,
        )
    print(f"{result.commit[:10]} {clean(result.message)}")
    if result.network_forced:
        note(_("forced past the network rule ({why}); the reason is beside the tick").format(why=result.network_forced))
    if force and not result.forced and not result.network_forced and not args.undo:
        note(_("--force was not needed; no reason was written"))
    if result.status is not None:
        pb = result.status.playbook
        stages = "  ".join(f"{clean(s.name)} {s.done}/{s.total}" for s in pb.stages)
        note(_("{done}/{total} done · {stages}").format(done=pb.done, total=pb.total, stages=stages))
    return OK


# --- reading ---------------------------------------------------------------------------------------


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


def cmd_checklists(args: argparse.Namespace) -> int:
    from kam_tui.model.checklist import current_stage, next_step
    from kam_tui.store.checklists import checklist_overview

    repo = Repository.find(args.repo)
    overview = checklist_overview(repo)
    statuses = [s for s in overview.statuses if args.playbook is None or s.name == args.playbook]
    for problem in overview.skipped:
        if args.playbook is None or problem.path.endswith(f"/{args.playbook}.md"):
            note(_("{problem} (skipped)").format(problem=problem.render()))
    rows: list[dict[str, Any]] = []
    for status in statuses:
        pb = status.playbook
        nxt, stage = next_step(pb), current_stage(pb)
        since = pb.header.date if pb.header else None
        rows.append(
            {
                "account": status.account,
                "playbook": status.name,
                "path": status.file.rel,
                "title": status.file.title,
                "done": pb.done,
                "total": pb.total,
                "stage": stage.name if stage else None,
                "oldest_open": {"number": nxt.number, "text": nxt.text, "stage": nxt.stage, "since": since}
                if nxt
                else None,
                "attached": pb.header.as_json() if pb.header else None,
                "template": {"exists": status.template_exists, "differences": len(status.differences)},
                "problems": len(status.file.problems),
            }
        )
    if args.json:
        print_json(rows)
        return OK
    if not rows:
        note(_("no checklists yet; attach a playbook with `kam attach ID PLAYBOOK`"))
        return OK
    table(
        [
            [
                r["account"],
                r["playbook"],
                f"{r['done']}/{r['total']}",
                r["stage"] or _("done"),
                (f"{r['oldest_open']['number']} {r['oldest_open']['text']}" if r["oldest_open"] else ""),
                (r["oldest_open"]["since"] or "") if r["oldest_open"] else "",
                ""
                if r["template"]["exists"] and not r["template"]["differences"]
                else (
                    _("missing")
                    if not r["template"]["exists"]
                    else _("{n} differ").format(n=r["template"]["differences"])
                ),
            ]
            for r in rows
        ],
        [_("ACCOUNT"), _("PLAYBOOK"), _("DONE"), _("STAGE"), _("OLDEST OPEN STEP"), _("OPEN SINCE"), _("TEMPLATE")],
        max_widths={4: 50},
    )
    return OK


def cmd_playbook_list(args: argparse.Namespace) -> int:
    from kam_tui.store.playbook_templates import list_templates
    from kam_tui.store.shipped import shipped_playbooks

    repo = Repository.find(args.repo)
    templates = list_templates(repo)
    shipped = {lang: sorted(shipped_playbooks(lang)) for lang in ("en", "zh")}
    if args.json:
        print_json({"templates": [t.as_json() for t in templates], "shipped": shipped})
        return OK
    table(
        [
            [
                t.name,
                t.title or "",
                str(t.steps),
                " → ".join(t.stages),
                ", ".join(t.fits),
                _("{n} error(s)").format(n=t.errors) if t.errors else "",
            ]
            for t in templates
        ],
        [_("PLAYBOOK"), _("TITLE"), _("STEPS"), _("STAGES"), _("FITS"), ""],
        max_widths={1: 30, 3: 60},
    )
    ships = "; ".join(f"{lang}: {', '.join(names)}" for lang, names in shipped.items())
    note(_("kam ships {templates} — add one with `kam playbook add NAME --lang zh`").format(templates=ships))
    return OK  # the errors are in the listing; `kam validate` is the command whose exit code judges


def cmd_playbook_add(args: argparse.Namespace) -> int:
    from kam_tui.store.playbook_templates import add_shipped

    result = add_shipped(Repository.find(args.repo), args.name, args.lang, args.as_name, args.author)
    print(f"{result.commit[:10]} {clean(result.message)}")
    note(_("attach it with `kam attach ID {playbook}`").format(playbook=result.playbook))
    return OK
