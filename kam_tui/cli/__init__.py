"""The `kam` command: thin commands over the model and the store.

Exit codes: 0 ok, 1 problems found, 2 usage error or refused change. No traceback ever
reaches the user; `KAM_DEBUG=1` shows one for bug reports.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Any

from kam_tui import __version__
from kam_tui.cli import (
    accounts,
    checklist_changes,
    checklist_overview,
    checklist_view,
    log,
    playbooks,
    review,
    scoring,
    show,
    team,
    transfer,
)
from kam_tui.cli.language import accept_after_command, add_reader_lang, language_before_parsing, reader_language
from kam_tui.cli.output import OK, PROBLEMS, REFUSED, clean, error, note
from kam_tui.cli.parsing import Parser, speak_kams_language
from kam_tui.cli.progress import on_terminal
from kam_tui.cli.today import accept_today
from kam_tui.i18n import N_, _, in_language
from kam_tui.model.errors import KamError, Notice, SavedThenInterrupted
from kam_tui.store import clock
from kam_tui.store.gcpause import bulk
from kam_tui.store.repository import NotARepository, Repository
from kam_tui.store.yamlread import SLOW_READING

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    speak_kams_language()
    parser = Parser(prog="kam", description=N_("Key-account management in plain YAML, reviewed in git."))
    parser.add_argument(
        "--repo",
        metavar="DIR",
        help=N_("the kam repository (default: $KAM_REPO, else the first folder upwards with kam.yaml)"),
    )
    add_reader_lang(parser, top=True)
    parser.add_argument(
        "--version", action="version", version=f"kam {__version__}", help=N_("show program's version number and exit")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in (
        accounts,
        show,
        log,
        scoring,
        checklist_changes,
        checklist_view,
        checklist_overview,
        playbooks,
        review,
        transfer,
        team,
    ):
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    accept_after_command(parser)
    accept_today(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    with in_language(language_before_parsing(parser, argv)):  # --help and usage errors
        args = parser.parse_args(argv)
        run: Command | None = getattr(args, "run", None)
        if run is None:
            run = _plain_kam(parser, args)
    if run is None:
        return REFUSED
    with in_language(reader_language(args)), clock.fixed(getattr(args, "today", None)), warnings.catch_warnings():
        warnings.simplefilter("always", Notice)
        warnings.showwarning = _show_notice
        if SLOW_READING:
            note(_("warning: {message}").format(message=SLOW_READING))
        return _run(run, args)


def _show_notice(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """A Notice from the store, on stderr like every other note."""
    note(f"kam: {message}")


def _warn_unfinished_merge(args: argparse.Namespace) -> None:
    """Every command that reads a repository says when a merge left files unmerged there."""
    try:
        repo = Repository.find(args.repo)
    except NotARepository:
        return
    said = repo.unfinished_merge()
    if said:
        note("kam: " + _("warning: {message}").format(message=said))


LONG_RUNNING = ("tui", "demo", None)  # `kam` alone opens the TUI


def _run(run: Command, args: argparse.Namespace) -> int:
    try:
        team.warn_missing_setup(args)
        _warn_unfinished_merge(args)
        # A command lives for one run and builds no cycles worth collecting: the collector's full
        # passes over a loaded portfolio cost ~15 % of a warm `kam list` at 50,000 accounts.
        # The TUI shows its own progress; every other command's long work shows on stderr.
        if getattr(args, "command", None) in LONG_RUNNING:
            return run(args)
        with bulk(), on_terminal():
            return run(args)
    except SavedThenInterrupted as exc:
        error(_("saved as {sha}; interrupted afterwards").format(sha=exc.sha))
        return OK
    except KeyboardInterrupt:
        error(_("interrupted"))
        return REFUSED
    except BrokenPipeError:
        sys.stderr.close()
        return OK
    except KamError as exc:
        report(exc)
        return exc.exit_code
    except Exception as exc:  # the last line of defence: a bug, explained, never a traceback
        error(_("internal error: {kind}: {detail}").format(kind=type(exc).__name__, detail=exc))
        if os.environ.get("KAM_DEBUG"):
            traceback.print_exc()
        else:
            note(_("(set KAM_DEBUG=1 to see the details for a bug report)"))
        return PROBLEMS


def _plain_kam(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Command | None:
    """`kam` alone opens the TUI when a person is at a terminal and a repository is found;
    otherwise (a script, a pipe, no repository) it prints the usage, so nothing ever hangs."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        try:
            Repository.find(args.repo)
        except NotARepository:
            pass
        else:
            return accounts.cmd_tui
    parser.print_help()
    return None


def report(exc: KamError) -> None:
    """A KamError on stderr: its problems as `path:line` lines, `kam: message`, then the hint."""
    for problem in exc.problems:
        print(clean(problem.render()), file=sys.stderr)
    error(exc.message)
    if exc.hint:
        note(_("hint: {hint}").format(hint=exc.hint))


if __name__ == "__main__":
    sys.exit(main())
