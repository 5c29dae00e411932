"""`E`: the account's file in $VISUAL/$EDITOR. On return a valid edit is committed through the
one write path, an invalid one is never written (the errors, then edit again or restore), an
unchanged one does nothing."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import pytest
from conftest import commit_count, git, write_account
from textual.pilot import Pilot
from tui_pilot import run_on_account, screen_text, settle, toasts

from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.raw_edit import EditorProblemsScreen

ACME = "id: acme\nname: Acme\nstage: active\nowner: wang\n"
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
    app's suspend is a no-op (a headless test terminal cannot hand over)."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    queue = tmp_path / "queue.json"
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script} {queue}")
    monkeypatch.setattr(KamApp, "suspend", lambda self: contextlib.nullcontext())
    return queue


def _run(root: Path, scenario) -> None:  # type: ignore[no-untyped-def]
    run_on_account(root, scenario, (80, 24))


def _drafts() -> list[Path]:
    import tempfile

    return list(Path(tempfile.gettempdir()).glob("kam-edit-*/acme.yaml"))


def test_a_valid_edit_is_committed_with_the_fields_it_changed(repo: Repository, editor: Path) -> None:
    write_account(repo, "acme", ACME)
    edited = ACME.replace("owner: wang", "owner: li  # took over\nregion: 华东")
    editor.write_text(json.dumps([edited]))
    before = commit_count(repo.root)

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
    write_account(repo, "acme", ACME)
    editor.write_text(json.dumps([ACME.replace("stage: active", "stage: sleeping\nowner: [unclosed")]))
    before = commit_count(repo.root)

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
    assert commit_count(repo.root) == before
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == ACME
    assert _drafts() == []


def test_edit_again_after_errors_then_a_valid_edit_is_committed(repo: Repository, editor: Path) -> None:
    write_account(repo, "acme", ACME)
    fixed = ACME.replace("stage: active", "stage: at-risk")
    editor.write_text(json.dumps([ACME.replace("stage: active", "stage: sleeping"), fixed]))
    before = commit_count(repo.root)

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
    write_account(repo, "acme", ACME)
    editor.write_text(json.dumps([ACME]))
    before = commit_count(repo.root)

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("E")
        await settle(pilot)
        assert "Nothing changed in the editor." in toasts(app)

    _run(repo.root, scenario)
    assert commit_count(repo.root) == before
    assert _drafts() == []
