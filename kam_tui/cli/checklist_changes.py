"""The checklist commands that commit: attach (or start a new cycle), check (tick, untick, n/a), detach."""

from __future__ import annotations

import argparse
from typing import Any

from kam_tui.cli.output import OK, clean, note
from kam_tui.i18n import N_, _
from kam_tui.store.repository import Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).

AUTHOR_HELP = N_("commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user); its name goes beside the tick")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "attach",
        help=N_("attach a playbook to an account as its checklist (one commit)"),
        intermixed=True,
        description=N_(
            "Write checklists/ID/PLAYBOOK.md, a copy of playbooks/PLAYBOOK.md with a header "
            "line, and commit it. A playbook whose front matter's stages: leave out the account's "
            "stage is attached only with --force --reason TEXT (kept in the commit message). "
            "Attaching staged-exit is always allowed and sets the account's "
            "stage to exiting in the same commit; its 'during' stage waits until the downstream "
            "network is in hand (see `kam check`)."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", metavar="PLAYBOOK", help=N_("the template's file name without .md"))
    p.add_argument(
        "--force", action="store_true", help=N_("attach a playbook whose stages: do not fit the account's stage")
    )
    p.add_argument("--reason", metavar="TEXT", help=N_("why --force"))
    p.add_argument(
        "--new-cycle",
        action="store_true",
        help=N_("start the next cycle of a recurring checklist: the same file, every step open again (one commit)"),
    )
    p.add_argument("--cycle", metavar="LABEL", help=N_("the new cycle's label (default: this quarter, e.g. 2026-Q4)"))
    p.add_argument("--author", help=AUTHOR_HELP)
    p.set_defaults(run=cmd_attach)

    p = sub.add_parser(
        "check",
        help=N_("tick (or --undo) one step of a checklist (one commit)"),
        intermixed=True,
        description=N_(
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
        help=N_("the step's number as `kam checklist` lists it, or a piece of its text only it has"),
    )
    p.add_argument("--undo", action="store_true", help=N_("untick the step"))
    p.add_argument("--note", metavar="TEXT", help=N_("a short note written beside the tick"))
    p.add_argument(
        "--force", action="store_true", help=N_("tick although an earlier stage is open or the network is not in hand")
    )
    p.add_argument("--na", action="store_true", help=N_("mark the step not applicable (needs --reason)"))
    p.add_argument(
        "--reason", metavar="TEXT", help=N_("why --force, or why the step does not apply (written beside it)")
    )
    p.add_argument("--author", help=AUTHOR_HELP)
    p.set_defaults(run=cmd_tick)

    p = sub.add_parser("detach", help=N_("remove a checklist from an account; the commit keeps why"), intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument("playbook", metavar="PLAYBOOK")
    p.add_argument("--reason", metavar="TEXT", required=True, help=N_("why it is removed (kept in the commit)"))
    p.add_argument("--author", help=AUTHOR_HELP)
    p.set_defaults(run=cmd_detach)


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


def cmd_attach(args: argparse.Namespace) -> int:
    from kam_tui.model.checklist_plan import PlaybookError

    force = _force_args(args)
    forced = False
    if args.new_cycle:
        _new_cycle(args)
    elif args.cycle:
        raise PlaybookError(_("--cycle goes with --new-cycle"))
    else:
        forced = _attach(args, args.reason if force else None)
    if force and not forced:  # said after either: its reason was written nowhere
        note(_("--force was not needed; nothing was overridden"))
    return OK


def _attach(args: argparse.Namespace, force: str | None) -> bool:
    """Attach as asked; whether --force overrode the playbook's stages."""
    from kam_tui.store.checklist_writes import attach

    result = attach(Repository.find(args.repo), args.id, args.playbook, author=args.author, force=force)
    print(f"{result.commit[:10]} {clean(result.message)}")
    if result.forced:
        note(_("forced: {why}; the reason is in the commit message").format(why=clean(result.forced)))
    note(
        _("{path}: see `kam checklist {id} {playbook}`, tick with `kam check {id} {playbook} NUMBER`").format(
            path=result.rel, id=result.account, playbook=result.playbook
        )
    )
    return result.forced is not None


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
