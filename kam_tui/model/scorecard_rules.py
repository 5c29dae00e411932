"""kam.yaml's scoring keys written down once: every key with its default, its check and its doc.

The defaults encode the handbooks (with all ratings at 3, the seed's worked examples come out
A, B and C). The loader (`scorecard.scoring_config_from_data`) walks this table; the reference
text of the defaults (`default_kam_yaml`) is generated from it, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from kam_tui.i18n import N_, _
from kam_tui.model.problems import not_one_of
from kam_tui.model.schema import PAYMENT_TERMS

Check = Callable[[Any], str | None]


@dataclass(frozen=True, slots=True)
class Rule:
    default: Any
    check: Check
    doc: str  # English, marked with N_(); kam.yaml's comment in the repository's language
    what: str = ""  # fills {what} in doc (a dimension's description, shared by its weight and scale)

    def comment(self) -> str:
        return _(self.doc).format(what=_(self.what)) if self.what else _(self.doc)


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def _number(
    lo: float | None = None,
    hi: float | None = None,
    integer: bool = False,
    positive: bool = False,
    nullable: bool = False,
) -> Check:
    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if not _is_number(value):
            return _("'{value}' is not a number").format(value=value)
        if integer and not isinstance(value, int):
            return _("{value} must be a whole number").format(value=value)
        if positive and value <= 0:
            return _("{value} must be greater than 0").format(value=value)
        if lo is not None and value < lo or hi is not None and value > hi:
            return (
                _("{value} is outside {lo}–{hi}").format(value=value, lo=_fmt(lo), hi=_fmt(hi))
                if hi is not None
                else _("{value} must be at least {lo}").format(value=value, lo=_fmt(lo))
            )
        return None

    return check


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _scale(direction: str) -> Check:
    """A list of [figure, points] pairs, figures increasing, points 0–100 moving one way."""

    def check(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) < 2:
            return _("must be a list of at least two [figure, points] pairs, e.g. [[0, 0], [10, 100]]")
        for index, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2 and all(map(_is_number, pair))):
                return _("item {n} ({pair}) is not a [figure, points] pair of numbers").format(n=index + 1, pair=pair)
            if not 0 <= pair[1] <= 100:
                return _("item {n}: points {points} are outside 0–100").format(n=index + 1, points=pair[1])
        xs = [p[0] for p in value]
        ys = [p[1] for p in value]
        if any(b <= a for a, b in pairwise(xs)):
            return _("figures must increase from one pair to the next ({figures})").format(
                figures=", ".join(map(_fmt, xs))
            )
        up = direction == "up"
        if any((b < a) if up else (b > a) for a, b in pairwise(ys)):
            rule = (
                _("points must rise (more is better) from one pair to the next ({points})")
                if up
                else _("points must fall (more is worse) from one pair to the next ({points})")
            )
            return rule.format(points=", ".join(map(_fmt, ys)))
        return None

    return check


def _terms(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return _("must be a non-empty list of payment terms ({terms})").format(terms=", ".join(PAYMENT_TERMS))
    for item in value:
        if item not in PAYMENT_TERMS:
            return not_one_of(item, PAYMENT_TERMS)
    if len(set(value)) != len(value):
        return _("lists a payment term twice")
    return None


WEIGHT = _number(lo=0, hi=1000)  # relative weights; a bound keeps sums finite
RATIO = _number(lo=0, hi=1)
POINTS = _number(lo=0, hi=100)
UP, DOWN = _scale("up"), _scale("down")
RATING_SCALE = [[1, 0], [5, 100]]


def _dim(weight: float, scale: list[Any], what: str, **extra: Rule) -> dict[str, Any]:
    return {
        "weight": Rule(weight, WEIGHT, N_("weight of {what}"), what),
        "scale": Rule(scale, UP, N_("{what} → points"), what),
        **extra,
    }


def _policy(discount: float, terms: list[str], limit: float | None, hours: int, rebate: float) -> dict[str, Rule]:
    return {
        "discount": Rule(discount, RATIO, N_("price discount as a ratio (0.08 = 8 %)")),
        "rebate": Rule(rebate, RATIO, N_("highest rebate on sales the tier may have, as a ratio (team default)")),
        "payment_terms": Rule(terms, _terms, N_("payment terms the tier may have")),
        "credit_limit": Rule(
            limit, _number(lo=0, nullable=True), N_("highest credit limit the tier may have (null: no cap)")
        ),
        "response_hours": Rule(
            hours, _number(integer=True, positive=True), N_("hours to answer a complaint (service level)")
        ),
    }


RULES: dict[str, Any] = {
    "scorecard": {
        "sales": _dim(35, [[0, 0], [1_000_000, 15], [5_000_000, 45], [10_000_000, 100]], N_("trailing-12-month sales")),
        "margin": _dim(15, [[0, 0], [0.05, 20], [0.15, 70], [0.25, 100]], N_("average quarterly gross margin (ratio)")),
        "frequency": _dim(10, [[0, 0], [4, 50], [12, 100]], N_("orders per year")),
        "years": _dim(10, [[0, 0], [10, 100]], N_("years together")),
        "strength": _dim(
            5, RATING_SCALE, N_("average strength rating (capital, network, logistics, relations, staff)")
        ),
        "capability": _dim(5, RATING_SCALE, N_("average capability rating (vision, management, marketing)")),
        "credit": _dim(
            10,
            RATING_SCALE,
            N_("credit rating"),
            overdue_scale=Rule(
                [[0, 100], [0.3, 0]], DOWN, N_("overdue share of receivables (last 4 quarters) → points")
            ),
            behaviour_share=Rule(0.5, RATIO, N_("part of the credit points from payment behaviour")),
        ),
        "satisfaction": _dim(
            5,
            RATING_SCALE,
            N_("average survey rating (product, service, brand)"),
            stale_days=Rule(
                730, _number(integer=True, positive=True), N_("surveys older than this many days are not used")
            ),
        ),
        "strategic": {
            "weight": Rule(5, WEIGHT, N_("weight of strategic significance")),
            "points": Rule(100, POINTS, N_("points of a strategic account (others: 0)")),
        },
    },
    "tiers": {
        "A": Rule(70, POINTS, N_("lowest score of tier A")),
        "B": Rule(38, POINTS, N_("lowest score of tier B (below: C)")),
        "min_coverage": Rule(0.5, RATIO, N_("share of the total weight that needs data before an account is scored")),
        "key_account_share": Rule(0.05, RATIO, N_("share of company sales that makes a key account by volume")),
    },
    "policies": {
        "A": _policy(0.08, ["credit", "partial", "cash"], 5_000_000, 24, 0.03),
        "B": _policy(0.05, ["credit", "partial", "cash"], 2_000_000, 48, 0.02),
        "C": _policy(0.0, ["partial", "cash"], 300_000, 72, 0.0),
    },
    "risks": {
        "stuffing": {
            "ratio": Rule(1.3, _number(lo=1), N_("stock-in / sell-through (last 4 quarters) that flags")),
            "high_ratio": Rule(1.8, _number(lo=1), N_("… and that makes it high")),
            "min_build_periods": Rule(
                3, _number(lo=1, hi=4, integer=True), N_("quarters (of the last 4) with stock building up")
            ),
        },
        "collection": {
            "overdue_share": Rule(0.15, RATIO, N_("overdue share of receivables that flags")),
            "high_overdue_share": Rule(0.3, RATIO, N_("… and that makes it high")),
            "dso_rise": Rule(0.25, _number(lo=0), N_("rise of days sales outstanding that flags")),
        },
        "dependency": {
            "portfolio_share": Rule(0.3, RATIO, N_("share of company sales that flags")),
            "region_share": Rule(0.5, RATIO, N_("share of its region's sales that flags")),
            "min_accounts": Rule(
                3, _number(lo=1, integer=True), N_("fewest accounts in the portfolio / region for a share to count")
            ),
        },
        "control": {
            "below": Rule(0.3, RATIO, N_("network_held below this flags loss of control")),
            "in_hand": Rule(0.6, RATIO, N_("network_held from which its downstream network is in hand")),
        },
        "neglect": {"high_factor": Rule(2, _number(lo=1), N_("times the visit cadence that makes it high"))},
        "complaints": {"high_factor": Rule(2, _number(lo=1), N_("times the response standard that makes it high"))},
        "margin": {"thin_below": Rule(0.05, _number(lo=-1, hi=1), N_("gross margin below this is thin"))},
    },
    "matrix": {
        "attractiveness": {
            "size": Rule(40, WEIGHT, N_("weight of its sales")),
            "growth": Rule(20, WEIGHT, N_("weight of its sales growth")),
            "margin": Rule(25, WEIGHT, N_("weight of its margin")),
            "strategic": Rule(15, WEIGHT, N_("weight of strategic significance")),
        },
        "strength": {
            "ratings": Rule(40, WEIGHT, N_("weight of its strength and capability ratings")),
            "years": Rule(20, WEIGHT, N_("weight of years together")),
            "satisfaction": Rule(20, WEIGHT, N_("weight of its satisfaction")),
            "network": Rule(20, WEIGHT, N_("weight of the share of its network we hold")),
        },
        "growth_scale": Rule([[-0.3, 0], [0, 50], [0.3, 100]], UP, N_("sales growth year on year → points")),
        "split": Rule(45, POINTS, N_("where high meets low on both axes")),
    },
    "company_sales": Rule(
        None, _number(lo=0, nullable=True), N_("company total sales per year for the 5 % rule (null: sum of accounts)")
    ),
}


def default_kam_yaml() -> str:
    """The scoring part of a kam.yaml with every default written out and explained (the comments
    in the language `_()` speaks: the caller chooses the repository's with `writing_in`)."""
    lines: list[str] = []

    def walk(rules: dict[str, Any], indent: str) -> None:
        for key, rule in rules.items():
            if isinstance(rule, dict):
                lines.append(f"{indent}{key}:")
                walk(rule, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_yaml_value(rule.default)}  # {rule.comment()}")

    walk(RULES, "")
    return "\n".join(lines) + "\n"


def _yaml_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
