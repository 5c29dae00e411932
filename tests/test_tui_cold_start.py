"""A cold start says how far it is: the catalog reports files parsed as it goes, and the accounts
screen shows the count (not a static word) until the rows arrive."""

from __future__ import annotations

from pathlib import Path

from conftest import write_account
from textual.pilot import Pilot
from tui_pilot import demo_fixture, demo_template_fixture, run_app, screen_text  # noqa: F401  (fixtures)

from kam_tui.store.repository import Repository
from kam_tui.tui import gateway
from kam_tui.tui.app import KamApp
from kam_tui.tui.messages import LoadProgress


def test_a_cold_load_reports_the_files_parsed(repo: Repository) -> None:
    for i in range(260):
        write_account(repo, f"acct-{i:03d}", f"id: acct-{i:03d}\nname: Account {i}\n", commit=False)
    calls: list[tuple[int, int]] = []
    view = gateway.load_catalog_view(repo, lambda done, total: calls.append((done, total)))
    assert len(view.rows) == 260
    assert calls == [(250, 260), (260, 260)]
    calls.clear()
    gateway.load_catalog_view(repo, lambda done, total: calls.append((done, total)))
    assert calls == []  # warm: nothing to parse, nothing to report


def test_the_accounts_screen_shows_the_count_while_loading(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        screen = app.screen
        screen._loaded = False  # type: ignore[attr-defined]  # as before the first rows
        screen.query_one("#accounts-table").set_rows([])  # type: ignore[attr-defined]
        screen.post_message(LoadProgress(2500, 10000))
        await pilot.pause()
        assert screen_text(app).count("Reading account files… 2,500 of 10,000") == 2  # table and status

    run_app(demo, scenario, size=(120, 30))
