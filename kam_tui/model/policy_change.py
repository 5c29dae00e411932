"""What a tier move implies for an account's preferential policy, field by field (L83: re-tier,
then adjust the policy): the table a review puts before the team to decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kam_tui.model.scorecard import ScoringConfig


@dataclass(frozen=True, slots=True)
class PolicyChange:
    id: str
    before: str | None
    after: str | None
    changes: tuple[tuple[str, str, str], ...]  # (what, old, new)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from": self.before,
            "to": self.after,
            "changes": [{"what": w, "old": o, "new": n} for w, o, n in self.changes],
        }


def policy_change(move_id: str, before: str | None, after: str | None, config: ScoringConfig) -> PolicyChange:
    """What a tier move implies for the account's policy, field by field (L83: re-tier, then
    adjust the preferential policy)."""
    if before is None or after is None:
        return PolicyChange(move_id, before, after, ())
    old, new = config.policies[before], config.policies[after]
    rows = []
    for what, a, b in (
        ("discount", f"{old.discount:.0%}", f"{new.discount:.0%}"),
        ("payment_terms", old.terms_text(), new.terms_text()),
        ("credit_limit", old.limit_text(), new.limit_text()),
        ("visit_days", str(old.visit_days), str(new.visit_days)),
        ("response_hours", str(old.response_hours), str(new.response_hours)),
    ):
        if a != b:
            rows.append((what, a, b))
    return PolicyChange(move_id, before, after, tuple(rows))
