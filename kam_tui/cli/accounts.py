"""Repository and account commands: init, demo, validate, list, show, new, set, history, schema."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kam_tui.cli.output import OK, PROBLEMS, REFUSED, clean, error, note, pad, print_json, table
from kam_tui.i18n import _, current_language
from kam_tui.model.problems import has_errors
from kam_tui.model.risks import RISK_CODES
from kam_tui.model.schema import STAGES, TIERS, schema_markdown
from kam_tui.model.summary import MISSING, ListRow, ScoreSummary
from kam_tui.store.repository import NotARepository, Repository, SettingsInvalid

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.


def _repo(args: argparse.Namespace) -> Any:
    return Repository.find(args.repo)


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="start a new kam repository")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of settings and playbooks")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("demo", help="a scratch repository of sample accounts with history, opened in the TUI")
    p.add_argument("--path", metavar="DIR", help="where to build it (default: a new temporary folder)")
    p.add_argument("--no-open", action="store_true", help="build it and print where, without opening the TUI")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("tui", help="open the terminal UI on this repository")
    p.set_defaults(run=cmd_tui)

    p = sub.add_parser("validate", help="report every problem in the repository or the given files")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true")
    p.add_argument("--staged", action="store_true", help="only the files staged for commit (the pre-commit hook)")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("list", help="list accounts")
    p.add_argument("--tier", choices=TIERS)
    p.add_argument("--stage", choices=STAGES)
    p.add_argument("--owner")
    p.add_argument("--playbook", metavar="NAME", help="only accounts running this playbook")
    p.add_argument(
        "--risk", metavar="CODE", choices=RISK_CODES, help=f"only accounts with this risk flag: {', '.join(RISK_CODES)}"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("show", help="one account")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("new", help="create an account (one commit)", intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", required=True)
    p.add_argument("assignments", nargs="*", metavar="KEY=VALUE")
    p.add_argument("-m", "--message", help="commit message (the change summary follows it)")
    p.add_argument("--author", help="commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user)")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("set", help="change fields of an account (one commit)", intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "assignments",
        nargs="+",
        metavar="KEY=VALUE",
        help="dotted keys: owner=li ratings.capital=4 periods.2026-Q3.sales=1200000",
    )
    p.add_argument("-m", "--message", help="commit message (the change summary follows it)")
    p.add_argument("--author", help="commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user)")
    p.set_defaults(run=cmd_set)

    p = sub.add_parser("history", help="the commits that touched an account")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_history)

    p = sub.add_parser("schema", help="the account file format")
    p.set_defaults(run=cmd_schema)


# --- init and demo --------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from kam_tui.store.init import init_repository

    root = init_repository(Path(args.dir), args.lang)
    print(_("kam repository ready at {path}").format(path=root))
    note(_("next: cd {dir} && kam new ACCOUNT-ID --name 'Account name'").format(dir=clean(args.dir)))
    return OK


def cmd_demo(args: argparse.Namespace) -> int:
    from kam_tui.store.demo import build_demo

    root = build_demo(Path(args.path) if args.path else None, language=current_language())
    print(root)
    if args.no_open:
        note(_("demo repository ready: try `kam --repo {path} list`").format(path=root))
        return OK
    note(_("demo repository ready at {path}").format(path=root))
    from kam_tui.tui.app import run_tui

    return run_tui(root)


def cmd_tui(args: argparse.Namespace) -> int:
    from kam_tui.tui.app import run_tui

    return run_tui(_repo(args).root)


# --- reading --------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from kam_tui.store.validation import validate_paths, validate_repository

    if args.staged:
        from kam_tui.cli.team import cmd_validate_staged

        return cmd_validate_staged(args)
    try:
        repo: Repository | None = _repo(args)
    except NotARepository:
        if not args.paths:
            raise
        repo = None
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        error(f"no such file: {', '.join(missing)}")
        return REFUSED
    if args.paths:
        problems = validate_paths(repo, [Path(p) for p in args.paths])
    else:
        assert repo is not None
        problems = validate_repository(repo)
    if args.json:
        print_json([p.as_json() for p in problems])
    else:
        for problem in problems:
            print(clean(problem.render()))
        errors = sum(1 for p in problems if p.level == "error")
        note(f"{errors} error(s), {len(problems) - errors} warning(s)" if problems else "no problems found")
    return PROBLEMS if has_errors(problems) else OK


def cmd_list(args: argparse.Namespace) -> int:
    from kam_tui.store.catalog import load_catalog
    from kam_tui.store.snapshot import score_summaries

    repo = _repo(args)
    catalog = load_catalog(repo)
    scores = score_summaries(repo, catalog=catalog)  # a bad kam.yaml is refused, never defaulted
    running: set[str] | None = None
    if args.playbook:
        from kam_tui.store.checklists import accounts_running

        running = accounts_running(repo, args.playbook)
    rows = [
        row
        for row in (ListRow(a, scores.get(a.id)) for a in catalog.accounts)
        if (args.stage is None or row.account.stage == args.stage)
        and (args.owner is None or row.account.owner == args.owner)
        and (args.tier is None or (row.scored is not None and row.scored.tier == args.tier))
        and (args.risk is None or (row.scored is not None and args.risk in row.scored.risks))
        and (running is None or row.id in running)
    ]
    if args.json:
        print_json([row.as_json() for row in rows])
    else:
        table(
            [
                [
                    row.id,
                    row.account.name or "",
                    row.account.stage or "",
                    row.account.owner or "",
                    row.account.region or "",
                    row.scored.score_text() if row.scored else MISSING,
                    row.tier_label(),
                    ", ".join(row.scored.risks if row.scored else ()),
                ]
                for row in rows
            ],
            ["ID", "NAME", "STAGE", "OWNER", "REGION", "SCORE", "TIER", "RISKS"],
            max_widths={1: 32},
        )
    if catalog.skipped:
        note(f"{catalog.skipped} file(s) skipped because of errors; run `kam validate` for details")
    return OK


def cmd_show(args: argparse.Namespace) -> int:
    repo = _repo(args)
    loaded = repo.load_account(args.id)
    for problem in loaded.problems:
        print(clean(problem.render()), file=sys.stderr)
    if loaded.doc is None or not isinstance(loaded.doc.data, dict):
        error(f"{loaded.rel} cannot be read; see the problems above")
        return PROBLEMS
    if args.json:
        print_json(loaded.doc.data)
        return PROBLEMS if has_errors(loaded.problems) else OK
    account = loaded.account
    data = loaded.doc.data
    if account is None:
        from kam_tui.store.edit import flow_text

        for key, value in data.items():
            print(f"{clean(key)}: {clean(value if isinstance(value, str) else flow_text(value))}")
        return PROBLEMS
    _show_account(account, _scored(repo, account.id))
    return OK


def _scored(repo: Any, account_id: str) -> ScoreSummary | None:
    """The account's score summary, scored within the whole portfolio (shares depend on it); None,
    with a note, when kam.yaml is invalid: the account itself is still worth showing."""
    from kam_tui.store.snapshot import score_summaries

    try:
        return score_summaries(repo).get(account_id)
    except SettingsInvalid:
        note("no score or tier: kam.yaml has errors; run `kam validate` for details")
        return None


def _show_account(a: Any, scored: ScoreSummary | None) -> None:
    def line(label: str, value: Any) -> None:
        if value not in (None, "", (), {}):
            print(f"{pad(label, 14)}{clean(value)}")

    print(f"{clean(a.name)}  ({a.id})")
    if scored is not None:
        line("tier", f"{scored.tier_label(long=True)} · score {scored.score_text(1)}")
    line("stage", a.stage)
    line("owner", a.owner)
    line("team", ", ".join(a.team))
    line("since", a.since)
    line("industry", a.industry)
    line("region", a.region)
    line("payment terms", a.payment_terms)
    line("credit limit", f"{a.credit_limit:,.0f}" if a.credit_limit is not None else None)
    line("strategic", "yes" if a.strategic else None)
    line("network held", f"{a.network_held:.0%}" if a.network_held is not None else None)
    if a.tier_override:
        line("tier override", f"{a.tier_override.tier}: {a.tier_override.reason}")
    if a.ratings:
        line("ratings", ", ".join(f"{k} {v}" for k, v in a.ratings.items()))
    if a.periods:
        print()
        table(
            [
                [
                    p.key,
                    _num(p.sales),
                    _pct(p.gross_margin),
                    _num(p.orders),
                    _num(p.stock_in),
                    _num(p.sell_through),
                    _num(p.receivables),
                    _num(p.overdue),
                ]
                for p in a.periods
            ],
            ["PERIOD", "SALES", "MARGIN", "ORDERS", "STOCK-IN", "SELL-THROUGH", "RECEIVABLE", "OVERDUE"],
        )
    if a.contacts:
        print()
        table([[c.name, c.role, c.phone, c.email] for c in a.contacts], ["CONTACT", "ROLE", "PHONE", "EMAIL"])
    if a.visits:
        print()
        table(
            [[v.date.isoformat(), v.by, v.summary] for v in a.visits[-5:]],
            ["VISIT", "BY", "SUMMARY"],
            max_widths={2: 70},
        )
    open_complaints = [c for c in a.complaints if c.closed is None]
    if open_complaints:
        print()
        table([[c.opened.isoformat(), c.summary] for c in open_complaints], ["OPEN COMPLAINT", "SUMMARY"])
    if a.notes:
        print()
        for text in a.notes.rstrip("\n").split("\n"):
            print(clean(text))


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def cmd_history(args: argparse.Namespace) -> int:
    from kam_tui.store.history import account_history

    repo = _repo(args)
    commits = account_history(repo, args.id)
    if args.json:
        print_json([c.as_json() for c in commits])
        return OK
    table(
        [[c.hash[:10], c.date[:16].replace("T", " "), c.author, c.message] for c in commits],
        ["COMMIT", "DATE", "AUTHOR", "MESSAGE"],
        max_widths={3: 80},
    )
    return OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_markdown())
    return OK


# --- writing --------------------------------------------------------------------------------------


def cmd_set(args: argparse.Namespace) -> int:
    from kam_tui.store.changes import edit_account, parse_assignment

    repo = _repo(args)
    assignments = [parse_assignment(text) for text in args.assignments]
    result = edit_account(repo, args.id, assignments, message=args.message, author=args.author)
    if result.commit is None:
        note(f"{result.account_id}: nothing changed (the values were already set)")
    else:
        print(f"{result.commit[:10]} {clean(result.message)}")
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    from kam_tui.store.changes import create_account, parse_assignment

    repo = _repo(args)
    assignments = [parse_assignment(text) for text in args.assignments]
    result = create_account(repo, args.id, args.name, assignments, author=args.author, message=args.message)
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK
