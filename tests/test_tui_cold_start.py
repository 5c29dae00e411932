"""How the accounts list starts: a warm list is read before the app starts and shown at once; a
cold start says how far it is (the catalog reports files parsed as it goes, and the accounts
screen shows the count, not a static word, until the rows arrive)."""

from __future__ import annotations

from pathlib import Path

import asyncio
import gc
import subprocess
import sys

import pytest
from conftest import write_account
from textual.pilot import Pilot
from tui_pilot import run_app, screen_text, settle

from kam_tui.store.catalog import CACHE_FILE
from kam_tui.store.repository import Repository
from kam_tui.tui import gateway
from kam_tui.tui.app import KamApp, make_app
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


def test_a_warm_list_is_read_before_the_start_and_a_cold_one_is_left_to_the_worker(repo: Repository) -> None:
    for i in range(30):
        write_account(repo, f"acct-{i:03d}", f"id: acct-{i:03d}\nname: Account {i}\n", commit=False)
    assert gateway.load_warm_catalog_view(repo) is None  # 30 files to parse: the worker's, with progress
    assert not (repo.cache_dir / CACHE_FILE).exists()  # nothing parsed, nothing written
    read = gateway.load_catalog_view(repo)
    warm = gateway.load_warm_catalog_view(repo)
    assert warm is not None and warm.rows == read.rows and warm.fingerprint == read.fingerprint
    for i in range(3):  # a few files changed since: parsed on the spot
        write_account(repo, f"acct-{i:03d}", f"id: acct-{i:03d}\nname: Renamed {i}\n", commit=False)
    warm = gateway.load_warm_catalog_view(repo)
    assert warm is not None
    assert [row.account.name for row in warm.rows[:4]] == ["Renamed 0", "Renamed 1", "Renamed 2", "Account 3"]


def test_the_app_shows_the_list_read_before_it_started_without_reading_it_again(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        write_account(repo, f"acct-{i:03d}", f"id: acct-{i:03d}\nname: Account {i}\n")
    gateway.load_catalog_view(repo)  # the cache, as the last run left it
    app = make_app(repo, read_first=True)

    def read_again(*args: object) -> None:
        raise AssertionError("the list was read again")

    monkeypatch.setattr(gateway, "load_catalog_view", read_again)

    async def main() -> None:
        async with app.run_test(size=(100, 20)) as pilot:
            await settle(pilot)
            assert "Account 2" in screen_text(app) and "3 accounts" in screen_text(app)

    asyncio.run(main())


def test_the_account_screen_is_imported_once_the_first_rows_are_drawn(demo: Path) -> None:
    """Left out of the launch, the account screen's modules load in a worker once the list is
    shown: the first Enter does not pay for them."""
    code = f"""
import asyncio, sys
from kam_tui.tui.app import make_app

async def main():
    app = make_app({str(demo)!r})
    assert "kam_tui.tui.screens.account" not in sys.modules
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if "kam_tui.tui.screens.account" in sys.modules:
                print("imported")
                return

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "imported", out.stderr


def test_what_the_screens_keep_is_read_with_the_collector_paused_then_kept_out_of_its_sight(
    repo: Repository,
) -> None:
    """The list, the portfolio and the index stay until a reload: read with the cyclic collector
    paused and frozen on the way out, so no full pass over them holds the interpreter while a
    person types (the passes took 40–200 ms each at 10,000 accounts)."""
    for i in range(3):
        write_account(repo, f"acct-{i:03d}", f"id: acct-{i:03d}\nname: Account {i}\n")
    for load in (
        lambda: gateway.load_catalog_view(repo),
        lambda: gateway.load_warm_catalog_view(repo),
        lambda: gateway.load_portfolio(repo),
        lambda: gateway.load_account_index(repo, gateway.load_catalog_view(repo), {}),
    ):
        gc.unfreeze()
        assert load() is not None
        assert gc.isenabled() and gc.get_freeze_count() > 0
