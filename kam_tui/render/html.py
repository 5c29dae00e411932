"""The review report as one HTML page with inline SVG charts: readable offline, printable.

Jinja2 lays out the page with autoescaping on, so no value from a file is ever markup; leather
draws the charts as plain SVG. Both are deterministic (no random ids, no timestamps), so a
committed report's diff shows only what changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import jinja2
import leather
import markupsafe

from kam_tui.model.review_report import ReviewReport
from kam_tui.model.text import printable
from kam_tui.render.review_document import Document

WIDTH, HEIGHT = 560, 260

TierHistory = Sequence[tuple[str, dict[str, int]]]


def _svg(chart: leather.Chart) -> str:
    return str(chart.to_svg(width=WIDTH, height=HEIGHT))


def tier_mix_chart(history: TierHistory) -> str | None:
    """Accounts per tier over the reviews (one line per tier)."""
    if len(history) < 1:
        return None
    chart = leather.Chart("Tier mix over reviews")
    labels = [label for label, _ in history]
    chart.add_x_scale(leather.Ordinal(labels))
    for tier in ("A", "B", "C"):
        chart.add_line([(label, counts.get(tier, 0)) for label, counts in history], name=tier)
    return _svg(chart)


def sales_chart(report: ReviewReport) -> str | None:
    """Sales against sell-through per quarter: stock piling up shows as a gap."""
    if len(report.quarterly) < 2:
        return None
    chart = leather.Chart("Sales (stock-in) and sell-through per quarter")
    chart.add_x_scale(leather.Ordinal([q for q, _, _ in report.quarterly]))
    chart.add_line([(q, s) for q, s, _ in report.quarterly], name="sales")
    chart.add_line([(q, t) for q, _, t in report.quarterly], name="sell-through")
    return _svg(chart)


def concentration_chart(report: ReviewReport) -> str | None:
    """Cumulative share of sales against share of accounts, largest first (the 20/80 curve)."""
    sales = sorted((a.sales for a in report.accounts if a.sales and a.sales > 0), reverse=True)
    total = sum(sales)
    if len(sales) < 2 or total <= 0:
        return None
    points, running = [(0.0, 0.0)], 0.0
    for index, value in enumerate(sales, 1):
        running += value
        points.append((100 * index / len(sales), 100 * running / total))
    chart = leather.Chart("Concentration: % of sales from the top % of accounts")
    chart.add_x_scale(0, 100)
    chart.add_y_scale(0, 100)
    chart.add_line(points, name="accounts")
    chart.add_line([(0.0, 0.0), (100.0, 100.0)], name="even")
    return _svg(chart)


def achievement_chart(report: ReviewReport) -> str | None:
    """Target achievement per account manager, in %."""
    rows = [(100 * o.achievement, printable(o.owner)) for o in report.owners if o.achievement is not None]
    if not rows:
        return None
    chart = leather.Chart("Target achievement per account manager (%)")
    chart.add_bars(rows)
    return _svg(chart)


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("kam_tui.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
_ENV.filters["printable"] = printable


def render_html(doc: Document, report: ReviewReport, history: TierHistory) -> str:
    charts = [
        c
        for c in (
            tier_mix_chart(history),
            sales_chart(report),
            concentration_chart(report),
            achievement_chart(report),
        )
        if c is not None
    ]
    return _ENV.get_template("review.html.j2").render(doc=doc, charts=[markupsafe.Markup(c) for c in charts])
