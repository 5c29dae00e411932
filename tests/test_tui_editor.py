"""`E`: the account's file in $VISUAL/$EDITOR. On return a valid edit is committed through the
one write path, an invalid one is never written (the errors, then edit again or restore), an
unchanged one does nothing."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ACME, assert_acme_untouched, commit_count, git, write_acme
from textual.pilot import Pilot
from tui_pilot import run_on_account, screen_text, settle, toasts

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.raw_edit import EditorProblemsScreen

EDITOR = """
import json, pathlib, sys
queue = pathlib.Path(sys.argv[1])
texts = json.loads(queue.read_text())
pathlib.Path(sys.argv[2]).write_text(texts.pop(0), encoding="utf-8")
queue.write_text(json.dumps(texts))
"""


@pytest.fixture(name="editor")
def editor_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$VISUAL is a script that writes the next text of `queue` into the file it is given; the
    app's suspend is a no-op (a headless test terminal cannot hand over); drafts are made in this
    test's own temporary folder (in the shared one, another test's draft would be counted)."""
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    queue = tmp_path / "queue.json"
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script} {queue}")
    monkeypatch.setattr(KamApp, "suspend", lambda self: contextlib.nullcontext())
    return queue


def _run(root: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    run_on_account(root, scenario, (80, 24))


def _acme_and_the_editor_writing(repo: Repository, editor: Path, *texts: str) -> int:
    """acme committed; the editor writes `texts`, one per time it is opened; the commit count."""
    editor.write_text(json.dumps(list(texts)))
    return write_acme(repo)


def _drafts(editor: Path) -> list[Path]:
    """The drafts left in the test's temporary folder (`editor` is the queue beside it)."""
    return list((editor.parent / "tmp").glob("kam-edit-*/acme.yaml"))


def test_a_valid_edit_is_committed_with_the_fields_it_changed(repo: Repository, editor: Path) -> None:
    edited = ACME.replace("owner: wang", "owner: li  # took over\nregion: 华东")
    before = _acme_and_the_editor_writing(repo, editor, edited)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert any("acme: owner, region edited by hand" in m for m in toasts(app))

    _run(repo.root, scenario)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == edited
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "acme: owner, region edited by hand"
    assert git(repo.root, "status", "--porcelain").strip() == ""


def test_an_invalid_edit_is_never_written_and_can_be_restored(repo: Repository, editor: Path) -> None:
    before = _acme_and_the_editor_writing(
        repo, editor, ACME.replace("stage: active", "stage: sleeping\nowner: [unclosed")
    )

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, EditorProblemsScreen)
        text = screen_text(app)
        assert "Nothing was saved" in text and "accounts/acme.yaml:" in text
        assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == ACME  # untouched meanwhile
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(repo.root, scenario)
    assert_acme_untouched(repo, before)
    assert _drafts(editor) == []


def test_edit_again_after_errors_then_a_valid_edit_is_committed(repo: Repository, editor: Path) -> None:
    fixed = ACME.replace("stage: active", "stage: at-risk")
    before = _acme_and_the_editor_writing(repo, editor, ACME.replace("stage: active", "stage: sleeping"), fixed)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, EditorProblemsScreen)
        assert "sleeping" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)

    _run(repo.root, scenario)
    assert commit_count(repo.root) == before + 1
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == fixed
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "acme: stage edited by hand"


def test_an_unchanged_file_makes_no_commit(repo: Repository, editor: Path) -> None:
    before = _acme_and_the_editor_writing(repo, editor, ACME)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("E")
        await settle(pilot)
        assert "Nothing changed in the editor." in toasts(app)

    _run(repo.root, scenario)
    assert_acme_untouched(repo, before)
    assert _drafts(editor) == []
