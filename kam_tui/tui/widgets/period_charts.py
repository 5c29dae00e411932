"""The Periods tab's pictures: sales against sell-through and the gross margin over the quarters
as sparklines (one cell per quarter, readable at 80 columns), and each target with how much of it
was achieved. Pure presentation over the model's Account and its achievements."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kam_tui.i18n import N_
from kam_tui.model.account import Account, Period
from kam_tui.model.achievement import Achievement, achievements
from kam_tui.tui.safe_text import plain
from kam_tui.tui.translate import label

LABELS = {
    "charts": N_("Quarter by quarter"),
    "span": N_("{first} … {last} · {n} quarters"),
    "sales": N_("sales"),
    "sell_through": N_("sell-through"),
    "margin": N_("margin"),
    "latest": N_("latest {value}"),
    "peak": N_("peak {value}"),
    "of_sales": N_("{share} of sales"),
    "range": N_("range {low} – {high}"),
    "no_periods": N_("no quarters on file"),
    "targets": N_("Targets and achievement"),
    "no_targets": N_("no targets on file"),
    "period": N_("PERIOD"),
    "target": N_("TARGET"),
    "sales_col": N_("SALES"),
    "achieved": N_("ACHIEVED"),
    "sell_col": N_("SELL-THROUGH"),
    "margin_col": N_("MARGIN/TARGET"),
    "not_yet": N_("not yet"),
}
BLOCKS = "▁▂▃▄▅▆▇█"
GAP = "·"  # a quarter without the figure
WIDTH = 24  # cells of a sparkline: with the label and the figures it fits 80 columns
MAX_QUARTERS = WIDTH  # the newest this many (one cell each); fewer quarters get wider cells
BAR = 8  # cells of an achievement bar at 100 % (more shows as a full bar)
NONE = "—"


def _money(value: float | None) -> str:
    return NONE if value is None else f"{value:,.0f}"


def _percent(value: float | None) -> str:
    return NONE if value is None else f"{value:.1%}"


def sparkline(values: Sequence[float | None], low: float, high: float, cells: int = 1) -> str:
    """`cells` blocks per value between `low` and `high`; a missing value is dots."""
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(GAP * cells)
        elif span <= 0:
            out.append(BLOCKS[len(BLOCKS) // 2] * cells)
        else:
            step = round((min(max(value, low), high) - low) / span * (len(BLOCKS) - 1))
            out.append(BLOCKS[step] * cells)
    return "".join(out)


def _known(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def charts(periods: Sequence[Period]) -> RenderableType:
    """Sales and sell-through on one scale (so the gap between them shows) and the margin on its
    own, each from its lowest to its highest quarter, newest last."""
    shown = list(periods)[-MAX_QUARTERS:]
    if not shown:
        return Text(label(LABELS, "no_periods"), style="dim")
    sales = [p.sales for p in shown]
    sell = [p.sell_through for p in shown]
    margin = [p.gross_margin for p in shown]
    volume = [*_known(sales), *_known(sell)]
    bottom, top = (min(volume), max(volume)) if volume else (0.0, 0.0)
    cells = max(1, min(3, WIDTH // len(shown)))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column()
    latest_sales = next((v for v in reversed(sales) if v is not None), None)
    latest_sell = next((v for v in reversed(sell) if v is not None), None)
    grid.add_row(
        label(LABELS, "sales"),
        Text(sparkline(sales, bottom, top, cells), style="cyan"),
        Text(
            label(LABELS, "latest").format(value=_money(latest_sales))
            + " · "
            + label(LABELS, "peak").format(value=_money(max(_known(sales), default=None)))
        ),
    )
    sell_note = label(LABELS, "latest").format(value=_money(latest_sell))
    if latest_sell is not None and sell[-1] is not None and sales[-1]:
        sell_note += " · " + label(LABELS, "of_sales").format(share=f"{sell[-1] / sales[-1]:.0%}")
    grid.add_row(
        label(LABELS, "sell_through"), Text(sparkline(sell, bottom, top, cells), style="green"), Text(sell_note)
    )
    known_margin = _known(margin)
    low, high = (min(known_margin), max(known_margin)) if known_margin else (0.0, 0.0)
    latest_margin = next((v for v in reversed(margin) if v is not None), None)
    margin_note = label(LABELS, "latest").format(value=_percent(latest_margin))
    if known_margin:
        margin_note += " · " + label(LABELS, "range").format(low=_percent(low), high=_percent(high))
    grid.add_row(label(LABELS, "margin"), Text(sparkline(margin, low, high, cells), style="yellow"), Text(margin_note))
    title = Text(label(LABELS, "charts"), style="bold underline")
    title.append("  ")
    span = label(LABELS, "span").format(first=plain(shown[0].key).plain, last=plain(shown[-1].key).plain, n=len(shown))
    title.append(span, style="dim")
    return Group(title, grid)


def achievement_bar(ratio: float | None) -> Text:
    """`██████████░░░░░░  63%`: BAR cells are the target; past it the bar is full and bold."""
    if ratio is None:
        return Text(label(LABELS, "not_yet"), style="dim")
    filled = min(BAR, round(max(ratio, 0.0) * BAR))
    style = "green" if ratio >= 1 else "yellow" if ratio >= 0.8 else "red"
    bar = Text("█" * filled, style=style)
    bar.append("░" * (BAR - filled), style="dim")
    bar.append(f" {ratio:4.0%}", style="bold" if ratio >= 1 else "")
    return bar


def targets(account: Account) -> RenderableType:
    """One row per target, oldest first: the target, the sales so far and the share achieved."""
    heading = Text(label(LABELS, "targets"), style="bold underline")
    rows: list[Achievement] = achievements(account)
    if not rows:
        return Group(heading, Text(label(LABELS, "no_targets"), style="dim"))
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, header_style="dim", expand=False)
    for key in ("period", "target", "sales_col", "achieved", "sell_col", "margin_col"):
        table.add_column(label(LABELS, key), no_wrap=True, justify="left" if key in ("period", "achieved") else "right")
    for a in rows:
        table.add_row(
            plain(a.period),
            _money(a.target_sales),
            _money(a.sales),
            achievement_bar(a.ratio),
            _money(a.sell_through),
            f"{_percent(a.margin)} / {_percent(a.target_margin)}",
        )
    return Group(heading, table)


def periods_pictures(account: Account) -> RenderableType:
    """What the Periods tab shows above its table."""
    return Group(charts(account.periods), Text(), targets(account))
