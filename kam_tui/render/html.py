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

from kam_tui.i18n import _
from kam_tui.model.review_report import ReviewReport
from kam_tui.model.text import printable
from kam_tui.render.review_document import Document

WIDTH, HEIGHT = 560, 260

TierHistory = Sequence[tuple[str, dict[str, int]]]


def _svg(chart: leather.Chart) -> str:
    return str(chart.to_svg(width=WIDTH, height=HEIGHT))


def _over_time(title: str, labels: Sequence[str], series: dict[str, list[float]]) -> str:
    """Lines over labelled points in time (leather draws lines on numbers: index them, label the axis)."""
    chart = leather.Chart(title)
    last = max(len(labels) - 1, 1)
    chart.set_x_scale(leather.Linear(0, last))
    chart.set_x_axis(
        leather.Axis(ticks=list(range(len(labels))), tick_formatter=lambda value, index, count: labels[int(value)])
    )
    chart.set_y_axis(leather.Axis(tick_formatter=lambda value, index, count: f"{value:,.0f}"))  # 1,200,000
    for name, values in series.items():
        points = list(enumerate(values))
        if len(points) == 1:
            chart.add_dots(points, name=name)
        else:
            chart.add_line(points, name=name)
    return _svg(chart)


def tier_mix_chart(history: TierHistory) -> str | None:
    """Accounts per tier over the reviews (one line per tier)."""
    if not history:
        return None
    labels = [label for label, counts in history]
    return _over_time(
        _("Tier mix over reviews"),
        labels,
        {t: [float(counts.get(t, 0)) for label, counts in history] for t in ("A", "B", "C")},
    )


def sales_chart(report: ReviewReport) -> str | None:
    """Sales against sell-through per quarter: stock piling up shows as a gap."""
    if len(report.quarterly) < 2:
        return None
    labels = [row[0] for row in report.quarterly]
    return _over_time(
        _("Sales (stock-in) and sell-through per quarter"),
        labels,
        {_("sales"): [row[1] for row in report.quarterly], _("sell-through"): [row[2] for row in report.quarterly]},
    )


def concentration_chart(report: ReviewReport) -> str | None:
    """Cumulative share of what sold through against share of accounts, largest first (the 20/80 curve)."""
    curve = report.concentration.curve()
    if not curve:
        return None
    points = [(100 * accounts, 100 * share) for accounts, share in curve]
    chart = leather.Chart(_("Concentration: % of sell-through from the top % of accounts"))
    chart.add_x_scale(0, 100)
    chart.add_y_scale(0, 100)
    chart.add_line(points, name=_("accounts"))
    chart.add_line([(0.0, 0.0), (100.0, 100.0)], name=_("even"))
    return _svg(chart)


def achievement_chart(report: ReviewReport) -> str | None:
    """Target achievement per account manager, in %."""
    rows = [(100 * o.achievement, printable(o.owner)) for o in report.owners if o.achievement is not None]
    if not rows:
        return None
    chart = leather.Chart(_("Target achievement per account manager (%)"))
    chart.add_bars(rows)
    return _svg(chart)


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("kam_tui.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
_ENV.filters["printable"] = printable


def render_html(doc: Document, report: ReviewReport, history: TierHistory, language: str) -> str:
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
    return _ENV.get_template("review.html.j2").render(
        doc=doc, lang=language, nothing=_("none"), charts=[markupsafe.Markup(c) for c in charts]
    )
