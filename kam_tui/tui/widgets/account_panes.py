"""How one account reads on screen: Rich renderables and table rows built from the model's
Account. Pure presentation — no decisions about the account are made here.

Every value from the file or from git goes through `safe_text` (plain `Text`, never markup,
control characters made visible), so a name like `[bold]` shows as typed and an escape sequence
in a field cannot drive the terminal. Rich measures terminal cells, so Chinese text aligns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from kam_tui.i18n import N_, _
from kam_tui.model.account import Account, Period
from kam_tui.model.problems import Problem
from kam_tui.model.schema import RATINGS
from kam_tui.model.score_labels import rating_label
from kam_tui.model.summary import ScoreSummary
from kam_tui.tui.gateway import Commit
from kam_tui.tui.safe_text import lines, safe
from kam_tui.tui.safe_text import plain as safe_plain

NONE = Text("—", style="dim")


def money(value: float | None) -> Text:
    return NONE.copy() if value is None else Text(f"{value:,.0f}", justify="right")


def percent(value: float | None) -> Text:
    return NONE.copy() if value is None else Text(f"{value:.1%}", justify="right")


def plain(value: Any) -> Text:
    if value is None or value == "" or value == ():
        return NONE.copy()
    if hasattr(value, "isoformat"):
        return Text(value.isoformat())
    return safe_plain(value)


def heading(title: str, note: str = "") -> Text:
    text = Text(title, style="bold underline")
    if note:
        text.append(f"  {note}", style="dim")
    return text


CELL_CAP = 24  # a one-line cell (a name, a role) is cut here, so a long one leaves room beside it


def _table(*headers: str, wrap: int | None = None) -> Table:
    """A borderless table with dim headers; column `wrap` takes the spare width and wraps, the
    others stay on one line of at most CELL_CAP cells (dates and figures always fit)."""
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, header_style="dim", expand=False)
    for i, header in enumerate(headers):
        if i == wrap:
            table.add_column(header, ratio=1, overflow="fold")
        else:
            table.add_column(header, no_wrap=True, max_width=CELL_CAP)
    if wrap is not None:
        table.expand = True
    return table


# --- overview -------------------------------------------------------------------------------------


def score_line(score: ScoreSummary | None, error: str | None = None) -> Text:
    """`Score 94.0 · Tier A* (computed B) · risks: none` from `Evaluation.summary()`."""
    if score is None:
        return lines(_("Score: {error}").format(error=error) if error else _("Score: …"), style="dim")
    text = Text(_("Score") + " ", style="dim")
    text.append(score.score_text(1), style="bold")
    text.append("  " + _("Tier") + " ", style="dim")
    text.append(safe(score.tier_label(long=True)), style="bold")
    text.append("  " + _("Risks") + " ", style="dim")
    risks = score.risks
    text.append(safe(", ".join(risks)) if risks else _("none"), style="bold red" if risks else "")
    return text


def overview(account: Account, score: ScoreSummary | None = None, score_error: str | None = None) -> RenderableType:
    """Key fields, ratings, contacts, open complaints and notes."""
    a = account
    pairs: list[tuple[str, Text]] = [
        (_("Stage"), plain(a.stage)),
        (_("Owner"), plain(a.owner)),
        (_("Team"), plain(", ".join(a.team))),
        (_("Since"), plain(a.since)),
        (_("Industry"), plain(a.industry)),
        (_("Region"), plain(a.region)),
        (_("Payment terms"), plain(a.payment_terms)),
        (_("Credit limit"), NONE.copy() if a.credit_limit is None else Text(f"{a.credit_limit:,.0f}")),
        (_("Strategic"), Text(_("yes")) if a.strategic else Text(_("no"), style="dim")),
        (_("Network held"), NONE.copy() if a.network_held is None else Text(f"{a.network_held:.0%}")),
    ]
    fields: list[RenderableType] = [FieldGrid(pairs)]
    if a.tier_override is not None:
        o = a.tier_override
        who = ", ".join(str(x) for x in (o.by, o.date and o.date.isoformat()) if x)
        reason = safe_plain(f"{o.tier}: {o.reason}" + (f" ({who})" if who else ""))
        fields.append(FieldGrid([(_("Tier override"), reason)], per_row=1))

    parts: list[RenderableType] = [*fields, Text(), score_line(score, score_error)]

    parts += [Text(), heading(_("Ratings"), "1–5")]
    if a.ratings:
        grid = Table.grid(padding=(0, 4))
        for _column in range(3):
            grid.add_column(no_wrap=True)
        names = [n for n in RATINGS if n in a.ratings]
        cells = [_rating(n, a.ratings[n]) for n in names]
        for i in range(0, len(cells), 3):
            grid.add_row(*cells[i : i + 3])
        parts.append(grid)
    else:
        parts.append(Text(_("no ratings yet"), style="dim"))

    parts += [Text(), heading(_("Contacts"))]
    if a.contacts:
        table = _table(_("NAME"), _("ROLE"), _("PHONE"), _("EMAIL"), wrap=3)
        for contact in a.contacts:
            table.add_row(*(plain(v) for v in (contact.name, contact.role, contact.phone, contact.email)))
        parts.append(table)
    else:
        parts.append(Text(_("no contacts on file"), style="dim"))

    open_complaints = [c for c in a.complaints if c.closed is None]
    parts += [Text(), heading(_("Open complaints"), str(len(open_complaints)) if open_complaints else "")]
    if open_complaints:
        table = _table(_("OPENED"), _("SUMMARY"), wrap=1)
        for c in sorted(open_complaints, key=lambda c: c.opened):
            table.add_row(plain(c.opened), plain(c.summary))
        parts.append(table)
    else:
        parts.append(Text(_("none"), style="dim"))

    if a.notes.strip():
        parts += [Text(), heading(_("Notes")), lines(a.notes.rstrip("\n"))]
    return Group(*parts)


class FieldGrid:
    """Label and value pairs, three to a row where the width allows it (fewer on a narrow
    screen, so a date is never cut for a long name beside it); a long value folds, whole."""

    def __init__(self, pairs: Sequence[tuple[str, Text]], per_row: int = 3) -> None:
        self.pairs = pairs
        self.per_row = per_row

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        per_row = min(self.per_row, max(1, options.max_width // 36))
        grid = Table.grid(padding=(0, 2))
        for _column in range(per_row):
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")
        for i in range(0, len(self.pairs), per_row):
            cells: list[RenderableType] = []
            for label, value in self.pairs[i : i + per_row]:
                cells += [label, value]
            grid.add_row(*cells)
        yield grid


def _rating(name: str, value: int) -> Text:
    shown = rating_label(name)
    text = Text(shown + " " * max(1, 11 - cell_len(shown)), style="dim")
    text.append("●" * value, style="bold")
    text.append("○" * max(0, 5 - value), style="dim")
    text.append(f" {value}")
    return text


def problems_text(problems: Sequence[Problem]) -> Text:
    """The file's own findings, one a line (warnings mostly: files with errors are not listed)."""
    text = Text()
    for i, p in enumerate(problems):
        if i:
            text.append("\n")
        where = f"{p.path}:{p.line}" if p.line else p.path
        text.append(f"{safe(p.level)}: ", style="bold red" if p.level == "error" else "bold yellow")
        text.append(safe(f"{where}: {p.message}" + (f" ({p.hint})" if p.hint else "")))
    return text


# --- periods --------------------------------------------------------------------------------------

PERIOD_COLUMNS = (
    N_("PERIOD"),
    N_("SALES"),
    N_("MARGIN"),
    N_("ORDERS"),
    N_("STOCK-IN"),
    N_("SELL-THROUGH"),
    N_("RECEIVABLES"),
    N_("OVERDUE"),
    N_("OWED TO ACCOUNT"),
)


def period_row(p: Period) -> tuple[Text, ...]:
    return (
        safe_plain(p.key),
        money(p.sales),
        percent(p.gross_margin),
        money(p.orders),
        money(p.stock_in),
        money(p.sell_through),
        money(p.receivables),
        money(p.overdue),
        money(p.owed_to_account),
    )


# --- history --------------------------------------------------------------------------------------

AUTHOR_CAP = 14  # the message is what a reader scans: at 80 columns it keeps the room
HISTORY_COLUMNS = (N_("COMMIT"), N_("DATE"), N_("AUTHOR"), N_("MESSAGE"))  # translated where shown


def history_row(c: Commit) -> tuple[Text, ...]:
    return (
        safe_plain(c.hash[:10], style="dim"),
        safe_plain(c.date[:16].replace("T", " ")),
        _cut(safe_plain(c.author), AUTHOR_CAP),
        safe_plain(c.message),
    )


def _cut(text: Text, width: int) -> Text:
    """`text` cut to `width` terminal cells with an ellipsis (the history table sizes its
    columns to the longest cell, so a long author would push the message off the screen)."""
    text.truncate(width, overflow="ellipsis")
    return text


DIFF_STYLE = {"+": "green", "-": "red", "@": "cyan"}


def diff_text(diff: str) -> Text:
    """A unified diff, coloured by line (file headers bold), every line shown as plain text."""
    text = Text()
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "diff ", "index ")):
            style = "bold"
        else:
            style = DIFF_STYLE.get(line[:1], "")
        text.append(safe(line), style=style)
        text.append("\n")
    return text
