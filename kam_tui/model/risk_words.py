"""The words of a risk flag: each risk's figures put into a sentence, in the reader's language.

Kept apart from the checks (model/risks.py) because the checks run for every account on every
read while the words are made only when a person reads a flag."""

from __future__ import annotations

from typing import Any

from kam_tui.i18n import _, ngettext, pgettext


def why(code: str, figures: dict[str, Any]) -> str:
    """The sentence for a flag with this code and these figures."""
    return _WHY[code](figures)


def severity_word(severity: str) -> str:
    """A flag's severity as a word in the reader's language (`high` → 高); JSON keeps the code."""
    return pgettext("severity", severity)


def _m(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _why_stuffing(g: dict[str, Any]) -> str:
    ratio = _("no sell-through") if g["ratio"] is None else f"{g['ratio']:.2f}×"
    return ngettext(
        "stock-in {stock_in} vs sell-through {sell} over {n} quarter ({ratio}); stock built up in "
        "{built} of them (+{growth})",
        "stock-in {stock_in} vs sell-through {sell} over {n} quarters ({ratio}); stock built up in "
        "{built} of them (+{growth})",
        g["quarters"],
    ).format(
        stock_in=_m(g["stock_in"]),
        sell=_m(g["sell_through"]),
        n=g["quarters"],
        ratio=ratio,
        built=g["build_periods"],
        growth=_m(g["inventory_growth"]),
    )


def _why_collection(g: dict[str, Any]) -> str:
    parts = []
    if "overdue_share" in g:
        parts.append(
            _("{share:.0%} of receivables overdue in {period} ({overdue} of {receivables})").format(
                share=g["overdue_share"],
                period=g.get("period"),
                overdue=_m(g["overdue"]),
                receivables=_m(g["receivables"]),
            )
        )
    if "over_limit" in g:
        o = g["over_limit"]
        parts.append(
            _("receivables {receivables} above the credit limit {limit}").format(
                receivables=_m(o["receivables"]), limit=_m(o["credit_limit"])
            )
        )
    if "dso" in g:
        parts.append(_("days sales outstanding rising {days}").format(days=" → ".join(str(d) for d in g["dso"])))
    if "slowing" in g:
        parts.append(
            _("on credit terms and paying slower quarter by quarter (overdue share {shares})").format(
                shares=" → ".join(f"{s:.0%}" for s in g["slowing"])
            )
        )
    return _("; ").join(parts)


def _why_dependency(g: dict[str, Any]) -> str:
    if "portfolio_share" not in g:
        portfolio = ""
    elif g.get("share_basis") == "repository":
        portfolio = _("{share:.0%} of the sales of this repository's accounts (company_sales is not set)").format(
            share=g["portfolio_share"]
        )
    else:
        portfolio = _("{share:.0%} of company sales").format(share=g["portfolio_share"])
    region = (
        _("{share:.0%} of sales in its region '{region}'").format(share=g["region_share"], region=g["region"])
        if "region" in g
        else ""
    )
    if portfolio and region:
        return _("holds {portfolio} and {region}").format(portfolio=portfolio, region=region)
    return _("holds {share}").format(share=portfolio or region)


def _why_control(g: dict[str, Any]) -> str:
    return _("we reach only {held:.0%} of its downstream network directly (below {below:.0%})").format(
        held=g["network_held"], below=g["below"]
    )


def _why_neglect(g: dict[str, Any]) -> str:
    cadence = _("tier {tier} cadence: every {days} days").format(tier=g["tier"] or "–", days=g["cadence_days"])
    if g["last_visit"] is None:
        return _("no visit on record ({cadence})").format(cadence=cadence)
    return _("last visit {date}, {days} days ago ({cadence})").format(
        date=g["last_visit"], days=g["days"], cadence=cadence
    )


def _why_complaints(g: dict[str, Any]) -> str:
    parts = []
    if g.get("open_late"):
        parts.append(
            ngettext(
                "{n} complaint open past the {hours} h response standard; oldest opened {date} ({days} days)",
                "{n} complaints open past the {hours} h response standard; oldest opened {date} ({days} days)",
                g["open_late"],
            ).format(n=g["open_late"], hours=g["response_hours"], date=g["oldest"], days=g["days"])
        )
    if g.get("answered_late"):
        parts.append(
            ngettext(
                "{n} complaint answered later than the {hours} h standard in the last year (slowest {slowest})",
                "{n} complaints answered later than the {hours} h standard in the last year (slowest {slowest})",
                g["answered_late"],
            ).format(n=g["answered_late"], hours=g["response_hours"], slowest=g["slowest_answer"])
        )
    return _("; ").join(parts)


def _why_margin(g: dict[str, Any]) -> str:
    text = (
        _("average gross margin {margin:.1%} over {periods}, weighted by sales, is negative (below {thin:.0%})")
        if g["gross_margin"] <= 0
        else _("average gross margin {margin:.1%} over {periods}, weighted by sales, is thin (below {thin:.0%})")
    )
    return text.format(margin=g["gross_margin"], periods=g.get("periods"), thin=g["thin_below"])


def _why_policy(g: dict[str, Any]) -> str:
    parts = []
    if "payment_terms" in g:
        parts.append(
            _("payment terms '{terms}' beyond tier {tier}'s ({allowed})").format(
                terms=g["payment_terms"], tier=g["tier"], allowed=", ".join(g["allowed"])
            )
        )
    if "credit_limit" in g:
        parts.append(
            _("credit limit {limit} above tier {tier}'s {allowed}").format(
                limit=_m(g["credit_limit"]), tier=g["tier"], allowed=_m(g["allowed_limit"])
            )
        )
    if "discount" in g:
        parts.append(
            _("discount {granted:.1%} above tier {tier}'s {allowed:.1%}").format(
                granted=g["discount"], tier=g["tier"], allowed=g["allowed_discount"]
            )
        )
    if "rebate" in g:
        parts.append(
            _("rebate {granted:.1%} above tier {tier}'s {allowed:.1%}").format(
                granted=g["rebate"], tier=g["tier"], allowed=g["allowed_rebate"]
            )
        )
    return _("; ").join(parts)


_WHY = {
    "stuffing": _why_stuffing,
    "collection": _why_collection,
    "dependency": _why_dependency,
    "control": _why_control,
    "neglect": _why_neglect,
    "complaints": _why_complaints,
    "margin": _why_margin,
    "policy": _why_policy,
}
