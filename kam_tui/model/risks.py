"""Risk flags: each a code, a severity and a why with the figures behind it.

The seed's risks of a key account — the fake big account that stocks in more than it sells, money
not coming back, one account holding a territory, a downstream network we do not hold, neglect —
checked against the thresholds in kam.yaml (`risks:`) and the tier's policy (`policies:`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from kam_tui.i18n import NP_, _
from kam_tui.model.account import Account, Response, answered_late
from kam_tui.model.facts import Facts, annual_volume, period_span
from kam_tui.model.risk_words import why
from kam_tui.model.schema import NETWORK_KINDS
from kam_tui.model.scorecard import ScoringConfig

RISK_CODES = ("stuffing", "collection", "dependency", "control", "neglect", "complaints", "margin", "policy")
# Marked once for the catalogue; `risk_words.severity_word` reads the word when shown.
SEVERITIES = (NP_("severity", "low"), NP_("severity", "medium"), NP_("severity", "high"))


@dataclass(frozen=True, slots=True)
class Risk:
    """A flag: code, severity and the figures behind it; `why` puts the figures into words.

    The words are made only when read (a list of 10,000 accounts needs codes, not sentences),
    and from the figures alone, so a translated UI can word them its own way.
    """

    code: str
    severity: str  # low | medium | high
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def why(self) -> str:
        return why(self.code, self.figures)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "why": self.why, "figures": self.figures}


@dataclass(frozen=True, slots=True)
class Totals:
    """Portfolio-wide sums that relative figures need, from one pass over all facts."""

    portfolio_sales: float  # Σ trailing-12-month volume (what sold through) of all accounts
    company_sales: float  # kam.yaml company_sales, else the portfolio's
    accounts: int  # accounts with sales figures
    region_sales: dict[str, float]
    region_accounts: dict[str, int]

    def share(self, f: Facts) -> float | None:
        """The account's share of company sales by what it sold through (None without sales or a total)."""
        volume = annual_volume(f)
        if volume is None or self.company_sales <= 0:
            return None
        return volume / self.company_sales


def portfolio_totals(facts: Iterable[Facts], config: ScoringConfig) -> Totals:
    return totals_of(((annual_volume(f), f.region) for f in facts), config)


def totals_of(sales_regions: Iterable[tuple[float | None, str | None]], config: ScoringConfig) -> Totals:
    """The totals from each account's (trailing sales, region): all the portfolio-relative flags need."""
    total = 0.0
    count = 0
    regions: dict[str, float] = {}
    region_n: dict[str, int] = {}
    for sales, region in sales_regions:
        if sales is None:
            continue
        total += sales
        count += 1
        if region:
            regions[region] = regions.get(region, 0.0) + sales
            region_n[region] = region_n.get(region, 0) + 1
    company = config.company_sales if config.company_sales is not None else total
    return Totals(total, company, count, regions, region_n)


def share_basis(config: ScoringConfig) -> str:
    """What a share of sales is taken of: `company` (kam.yaml company_sales) or `repository`
    (the sum of the accounts in this repository, when company_sales is not set)."""
    return "company" if config.company_sales is not None else "repository"


def share_hint() -> str:
    """How to make shares of sales shares of the company's sales."""
    return _("set company_sales in kam.yaml to the company's annual sales, e.g. `company_sales: 250000000`")


def share_of(config: ScoringConfig) -> str:
    """What a key-account or dependency share is of, in words, wherever it is shown."""
    if config.company_sales is not None:
        return _("company sales")
    return _("the sales of this repository's accounts — company_sales is not set")


def has_network(account: Account | Facts) -> bool:
    """Dealers, distributors and retailers have a downstream network (下线网络); an end user has none."""
    return (account.kind or "dealer") in NETWORK_KINDS


def network_status(account: Account | Facts, config: Any) -> tuple[bool, str]:
    """Whether we hold the account's downstream network (下线网络), and why.

    `config` is a ScoringConfig or the Settings that carry one. The rule the staged-exit
    playbook obeys: never cut a harmful account before its network is in hand.
    """
    rules: ScoringConfig = getattr(config, "scoring", config)
    if not has_network(account):
        return True, _("an end user has no downstream network to take first")
    need = rules.risks.control_in_hand
    held = account.network_held
    if held is None:
        return False, _("network_held is not recorded; in hand from {need:.0%} (risks.control.in_hand)").format(
            need=need
        )
    if held >= need:
        return True, _("network_held {held:.0%} ≥ {need:.0%}: its downstream network is in hand").format(
            held=held, need=need
        )
    return False, _("network_held {held:.0%} < {need:.0%}: take hold of its downstream network first").format(
        held=held, need=need
    )


def find_risks(f: Facts, tier: str | None, config: ScoringConfig, today: dt.date, totals: Totals | None) -> list[Risk]:
    """Every risk flag the account raises, in RISK_CODES order. An exited account raises none:
    the relationship is over, and its last figures would only crowd the risk list. Without
    `totals`, only the flags that depend on the account alone (all but `dependency`)."""
    if f.stage == "exited":
        return []
    out: list[Risk] = []
    for check in _CHECKS:
        risk = check(f, tier, config, today, totals)
        if risk is not None:
            out.append(risk)
    return out


# --- the checks: figures only -------------------------------------------------------------


def _stuffing(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    r = c.risks
    stock_in, sell = f.stock_in, f.sell_through
    if not stock_in or sell is None or f.build_periods < r.stuffing_min_build_periods:
        return None
    ratio = stock_in / sell if sell > 0 else None
    if ratio is not None and ratio < r.stuffing_ratio:
        return None
    high = ratio is None or ratio >= r.stuffing_high_ratio
    return Risk(
        "stuffing",
        "high" if high else "medium",
        {
            "stock_in": stock_in,
            "sell_through": sell,
            "ratio": None if ratio is None else round(ratio, 3),
            "quarters": f.stock_periods,
            "build_periods": f.build_periods,
            "inventory_growth": stock_in - sell,
        },
    )


def _collection(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    r = c.risks
    figures: dict[str, Any] = {}
    severity = -1
    shares = f.overdue_shares
    share = f.overdue_ratio  # the one overdue share (the latest quarter's), as the credit dimension reads it
    if share is not None and share >= r.collection_overdue_share:
        severity = 2 if share >= r.collection_high_overdue_share else 1
        figures["overdue_share"] = round(share, 4)
        figures["overdue"] = f.overdue or 0
        figures["receivables"] = f.receivables
        figures["period"] = f.receivables_period
    receivables, limit = f.receivables, f.credit_limit
    if receivables is not None and limit is not None and receivables > limit:
        severity = max(severity, 1)
        figures["over_limit"] = {"receivables": receivables, "credit_limit": limit}
    dso = f.dso
    if len(dso) >= 2 and dso[0] > 0 and dso[-1] >= dso[0] * (1 + r.collection_dso_rise):
        tail = dso[-3:]
        if all(b > a for a, b in pairwise(tail)):
            severity = max(severity, 1)
            figures["dso"] = [round(d) for d in dso]
    if (
        f.payment_terms == "credit"
        and len(shares) >= 3
        and shares[-1] > shares[-3]
        and shares[-3] <= shares[-2] <= shares[-1]
    ):
        severity = max(severity, 0)
        figures["slowing"] = [round(s, 4) for s in shares[-3:]]
    if severity < 0:
        return None
    return Risk("collection", SEVERITIES[severity], figures)


def _dependency(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    if t is None:  # the account alone: a share of the portfolio is not known
        return None
    return dependency_risk(annual_volume(f), f.region, c, t)  # unsold stock earns no dependency either


def dependency_risk(sales: float | None, region: str | None, c: ScoringConfig, t: Totals) -> Risk | None:
    """The one portfolio-relative flag: a big share of company or regional sales. Apart from the
    other checks so that a list can keep the rest per account and redo only this after an edit."""
    r = c.risks
    if not sales or sales <= 0:
        return None
    figures: dict[str, Any] = {}
    if t.accounts >= r.dependency_min_accounts and t.company_sales > 0:
        share = sales / t.company_sales
        if share >= r.dependency_portfolio_share:
            figures["portfolio_share"] = round(share, 4)
            figures["share_basis"] = share_basis(c)
    if region and t.region_accounts.get(region, 0) >= r.dependency_min_accounts:
        region_total = t.region_sales[region]
        if region_total > 0 and sales / region_total >= r.dependency_region_share:
            figures["region"] = region
            figures["region_share"] = round(sales / region_total, 4)
    if not figures:
        return None
    both = "portfolio_share" in figures and "region" in figures
    return Risk("dependency", "high" if both else "medium", figures)


def _control(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    if not has_network(f):
        return None
    held = f.network_held
    below = c.risks.control_below
    if held is None or held >= below:
        return None
    return Risk("control", "high" if held < below / 2 else "medium", {"network_held": held, "below": below})


def _neglect(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    if f.stage == "exited":
        return None
    cadence = c.policies[tier or "C"].visit_days
    last = f.last_visit
    if last is None:
        if f.since is not None and (today - f.since).days <= cadence:
            return None
        if f.stage == "prospect" and f.since is None:  # a new prospect: its first visit is not due yet
            return None
        return Risk("neglect", "medium", {"last_visit": None, "days": None, "cadence_days": cadence, "tier": tier})
    days = (today - last).days
    if days <= cadence:
        return None
    return Risk(
        "neglect",
        "high" if days > cadence * c.risks.neglect_high_factor else "medium",
        {"last_visit": last.isoformat(), "days": days, "cadence_days": cadence, "tier": tier},
    )


def _complaints(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    """Complaints not answered within the tier's response standard: still unanswered past it, or
    answered later than it in the last year (response = answered − opened)."""
    if not f.complaint_responses:
        return None
    hours = c.policies[tier or "C"].response_hours
    day = today.toordinal()
    pending = [o for o, r, _timed in f.complaint_responses if r is None and (day - o) * 24 > hours]
    answered = [
        Response(r, timed)
        for o, r, timed in f.complaint_responses
        if r is not None and day - o <= 365 and answered_late(r, hours)
    ]
    if not pending and not answered:
        return None
    worst = max([(day - o) * 24.0 for o in pending] + [r.hours for r in answered])
    figures: dict[str, Any] = {"open_late": len(pending), "answered_late": len(answered), "response_hours": hours}
    if pending:
        figures["oldest"] = dt.date.fromordinal(min(pending)).isoformat()
        figures["days"] = day - min(pending)
    if answered:
        slowest = max(answered)
        figures["slowest_answer_hours"] = round(slowest.hours, 1)
        figures["slowest_answer"] = slowest.text()  # as `kam show` and the TUI print it
    severity = "high" if worst > hours * c.risks.complaints_high_factor else "medium"
    return Risk("complaints", severity, figures)


def _margin(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    thin = c.risks.margin_thin_below
    margin = f.margin
    if margin is None or margin >= thin:
        return None
    negative = margin <= 0 or (f.gross_profit is not None and f.gross_profit < 0)
    return Risk(
        "margin",
        "high" if negative else "medium",
        {
            "gross_margin": round(margin, 4),
            "gross_profit": f.gross_profit,
            "thin_below": thin,
            "periods": period_span(f),
        },
    )


def _policy(f: Facts, tier: str | None, c: ScoringConfig, today: dt.date, t: Totals | None) -> Risk | None:
    if tier is None:
        return None
    policy = c.policies[tier]
    figures: dict[str, Any] = {}
    terms = f.payment_terms
    if terms is not None and terms not in policy.payment_terms:
        figures["payment_terms"] = terms
        figures["allowed"] = list(policy.payment_terms)
    limit = f.credit_limit
    if limit is not None and policy.credit_limit is not None and limit > policy.credit_limit:
        figures["credit_limit"] = limit
        figures["allowed_limit"] = policy.credit_limit
    if f.discount is not None and f.discount > policy.discount + 1e-9:
        figures["discount"] = f.discount
        figures["allowed_discount"] = policy.discount
    if f.rebate is not None and f.rebate > policy.rebate + 1e-9:
        figures["rebate"] = f.rebate
        figures["allowed_rebate"] = policy.rebate
    if not figures:
        return None
    figures["tier"] = tier
    return Risk("policy", "medium", figures)


_CHECKS = (_stuffing, _collection, _dependency, _control, _neglect, _complaints, _margin, _policy)
