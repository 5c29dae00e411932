"""The reader's language for one `kam` run: the global `--lang`, accepted before or after the command.

`kam init DIR --lang zh` and `kam playbook add NAME --lang zh` keep their own `--lang` (the
repository's / the template's language, stored as `args.lang`); the reader's language is
`args.reader_lang`, so the two never collide: `kam --lang en init DIR --lang zh` shows English
and writes a Chinese repository.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from kam_tui.cli.parsing import subcommand, subcommand_parsers
from kam_tui.i18n import LANGUAGES, N_, choose_language
from kam_tui.model.errors import KamError
from kam_tui.store.repository import Repository

READER_LANG = "reader_lang"
LANG_HELP = N_("language of what kam prints (default: $KAM_LANG, kam.yaml's language, the locale, English)")


def add_reader_lang(parser: argparse.ArgumentParser, top: bool) -> None:
    """`--lang en|zh` for what a person reads. Below the top level its default is SUPPRESS, so a
    subcommand that was not given --lang leaves the top level's value alone."""
    parser.add_argument(
        "--lang",
        dest=READER_LANG,
        choices=LANGUAGES,
        default=None if top else argparse.SUPPRESS,
        help=LANG_HELP,
    )


def accept_after_command(parser: argparse.ArgumentParser) -> None:
    """Every subcommand takes the reader's `--lang`, except those whose `--lang` means something else."""
    for child in subcommand_parsers(parser):
        if "--lang" not in child._option_string_actions:
            add_reader_lang(child, top=False)


def repository_language(explicit_repo: str | None) -> object:
    """kam.yaml's `language:` as written (None when there is no repository here). A kam.yaml that
    cannot be read gives None: the command that needs it reports the problem itself."""
    try:
        settings, _problems = Repository.find(explicit_repo).load_settings()
    except KamError:
        return None
    return settings.raw.get("language")


def reader_language(args: argparse.Namespace) -> str:
    repo = getattr(args, "repo", None)
    return choose_language(getattr(args, READER_LANG, None), os.environ, lambda: repository_language(repo))


def language_before_parsing(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str:
    """The reader's language for what parsing itself shows (`--help`, a usage error), found before
    argparse parses: `--help` exits as soon as it is read, so `kam list --help --lang zh` cannot
    wait for the parse to reach `--lang`. The command line is walked as argparse walks it, command
    by command, asking each parser which option takes a value and which `--lang` is the reader's
    (not `kam init`'s); `reader_language` gives the same answer once the arguments are parsed."""
    flag: str | None = None
    repo: str | None = None
    current = parser
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            break
        if not token.startswith("-"):
            current = subcommand(current, token) or current
            continue
        name, equals, value = token.partition("=")
        action = current._option_string_actions.get(name)
        if action is None:
            continue
        if action.nargs != 0 and not equals:
            value = next(tokens, "")
        if action.dest == READER_LANG:
            flag = value
        elif action.dest == "repo":
            repo = value
    return choose_language(flag, os.environ, lambda: repository_language(repo))
