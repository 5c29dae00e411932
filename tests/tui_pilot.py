"""Helpers for pilot tests of the TUI: waiting for workers, and reading what is on screen."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from kam_tui.store.demo import build_demo


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land (a finished load may start another; a newer
    exclusive worker cancels an older one, which is not a failure of the test)."""
    for _ in range(4):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


def screen_text(app: App[int]) -> str:
    """The characters on screen, line by line: the frame Textual's screenshot draws (modal
    dialogs over the screens below them), as plain text rather than SVG."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def terminal_cells(app: App[int]) -> str:
    """Every character the app would send to the terminal for the screen now (the text of each
    segment, without Textual's own styling sequences), lines joined by newlines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


@pytest.fixture(scope="module", name="demo_template")
def demo_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo repository, built once per module (≈1 s) under the same isolated git identity
    as conftest's `isolated_git` (a module fixture cannot use that function-scoped one)."""
    home = tmp_path_factory.mktemp("template-home")
    (home / ".gitconfig").write_text("[user]\n\tname = Test User\n\temail = test@example.com\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name in (
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "GIT_AUTHOR_DATE",
            "GIT_COMMITTER_DATE",
            "KAM_REPO",
            "KAM_AUTHOR",
            "GIT_DIR",
        ):
            mp.delenv(name, raising=False)
        return build_demo(tmp_path_factory.mktemp("template") / "demo")


@pytest.fixture(name="demo")
def demo_fixture(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo repository (git history included) for one test to change."""
    return Path(shutil.copytree(demo_template, tmp_path / "demo", symlinks=True))
