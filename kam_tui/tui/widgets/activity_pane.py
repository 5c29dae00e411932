"""The Activity tab: visits, complaints with their response times, surveys and actions, each
newest first with the number that addresses it (`visits.3`, as `kam show` prints it). Pure
presentation over the model's Account; values through `safe_text`."""

from __future__ import annotations

import datetime as dt

from rich.console import Group, RenderableType
from rich.text import Text

from kam_tui.i18n import _
from kam_tui.model.account import Account, Complaint
from kam_tui.tui.safe_text import safe
from kam_tui.tui.safe_text import plain as safe_plain
from kam_tui.tui.widgets.account_panes import _table, heading, plain


def response(c: Complaint) -> Text:
    """How long the answer took (`26 h` with times of day, `3 d` with dates only, as `kam show`
    prints it); an unanswered complaint says so, in red."""
    answer = c.response()
    if answer is None:
        return Text("—", style="dim") if c.closed is not None else Text(_("no answer yet"), style="bold red")
    return Text(answer.text(), justify="right")


BY_CAP = 14  # who visited: a short name, cut so the summary keeps its room at 80 columns


def address(list_name: str, n: int) -> Text:
    """The number that addresses the item in `kam set`/`kam remove` (`visits.3`), as `kam show`
    prints it."""
    return Text(f"{list_name}.{n}", style="dim")


def activity(account: Account) -> RenderableType:
    """Visits, complaints, surveys and actions, each newest first, each with its address."""
    a = account
    parts: list[RenderableType] = [heading(_("Visits"), _("{n}, newest first").format(n=len(a.visits)))]
    if a.visits:
        table = _table("#", _("DATE"), _("BY"), _("SUMMARY"), wrap=3)
        table.columns[2].max_width = BY_CAP
        for v in sorted(a.visits, key=lambda v: (v.date, v.n), reverse=True):
            summary = safe_plain(v.summary)
            if v.next:
                summary.append("\n" + _("next:") + " ", style="dim")
                summary.append(safe(v.next))
            table.add_row(address("visits", v.n), plain(v.date), plain(v.by), summary)
        parts.append(table)
    else:
        parts.append(Text(_("no visits on file"), style="dim"))

    parts += [Text(), heading(_("Complaints"), str(len(a.complaints)) if a.complaints else "")]
    if a.complaints:
        table = _table("#", _("OPENED"), _("RESPONSE"), _("CLOSED"), _("SUMMARY"), wrap=4)
        for c in sorted(a.complaints, key=lambda c: (c.opened, c.n), reverse=True):
            closed = Text(_("open"), style="bold red") if c.closed is None else plain(c.closed)
            table.add_row(address("complaints", c.n), plain(c.opened), response(c), closed, plain(c.summary))
        parts.append(table)
    else:
        parts.append(Text(_("none"), style="dim"))

    parts += [Text(), heading(_("Surveys"), "1–5")]
    if a.surveys:
        table = _table("#", _("DATE"), _("PRODUCT"), _("SERVICE"), _("BRAND"), _("COMMENT"), wrap=5)
        for s in sorted(a.surveys, key=lambda s: (s.date, s.n), reverse=True):
            scores = (plain(s.product), plain(s.service), plain(s.brand))
            table.add_row(address("surveys", s.n), plain(s.date), *scores, plain(s.comment))
        parts.append(table)
    else:
        parts.append(Text(_("no surveys on file"), style="dim"))

    parts += [Text(), heading(_("Actions"), str(len(a.actions)) if a.actions else "")]
    if a.actions:
        table = _table("#", _("OPENED"), _("DUE"), _("OWNER"), _("STATUS"), _("WHAT"), wrap=5)
        for x in sorted(a.actions, key=lambda x: (x.opened or dt.date.min, x.n), reverse=True):
            status = Text(_("open"), style="bold") if x.open else plain(x.status)
            who = plain(x.owner or a.owner)
            table.add_row(address("actions", x.n), plain(x.opened), plain(x.due), who, status, plain(x.what))
        parts.append(table)
    else:
        parts.append(Text(_("none"), style="dim"))
    return Group(*parts)
