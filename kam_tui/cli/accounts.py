"""Repository and account commands: init, demo, validate, list, show, new, set, history, schema."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kam_tui.cli.output import OK, PROBLEMS, REFUSED, clean, error, note, print_json, table
from kam_tui.cli.progress import on_terminal
from kam_tui.i18n import N_, _, current_language
from kam_tui.model.problems import has_errors
from kam_tui.model.risks import RISK_CODES
from kam_tui.model.schema import STAGES, TIERS, schema_markdown
from kam_tui.model.summary import MISSING, ListRow
from kam_tui.store.gcpause import bulk
from kam_tui.store.repository import NotARepository, Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=N_("start a new kam repository"))
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help=N_("language of settings and playbooks"))
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("demo", help=N_("a scratch repository of sample accounts with history, opened in the TUI"))
    p.add_argument("--path", metavar="DIR", help=N_("where to build it (default: a new temporary folder)"))
    p.add_argument("--no-open", action="store_true", help=N_("build it and print where, without opening the TUI"))
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("tui", help=N_("open the terminal UI on this repository"))
    p.set_defaults(run=cmd_tui)

    p = sub.add_parser("validate", help=N_("report every problem in the repository or the given files"))
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true")
    p.add_argument("--staged", action="store_true", help=N_("only the files staged for commit (the pre-commit hook)"))
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("list", help=N_("list accounts"))
    p.add_argument("--tier", choices=TIERS)
    p.add_argument("--stage", choices=STAGES)
    p.add_argument("--owner")
    p.add_argument("--playbook", metavar="NAME", help=N_("only accounts running this playbook"))
    p.add_argument(
        "--risk", metavar="CODE", choices=RISK_CODES, help=N_("only accounts with this risk flag: %(choices)s")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("new", help=N_("create an account (one commit)"), intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", required=True)
    p.add_argument("assignments", nargs="*", metavar="KEY=VALUE")
    p.add_argument("-m", "--message", help=N_("commit message (the change summary follows it)"))
    p.add_argument("--author", help=N_("commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user)"))
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("set", help=N_("change fields of an account (one commit)"), intermixed=True)
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "assignments",
        nargs="+",
        metavar="KEY=VALUE",
        help=N_("dotted keys: owner=li ratings.capital=4 periods.2026-Q3.sales=1200000"),
    )
    p.add_argument("-m", "--message", help=N_("commit message (the change summary follows it)"))
    p.add_argument("--author", help=N_("commit author 'Name <email>' (default: $KAM_AUTHOR, else git's user)"))
    p.set_defaults(run=cmd_set)

    p = sub.add_parser("history", help=N_("the commits that touched an account"))
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_history)

    p = sub.add_parser("schema", help=N_("the account file format"))
    p.set_defaults(run=cmd_schema)


# --- init and demo --------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from kam_tui.store.init import init_repository

    from kam_tui.store.repository import Repository

    root = init_repository(Path(args.dir), args.lang)
    tree = Repository(root).work_tree
    if tree is not None and tree.top != root:
        note(
            _("using the git work tree at {top} (kam's files are in {folder}/)").format(
                top=tree.top, folder=tree.prefix.rstrip("/")
            )
        )
    print(_("kam repository ready at {path}").format(path=root))
    note(_("next: cd {dir} && kam new ACCOUNT-ID --name 'Account name'").format(dir=clean(args.dir)))
    return OK


def cmd_demo(args: argparse.Namespace) -> int:
    from kam_tui.store.demo import build_demo

    with on_terminal():  # before the TUI takes the terminal
        root = build_demo(Path(args.path) if args.path else None, language=current_language())
    print(root)
    if args.no_open:
        note(_("demo repository ready: try `kam --repo {path} list`").format(path=root))
        return OK
    note(_("demo repository ready at {path}").format(path=root))
    return open_tui(root)


def cmd_tui(args: argparse.Namespace) -> int:
    return open_tui(Repository.find(args.repo).root)


def open_tui(root: Path) -> int:
    """The TUI on `root` until the user quits. Its modules (with Textual's, some 400) are
    imported here with the cyclic collector paused, then kept out of its sight: they live as long
    as the process, and its passes over them during the import cost 20–60 ms of the launch."""
    with bulk(keep=True):
        from kam_tui.tui.app import run_tui
    return run_tui(root)


# --- reading --------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from kam_tui.store.validation import validate_paths, validate_repository

    if args.staged:
        from kam_tui.cli.team import cmd_validate_staged

        return cmd_validate_staged(args)
    try:
        repo: Repository | None = Repository.find(args.repo)
    except NotARepository:
        if not args.paths:
            raise
        repo = None
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        error(_("no such file: {paths}").format(paths=", ".join(missing)))
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
        counted = _("{errors} error(s), {warnings} warning(s)").format(errors=errors, warnings=len(problems) - errors)
        note(counted if problems else _("no problems found"))
    return PROBLEMS if has_errors(problems) else OK


def cmd_list(args: argparse.Namespace) -> int:
    from kam_tui.store.catalog import load_catalog
    from kam_tui.store.snapshot import score_summaries

    repo = Repository.find(args.repo)
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
            [_("ID"), _("NAME"), _("STAGE"), _("OWNER"), _("REGION"), _("SCORE"), _("TIER"), _("RISKS")],
            max_widths={1: 32},
        )
    if catalog.skipped:
        note(
            _("{count} file(s) skipped because of errors; run `kam validate` for details").format(count=catalog.skipped)
        )
    return OK


def cmd_history(args: argparse.Namespace) -> int:
    from kam_tui.store.history import account_history, history_cut

    repo = Repository.find(args.repo)
    commits = account_history(repo, args.id)
    cut = history_cut(repo, [c.hash for c in commits])
    if cut:
        note(f"kam: warning: {cut}")
    if args.json:
        print_json([c.as_json() for c in commits])
        return OK
    table(
        [[c.hash[:10], c.date[:16].replace("T", " "), c.author, c.message] for c in commits],
        [_("COMMIT"), _("DATE"), _("AUTHOR"), _("MESSAGE")],
        max_widths={3: 80},
    )
    return OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_markdown())
    return OK


# --- writing --------------------------------------------------------------------------------------


def cmd_set(args: argparse.Namespace) -> int:
    from kam_tui.store.account_changes import edit_account, parse_assignment

    repo = Repository.find(args.repo)
    assignments = [parse_assignment(text) for text in args.assignments]
    result = edit_account(repo, args.id, assignments, message=args.message, author=args.author)
    if result.commit is None:
        note(_("{id}: nothing changed (the values were already set)").format(id=result.account_id))
    else:
        print(f"{result.commit[:10]} {clean(result.message)}")
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    from kam_tui.store.account_changes import create_account, parse_assignment

    repo = Repository.find(args.repo)
    assignments = [parse_assignment(text) for text in args.assignments]
    result = create_account(repo, args.id, args.name, assignments, author=args.author, message=args.message)
    print(f"{(result.commit or '')[:10]} {clean(result.message)}")
    return OK
