"""Spreadsheets in and out: `kam import periods|accounts FILE.csv`, `kam export`."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from kam_tui.i18n import N_, _
from kam_tui.cli.output import OK, clean, note, print_json
from kam_tui.store.repository import Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.

EXPORT_COLUMNS = (
    "id",
    "name",
    "stage",
    "owner",
    "region",
    "industry",
    "tier",
    "computed_tier",
    "score",
    "sales_12m",
    "key_account",
    "risks",
    "achievement_period",
    "achievement",
)


def register(sub: Any) -> None:
    p = sub.add_parser("import", help=N_("bring a spreadsheet in: all rows in one commit, or none"))
    isub = p.add_subparsers(dest="import_command", metavar="WHAT", parser_class=type(p))
    q = isub.add_parser(
        "periods",
        help=N_("figures per account and quarter from a CSV (UTF-8 or GBK; headers in English or Chinese)"),
        intermixed=True,
    )
    q.add_argument("file", metavar="FILE.csv")
    q.add_argument(
        "--period", metavar="YYYY-Qn", help=N_("the quarter of every row, when the file has no period column")
    )
    q.add_argument("--replace", action="store_true", help=N_("change figures already on file (prints every old → new)"))
    q.add_argument("--author", help=N_("commit author 'Name <email>'"))
    q.set_defaults(run=cmd_import_periods)
    q = isub.add_parser(
        "accounts", help=N_("new accounts (an id column is required) and, with --replace, changes"), intermixed=True
    )
    q.add_argument("file", metavar="FILE.csv")
    q.add_argument("--replace", action="store_true", help=N_("change fields of existing accounts (prints old → new)"))
    q.add_argument("--author", help=N_("commit author 'Name <email>'"))
    q.set_defaults(run=cmd_import_accounts)
    p.set_defaults(run=lambda args: _usage(p))

    p = sub.add_parser("export", help=N_("accounts with scores, tiers and risk flags as CSV or JSON"))
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(run=cmd_export)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _report(result: Any) -> int:
    if result.commit is None:
        note(result.message)
        return OK
    for r in result.replaced:
        note(
            _("row {row}: {account} {key}: {old} → {new}").format(
                row=r.row, account=clean(r.account), key=r.key, old=clean(r.old), new=clean(r.new)
            )
        )
    print(f"{result.commit[:10]} {clean(result.message)}")
    return OK


def cmd_import_periods(args: argparse.Namespace) -> int:
    from kam_tui.store.importing import import_periods

    result = import_periods(
        Repository.find(args.repo),
        Path(args.file),
        period=args.period,
        replace=args.replace,
        author=args.author,
    )
    return _report(result)


def cmd_import_accounts(args: argparse.Namespace) -> int:
    from kam_tui.store.importing import import_accounts

    return _report(
        import_accounts(Repository.find(args.repo), Path(args.file), replace=args.replace, author=args.author)
    )


def export_records(repo: Repository) -> list[dict[str, Any]]:
    from kam_tui.model.evaluate import evaluate_facts
    from kam_tui.store.snapshot import load_now

    snap = load_now(repo, full=True)
    accounts = {a.id: a for a in snap.accounts}
    records = []
    for e in evaluate_facts(snap.facts, snap.settings.scoring, snap.today):
        a = accounts[e.id]
        records.append(
            {
                "id": e.id,
                "name": a.name,
                "stage": a.stage,
                "owner": a.owner,
                "region": a.region,
                "industry": a.industry,
                "tier": e.tier,
                "computed_tier": e.computed_tier,
                "score": None if e.score is None else round(e.score, 1),
                "sales_12m": e.facts.sales,
                "key_account": e.key_account,
                "risks": list(e.risk_codes),
                **_latest_achievement(a),
            }
        )
    return records


def _latest_achievement(account: Any) -> dict[str, Any]:
    """The most recent target that has sales on file: its period and the share achieved."""
    from kam_tui.model.achievement import achievements

    reached = [a for a in achievements(account) if a.ratio is not None]
    if not reached:
        return {"achievement_period": None, "achievement": None}
    latest = reached[-1]
    return {"achievement_period": latest.period, "achievement": round(latest.ratio or 0.0, 4)}


def cmd_export(args: argparse.Namespace) -> int:
    records = export_records(Repository.find(args.repo))
    if args.format == "json":
        print_json(records)
        return OK
    shown = clean if sys.stdout.isatty() else str  # a terminal never gets raw control characters
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for r in records:
        writer.writerow([shown(_cell(r[c])) for c in EXPORT_COLUMNS])
    return OK


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
