"""`--today DATE` on every command: one day for everything kam dates or scores in a run."""

from __future__ import annotations

import argparse
import datetime as dt

from kam_tui.cli.parsing import subcommand_parsers
from kam_tui.i18n import N_, _

TODAY_HELP = N_("the day to use as today (YYYY-MM-DD; default: $KAM_TODAY, else the calendar's)")


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a date (YYYY-MM-DD)").format(text=text)) from None


def accept_today(parser: argparse.ArgumentParser) -> None:
    """Every subcommand takes `--today`. Left out it is None, so $KAM_TODAY and then the calendar
    decide (`store.clock`)."""
    for child in subcommand_parsers(parser):
        if "--today" not in child._option_string_actions:
            child.add_argument("--today", metavar="DATE", type=date_argument, default=None, help=TODAY_HELP)
