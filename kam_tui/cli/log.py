"""The daily log from the command line: add, remove, unset, reassign, rename (each one commit) and the
agenda, `kam due`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from kam_tui.cli.output import OK, clean, note, print_json, table
from kam_tui.i18n import N_, _
from kam_tui.model.schema import STAGES
from kam_tui.store.repository import Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.


def _writer(p: argparse.ArgumentParser) -> None:
    p.add_argument("-m", "--message", help=N_("commit message (the change summary follows it)"))
    p.add_argument("--author", help=N_("commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user)"))


def register(sub: Any) -> None:
    p = sub.add_parser(
        "add",
        help=N_("add an item to a list: a visit, complaint, survey, contact or action (one commit)"),
        intermixed=True,
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("list", metavar="LIST", help=N_("visits, complaints, surveys, contacts, actions, team"))
    p.add_argument("values", nargs="+", metavar="KEY=VALUE", help=N_("the item's keys (or one plain value for team)"))
    _writer(p)
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("remove", help=N_("remove one list item, e.g. visits.2 or visits.-1 (one commit)"))
    p.add_argument("id", metavar="ID")
    p.add_argument("item", metavar="LIST.N")
    _writer(p)
    p.set_defaults(run=cmd_remove)

    p = sub.add_parser("unset", help=N_("remove a key, also one typed by mistake (one commit)"))
    p.add_argument("id", metavar="ID")
    p.add_argument("key", metavar="KEY")
    _writer(p)
    p.set_defaults(run=cmd_unset)

    p = sub.add_parser("reassign", help=N_("hand one person's accounts and open actions to another (one commit)"))
    p.add_argument("giver", metavar="FROM")
    p.add_argument("taker", metavar="TO")
    p.add_argument(
        "--stage", action="append", choices=STAGES, help=N_("only accounts in this stage (repeat for more than one)")
    )
    _writer(p)
    p.set_defaults(run=cmd_reassign)

    p = sub.add_parser("rename", help=N_("give an account a new id, its checklists too (one commit git traces)"))
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    _writer(p)
    p.set_defaults(run=cmd_rename)

    p = sub.add_parser("due", help=N_("the agenda: actions, visits, complaints and next steps falling due"))
    p.add_argument("--owner", metavar="WHO", help=N_("only what is due for this person"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_due)


def cmd_add(args: argparse.Namespace) -> int:
    from kam_tui.store.items import add_item

    repo = Repository.find(args.repo)
    result = add_item(repo, args.id, args.list, args.values, author=args.author, message=args.message, today=args.today)
    print(result.address)
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    if result.opened:  # stdout stays the item and its commit, as for every kind; the action is news beside it
        note(
            _(
                "{action} opened for the low score: it is on `kam due`; `kam set {id} {action}.status=done` closes it"
            ).format(action=result.opened, id=args.id)
        )
    return OK


def cmd_remove(args: argparse.Namespace) -> int:
    from kam_tui.store.yaml_render import flow_text
    from kam_tui.store.items import remove_item

    result = remove_item(Repository.find(args.repo), args.id, args.item, author=args.author, message=args.message)
    removed = result.removed
    shown = clean(removed if isinstance(removed, str) else flow_text(removed))
    print(_("removed {item}: {value}").format(item=clean(result.address or args.item), value=shown))
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK


def cmd_unset(args: argparse.Namespace) -> int:
    from kam_tui.store.items import unset_key

    result = unset_key(Repository.find(args.repo), args.id, args.key, author=args.author, message=args.message)
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK


def cmd_reassign(args: argparse.Namespace) -> int:
    from kam_tui.store.ownership import reassign

    moved = reassign(
        Repository.find(args.repo), args.giver, args.taker, args.stage or (), author=args.author, message=args.message
    )
    _print_moved(moved)
    return OK


def cmd_rename(args: argparse.Namespace) -> int:
    from kam_tui.store.ownership import rename

    _print_moved(rename(Repository.find(args.repo), args.old, args.new, author=args.author, message=args.message))
    return OK


def _print_moved(moved: Any) -> None:
    for line in moved.lines:
        print(clean(line))
    for rel in moved.unreadable:
        note(_("warning: {rel} does not read as YAML and was left as it is").format(rel=clean(rel)))
    print(f"{moved.commit[:10]} {clean(moved.subject)}")


def cmd_due(args: argparse.Namespace) -> int:
    from kam_tui.cli.score_reading import skipped_note
    from kam_tui.model.agenda import agenda
    from kam_tui.model.evaluate import tiers_of
    from kam_tui.store.snapshot import load_now

    snap = load_now(Repository.find(args.repo), args.today, full=True)
    tiers = tiers_of(snap.facts, snap.settings.scoring, snap.today)
    items = agenda(snap.accounts, tiers, snap.settings.scoring, snap.today, args.owner)
    if args.json:
        print_json([i.as_json(snap.today) for i in items])
        skipped_note(snap)
        return OK
    table(
        [[_when(i.days(snap.today), i.due), i.kind, i.account, i.address or "", i.owner or "", i.text] for i in items],
        [_("DUE"), _("KIND"), _("ACCOUNT"), _("ITEM"), _("OWNER"), _("WHAT")],
        max_widths={5: 70},
    )
    day = snap.today.isoformat()
    if args.owner:
        note(_("{count} item(s) due for {owner} as of {day}").format(count=len(items), owner=args.owner, day=day))
    else:
        note(_("{count} item(s) due as of {day}").format(count=len(items), day=day))
    skipped_note(snap)
    return OK


def _when(days: int | None, due: dt.date | None) -> str:
    if due is None or days is None:
        return "–"
    if days < 0:
        return _("{date} ({days} d late)").format(date=due.isoformat(), days=-days)
    if days == 0:
        return _("{date} (today)").format(date=due.isoformat())
    return _("{date} (in {days} d)").format(date=due.isoformat(), days=days)
