"""Live reload: files changed outside the TUI (a pull, a hand edit, `kam set` in another
terminal) show without a restart; an open form on a changed account is never overwritten."""

from __future__ import annotations

import pytest
from conftest import commit_count, git, write_account
from textual.pilot import Pilot
from tui_pilot import run_app, run_on_account, settle, terminal_cells, toasts

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.edit_field import EditFieldScreen
from kam_tui.tui.screens.field_form import FieldFormScreen
from kam_tui.tui.widgets.virtual_table import VirtualTable


SIZE = (120, 36)


async def _tick(app: KamApp, pilot: Pilot[int]) -> None:
    """What the app's watcher does every 1.5 s, run now."""
    app.check_for_changes()
    await settle(pilot)


def test_the_list_and_the_open_account_reload_changed_files(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\nowner: wang\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(VirtualTable)
        assert table.row_keys == ["acme"]
        write_account(repo, "bolt", "id: bolt\nname: Bolt\nstage: active\n")  # pulled from a teammate
        await _tick(app, pilot)
        assert table.row_keys == ["acme", "bolt"]

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        path = repo.accounts_dir / "acme.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("owner: wang", "owner: li"), encoding="utf-8")
        await _tick(app, pilot)
        assert "Reloaded: the file changed on disk." in toasts(app)
        assert app.screen.view is not None and app.screen.view.account.owner == "li"  # type: ignore[union-attr]

    run_app(repo.root, scenario, SIZE)


@pytest.mark.parametrize(
    ("keys", "form", "typed"),
    [
        pytest.param(
            ("equals_sign", *"owner=zhao"),
            EditFieldScreen,
            lambda form: form.query_one("#assignment").value == "owner=zhao",
            id="=",
        ),
        pytest.param(
            ("e", "tab", "tab", "tab", *"zhao"), FieldFormScreen, lambda form: form.values()["owner"] == "zhao", id="e"
        ),
    ],
)
def test_a_form_open_on_a_changed_account_is_never_overwritten(repo: Repository, keys, form, typed) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\nowner: wang\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press(*keys)
        path = repo.accounts_dir / "acme.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("owner: wang", "owner: li"), encoding="utf-8")
        git(repo.root, "commit", "-qam", "li takes acme")
        await _tick(app, pilot)
        assert isinstance(app.screen, form)
        assert typed(app.screen)  # what was typed is kept
        assert any("changed on disk while the form is open" in m for m in toasts(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, form)  # refused: the file changed since it was read
        assert "accounts/acme.yaml changed on disk since it was read; nothing saved" in terminal_cells(app)

    before = commit_count(repo.root)
    run_on_account(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1  # only the outside change
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == (
        "id: acme\nname: Acme\nstage: active\nowner: li\n"
    )


async def _poll_between(app: KamApp, pilot: Pilot[int]) -> None:
    """The watcher's poll, run now and waited for (its two workers: the fingerprint, then the
    open account's comparison), while a save of ours is held midway."""
    app.check_for_changes()
    for _ in range(4):
        await pilot.pause()
        polling = [w for w in app.workers if w.group in ("watch", "account-watch")]
        if polling:  # (an empty list would wait for every worker, the held save too)
            await app.workers.wait_for_complete(polling)


def test_our_own_save_is_never_taken_for_a_change_on_disk(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher polls after the visit is written but before the form closes, and again after
    it closes but before the screen has read the file back: neither is "changed on disk"."""
    import threading

    from kam_tui.tui import gateway
    from kam_tui.tui.gateway import saving
    from kam_tui.tui.screens.log_form import LogFormScreen

    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\nowner: wang\n")
    written, release, reading, reread = (threading.Event() for _ in range(4))
    real_add, real_load = saving.add_item, gateway.load_account_view

    def add_item_held(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_add(*args, **kwargs)
        written.set()
        release.wait()
        return result

    def load_held(*args, **kwargs):  # type: ignore[no-untyped-def]
        if written.is_set():  # the screen's reload after the save
            reading.set()
            reread.wait()
        return real_load(*args, **kwargs)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        monkeypatch.setattr(saving, "add_item", add_item_held)
        monkeypatch.setattr(gateway, "load_account_view", load_held)
        await pilot.press("v", "tab", *"met the buyer", "ctrl+s")
        for _ in range(500):
            if written.is_set():
                break
            await pilot.pause()
        assert written.is_set() and isinstance(app.screen, LogFormScreen)
        await _poll_between(app, pilot)  # the file is ours now; the form is still open
        release.set()
        for _ in range(500):
            if reading.is_set():
                break
            await pilot.pause()
        assert reading.is_set() and isinstance(app.screen, AccountScreen)
        await _poll_between(app, pilot)  # the form closed; the screen still holds the old bytes
        reread.set()
        await settle(pilot)
        said = toasts(app)
        assert not [m for m in said if "changed on disk" in m], said
        assert [n for n in app._notifications if n.title == "Saved and committed"]
        assert "met the buyer" in (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8")
        # a change behind our back after our save is still seen
        path = repo.accounts_dir / "acme.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("owner: wang", "owner: li"), encoding="utf-8")
        await _tick(app, pilot)
        assert "Reloaded: the file changed on disk." in toasts(app)

    run_on_account(repo.root, scenario, SIZE)
