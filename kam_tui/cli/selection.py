"""Which accounts and flags a scoring command shows, and how many ids a line of text may hold.

The filters are those of `kam list`, with the same names, plus `--tier` (the effective tier) and
`--severity LEVEL` (that level or worse). A repeated flag means any of its values; different
flags must all hold. They apply to `--json` too. A text line never lists more than a screenful
of ids: the first few by importance (score, then sales), then how many more and where they are.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from kam_tui.i18n import N_, _
from kam_tui.model.risks import RISK_CODES, SEVERITIES
from kam_tui.model.schema import STAGES, TIERS

FIRST = 10  # ids shown on one line of text before "… and N more"
SEVERITY_RANK = {level: rank for rank, level in enumerate(SEVERITIES)}  # low 0 < medium 1 < high 2


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--risk",
        action="append",
        metavar="CODE",
        choices=RISK_CODES,
        help=N_("only this risk flag (repeat for any of several): %(choices)s"),
    )
    p.add_argument("--owner", action="append", help=N_("only accounts of this owner (repeatable)"))
    p.add_argument("--stage", action="append", choices=STAGES, help=N_("only accounts in this stage (repeatable)"))
    p.add_argument(
        "--tier", action="append", choices=TIERS, help=N_("only accounts of this effective tier (repeatable)")
    )
    p.add_argument("--severity", choices=SEVERITIES, help=N_("only flags of this severity or worse"))


def add_all(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all", action="store_true", help=N_("list every id in full (text lines are otherwise cut)"))


def account_matches(e: Any, owner: str | None, args: argparse.Namespace) -> bool:
    """The account-level filters: owner, stage, effective tier."""
    return (
        (not args.owner or owner in args.owner)
        and (not args.stage or e.facts.stage in args.stage)
        and (not args.tier or e.tier in args.tier)
    )


def flag_matches(risk: Any, args: argparse.Namespace) -> bool:
    """The flag-level filters: code and severity (that level or worse)."""
    return (not args.risk or risk.code in args.risk) and (
        args.severity is None or SEVERITY_RANK[risk.severity] >= SEVERITY_RANK[args.severity]
    )


def select(evaluations: Sequence[Any], owners: dict[str, str | None], args: argparse.Namespace) -> list[Any]:
    """The evaluations that pass every filter; with --risk or --severity, only accounts that
    raise at least one matching flag."""
    flags = bool(args.risk or args.severity)
    return [
        e
        for e in evaluations
        if account_matches(e, owners.get(e.id), args) and (not flags or any(flag_matches(r, args) for r in e.risks))
    ]


def importance(e: Any) -> tuple[float, float, str]:
    """Sort key: the highest score first, then the biggest sales, then the id."""
    return (-(e.score if e.score is not None else -1.0), -(e.facts.sales or 0.0), e.id)


def first_ids(ids: Sequence[str], show_all: bool, rank: Callable[[str], Any] | None = None) -> str:
    """Ids for one line of text: all of them with --all, else the first few (by `rank`) and a count."""
    ordered = sorted(ids, key=rank) if rank else list(ids)
    if show_all or len(ordered) <= FIRST:
        return ", ".join(ordered)
    return (
        ", ".join(ordered[:FIRST]) + " " + _("… and {n} more (--all, or --json)").format(n=f"{len(ordered) - FIRST:,}")
    )
