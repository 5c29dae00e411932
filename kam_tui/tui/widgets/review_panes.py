"""What the Reviews screen shows, built from the store's records: the plan's completeness rows,
the report's document as widgets, the charts and the open actions. Every value from a file is
plain text (never markup), control characters made visible."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence

from rich import box
from rich.table import Table as RichTable
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from kam_tui.i18n import N_
from kam_tui.model.agenda import AgendaItem
from kam_tui.model.cycle import Cycle
from kam_tui.model.review import missing_text, owed_by
from kam_tui.model.review_report import ReviewReport
from kam_tui.render.review_document import Section, tier_name
from kam_tui.tui.gateway import ReviewPreview, Status
from kam_tui.tui.safe_text import plain, safe
from kam_tui.tui.translate import label
from kam_tui.tui.widgets.bars import BarChart, BarRow, Part, bar
from kam_tui.tui.widgets.virtual_table import Column, Row

MAX_TABLE_ROWS = 50  # per table in the preview; the whole report is `kam review report`

LABELS = {
    "periods": N_("[ ] other periods: {periods}"),
    "progress": N_("{done} of {total} complete ({share})"),
    "schedule": N_("data due {due} · review {review}"),
    "indicators": N_("indicators: {names}"),
    "scope": N_("scope: {scope}"),
    "owed": N_("still owed by: {people}"),
    "all_in": N_("every figure is in"),
    "skipped": N_("{count} account file(s) have errors; run `kam validate`"),
    "complete": N_("complete"),
    "account": N_("account"),
    "owed_by": N_("owed by"),
    "missing": N_("missing"),
    "more_rows": N_("… {count} more row(s): `kam review report {period}` has them all"),
    "sales_title": N_("Sales (stock-in) and sell-through per quarter"),
    "sales": N_("sales"),
    "sell_through": N_("sell-through"),
    "no_quarters": N_("no quarterly figures yet"),
    "achievement_title": N_("Target achievement per account manager"),
    "no_targets": N_("no account manager has a target in this period"),
    "full_bar": N_("a full bar is {share} of target"),
    "actions_count": N_("{count} open action(s), {overdue} overdue as of {today}"),
    "more_due": N_("{count} more due: complaints to answer, visits, next steps"),
    "due": N_("due"),
    "kind": N_("kind"),
    "days": N_("days"),
    "owner": N_("owner"),
    "what": N_("what"),
    "overdue": N_("{days} d overdue"),
    "tiers_title": N_("Tier mix over reviews"),
    "tiers_note": N_("one bar per closed review (reviews/PERIOD/report.json) and this one"),
    "concentration_title": N_("Concentration: the share of sell-through from the top accounts, the year to {upto}"),
    "top": N_("top {share}"),
    "even": N_("evenly spread, the top 20% would give 20% of sell-through; the 20/80 rule says about 80%"),
    "no_sales": N_("fewer than two accounts sold anything in the year to the period's end"),
}


def period_line(title: str, periods: Sequence[Cycle], shown: Cycle) -> Text:
    """`Review 2026-Q4   [ ] other periods: 2026-Q3 ‹2026-Q4›` (oldest first, the shown one marked)."""
    text = Text(title, style="bold")
    keys = " ".join(f"‹{c.key}›" if c == shown else c.key for c in reversed(periods))
    text.append("   " + label(LABELS, "periods").format(periods=keys), style="dim")
    return text


def completeness_lines(status: Status) -> Text:
    """`12 of 18 complete (67%) · data due … · review …`, who still owes figures, and what the
    plan assesses."""
    plan = status.plan
    total = len(status.gaps)
    done = sum(1 for g in status.gaps if not g.missing)
    share = f"{done / total:.0%}" if total else "100%"
    text = Text(label(LABELS, "progress").format(done=f"{done:,}", total=f"{total:,}", share=share), style="bold")
    text.append(" · " + label(LABELS, "schedule").format(due=plan.data_due, review=plan.review_date))
    owed = owed_by(status.gaps)
    text.append("\n")
    if owed:
        people = ", ".join(f"{who} {n}" for who, n in owed.items())
        text.append_text(plain(label(LABELS, "owed").format(people=people), style="yellow"))
    else:
        text.append(label(LABELS, "all_in"), style="green")
    if status.skipped:
        text.append("\n" + label(LABELS, "skipped").format(count=status.skipped), style="red")
    text.append("\n")
    text.append_text(plain(label(LABELS, "indicators").format(names=", ".join(plan.indicators)), style="dim"))
    if plan.scope:
        text.append_text(plain(" · " + label(LABELS, "scope").format(scope=plan.scope), style="dim"))
    return text


def completeness_columns() -> tuple[Column, ...]:
    return (
        Column("account", label(LABELS, "account"), max_width=30),
        Column("owed_by", label(LABELS, "owed_by"), max_width=16),
        Column("missing", label(LABELS, "missing"), max_width=200, flex=True, soft_width=20),
    )


def completeness_rows(status: Status) -> list[Row]:
    """Incomplete accounts first (what is missing, who owes it), then the complete ones."""
    ordered = sorted(status.gaps, key=lambda g: (not g.missing, g.id))
    return [
        (
            g.id,
            (
                g.id,
                g.reviewer or "–",
                Text(missing_text(g.missing), style="yellow")
                if g.missing
                else Text("✓ " + label(LABELS, "complete"), style="green"),
            ),
        )
        for g in ordered
    ]


# --- the report, previewed ------------------------------------------------------------------------


def report_widgets(preview: ReviewPreview, period: str) -> list[Widget]:
    """The report as the markdown has it, with its charts after the portfolio summary."""
    doc = preview.document
    widgets: list[Widget] = [
        Static(plain(doc.title, style="bold"), classes="report-title"),
        Static(plain(doc.intro, style="dim")),
    ]
    for index, section in enumerate(doc.sections):
        widgets += _section_widgets(section, period)
        if index == 0:
            widgets += [sales_chart(preview.report), achievement_chart(preview.report)]
    return widgets


def _section_widgets(section: Section, period: str) -> Iterator[Widget]:
    yield Static(plain(section.title, style="bold underline"), classes="report-heading")
    for line in section.lines:
        yield Static(plain(("• " if section.bullets else "") + line))
    if section.table is not None and section.table.rows:
        yield Static(_table(section.table.headers, section.table.rows, section.table.right))
        hidden = len(section.table.rows) - MAX_TABLE_ROWS
        if hidden > 0:
            yield Static(Text(label(LABELS, "more_rows").format(count=f"{hidden:,}", period=period), style="dim"))
    for line in section.after:
        yield Static(plain(line, style="dim italic"))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> RichTable:
    table = RichTable(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_edge=False)
    for index, header in enumerate(headers):
        table.add_column(plain(header, style="bold"), justify="right" if index in right else "left", overflow="fold")
    for row in rows[:MAX_TABLE_ROWS]:
        table.add_row(*(plain(cell) for cell in row))
    return table


# --- charts ---------------------------------------------------------------------------------------


def sales_chart(report: ReviewReport) -> BarChart:
    """Sales against sell-through per quarter: stock piling up at the dealer shows as a gap."""
    rows: list[BarRow] = []
    for quarter, sales, sell_through in report.quarterly:
        rows.append(bar(sales, "cyan", f"{sales:,.0f}", quarter))
        rows.append(BarRow("", (Part(sell_through, "magenta", "▒"),), f"{sell_through:,.0f}"))
    legend = Text.assemble(
        ("█ ", "cyan"), label(LABELS, "sales"), "   ", ("▒ ", "magenta"), label(LABELS, "sell_through")
    )
    note = "" if rows else label(LABELS, "no_quarters")
    return BarChart(label(LABELS, "sales_title"), rows, note=note, legend=legend, id="sales-chart")


def achievement_chart(report: ReviewReport) -> BarChart:
    """Target achievement per account manager (a full bar is the best of them, or 100 %)."""
    owners = [(o.owner, o.achievement) for o in report.owners if o.achievement is not None]
    top = max([1.0, *(a for _owner, a in owners)])
    rows = [bar(a, "green" if a >= 1 else "yellow", f"{a:.0%}", safe(owner)) for owner, a in owners]
    note = label(LABELS, "full_bar").format(share=f"{top:.0%}") if rows else label(LABELS, "no_targets")
    return BarChart(label(LABELS, "achievement_title"), rows, maximum=top, note=note, id="achievement-chart")


# --- open actions ---------------------------------------------------------------------------------

KINDS = {"action": N_("action"), "complaint": N_("complaint"), "visit": N_("visit"), "next": N_("next step")}


def actions_summary(items: Sequence[AgendaItem], today: dt.date) -> Text:
    """`3 open action(s), 1 overdue · 9 more due: complaints to answer, visits, next steps`."""
    actions = [i for i in items if i.kind == "action"]
    overdue = sum(1 for i in actions if (i.days(today) or 0) < 0)
    text = Text(label(LABELS, "actions_count").format(count=f"{len(actions):,}", overdue=f"{overdue:,}", today=today))
    if len(items) > len(actions):
        text.append(" · " + label(LABELS, "more_due").format(count=f"{len(items) - len(actions):,}"), style="dim")
    return text


def actions_columns() -> tuple[Column, ...]:
    return (
        Column("due", label(LABELS, "due"), max_width=10),
        Column("days", label(LABELS, "days"), max_width=16, drop=2),
        Column("kind", label(LABELS, "kind"), max_width=10, drop=3),
        Column("account", label(LABELS, "account"), max_width=30, flex=True, soft_width=12),
        Column("owner", label(LABELS, "owner"), max_width=12, drop=1),
        Column("what", label(LABELS, "what"), max_width=120, flex=True, soft_width=20),
    )


def actions_rows(items: Sequence[AgendaItem], today: dt.date) -> list[Row]:
    """One row per item, keyed `account\x1faddress` (Enter opens the account); overdue in red."""
    rows: list[Row] = []
    for item in items:
        days = item.days(today)
        late = days is not None and days < 0
        style = "red" if late else ""
        rows.append(
            (
                f"{item.account}\x1f{item.address or item.kind}",
                (
                    Text(str(item.due or "–"), style=style),
                    Text(label(LABELS, "overdue").format(days=-days) if late and days is not None else "", style=style),
                    label(KINDS, item.kind) if item.kind in KINDS else item.kind,
                    f"{item.name} ({item.account})",
                    item.owner or "–",
                    item.text,
                ),
            )
        )
    return rows


# --- the portfolio charts -------------------------------------------------------------------------

TIER_PARTS = (("A", "green", "█"), ("B", "cyan", "▓"), ("C", "yellow", "░"))  # a shade each: no colour needed
DECILES = range(10, 101, 10)


def tier_mix_chart(history: Sequence[tuple[str, dict[str, int]]]) -> BarChart:
    """Accounts per tier at each closed review (its report.json) and in this one, stacked."""
    rows = [
        BarRow(
            period,
            tuple(Part(counts.get(tier, 0), style, char) for tier, style, char in TIER_PARTS),
            " ".join(f"{tier} {counts.get(tier, 0)}" for tier, _style, _char in TIER_PARTS),
        )
        for period, counts in history
    ]
    legend = Text()
    for tier, style, char in TIER_PARTS:
        legend.append(f"{char} ", style=style)
        legend.append(tier_name(tier) + "   ")
    return BarChart(
        label(LABELS, "tiers_title"), rows, note=label(LABELS, "tiers_note"), legend=legend, id="tier-chart"
    )


def concentration_chart(report: ReviewReport) -> BarChart:
    """The 20/80 curve as bars: the share of what sold through the top 10 %, 20 % … of accounts give."""
    curve = report.concentration.curve()
    rows: list[BarRow] = []
    if curve:
        count = len(curve) - 1
        for decile in DECILES:
            share = curve[math.ceil(count * decile / 100)][1]
            style = "bold magenta" if decile == 20 else "magenta"
            rows.append(bar(share, style, f"{share:.0%}", label(LABELS, "top").format(share=f"{decile}%")))
    note = label(LABELS, "even") if rows else label(LABELS, "no_sales")
    return BarChart(
        label(LABELS, "concentration_title").format(upto=report.concentration.upto or "–"),
        rows,
        maximum=1.0,
        note=note,
        id="concentration-chart",
    )
