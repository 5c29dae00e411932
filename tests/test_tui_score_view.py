"""The Score tab scores one account against the whole portfolio: with the list's catalog it reads
that account's facts only, and the portfolio's totals are summed once per list read, not on every
open of an account."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kam_tui.model import risks
from kam_tui.store.repository import Repository
from kam_tui.tui import gateway
from kam_tui.tui.gateway import account_list, accounts

DAY = dt.date(2026, 11, 30)


def test_the_score_tab_scores_as_the_whole_portfolio_does_and_sums_the_totals_once(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(demo)
    view = gateway.load_catalog_view(repo)
    ids = [row.id for row in view.rows]
    alone = {i: gateway.load_score_view(repo, i, today=DAY) for i in ids}  # every account read
    sums: list[int] = []

    def counted(facts, config):  # type: ignore[no-untyped-def]
        sums.append(1)
        return risks.portfolio_totals(facts, config)

    monkeypatch.setattr(account_list, "portfolio_totals", counted)
    for account_id in ids:
        shown = gateway.load_score_view(repo, account_id, view, today=DAY)
        assert shown is not None and shown == alone[account_id], account_id
    assert len(ids) > 10 and sums == [1]
    assert gateway.load_score_view(repo, "no-such-account", view, today=DAY) is None


def test_an_account_opened_before_the_lists_scores_is_scored_alone(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened with no score from the list (before its scores arrived, or from a new account), the
    account screen scores that one account for its score line and Score tab; the portfolio is
    left to the list's own worker (it was scored whole for the one line)."""
    import re

    from textual.pilot import Pilot
    from tui_pilot import run_app, screen_text, settle

    from kam_tui.tui.app import KamApp
    from kam_tui.tui.screens.account import AccountScreen

    scored_whole: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        monkeypatch.setattr(accounts, "score_summaries", lambda *args, **kwargs: scored_whole.append("all") or {})
        app.push_screen(AccountScreen(app.repo, "sanjiang-auto"))
        await settle(pilot)
        text = screen_text(app)
        assert re.search(r"Score \d+\.\d  Tier [ABC]", text), text
        await pilot.press("2")
        assert "Keep or cut?" in screen_text(app)

    run_app(demo, scenario, (120, 40))
    assert scored_whole == []
