"""`kam checklists`: the portfolio's checklists — which accounts run which playbook, and how far."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kam_tui.cli.output import OK, note, print_json, table
from kam_tui.i18n import N_, _
from kam_tui.store.repository import Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).
if TYPE_CHECKING:
    from kam_tui.store.checklists import ChecklistStatus


def register(sub: Any) -> None:
    p = sub.add_parser("checklists", help=N_("the portfolio: which accounts run which playbook, and how far"))
    p.add_argument("--playbook", metavar="NAME", help=N_("only this playbook"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_checklists)


def cmd_checklists(args: argparse.Namespace) -> int:
    from kam_tui.store.checklists import checklist_overview

    repo = Repository.find(args.repo)
    overview = checklist_overview(repo)
    statuses = [s for s in overview.statuses if args.playbook is None or s.name == args.playbook]
    for problem in overview.skipped:
        if args.playbook is None or problem.path.endswith(f"/{args.playbook}.md"):
            note(_("{problem} (skipped)").format(problem=problem.render()))
    if args.json:
        print_json([_as_json(status) for status in statuses])
        return OK
    if not statuses:
        note(_("no checklists yet; attach a playbook with `kam attach ID PLAYBOOK`"))
        return OK
    table(
        [_cells(status) for status in statuses],
        [_("ACCOUNT"), _("PLAYBOOK"), _("DONE"), _("STAGE"), _("OLDEST OPEN STEP"), _("OPEN SINCE"), _("TEMPLATE")],
        max_widths={4: 50},
    )
    return OK


def _as_json(status: ChecklistStatus) -> dict[str, Any]:
    """One checklist in `kam checklists --json` (docs/json.md)."""
    from kam_tui.model.checklist import current_stage, next_step

    pb = status.playbook
    nxt, stage = next_step(pb), current_stage(pb)
    since = pb.header.date if pb.header else None
    return {
        "account": status.account,
        "playbook": status.name,
        "path": status.file.rel,
        "title": status.file.title,
        "done": pb.done,
        "total": pb.total,
        "stage": stage.name if stage else None,
        "oldest_open": {"number": nxt.number, "text": nxt.text, "stage": nxt.stage, "since": since} if nxt else None,
        "attached": pb.header.as_json() if pb.header else None,
        "template": {"exists": status.template_exists, "differences": len(status.differences)},
        "problems": len(status.file.problems),
    }


def _cells(status: ChecklistStatus) -> list[str]:
    """One checklist's row of the table: account, playbook, done, stage, oldest open step, since, template."""
    from kam_tui.model.checklist import current_stage, next_step

    pb = status.playbook
    nxt, stage = next_step(pb), current_stage(pb)
    since = pb.header.date if pb.header else None
    if not status.template_exists:
        template = _("missing")
    elif status.differences:
        template = _("{n} differ").format(n=len(status.differences))
    else:
        template = ""
    return [
        status.account,
        status.name,
        f"{pb.done}/{pb.total}",
        stage.name if stage else _("done"),
        f"{nxt.number} {nxt.text}" if nxt else "",
        (since or "") if nxt else "",
        template,
    ]
