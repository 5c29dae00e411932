"""The scoring rules a team keeps in `kam.yaml`: scorecard, tiers, policies, risks, matrix.

Every key, its default and its check are written down once, in `scorecard_rules.RULES`. A team's
`kam.yaml` overrides any part of them; every key it writes is checked in the user's own key
names, and an invalid value is an error — never silently replaced by the default.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.problems import did_you_mean
from kam_tui.model.schema import TIERS, Finding, Path_
from kam_tui.model.scorecard_rules import RULES, Rule, default_kam_yaml

SCORING_KEYS = ("scorecard", "tiers", "policies", "risks", "matrix", "company_sales")
"""Top-level kam.yaml keys this module owns (for the unknown-key warning)."""

DIMENSIONS = ("sales", "margin", "frequency", "years", "strength", "capability", "credit", "satisfaction", "strategic")
STRENGTH_RATINGS = ("capital", "network", "logistics", "relations", "staff")
CAPABILITY_RATINGS = ("vision", "management", "marketing")
DEFAULT_VISIT_DAYS = {"A": 30, "B": 90, "C": 180}  # same as settings.DEFAULT_CADENCE (tested)


@dataclass(frozen=True, slots=True)
class Scale:
    """A piecewise-linear map from an input figure to points 0–100, flat beyond its ends."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def __call__(self, x: float) -> float:
        xs = self.xs
        if x <= xs[0]:
            return self.ys[0]
        if x >= xs[-1]:
            return self.ys[-1]
        i = bisect_right(xs, x)
        x0, x1, y0, y1 = xs[i - 1], xs[i], self.ys[i - 1], self.ys[i]
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0)

    @classmethod
    def of(cls, pairs: Any) -> Scale:
        return cls(tuple(float(p[0]) for p in pairs), tuple(float(p[1]) for p in pairs))


@dataclass(frozen=True, slots=True)
class DimensionRule:
    weight: float
    scale: Scale
    overdue_scale: Scale | None = None  # credit: overdue share of receivables → points
    behaviour_share: float = 0.5  # credit: part of the points from real payment behaviour
    stale_days: int = 730  # satisfaction: a survey older than this is not used
    points: float = 100.0  # strategic: points of a strategic account (others get 0)


@dataclass(frozen=True, slots=True)
class Policy:
    """The preferential policy a tier earns (差异化的优惠政策)."""

    tier: str
    discount: float
    payment_terms: tuple[str, ...]
    credit_limit: float | None  # None: no cap
    visit_days: int
    response_hours: int
    rebate: float = 0.0  # highest rebate the tier may be granted

    def terms_text(self) -> str:
        return "/".join(self.payment_terms)

    def limit_text(self, no_cap: str = "no cap") -> str:
        """The credit limit as people read it: grouped digits, or `no_cap` (in their language)."""
        return no_cap if self.credit_limit is None else f"{self.credit_limit:,.0f}"

    def line_values(self, no_cap: str = "no cap") -> dict[str, Any]:
        """What every front end's one-line policy text is formatted with ({tier}, {discount},
        {terms}, {limit}, {days}, {hours}), so `kam score` and the Score tab say the same."""
        return {
            "tier": self.tier,
            "discount": self.discount,
            "terms": self.terms_text(),
            "limit": self.limit_text(no_cap),
            "days": self.visit_days,
            "hours": self.response_hours,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "discount": self.discount,
            "payment_terms": list(self.payment_terms),
            "credit_limit": self.credit_limit,
            "visit_days": self.visit_days,
            "response_hours": self.response_hours,
            "rebate": self.rebate,
        }


@dataclass(frozen=True, slots=True)
class RiskRules:
    stuffing_ratio: float
    stuffing_high_ratio: float
    stuffing_min_build_periods: int
    collection_overdue_share: float
    collection_high_overdue_share: float
    collection_dso_rise: float
    dependency_portfolio_share: float
    dependency_region_share: float
    dependency_min_accounts: int
    control_below: float
    control_in_hand: float
    neglect_high_factor: float
    complaints_high_factor: float
    margin_thin_below: float


@dataclass(frozen=True, slots=True)
class MatrixRules:
    attractiveness: dict[str, float]  # size, growth, margin, strategic → weight
    strength: dict[str, float]  # ratings, years, satisfaction, network → weight
    growth_scale: Scale
    split: float


@dataclass(frozen=True)
class ScoringConfig:
    """Everything scoring needs from kam.yaml, checked and typed. Build it with
    `scoring_config_from_data`; `ScoringConfig.default()` is the handbooks' defaults."""

    dimensions: dict[str, DimensionRule]
    tier_a: float
    tier_b: float
    min_coverage: float
    key_account_share: float
    policies: dict[str, Policy]
    risks: RiskRules
    matrix: MatrixRules
    company_sales: float | None
    data: dict[str, Any] = field(default_factory=dict, compare=False)  # merged, user key names

    @classmethod
    def default(cls) -> ScoringConfig:
        return _DEFAULT

    def tier_for(self, score: float) -> str:
        return "A" if score >= self.tier_a else "B" if score >= self.tier_b else "C"


# --- loading ------------------------------------------------------------------------------


def scoring_config_from_data(
    data: Any,
    visit_cadence: Mapping[str, int] | None = None,
) -> tuple[ScoringConfig, list[Finding]]:
    """The scoring rules from kam.yaml's data (the whole file), and every problem found.

    Keys not written keep their defaults; a key written with an invalid value is an error
    (the returned config then uses the default in its place and must not be used: the
    caller refuses to score). `visit_cadence` is the core settings' cadence per tier.
    """
    findings: list[Finding] = []
    source = data if isinstance(data, dict) else {}
    merged = _merge(RULES, {k: source[k] for k in SCORING_KEYS if k in source}, (), findings)
    cadence = dict(DEFAULT_VISIT_DAYS)
    cadence.update({k: v for k, v in (visit_cadence or {}).items() if k in cadence})
    _cross_checks(merged, findings)
    return _build(merged, cadence), findings


def _merge(rules: dict[str, Any], given: Any, path: Path_, out: list[Finding]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    if given is None:
        given = {}
    if not isinstance(given, dict):
        out.append(Finding(path, "error", f"{_dotted(path)} must be a mapping of keys ({', '.join(map(str, rules))})"))
        given = {}
    for key in given:
        if key not in rules:
            hint = did_you_mean(key, rules) or _("known keys: {keys}").format(keys=", ".join(map(str, rules)))
            if key == "visit_days" and path[:1] == ("policies",):
                hint = _("the visit cadence per tier is set in visit_cadence, e.g. {example}").format(
                    example="visit_cadence: {A: 30}"
                )
            unknown = _("unknown key '{key}'").format(key=_dotted(path + (key,)))
            out.append(Finding(path + (key,), "error", unknown, hint, at_key=True))
    for key, rule in rules.items():
        sub = path + (key,)
        if isinstance(rule, dict):
            merged[key] = _merge(rule, given.get(key), sub, out)
        elif key in given:
            message = rule.check(given[key])
            if message:
                out.append(Finding(sub, "error", f"{_dotted(sub)}: {message}", rule.comment()))
                merged[key] = rule.default
            else:
                merged[key] = given[key]
        else:
            merged[key] = rule.default
    return merged


def _cross_checks(m: dict[str, Any], out: list[Finding]) -> None:
    """Rules that tie two keys together; reported at the key the user is likeliest to fix."""
    tiers = m["tiers"]
    if tiers["A"] <= tiers["B"]:
        out.append(Finding(("tiers", "A"), "error", f"tiers.A ({tiers['A']:g}) must be above tiers.B ({tiers['B']:g})"))
    if not any(d["weight"] for d in m["scorecard"].values()):
        out.append(Finding(("scorecard",), "error", "scorecard: every weight is 0; nothing to score"))
    for axis in ("attractiveness", "strength"):
        if not any(m["matrix"][axis].values()):
            out.append(Finding(("matrix", axis), "error", f"matrix.{axis}: every weight is 0"))
    r = m["risks"]
    for section, low, high in (
        ("stuffing", "ratio", "high_ratio"),
        ("collection", "overdue_share", "high_overdue_share"),
        ("control", "below", "in_hand"),
    ):
        if r[section][high] < r[section][low]:
            out.append(
                Finding(
                    ("risks", section, high),
                    "error",
                    f"risks.{section}.{high} ({r[section][high]:g}) must not be below "
                    f"risks.{section}.{low} ({r[section][low]:g})",
                )
            )
    order = {"A": 0, "B": 1, "C": 2}
    for tier, policy in m["policies"].items():
        better = [t for t in TIERS if order[t] < order[tier]]
        for other in better:
            if _limit(policy["credit_limit"]) > _limit(m["policies"][other]["credit_limit"]):
                out.append(
                    Finding(
                        ("policies", tier, "credit_limit"),
                        "warning",
                        f"policies.{tier}.credit_limit is above tier {other}'s",
                    )
                )


def _limit(value: float | None) -> float:
    return math.inf if value is None else value


def _build(m: dict[str, Any], cadence: dict[str, int]) -> ScoringConfig:
    dims = {}
    for name, d in m["scorecard"].items():
        dims[name] = DimensionRule(
            weight=float(d["weight"]),
            scale=Scale.of(d.get("scale", [[0, 0], [1, 100]])),
            overdue_scale=Scale.of(d["overdue_scale"]) if "overdue_scale" in d else None,
            behaviour_share=float(d.get("behaviour_share", 0.5)),
            stale_days=int(d.get("stale_days", 730)),
            points=float(d.get("points", 100)),
        )
    r = m["risks"]
    risks = RiskRules(
        r["stuffing"]["ratio"],
        r["stuffing"]["high_ratio"],
        r["stuffing"]["min_build_periods"],
        r["collection"]["overdue_share"],
        r["collection"]["high_overdue_share"],
        r["collection"]["dso_rise"],
        r["dependency"]["portfolio_share"],
        r["dependency"]["region_share"],
        r["dependency"]["min_accounts"],
        r["control"]["below"],
        r["control"]["in_hand"],
        r["neglect"]["high_factor"],
        r["complaints"]["high_factor"],
        r["margin"]["thin_below"],
    )
    policies = {
        tier: Policy(
            tier,
            float(p["discount"]),
            tuple(p["payment_terms"]),
            None if p["credit_limit"] is None else float(p["credit_limit"]),
            cadence[tier],
            int(p["response_hours"]),
            float(p["rebate"]),
        )
        for tier, p in m["policies"].items()
    }
    mx = m["matrix"]
    matrix = MatrixRules(
        {k: float(v) for k, v in mx["attractiveness"].items()},
        {k: float(v) for k, v in mx["strength"].items()},
        Scale.of(mx["growth_scale"]),
        float(mx["split"]),
    )
    t = m["tiers"]
    company = m["company_sales"]
    return ScoringConfig(
        dims,
        float(t["A"]),
        float(t["B"]),
        float(t["min_coverage"]),
        float(t["key_account_share"]),
        policies,
        risks,
        matrix,
        None if company is None else float(company),
        m,
    )


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _defaults(rules: dict[str, Any]) -> dict[str, Any]:
    return {k: _defaults(v) if isinstance(v, dict) else v.default for k, v in rules.items()}


_DEFAULT = _build(_defaults(RULES), dict(DEFAULT_VISIT_DAYS))


# --- diffs and documentation ---------------------------------------------------------------


def config_changes(old: ScoringConfig, new: ScoringConfig) -> list[tuple[str, Any, Any]]:
    """Which rules differ between two configs: (dotted key, old value, new value)."""
    out: list[tuple[str, Any, Any]] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
        elif a != b:
            out.append((path, a, b))

    walk(old.data, new.data, "")
    for tier in TIERS:
        if old.policies[tier].visit_days != new.policies[tier].visit_days:
            out.append((f"visit_cadence.{tier}", old.policies[tier].visit_days, new.policies[tier].visit_days))
    return out


__all__ = [
    "CAPABILITY_RATINGS",
    "DEFAULT_VISIT_DAYS",
    "DIMENSIONS",
    "SCORING_KEYS",
    "STRENGTH_RATINGS",
    "DimensionRule",
    "MatrixRules",
    "Policy",
    "RiskRules",
    "Rule",
    "Scale",
    "ScoringConfig",
    "config_changes",
    "default_kam_yaml",
    "scoring_config_from_data",
]
