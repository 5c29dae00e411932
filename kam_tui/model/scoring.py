"""The weighted scorecard: facts + rules → a score 0–100 and a tier, each able to explain itself.

Two paths share one set of point functions: `score_facts` is the fast one (numbers only, what a
list of 10,000 accounts needs); `explain` reruns the same functions and adds the inputs used and a
one-line why per dimension. A dimension without data is left out and the weights of the others
renormalised; the explanation says which data is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import N_, _, ngettext
from kam_tui.model.dates import last_ended_quarter
from kam_tui.model.facts import RECENT, Facts, annual, annual_volume, period_span
from kam_tui.model.scorecard import (
    CAPABILITY_RATINGS,
    STRENGTH_RATINGS,
    DimensionRule,
    ScoringConfig,
)

Points = Callable[[Facts, DimensionRule, dt.date], float | None]

# The scoring method: how kam turns the same data and rules into a score. It changes only when kam
# itself scores differently, and is recorded with every score (JSON `method`, a closed review's
# report), so `kam score --since` can tell a score moved by an upgrade from one moved by the data
# or the rules (B9).
METHOD = 3
METHOD_CHANGES = {
    2: N_(
        "volume counts what sold through; short histories are annualised; one average margin (weighted by "
        "sales) and one overdue share (the latest quarter's) everywhere"
    ),
    3: N_("an end user's volume is what it bought (it uses it: its sell-through is not read)"),
}


def method_changes(since: int, upto: int = METHOD) -> list[str]:
    """What changed in kam's scoring after method `since` up to `upto`, oldest first (English ids)."""
    return [text for version, text in sorted(METHOD_CHANGES.items()) if since < version <= upto]


def years_together(since: dt.date | None, today: dt.date) -> float | None:
    if since is None:
        return None
    return max(0.0, (today - since).days / 365.25)


def _sales(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    volume = annual_volume(f)
    return None if volume is None else rule.scale(volume)


def _margin(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    return None if f.margin is None else rule.scale(f.margin)


def _frequency(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    orders = annual(f.orders, f.orders_n)
    return None if orders is None else rule.scale(orders)


def _years(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    years = years_together(f.since, today)
    return None if years is None else rule.scale(years)


def _strength(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    return None if f.strength is None else rule.scale(f.strength)


def _capability(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    return None if f.capability is None else rule.scale(f.capability)


def _credit_parts(f: Facts, rule: DimensionRule) -> tuple[float | None, float | None]:
    rating = None if f.credit_rating is None else rule.scale(f.credit_rating)
    behaviour = None
    if f.overdue_ratio is not None and rule.overdue_scale is not None:
        behaviour = rule.overdue_scale(f.overdue_ratio)
    return rating, behaviour


def _credit(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    rating, behaviour = _credit_parts(f, rule)
    if rating is None:
        return behaviour
    if behaviour is None:
        return rating
    return rating * (1 - rule.behaviour_share) + behaviour * rule.behaviour_share


def _survey_fresh(f: Facts, rule: DimensionRule, today: dt.date) -> bool:
    return f.last_survey is not None and (today - f.last_survey).days <= rule.stale_days


def _satisfaction(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    if f.survey is None or not _survey_fresh(f, rule, today):
        return None
    return rule.scale(f.survey)


def _strategic(f: Facts, rule: DimensionRule, today: dt.date) -> float | None:
    return rule.points if f.strategic else 0.0


POINTS: dict[str, Points] = {
    "sales": _sales,
    "margin": _margin,
    "frequency": _frequency,
    "years": _years,
    "strength": _strength,
    "capability": _capability,
    "credit": _credit,
    "satisfaction": _satisfaction,
    "strategic": _strategic,
}


def _active(config: ScoringConfig) -> tuple[tuple[str, float, DimensionRule, Points], ...]:
    """The dimensions with a weight, in scorecard order (cached on the config object)."""
    cached = config.__dict__.get("_active")
    if cached is None:
        cached = tuple(
            (name, rule.weight, rule, POINTS[name]) for name, rule in config.dimensions.items() if rule.weight > 0
        )
        object.__setattr__(config, "_active", cached)
        object.__setattr__(config, "_total_weight", sum(entry[1] for entry in cached))
    return cached  # type: ignore[no-any-return]


def score_facts(f: Facts, config: ScoringConfig, today: dt.date) -> tuple[float | None, float]:
    """(score 0–100 rounded to 0.1, or None when too little data; coverage 0–1 of the weight)."""
    total = earned = 0.0
    for _name, weight, rule, points in _active(config):
        value = points(f, rule, today)
        if value is not None:
            total += weight
            earned += weight * value
    coverage = total / config.__dict__["_total_weight"]
    if total == 0 or coverage < config.min_coverage - 1e-9:  # tolerate float sums of weights
        return None, coverage
    return round(earned / total, 1), coverage


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """One line of a score's explanation."""

    name: str
    weight: float  # as configured
    share: float  # of the score after renormalisation (0 when left out)
    points: float | None  # 0–100; None: left out for missing data
    inputs: dict[str, Any]
    why: str
    missing: tuple[str, ...] = ()
    off: bool = False  # weight 0 in kam.yaml: switched off, never counted

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": self.weight,
            "share": round(self.share, 4),
            "points": None if self.points is None else round(self.points, 1),
            "inputs": _jsonable(self.inputs),
            "why": self.why,
            "missing": list(self.missing),
            "off": self.off,
        }


def explain(f: Facts, config: ScoringConfig, today: dt.date) -> list[DimensionScore]:
    """Every dimension of the scorecard with its inputs, points, weight and a one-line why."""
    rows: list[tuple[str, DimensionRule, float | None]] = []
    total = 0.0
    for name, rule in config.dimensions.items():
        value = POINTS[name](f, rule, today)  # also when off: the why says what it would give
        if value is not None and rule.weight > 0:
            total += rule.weight
        rows.append((name, rule, value))
    out = []
    for name, rule, value in rows:
        inputs, why, missing = _DESCRIBE[name](f, rule, today, value)
        if rule.weight <= 0:  # a zero weight switches the dimension off
            why = _("off: weight 0 in kam.yaml, not counted ({why})").format(why=why)
            out.append(DimensionScore(name, rule.weight, 0.0, None, inputs, why, missing, off=True))
            continue
        share = rule.weight / total if value is not None and total else 0.0
        out.append(DimensionScore(name, rule.weight, share, value, inputs, why, missing))
    return out


# --- the words: one describer per dimension -----------------------------------------------

Described = tuple[dict[str, Any], str, tuple[str, ...]]


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _pts(value: float | None) -> str:
    return _("{points:.0f} points").format(points=value)


def _short_and_stale(f: Facts, quarters: int, annualised: str, today: dt.date, inputs: dict[str, Any]) -> str:
    """What a figure's window adds to its why (B6): a short history is annualised, and figures
    whose latest quarter is older than the last quarter that has ended say so."""
    text = ""
    if quarters < RECENT:
        inputs["quarters_on_file"] = quarters
        text += ngettext(
            ", only {n} quarter on file: {annual} a year",
            ", only {n} quarters on file: {annual} a year",
            quarters,
        ).format(n=quarters, annual=annualised)
    if _stale(f, today):
        inputs["last_figures"] = f.last_period
        text += _(" — last figures {last}, not the last 12 months").format(last=f.last_period)
    return text


def _stale(f: Facts, today: dt.date) -> bool:
    return f.last_period is not None and f.last_period < last_ended_quarter(today)


def _d_sales(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    if f.sales is None:
        return {}, _("no sales figures in the recent quarters"), ("periods.*.sales",)
    inputs: dict[str, Any] = {"sales_12m": round(f.sales, 2), "quarters": f.sales_n, "periods": period_span(f)}
    volume = annual_volume(f) or 0.0
    unsold = f.sales - (f.volume or 0.0)
    if unsold > 0:  # unsold stock never earns tier (a fake big account, L407)
        inputs["sold_through_12m"] = round(f.volume or 0.0, 2)
        why = _("{sold} sold through of {sales} sold in, {span}: unsold stock does not count").format(
            sold=_money(f.volume or 0.0), sales=_money(f.sales), span=period_span(f)
        )
    elif f.sales_n >= RECENT and not _stale(f, today):
        why = _("{sales} in the last 12 months ({span})").format(sales=_money(f.sales), span=period_span(f))
    else:
        why = _("{sales} in {span}").format(sales=_money(f.sales), span=period_span(f))
    if f.sales_n < RECENT:
        inputs["annual_volume"] = round(volume, 2)
    why += _short_and_stale(f, f.sales_n, _money(volume), today, inputs)
    return inputs, f"{why} → {_pts(p)}", ()


def _d_margin(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    if f.margin is None:
        return {}, _("no gross margin in the recent quarters"), ("periods.*.gross_margin",)
    inputs = {"gross_margin": round(f.margin, 4), "quarters": f.margin_n}
    why = ngettext(
        "average gross margin {margin:.1%} over {n} quarter ({span}), weighted by sales → {points}",
        "average gross margin {margin:.1%} over {n} quarters ({span}), weighted by sales → {points}",
        f.margin_n,
    )
    return inputs, why.format(margin=f.margin, n=f.margin_n, span=period_span(f), points=_pts(p)), ()


def _d_frequency(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    if f.orders is None:
        return {}, _("no order counts in the recent quarters"), ("periods.*.orders",)
    per_year = annual(f.orders, f.orders_n) or 0.0
    inputs: dict[str, Any] = {"orders_per_year": round(per_year, 2), "quarters": f.orders_n}
    if f.orders_n >= RECENT and not _stale(f, today):
        why = _("{orders:g} orders in the last 12 months").format(orders=f.orders)
    else:
        why = _("{orders:g} orders in {span}").format(orders=f.orders, span=period_span(f))
    why += _short_and_stale(f, f.orders_n, f"{round(per_year, 1):g}", today, inputs)
    return inputs, f"{why} → {_pts(p)}", ()


def _d_years(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    years = years_together(f.since, today)
    if years is None:
        return {}, _("no start date of the relationship"), ("since",)
    inputs = {"since": f.since, "years": round(years, 1), "as_of": today}
    why = _("together since {since} ({years:.1f} years) → {points}")
    return inputs, why.format(since=f.since, years=years, points=_pts(p)), ()


_RATINGS_WORDS = {
    "strength": (N_("no strength ratings"), N_("average strength rating {mean:.1f} of 5")),
    "capability": (N_("no capability ratings"), N_("average capability rating {mean:.1f} of 5")),
}


def _ratings_described(names: tuple[str, ...], mean: float | None, n: int, p: float | None, what: str) -> Described:
    none, average = _RATINGS_WORDS[what]
    if mean is None:
        return {}, _(none), tuple(f"ratings.{name}" for name in names)
    inputs = {"average": round(mean, 2), "rated": n, "of": len(names)}
    text = _(average).format(mean=mean)
    if n != len(names):
        text = _("{text} ({n} of {of} rated)").format(text=text, n=n, of=len(names))
    return inputs, _("{text} → {points}").format(text=text, points=_pts(p)), ()


def _d_strength(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    return _ratings_described(STRENGTH_RATINGS, f.strength, f.strength_n, p, "strength")


def _d_capability(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    return _ratings_described(CAPABILITY_RATINGS, f.capability, f.capability_n, p, "capability")


def _d_credit(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    rating, behaviour = _credit_parts(f, rule)
    if p is None:
        return {}, _("no credit rating and no receivables"), ("ratings.credit", "periods.*.receivables")
    inputs: dict[str, Any] = {
        "credit_rating": f.credit_rating,
        "overdue_ratio": None if f.overdue_ratio is None else round(f.overdue_ratio, 4),
    }
    parts = []
    missing: tuple[str, ...] = ()
    if rating is not None:
        parts.append(_("rating {rating} of 5 ({points:.0f})").format(rating=f.credit_rating, points=rating))
    else:
        missing = ("ratings.credit",)
    if behaviour is not None and f.overdue_ratio is not None:
        parts.append(
            _("{share:.0%} of receivables overdue in {period} ({points:.0f})").format(
                share=round(f.overdue_ratio, 4), period=f.receivables_period, points=behaviour
            )
        )
    else:
        missing = ("periods.*.receivables",)
    if len(parts) == 2:
        why = _("{rating} and {behaviour}, {share:.0%} on behaviour → {points}").format(
            rating=parts[0], behaviour=parts[1], share=rule.behaviour_share, points=_pts(p)
        )
    else:
        why = _("{text} → {points}").format(text=parts[0], points=_pts(p))
    return inputs, why, missing


def _d_satisfaction(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    if f.survey is None:
        return {}, _("no satisfaction survey"), ("surveys",)
    inputs = {"average": round(f.survey, 2), "surveys": f.surveys, "last_survey": f.last_survey}
    if p is None:
        why = _("last survey {date} is older than {days} days; not used")
        return inputs, why.format(date=f.last_survey, days=rule.stale_days), ("surveys",)
    why = ngettext(
        "average survey rating {mean:.1f} of 5 over {n} survey → {points}",
        "average survey rating {mean:.1f} of 5 over {n} surveys → {points}",
        f.surveys,
    )
    return inputs, why.format(mean=f.survey, n=f.surveys, points=_pts(p)), ()


def _d_strategic(f: Facts, rule: DimensionRule, today: dt.date, p: float | None) -> Described:
    word = _("strategic significance or brand influence") if f.strategic else _("not marked strategic")
    return {"strategic": f.strategic}, _("{text} → {points}").format(text=word, points=_pts(p)), ()


_DESCRIBE: dict[str, Callable[[Facts, DimensionRule, dt.date, float | None], Described]] = {
    "sales": _d_sales,
    "margin": _d_margin,
    "frequency": _d_frequency,
    "years": _d_years,
    "strength": _d_strength,
    "capability": _d_capability,
    "credit": _d_credit,
    "satisfaction": _d_satisfaction,
    "strategic": _d_strategic,
}


def _jsonable(value: Any) -> Any:
    """Dates as ISO strings, containers walked; everything else as is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
