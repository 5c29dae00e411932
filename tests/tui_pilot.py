"""Helpers for pilot tests of the TUI: waiting for workers, and reading what is on screen."""

from __future__ import annotations

import html
import re

from textual.app import App
from textual.pilot import Pilot


async def settle(pilot: Pilot[int]) -> None:
    """Let workers finish and their messages land (a finished load may start another)."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app: App[int]) -> str:
    """The characters on screen, from Textual's own screenshot."""
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")


def terminal_cells(app: App[int]) -> str:
    """Every character the app would send to the terminal for the screen now (the text of each
    segment, without Textual's own styling sequences), lines joined by newlines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
