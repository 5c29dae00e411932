"""Live reload: files changed outside the TUI (a pull, a hand edit, `kam set` in another
terminal) show without a restart; an open form on a changed account is never overwritten."""

from __future__ import annotations


from conftest import commit_count, git, write_account
from textual.pilot import Pilot
from tui_pilot import run_app, settle, terminal_cells

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.edit_field import EditFieldScreen
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
        assert "Reloaded: the file changed on disk." in [n.message for n in app._notifications]
        assert app.screen.view is not None and app.screen.view.account.owner == "li"  # type: ignore[union-attr]

    run_app(repo.root, scenario, SIZE)


def test_a_form_open_on_a_changed_account_is_never_overwritten(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: active\nowner: wang\n")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("equals_sign", *"owner=zhao")
        path = repo.accounts_dir / "acme.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("owner: wang", "owner: li"), encoding="utf-8")
        git(repo.root, "commit", "-qam", "li takes acme")
        await _tick(app, pilot)
        assert isinstance(app.screen, EditFieldScreen)
        assert app.screen.query_one("#assignment").value == "owner=zhao"  # type: ignore[attr-defined]
        assert any("changed on disk while the form is open" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditFieldScreen)  # refused: the file changed since it was read
        assert "changed on disk" in terminal_cells(app)

    before = commit_count(repo.root)
    run_app(repo.root, scenario, SIZE)
    assert commit_count(repo.root) == before + 1  # only the outside change
    assert "owner: li\n" in (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8")
