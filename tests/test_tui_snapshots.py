"""The TUI's screens as a person sees them, compared with the SVG snapshots in
tests/__snapshots__/test_tui_snapshots/ (open one in a browser to look at it).

Each screen is drawn at 80×24 and 160×48 over the demo repository built for a fixed day
(KAM_TODAY, and the demo's history dated from it), in English, with the cursor not blinking,
by the Textual version pinned in the test extra. After an intended change to a screen, redraw
them and look at the diff before committing:

    .venv/bin/python -m pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import datetime as dt
import fcntl
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from conftest import isolate
from kam_tui.i18n import in_language
from kam_tui.store.demo import build_demo
from kam_tui.tui.app import make_app
from tui_pilot import settle

DAY = dt.datetime(2026, 12, 1, 9, 0)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
# The header shows the repository's path, so the demo is built at one fixed path (under a lock:
# several checkouts may run their tests at once on one machine).
FIXED = Path(tempfile.gettempdir()) / "kam-tui-snapshots"
Compare = Callable[..., bool]


def _demo_at(name: str, home: Path, language: str) -> Iterator[Path]:
    """The demo in `language` at FIXED/name, built under that path's own lock and removed after."""
    FIXED.mkdir(exist_ok=True)
    with open(FIXED / ("lock" + name.removeprefix("demo")), "w") as lock, pytest.MonkeyPatch.context() as mp:
        fcntl.flock(lock, fcntl.LOCK_EX)
        isolate(mp, home)
        mp.setenv("KAM_TODAY", DAY.date().isoformat())
        if language == "en":
            mp.setenv("KAM_LANG", "en")
        root = FIXED / name
        shutil.rmtree(root, ignore_errors=True)
        yield build_demo(root, now=DAY, language=language)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from _demo_at("demo", tmp_path_factory.mktemp("home"), "en")


@pytest.fixture(scope="module")
def demo_zh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The Chinese demo (`kam demo --lang zh`), at its own fixed path under its own lock."""
    yield from _demo_at("demo-zh", tmp_path_factory.mktemp("home-zh"), "zh")


def steps(*keys: str, value: str | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Press keys (settling after each Enter), optionally type `value` into the focused input
    and submit it; then stop every cursor blinking so the picture does not depend on timing."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            if key in ("enter", "equals_sign", "R", "ctrl+s"):  # each starts workers
                await settle(pilot)
        if value is not None:
            field = pilot.app.screen.query_one(Input)
            field.value = value
            await pilot.press("enter")
            await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_accounts_list(snap_compare: Compare, demo: Path, size: tuple[int, int]) -> None:
    """The accounts list with Chinese and English names, scores, tiers and risks."""
    assert snap_compare(make_app(demo), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_account_overview(snap_compare: Compare, demo: Path, size: tuple[int, int]) -> None:
    """An account (三江汽车制造有限公司) opened from a filtered list: its overview tab."""
    keys = ("slash", *"sanj", "enter", "enter")
    assert snap_compare(make_app(demo), terminal_size=size, run_before=steps(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_edit_dialog_with_an_error(snap_compare: Compare, demo: Path, size: tuple[int, int]) -> None:
    """The edit dialog after `stage=x` was submitted: the error stays in the dialog."""
    keys = ("slash", *"sanj", "enter", "enter", "equals_sign")
    assert snap_compare(make_app(demo), terminal_size=size, run_before=steps(*keys, value="stage=x"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Compare, demo: Path, size: tuple[int, int]) -> None:
    """`?` on the accounts list: the keys of the screen below."""
    assert snap_compare(make_app(demo), terminal_size=size, run_before=steps("question_mark"))


def test_review_report_tab(snap_compare: Compare, demo: Path) -> None:
    """`R` then `2`: the quarter due for review (2026-Q3) previewed as its report, charts below."""
    assert snap_compare(make_app(demo), terminal_size=(80, 24), run_before=steps("R", "2"))


# In Chinese (the reader's language zh) over the Chinese demo: the list, the Score tab of the
# fake big account, `?`, and the visit form refusing a date.
ZH_SCREENS = {
    "accounts": (),
    "score": ("slash", *"jinding", "enter", "enter", "2"),
    "help": ("question_mark",),
    "form_with_an_error": ("slash", *"jinding", "enter", "enter", "v", *"31.12.", "ctrl+s"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(ZH_SCREENS))
def test_in_chinese(
    snap_compare: Compare, demo_zh: Path, screen: str, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_TODAY", DAY.date().isoformat())  # the Score tab says "as of" the day
    with in_language("zh"):
        assert snap_compare(make_app(demo_zh), terminal_size=size, run_before=steps(*ZH_SCREENS[screen]))
