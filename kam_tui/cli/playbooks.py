"""`kam playbook list/add`: the playbook templates in playbooks/ and the ones kam ships."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kam_tui.cli.parsing import RawDescriptionFormatter
from kam_tui.cli.output import OK, REFUSED, clean, note, print_json, table
from kam_tui.i18n import N_, _
from kam_tui.store.repository import Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).

PLAYBOOK_ADD_HELP = N_("""\
Copy one of kam's own templates into playbooks/ and commit it. A repository made with
`kam init --lang en` has the English templates as playbooks/development.md,
maintenance.md and staged-exit.md; the other language is one command away:

  kam playbook add staged-exit --lang zh     # writes playbooks/staged-exit-zh.md

Without --lang the repository's language is used and the file is playbooks/NAME.md
(to restore a deleted template); in the other language it is playbooks/NAME-LANG.md,
or the name given with --as. Attach it by that name: `kam attach ID staged-exit-zh`
(any `staged-exit-*` copy follows the staged-exit rules).""")


def register(sub: Any) -> None:
    p = sub.add_parser("playbook", help=N_("playbook templates: list them, add kam's own in either language"))
    psub = p.add_subparsers(dest="playbook_command", metavar="SUBCOMMAND", parser_class=type(p))
    q = psub.add_parser("list", help=N_("the templates in playbooks/ and the ones kam ships"))
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=cmd_playbook_list)
    q = psub.add_parser(
        "add",
        help=N_("copy kam's template NAME (e.g. in the other language) and commit it"),
        description=PLAYBOOK_ADD_HELP,
        formatter_class=RawDescriptionFormatter,
        intermixed=True,
    )
    q.add_argument("name", metavar="NAME", help=N_("development, maintenance or staged-exit"))
    q.add_argument("--lang", choices=("en", "zh"), help=N_("the template's language (default: the repository's)"))
    q.add_argument("--as", dest="as_name", metavar="FILE", help=N_("the new file's name without .md"))
    q.add_argument("--author", help=N_("commit author 'Name <email>'"))
    q.set_defaults(run=cmd_playbook_add)
    p.set_defaults(run=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return REFUSED


def cmd_playbook_list(args: argparse.Namespace) -> int:
    from kam_tui.store.playbook_templates import list_templates
    from kam_tui.store.shipped import shipped_playbooks

    repo = Repository.find(args.repo)
    templates = list_templates(repo)
    shipped = {lang: sorted(shipped_playbooks(lang)) for lang in ("en", "zh")}
    if args.json:
        print_json({"templates": [t.as_json() for t in templates], "shipped": shipped})
        return OK
    table(
        [
            [
                t.name,
                t.title or "",
                str(t.steps),
                " → ".join(t.stages),
                ", ".join(t.fits),
                _("{n} error(s)").format(n=t.errors) if t.errors else "",
            ]
            for t in templates
        ],
        [_("PLAYBOOK"), _("TITLE"), _("STEPS"), _("STAGES"), _("FITS"), ""],
        max_widths={1: 30, 3: 60},
    )
    ships = "; ".join(f"{lang}: {', '.join(names)}" for lang, names in shipped.items())
    note(_("kam ships {templates} — add one with `kam playbook add NAME --lang zh`").format(templates=ships))
    return OK  # the errors are in the listing; `kam validate` is the command whose exit code judges


def cmd_playbook_add(args: argparse.Namespace) -> int:
    from kam_tui.store.playbook_templates import add_shipped

    result = add_shipped(Repository.find(args.repo), args.name, args.lang, args.as_name, args.author)
    print(f"{result.commit[:10]} {clean(result.message)}")
    note(_("attach it with `kam attach ID {playbook}`").format(playbook=result.playbook))
    return OK
