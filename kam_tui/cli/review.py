"""The review cycle (绩效考核): `kam review plan|status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kam_tui.i18n import N_, _, current_language
from kam_tui.cli.today import date_argument
from kam_tui.cli.output import OK, PROBLEMS, clean, note, print_json, table
from kam_tui.model.cycle import parse_cycle
from kam_tui.model.review import INDICATORS, SURVEY, PlanRequest, missing_text, owed_by
from kam_tui.model.schema import STAGES, TIERS
from kam_tui.store.repository import Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.


def register(sub: Any) -> None:
    p = sub.add_parser("review", help=N_("the review cycle: plan, status (completeness of the data), report, close"))
    rsub = p.add_subparsers(dest="review_command", metavar="SUBCOMMAND", parser_class=type(p))

    q = rsub.add_parser(
        "plan",
        help=N_("write reviews/PERIOD/plan.yaml: accounts in scope, indicators, schedule, reviewers (one commit)"),
        intermixed=True,
    )
    q.add_argument("period", metavar="PERIOD", help=N_("2026-Q4, 2026-H2 or 2026: the form is the cycle"))
    q.add_argument("--tier", action="append", default=[], choices=TIERS, help=N_("only accounts of this tier (repeat)"))
    q.add_argument(
        "--stage", action="append", default=[], choices=STAGES, help=N_("only accounts in this stage (repeat)")
    )
    q.add_argument("--account", action="append", default=[], metavar="ID", help=N_("only these accounts (repeat)"))
    q.add_argument(
        "--indicator",
        action="append",
        default=[],
        choices=INDICATORS,
        help=N_(
            "what is assessed (repeat; default: sales, margin, stock-in, sell-through, receivables, overdue, and a "
            "survey of the accounts whose tier's survey is due by kam.yaml surveys.every — A and B yearly, C not; "
            "naming survey asks it of every account in scope)"
        ),
    )
    q.add_argument(
        "--data-due", type=date_argument, metavar="DATE", help=N_("when the figures are due (default: 10 days after)")
    )
    q.add_argument(
        "--review-date", type=date_argument, metavar="DATE", help=N_("the review meeting (default: 20 days after)")
    )
    q.add_argument("--replace", action="store_true", help=N_("write the plan again when one exists"))
    q.add_argument("--author", help=N_("commit author 'Name <email>'"))
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=cmd_plan)

    q = rsub.add_parser("status", help=N_("which planned accounts still miss which figures, and who owes them"))
    q.add_argument("period", metavar="PERIOD")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=cmd_status)

    q = rsub.add_parser(
        "report",
        help=N_("the review: portfolio, accounts, tier moves with policy changes, risks, service, managers"),
        intermixed=True,
    )
    q.add_argument("period", metavar="PERIOD")
    q.add_argument("--format", choices=("md", "html", "json"), default="md", help=N_("markdown (default), HTML, JSON"))
    q.add_argument("--out", metavar="FILE", help=N_("write to FILE instead of standard output"))
    q.set_defaults(run=cmd_report)

    q = rsub.add_parser(
        "close",
        help=N_(
            "commit the report (markdown, HTML, JSON) and a feedback page under reviews/PERIOD/, tag review/PERIOD"
        ),
    )
    q.add_argument("period", metavar="PERIOD")
    q.add_argument("--author", help=N_("commit author 'Name <email>'"))
    q.set_defaults(run=cmd_close)
    p.set_defaults(run=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def cmd_plan(args: argparse.Namespace) -> int:
    from kam_tui.store.reviews import write_plan

    written = write_plan(
        Repository.find(args.repo),
        parse_cycle(args.period),
        PlanRequest(args.tier, args.stage, args.account, args.indicator, args.data_due, args.review_date),
        replace=args.replace,
        author=args.author,
    )
    plan = written.plan
    if args.json:
        print_json({**plan.as_json(), "path": written.rel, "commit": written.commit})
        return OK
    if written.commit is None:
        note(written.message)
    else:
        print(f"{written.commit[:10]} {clean(written.message)}")
    reviewers = sorted({a.reviewer or "–" for a in plan.accounts})
    note(
        _(
            "{path}: {count} account(s) ({scope}), quarters {quarters}; reviewers {reviewers}; "
            "data due {due}, review {review}"
        ).format(
            path=written.rel,
            count=len(plan.accounts),
            scope=plan.scope,
            quarters=", ".join(plan.cycle.quarters),
            reviewers=", ".join(reviewers),
            due=plan.data_due,
            review=plan.review_date,
        )
    )
    if SURVEY in plan.indicators:
        surveyed = sum(1 for a in plan.accounts if a.survey)
        note(
            _(
                "a satisfaction survey is asked of {count} account(s): those whose tier's survey is due "
                "(kam.yaml surveys.every; --indicator survey asks every account)"
            ).format(count=surveyed)
        )
    note(_("next: `kam review status {period}` shows what is still missing").format(period=plan.cycle.key))
    return OK


def cmd_status(args: argparse.Namespace) -> int:
    from kam_tui.store.reviews import review_status

    status = review_status(Repository.find(args.repo), parse_cycle(args.period))
    plan = status.plan
    missing = [g for g in status.gaps if g.missing]
    if args.json:
        print_json(
            {
                "period": plan.cycle.key,
                "complete": status.complete,
                "accounts": len(status.gaps),
                "accounts_missing": len(missing),
                "data_due": plan.data_due.isoformat(),
                "gaps": [g.as_json() for g in status.gaps],
            }
        )
        return OK if status.complete else PROBLEMS
    done = len(status.gaps) - len(missing)
    share = done / len(status.gaps) if status.gaps else 1.0
    total = len(status.gaps)
    print(
        _("review {period}: {done} of {total} account(s) complete ({share}); data due {due}").format(
            period=plan.cycle.key, done=done, total=total, share=f"{share:.0%}", due=plan.data_due
        )
    )
    if missing:
        print()
        table(
            [[g.id, g.reviewer or "–", missing_text(g.missing)] for g in missing],
            [_("ACCOUNT"), _("OWED BY"), _("MISSING")],
            max_widths={2: 90},
        )
        print()
        people = ", ".join(f"{clean(who)} {n}" for who, n in owed_by(missing).items())
        print(_("owed by: {people}").format(people=people))
    if status.skipped:
        note(_("{count} account file(s) have errors; run `kam validate`").format(count=status.skipped))
    return OK if status.complete else PROBLEMS


def cmd_report(args: argparse.Namespace) -> int:
    from kam_tui.store.reviews import review_report

    from kam_tui.store import clock

    cycle = parse_cycle(args.period)
    rendered = review_report(Repository.find(args.repo), cycle, current_language())
    text = {"md": lambda: rendered.markdown, "html": rendered.html, "json": rendered.json_text}[args.format]()
    if cycle.last_day > clock.today(args.today):  # scores, flags and visits due count to the period's end
        day = cycle.last_day.isoformat()
        note(
            _("{period} has not ended: its figures are as of {day}, as `kam score --today {day}` gives them").format(
                period=cycle.key, day=day
            )
        )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        note(_("wrote {path}").format(path=args.out))
    else:
        sys.stdout.write(text if not sys.stdout.isatty() else clean_lines(text))
    return OK


def clean_lines(text: str) -> str:
    """A report on a terminal: each line made safe, the line breaks kept."""
    return "\n".join(clean(line) for line in text.split("\n"))


def cmd_close(args: argparse.Namespace) -> int:
    from kam_tui.store.reviews import close_review

    closed = close_review(Repository.find(args.repo), parse_cycle(args.period), author=args.author)
    print(
        _("{commit} review {period}: closed; tagged {tag}").format(
            commit=closed.commit[:10], period=args.period, tag=closed.tag
        )
    )
    for rel in closed.files:
        note(f"  {rel}")
    note(
        _(
            "the team's feedback goes in reviews/{period}/feedback.md; `kam sync` (or `git push --tags`) shares it"
        ).format(period=args.period)
    )
    return OK
