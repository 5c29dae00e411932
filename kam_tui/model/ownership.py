"""Who follows an account: what moves when one person's accounts go to another (`kam reassign`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kam_tui.model.log import CLOSED_STATUSES
from kam_tui.model.schema import Path_


def reassignments(data: Any, giver: str, taker: str, stages: Collection[str] = ()) -> list[tuple[Path_, Any]]:
    """The assignments that hand one account from `giver` to `taker`: its owner when `giver` owns
    it, and every open action `giver` owns (a closed action keeps who did it). With `stages`,
    only an account in one of them is touched."""
    if not isinstance(data, dict) or (stages and data.get("stage") not in stages):
        return []
    out: list[tuple[Path_, Any]] = []
    if data.get("owner") == giver:
        out.append((("owner",), taker))
    actions = data.get("actions")
    for number, action in enumerate(actions if isinstance(actions, list) else []):
        if isinstance(action, dict) and action.get("owner") == giver and action.get("status") not in CLOSED_STATUSES:
            out.append((("actions", number, "owner"), taker))
    return out
