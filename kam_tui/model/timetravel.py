"""Why did a tier change? Data, rules, or the calendar.

Given an account and the rules as they were at some earlier revision and as they are now, score
the four combinations (old/new data × old/new rules) and say which change moved the tier, naming
the data fields and the kam.yaml keys that differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.account import Account, Period
from kam_tui.model.facts import Facts, account_facts
from kam_tui.model.scorecard import ScoringConfig, config_changes
from kam_tui.model.evaluate import scored
from kam_tui.model.scoring import METHOD, method_changes

Change = tuple[str, Any, Any]  # dotted key, old value, new value


@dataclass(frozen=True, slots=True)
class TierChange:
    id: str
    before: str | None  # tier at the earlier revision (override wins)
    after: str | None
    score_before: float | None
    score_after: float | None
    cause: str  # none | data | rules | both | time
    data_changes: tuple[Change, ...]
    rule_changes: tuple[Change, ...]
    new_data_old_rules: str | None  # the tier the new data earns under the old rules
    old_data_new_rules: str | None
    why: str
    method_from: int | None = None  # the scoring method of the tier recorded then, when it was another
    method_to: int | None = None
    method_tier: str | None = None  # the tier the earlier data and rules get by today's method

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def as_json(self) -> dict[str, Any]:
        def rows(changes: tuple[Change, ...]) -> list[dict[str, Any]]:
            return [{"key": k, "old": _plain(a), "new": _plain(b)} for k, a, b in changes]

        return {
            "id": self.id,
            "from": self.before,
            "to": self.after,
            "score_from": self.score_before,
            "score_to": self.score_after,
            "changed": self.changed,
            "cause": self.cause,
            "data_changes": rows(self.data_changes),
            "rule_changes": rows(self.rule_changes),
            "new_data_old_rules": self.new_data_old_rules,
            "old_data_new_rules": self.old_data_new_rules,
            "why": self.why,
            "method_from": self.method_from,
            "method_to": self.method_to,
            "method_tier": self.method_tier,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def tier_of(f: Facts | None, config: ScoringConfig, today: dt.date) -> tuple[str | None, str | None, float | None]:
    """(effective tier, computed tier, score) from an account's facts (None: no such account);
    what `tier_change` compares, so a caller can find the changes before reading whole files."""
    if f is None:
        return None, None, None
    score, _coverage, computed, tier = scored(f, config, today)
    return tier, computed, score


_FIGURES = tuple(f.name for f in dataclasses.fields(Period) if f.name != "key")


def _scored_fields(account: Account | None) -> dict[str, Any]:
    """Every field the score, tier and risks read, flattened to dotted keys."""
    if account is None:
        return {}
    out: dict[str, Any] = {
        "since": account.since,
        "strategic": account.strategic,
        "stage": account.stage,
        "region": account.region,
        "payment_terms": account.payment_terms,
        "credit_limit": account.credit_limit,
        "network_held": account.network_held,
    }
    o = account.tier_override
    out["tier_override"] = None if o is None else f"{o.tier} ({o.reason})"
    for key, value in account.ratings.items():
        out[f"ratings.{key}"] = value
    for period in account.periods:
        for figure in _FIGURES:
            value = getattr(period, figure)
            if value is not None:
                out[f"periods.{period.key}.{figure}"] = value
    out["surveys"] = [(s.date, s.product, s.service, s.brand) for s in account.surveys]
    out["visits"] = [v.date for v in account.visits]
    out["complaints"] = [(c.opened, c.closed) for c in account.complaints]
    return out


def account_changes(old: Account | None, new: Account | None) -> list[Change]:
    """The scored fields that differ between two versions of an account."""
    a, b = _scored_fields(old), _scored_fields(new)
    return [(k, a.get(k), b.get(k)) for k in list(a) + [k for k in b if k not in a] if a.get(k) != b.get(k)]


def tier_change(
    old: Account | None,
    old_config: ScoringConfig,
    old_today: dt.date,
    new: Account | None,
    new_config: ScoringConfig,
    new_today: dt.date,
    *,
    facts: tuple[Facts | None, Facts | None] | None = None,
    rules: tuple[Change, ...] | None = None,
) -> TierChange:
    """Compare an account at an earlier revision (`old`, its rules and date) with now. A caller
    that has the two accounts' `facts` already, or compares many accounts under the same two
    configs (a review), passes them and the `rules` that differ (`config_changes`) in."""
    either = new or old
    ident = either.id if either is not None else "?"
    old_f, new_f = facts if facts is not None else (_facts(old), _facts(new))
    before, _cover, score_before = tier_of(old_f, old_config, old_today)
    after, _cover_now, score_after = tier_of(new_f, new_config, new_today)
    data = tuple(account_changes(old, new))
    if rules is None:
        rules = tuple(config_changes(old_config, new_config))
    if rules:
        nd_or, od_nr = tier_of(new_f, old_config, new_today)[0], tier_of(old_f, new_config, old_today)[0]
    else:  # the same rules: each crossed combination is one already scored
        nd_or, od_nr = after, before
    move = f"{before or '–'} → {after or '–'}: "  # `A → B: why`; a report cuts the move off at ": "
    if before == after:
        cause = "none"
        why = unmoved(after)
    elif not rules and not data:
        cause = "time"
        why = move + _("neither the data nor the rules changed; the calendar did (years together, stale surveys)")
    elif not rules or (data and nd_or == after and od_nr == before):
        cause = "data"
        why = move + _("the data changed ({keys})").format(keys=_keys(data))
    elif not data or (od_nr == after and nd_or == before):
        cause = "rules"
        why = move + _("the rules in kam.yaml changed ({keys})").format(keys=_keys(rules))
    else:
        cause = "both"
        why = move + _(
            "both changed — data ({data}); rules ({rules}); the new data under the old rules gives {new_data}, "
            "the old data under the new rules gives {new_rules}"
        ).format(data=_keys(data), rules=_keys(rules), new_data=nd_or or "–", new_rules=od_nr or "–")
    return TierChange(ident, before, after, score_before, score_after, cause, data, rules, nd_or, od_nr, why)


def with_recorded(change: TierChange, tier: str | None, score: float | None, method: int) -> TierChange:
    """The tier recorded at the earlier revision (a closed review's report) by an older scoring
    method: where kam now scores the same data under the same rules differently, the method moved
    it — a cause of its own beside data and rules (B9)."""
    if method == METHOD or tier is None or tier == change.before:
        return change
    cause = "method" if change.cause in ("none", "time") else change.cause
    what = "; ".join(method_changes(method))
    why = f"{tier} → {change.after or '–'}: " + _(
        "kam's scoring method changed ({old} → {new}: {what}); the same data under the same rules now gives {tier}"
    ).format(old=method, new=METHOD, what=what, tier=change.before or "–")
    if cause != "method":
        why += _("; and {why}").format(why=change.why.partition(": ")[2])
    return dataclasses.replace(
        change,
        before=tier,
        score_before=score,
        cause=cause,
        why=why,
        method_from=method,
        method_to=METHOD,
        method_tier=change.before,
    )


def unmoved(tier: str | None) -> str:
    """The why of a tier that is the same at both revisions."""
    return _("tier {tier} at both revisions").format(tier=tier or "–")


def _facts(account: Account | None) -> Facts | None:
    return None if account is None else account_facts(account)


def _keys(changes: tuple[Change, ...], limit: int = 6) -> str:
    keys = [change[0] for change in changes]
    more = _(", … {count} more").format(count=len(keys) - limit) if len(keys) > limit else ""
    return ", ".join(keys[:limit]) + more
