"""kam's argument parser, in the reader's language: its help, its usage and argparse's own errors.

The parser is built once, before the language is known (it is needed to find the language:
`cli.language.language_before_parsing`), so every help text is marked with `N_()` where it is
written and translated when shown, by `Formatter`. argparse's own words ("usage:", "options",
"the following arguments are required: …") are looked up by argparse, at the moment it needs
them, through the module-level names `_` and `ngettext` it imports from gettext: that is
argparse's own translation hook (CPython marks every such message for gettext). `speak_kams_language`
points those two names at kam's catalogue, which holds Chinese for argparse's messages too
(`ARGPARSE_MESSAGES`), so argparse's words follow the same language chain as kam's. The other
ways cost more: gettext's global domain chooses its language from the environment only (not
--lang or kam.yaml), and subclassing would mean rewriting argparse's private parsing methods
just to change their error strings.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any

from kam_tui.cli.output import REFUSED, error, wrap
from kam_tui.i18n import N_, _, ngettext

# argparse's messages a person can meet (help, usage, refusals of a command line), marked for
# kam's catalogue. Those that only a programming error in kam can raise (conflicting options,
# a bad add_argument) and those of features kam does not use (FileType, deprecation, nargs=N)
# are left out: tests/test_i18n_help.py lists them and fails when argparse gains a new one.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("%(heading)s:"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
)


def speak_kams_language() -> None:
    """argparse's own messages from kam's catalogue, in the language `_()` speaks when argparse asks."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class Formatter(argparse.HelpFormatter):
    """Help in the reader's language: the help of every option and command, the descriptions and
    the section headings are translated when the help is formatted."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return _(action.help) if action.help and action.help != argparse.SUPPRESS else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(_(text))

    def start_section(self, heading: str | None) -> None:
        super().start_section(_(heading) if heading else heading)

    # argparse wraps text by counting characters; Chinese takes two terminal cells a character
    # and has no spaces, so text that is not ASCII is wrapped by cells (English as argparse does).
    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.isascii():
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class RawDescriptionFormatter(Formatter):
    """`Formatter` that keeps the description's own line breaks (a description with an example),
    as argparse's RawDescriptionHelpFormatter does."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


class Parser(argparse.ArgumentParser):
    """Exits 2 with a one-line message; `intermixed=True` lets options sit between positionals
    (`kam new ID --name N KEY=VALUE`). Its help is in the reader's language (`Formatter`)."""

    def __init__(self, *args: Any, intermixed: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)
        self.intermixed = intermixed
        self._mixing = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        if self.intermixed and not self._mixing:
            self._mixing, usage = True, self.usage
            # argparse's intermixed parse keeps the usage as `format_usage()[7:]`, counting on the
            # English "usage: "; given the usage without the prefix in the reader's language, it keeps that.
            if usage is None:
                self.usage = self.format_usage().removeprefix(_("usage: ")).rstrip()
            try:
                return self.parse_known_intermixed_args(args, namespace)
            finally:
                self._mixing, self.usage = False, usage
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        error(message)
        sys.exit(REFUSED)


def subcommand_parsers(parser: argparse.ArgumentParser) -> Iterable[argparse.ArgumentParser]:
    """Every parser below `parser` (commands, their subcommands), each once."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
                yield child
                yield from subcommand_parsers(child)


def subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    """The parser of the command `name` directly below `parser`, if there is one."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            child = action.choices.get(name)
            if isinstance(child, argparse.ArgumentParser):
                return child
    return None
