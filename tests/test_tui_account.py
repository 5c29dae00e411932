"""The account screen over the demo: the Score tab explains the score, flags the fake big
account with its figures and says what to do; History shows each commit's diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from textual.pilot import Pilot
from tui_pilot import run_on_account, settle, terminal_cells

from kam_tui.tui.app import KamApp


def _run(root: Path, scenario, size: tuple[int, int] = (160, 60)) -> None:  # type: ignore[no-untyped-def]
    """Open the demo's jinding-trading, then play the scenario."""
    run_on_account(root, scenario, size, ("slash", *"jinding", "enter"))


def test_score_tab_explains_the_fake_big_account(demo: Path) -> None:
    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("2")
        text = terminal_cells(app)
        assert "Score 43.1  Tier B" in text
        for dimension in ("sales", "margin", "frequency", "years"):
            assert f" {dimension} " in text
        assert "stuffing    stock-in 11,610,000 vs sell-through 4,840,000" in text
        assert "3. Can we still control it (do we hold its downstream network)?  NO" in text
        assert "Recommendation: take-network-first" in text

    _run(demo, scenario)


def test_history_shows_the_diff_of_the_highlighted_commit(demo: Path) -> None:
    subjects = git(demo, "log", "--format=%s", "--", "accounts/jinding-trading.yaml").splitlines()

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("h")
        await settle(pilot)
        text = terminal_cells(app)
        assert subjects[0][:40] in text
        assert "+  - date: " in text and "+  20" not in text  # the newest commit's diff: this quarter's visits
        await pilot.press("down")  # the next commit: the last quarter's figures and log
        await settle(pilot)
        assert "+  " + subjects[1].split(":")[0] + ": {sales:" in terminal_cells(app)

    _run(demo, scenario, size=(120, 40))


def test_an_unexpected_failure_is_named_where_its_pane_would_be(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in reading the checklists or a diff is shown with its kind (`KeyError: 'step'`), not
    only its bare text (`'step'`), the same in every pane; the rest of the account works on."""
    from kam_tui.tui import gateway

    def broken(*args: object) -> None:
        raise KeyError("step")

    monkeypatch.setattr(gateway, "load_checklists", broken)
    monkeypatch.setattr(gateway, "load_commit_diff", broken)
    seen: dict[str, str] = {}

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        for tab in "56":
            await pilot.press(tab)
            await settle(pilot)
            seen[tab] = terminal_cells(app)

    _run(demo, scenario)
    assert "KeyError: 'step'" in seen["5"] and "KeyError: 'step'" in seen["6"]
