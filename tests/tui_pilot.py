"""Helpers for pilot tests of the TUI: waiting for workers, and reading what is on screen."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land (a finished load may start another; a newer
    exclusive worker cancels an older one, which is not a failure of the test)."""
    for _ in range(4):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


def run_app(root: Path, scenario: Callable[[Any, Pilot[Any]], Awaitable[None]], size: tuple[int, int]) -> App[Any]:
    """Run the app over `root` at `size`, settle, then play `scenario(app, pilot)`; the app, to
    look at after it ended (its return code)."""
    from kam_tui.tui.app import make_app

    app = make_app(root)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())
    return app


def run_on_account(
    root: Path,
    scenario: Callable[[Any, Pilot[Any]], Awaitable[None]],
    size: tuple[int, int],
    keys: tuple[str, ...] = ("enter",),
) -> App[Any]:
    """`run_app`, with an account opened first by `keys` (Enter on the list's first row unless
    told) and the account screen checked to be up before `scenario` plays."""
    from kam_tui.tui.screens.account import AccountScreen

    async def on_the_account(app: Any, pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await scenario(app, pilot)

    return run_app(root, on_the_account, size)


async def run_palette_command(pilot: Pilot[Any], text: str) -> None:
    """Open the command palette, type `text`, and run the first command it finds."""
    await pilot.press("ctrl+p", *text)
    await pilot.pause(0.3)  # the palette searches in the background
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


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


def toasts(app: App[Any]) -> list[str]:
    """The messages of the notifications the app has shown (and still holds), oldest first."""
    return [n.message for n in app._notifications]
