"""The daily log from the command line: add, remove, unset (each one commit)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from kam_tui.cli.output import OK, clean
from kam_tui.store.repository import Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _writer(p: argparse.ArgumentParser) -> None:
    p.add_argument("-m", "--message", help="commit message (the change summary follows it)")
    p.add_argument("--author", help="commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user)")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "add",
        help="add an item to a list: a visit, complaint, survey, contact or action (one commit)",
        intermixed=True,
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("list", metavar="LIST", help="visits, complaints, surveys, contacts, actions, team")
    p.add_argument("values", nargs="+", metavar="KEY=VALUE", help="the item's keys (or one plain value for team)")
    p.add_argument("--today", metavar="DATE", type=_date, help="the day used for default dates (default: $KAM_TODAY)")
    _writer(p)
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("remove", help="remove one list item, e.g. visits.2 or visits.-1 (one commit)")
    p.add_argument("id", metavar="ID")
    p.add_argument("item", metavar="LIST.N")
    _writer(p)
    p.set_defaults(run=cmd_remove)

    p = sub.add_parser("unset", help="remove a key, also one typed by mistake (one commit)")
    p.add_argument("id", metavar="ID")
    p.add_argument("key", metavar="KEY")
    _writer(p)
    p.set_defaults(run=cmd_unset)


def _repo(args: argparse.Namespace) -> Any:
    return Repository.find(args.repo)


def cmd_add(args: argparse.Namespace) -> int:
    from kam_tui.store.items import add_item, parse_item

    repo = _repo(args)
    item = parse_item(args.list, args.values)
    result = add_item(repo, args.id, args.list, item, author=args.author, message=args.message, today=args.today)
    print(result.address)
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK


def cmd_remove(args: argparse.Namespace) -> int:
    from kam_tui.store.edit import flow_text
    from kam_tui.store.items import remove_item

    result = remove_item(_repo(args), args.id, args.item, author=args.author, message=args.message)
    removed = result.removed
    print(f"removed {clean(args.item)}: {clean(removed if isinstance(removed, str) else flow_text(removed))}")
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK


def cmd_unset(args: argparse.Namespace) -> int:
    from kam_tui.store.items import unset_key

    result = unset_key(_repo(args), args.id, args.key, author=args.author, message=args.message)
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK
