"""Team work over git: merge-driver, setup, sync, resolve, changes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kam_tui.cli.output import OK, PROBLEMS, REFUSED, clean, error, note, pad, print_json
from kam_tui.i18n import N_, _, pgettext
from kam_tui.model.errors import KamError
from kam_tui.store.repository import Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).


def register(sub: Any) -> None:
    p = sub.add_parser("merge-driver", help=N_("git's merge driver for account files and checklists (run by git)"))
    for name in ("base", "ours", "theirs", "path"):
        p.add_argument(name)
    p.add_argument("marker_size", nargs="?", help=argparse.SUPPRESS)
    p.set_defaults(run=cmd_merge_driver)

    p = sub.add_parser("setup", help=N_("this clone's merge driver, diff driver and pre-commit hook (once per clone)"))
    p.add_argument(
        "--check", action="store_true", help=N_("report identity, drivers, hook, remote, clone, libyaml only")
    )
    p.set_defaults(run=cmd_setup)

    p = sub.add_parser("sync", help=N_("fetch, merge and push (never rebase, never force)"))
    group = p.add_mutually_exclusive_group()
    group.add_argument("--continue", dest="cont", action="store_true", help=N_("finish a merge after `kam resolve`"))
    group.add_argument("--abort", action="store_true", help=N_("give up a conflicted merge, back to where you were"))
    p.set_defaults(run=cmd_sync)

    p = sub.add_parser("resolve", help=N_("settle an account's conflicting fields after a conflicted merge"))
    p.add_argument("id", metavar="ID")
    side = p.add_mutually_exclusive_group()
    side.add_argument("--ours", action="store_true", help=N_("keep our value of every conflicting field not named"))
    side.add_argument("--theirs", action="store_true", help=N_("take their value of every conflicting field not named"))
    p.add_argument("assignments", nargs="*", metavar="FIELD=VALUE")
    p.set_defaults(run=cmd_resolve)
    register_changes(sub)


def cmd_merge_driver(args: argparse.Namespace) -> int:
    from kam_tui.store.merge import line_merge, merge_file

    paths = [Path(args.base), Path(args.ours), Path(args.theirs)]
    base, ours, theirs = (p.read_bytes() for p in paths)
    wanted = _newer_kam_wanted(args)
    if wanted:
        note(
            _("warning: kam.yaml asks for kam {version}; this kam steps aside and git merges line by line").format(
                version=clean(wanted)
            )
        )
        outcome = line_merge(base, ours, theirs)
    else:
        outcome = merge_file(base, ours, theirs, args.path)
    paths[1].write_bytes(outcome.data)
    for line in outcome.notes:
        print(f"kam merge: {clean(args.path)}: {clean(line)}", file=sys.stderr)
    for line in outcome.conflicts:
        print(
            "kam merge: " + _("{file}: conflict in {what}").format(file=clean(args.path), what=clean(line)),
            file=sys.stderr,
        )
    return OK if outcome.clean else PROBLEMS


def _newer_kam_wanted(args: argparse.Namespace) -> str | None:
    """kam.yaml's `kam_version:` when this kam is older (git runs drivers and hooks at the top)."""
    from kam_tui.store.version_gate import required_version

    try:
        return required_version(Repository.find(args.repo))
    except KamError:
        return None


def cmd_setup(args: argparse.Namespace) -> int:
    from kam_tui.store.setup import check, setup

    repo = Repository.find(args.repo)
    if args.check:
        report = check(repo)
        for item in report:
            shown = pad(pgettext("setup check", item.what), 11)
            print(f"{'ok' if item.ok else '!!'}  {shown} {clean(item.detail)}")
        return OK if all(item.ok for item in report) else PROBLEMS
    done = setup(repo).done
    for change in done:
        print(clean(change))
    if not done:
        print(_("already set up: nothing to do"))
    return OK


def warn_missing_setup(args: argparse.Namespace) -> None:
    """Every command (but those that set up or are run by git) says so while this clone lacks kam's drivers."""
    if getattr(args, "command", None) in ("init", "demo", "setup", "merge-driver") or getattr(args, "staged", False):
        return
    from kam_tui.store.setup import missing_setup

    try:
        repo = Repository.find(args.repo)
        missing = missing_setup(repo)
    except KamError:
        return
    if missing:
        note(
            _(
                "warning: this clone lacks kam's merge driver (git config is not cloned), so git merges "
                "account files line by line; run `kam setup` once"
            )
        )


def _progress(message: str) -> None:
    note(f"{clean(message)} …")


def cmd_sync(args: argparse.Namespace) -> int:
    from kam_tui.store import sync as syncing

    repo = Repository.find(args.repo)
    if args.abort:
        syncing.abort(repo)
        print(_("merge aborted: the repository is as it was before `kam sync`"))
        return OK
    report = syncing.finish(repo, _progress) if args.cont else syncing.sync(repo, _progress)
    if report.came_in:
        print(_("came in: {count} commit(s)").format(count=report.commits_in))
        for item in report.came_in:
            print("  " + _("{file}  by {authors}").format(file=clean(item.rel), authors=clean(", ".join(item.authors))))
    elif report.commits_in:
        print(_("came in: {count} commit(s), no account or checklist changed").format(count=report.commits_in))
    if report.went_out:
        print(_("went out: {count} commit(s)").format(count=len(report.went_out)))
        for subject in report.went_out:
            print(f"  {clean(subject)}")
    if report.tags_out:
        print(_("went out: tag(s) {tags}").format(tags=clean(", ".join(report.tags_out))))
    if not (report.commits_in or report.went_out or report.tags_out):
        print(_("up to date: nothing came in, nothing went out"))
    return OK


def cmd_resolve(args: argparse.Namespace) -> int:
    from kam_tui.store.account_changes import parse_assignment
    from kam_tui.store.conflicts import resolve

    repo = Repository.find(args.repo)
    side = "ours" if args.ours else "theirs" if args.theirs else None
    if side is None and not args.assignments:
        error(_("say how: --ours, --theirs, or FIELD=VALUE for each conflicting field"))
        return REFUSED
    assignments = [parse_assignment(text) for text in args.assignments]
    for line in resolve(repo, args.id, side, assignments):
        print(clean(line))
    note(_("when every conflict is resolved: `kam sync --continue`"))
    return OK


def cmd_validate_staged(args: argparse.Namespace) -> int:
    """`kam validate --staged`: what the pre-commit hook runs."""
    from kam_tui.store.hooks import staged_problems

    wanted = _newer_kam_wanted(args)
    if wanted:
        note(
            _("warning: kam.yaml asks for kam {version}; this kam does not check the commit (upgrade kam)").format(
                version=clean(wanted)
            )
        )
        return OK
    repo = Repository.find(args.repo)
    blocking, inherited = staged_problems(repo)
    if args.json:
        print_json([p.as_json() for p in blocking])
    else:
        for problem in blocking:
            print(clean(problem.render()))
    if inherited:
        note(_("{count} error(s) the files already had at HEAD do not block this commit").format(count=len(inherited)))
    if blocking:
        error(_("{count} error(s) in the staged files; the commit is refused").format(count=len(blocking)))
        note(_("hint: fix them and `git add` again (or commit with --no-verify to skip the check)"))
        return PROBLEMS
    return OK


def register_changes(sub: Any) -> None:
    p = sub.add_parser("changes", help=N_("the team's commits since you last looked, by account, field by field"))
    p.add_argument(
        "--since", metavar="REF|DATE", help=N_("from this revision or date instead of where you last looked")
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--seen", action="store_true", help=N_("then mark everything shown as seen"))
    p.set_defaults(run=cmd_changes)


def cmd_changes(args: argparse.Namespace) -> int:
    from kam_tui.store.changelog import changes, mark_seen, renamed, report_json, resolve_since, settled, shown

    repo = Repository.find(args.repo)
    report = changes(repo, resolve_since(repo, args.since))
    if args.json:
        print_json(report_json(report))
    else:
        since = _("since {day}").format(day=report.since[:10]) if report.since else _("from the first commit")
        if not report.accounts:
            print(_("no changes to accounts or checklists {since}").format(since=since))
        else:
            print(
                _("{commits} commit(s) {since}, {accounts} account(s)").format(
                    commits=report.commits, since=since, accounts=len(report.accounts)
                )
            )
        for account in report.accounts:
            print(f"\n{clean(account.id)}")
            for change in account.commits:
                commit = change.commit
                when = commit.date[:16].replace("T", " ")
                print(f"  {when}  {clean(commit.author)}  {commit.hash[:10]}  {clean(commit.message)}")
                for file in change.files:
                    prefix = "" if file.rel.startswith("accounts/") else f"{file.rel.rsplit('/', 1)[-1][:-3]}: "
                    if (moved := renamed(file)) is not None:
                        print(f"      {clean(prefix + moved)}")
                    if file.unreadable:
                        print(
                            "      "
                            + _("{file}: does not read as data (conflict markers or invalid YAML)").format(
                                file=clean(file.rel)
                            )
                        )
                    for item in file.fields:
                        old, new = clean(shown(item.old)), clean(shown(item.new))
                        print(f"      {clean(prefix + item.field)}: {old} → {new}")
                    for decision in file.merge:
                        print(f"      {clean(prefix + decision.field)}: {clean(settled(decision))}")
    if args.seen and report.head:
        mark_seen(repo, report.head)
        note(_("marked as seen up to {commit}").format(commit=report.head[:10]))
    return OK
