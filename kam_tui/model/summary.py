"""The list view's fields of an account: small, plain and cacheable (JSON/marshal types only)."""

from __future__ import annotations

from typing import Any

from kam_tui.model.account import Account

LIST_FIELDS = ("id", "name", "stage", "owner", "region", "industry", "payment_terms")


def summarize(account: Account) -> dict[str, Any]:
    """What `kam list` and the accounts table need, without re-reading the file."""
    summary: dict[str, Any] = {name: getattr(account, name) for name in LIST_FIELDS}
    summary["tier_override"] = account.tier_override.tier if account.tier_override else None
    return summary
