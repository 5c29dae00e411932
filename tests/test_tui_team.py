"""The TUI over a clone shared through a bare remote: the accounts header shows ahead/behind,
the palette's sync brings a teammate's commit in (or shows the conflict and how to finish),
and the Changes screen lists what the team changed until it is marked as seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from textual.pilot import Pilot
from tui_pilot import run_app, run_palette_command, screen_text, settle, toasts

from kam_tui.i18n import in_language
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.accounts import AccountsScreen
from kam_tui.model.field_diff import MergeDecision
from kam_tui.store.changelog import AccountChanges, CommitChanges, FileChanges
from kam_tui.store.gitcmd import Commit
from kam_tui.tui.screens.changes import ChangesScreen, changes_text
from team_support import account, edit, edit_and_sync, make_clones, person_git


@pytest.fixture
def clones(tmp_path: Path, kam):  # type: ignore[no-untyped-def]
    return make_clones(tmp_path, kam)


def _run(root: Path, scenario, size: tuple[int, int] = (120, 36), lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    with in_language(lang):
        run_app(root, scenario, size)


def _li_raises_capital_after_wang_has_seen_all(clones, kam) -> Path:  # type: ignore[no-untyped-def]
    """Wang marks every change seen; li raises sanjiang's capital rating and pushes it. Wang's clone."""
    wang, li = clones
    assert kam("--repo", str(wang), "changes", "--seen").code == 0
    edit_and_sync(li, kam, "capital: 3", "capital: 5", "capital up")
    return wang


def test_the_header_shows_commits_to_push_and_to_pull(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit_and_sync(li, kam, "stage: active", "stage: at-risk", "at risk")
    edit(wang, "name: Sanjiang Auto", "name: Sanjiang Motors", "renamed")
    person_git(wang, "fetch", "-q")  # ahead/behind is as of the last fetch: the header never goes to the network

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert "↑1 ↓1 origin/main" in screen_text(app).splitlines()[0]

    _run(wang, scenario, size=(80, 24))


def test_no_upstream_no_ahead_behind(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("init", str(tmp_path / "solo")).code == 0

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert isinstance(app.screen, AccountsScreen)
        assert "↑" not in screen_text(app) and "↓" not in screen_text(app)
        assert app.screen.sub_title == str(tmp_path / "solo")

    _run(tmp_path / "solo", scenario)


def test_the_header_says_how_many_account_files_are_not_committed(clones, kam) -> None:  # type: ignore[no-untyped-def]
    """A hand edit not committed yet is not shared with the team: the header counts such files
    (accounts and checklists), beside ahead/behind, and drops the count once they are committed."""
    wang, _li = clones
    sanjiang = wang / "accounts" / "sanjiang.yaml"
    sanjiang.write_text(sanjiang.read_text(encoding="utf-8") + "industry: 汽车\n", encoding="utf-8")
    (wang / "accounts" / "new-one.yaml").write_text("id: new-one\nname: New One\n", encoding="utf-8")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert app.screen.sub_title == f"↑0 ↓0 origin/main · 2 files not committed · {wang}"
        person_git(wang, "add", "-A")
        person_git(wang, "commit", "-qm", "by hand")
        app.screen.show_remote()
        await settle(pilot)
        assert app.screen.sub_title == f"↑1 ↓0 origin/main · {wang}"

    _run(wang, scenario)


def test_sync_from_the_palette_brings_a_teammates_commit_in(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit_and_sync(li, kam, "name: Sanjiang Auto", "name: Sanjiang Motors", "renamed")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert "Sanjiang Auto" in screen_text(app)
        await run_palette_command(pilot, "sync with the team")
        await settle(pilot)
        assert "name: Sanjiang Motors" in account(wang)
        assert any("Came in: 1 commit" in toast and "accounts/sanjiang.yaml · li" in toast for toast in toasts(app))
        assert any("fetching from origin" in toast for toast in toasts(app))
        text = screen_text(app)
        assert "Sanjiang Motors" in text and "Sanjiang Auto" not in text
        assert "↑0 ↓0 origin/main" in text

    _run(wang, scenario)


def test_a_conflict_from_the_palette_shows_the_field_and_how_to_finish(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit_and_sync(li, kam, "name: Sanjiang Auto", "name: Sanjiang Motors", "renamed by li")
    edit(wang, "name: Sanjiang Auto", "name: Sanjiang Cars", "renamed by wang")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await run_palette_command(pilot, "sync with the team")
        await settle(pilot)
        [shown] = [n for n in app._notifications if n.title == "Sync stopped on a conflict"]
        assert shown.severity == "error"
        assert "conflict in name: ours Sanjiang Cars (wang), theirs Sanjiang Motors (li)" in shown.message
        assert "kam sync --continue" in shown.message and "kam sync --abort" in shown.message

    _run(wang, scenario)


def test_the_changes_screen_lists_a_teammates_field_change_until_marked_seen(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang = _li_raises_capital_after_wang_has_seen_all(clones, kam)
    assert kam("--repo", str(wang), "sync").code == 0

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)
        text = screen_text(app)
        assert "1 commit since" in text
        assert "sanjiang" in text and "li" in text and "capital up" in text
        assert "ratings.capital: 3 → 5" in text
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "No changes to accounts or checklists since" in text and "capital" not in text
        await pilot.press("escape")
        assert isinstance(app.screen, AccountsScreen)

    _run(wang, scenario)


def test_the_changes_screen_and_the_sync_toast_speak_chinese(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang = _li_raises_capital_after_wang_has_seen_all(clones, kam)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await run_palette_command(pilot, "与团队同步")
        await settle(pilot)
        assert any("收到：1 个提交" in toast for toast in toasts(app))
        await pilot.press("C")
        await settle(pilot)
        text = screen_text(app)
        assert "1 个提交" in text and "1 个客户" in text and "按 s 标为已读" in text
        assert "ratings.capital: 3 → 5" in text
        assert "commit" not in text and "Mark as seen" not in text

    _run(wang, scenario, lang="zh")


def test_the_changes_key_is_in_the_help_not_the_crowded_footer(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("init", str(tmp_path / "solo")).code == 0

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert "Changes" not in screen_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "     C  Changes  " in screen_text(app)

    _run(tmp_path / "solo", scenario, size=(80, 24))


def test_the_changes_screen_says_a_rename_and_what_a_merge_settled_as_kam_changes_does() -> None:
    commit = Commit("f" * 40, "2026-11-30T08:00:00+08:00", "li", "li@example.com", "Merge")
    moved = FileChanges("accounts/b.yaml", [], renamed_from="accounts/a.yaml")
    settled = FileChanges("accounts/b.yaml", [], merge=[MergeDecision("ratings.capital", 2, 4, 3)])
    text = changes_text([AccountChanges("b", [CommitChanges(commit, [moved, settled])])]).plain
    assert text.splitlines()[2:] == ["      renamed a → b", "      ratings.capital: ours 2, theirs 4 → 3"]
