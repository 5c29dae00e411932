"""The account screen reads at 80×24: a long value (a name, an author, a reason) takes the room
it can spare, never the room of the dates and summaries beside it."""

from __future__ import annotations

import pytest
from conftest import git, write_account
from textual.pilot import Pilot
from tui_pilot import run_app, run_on_account, screen_text, settle, terminal_cells

from kam_tui.i18n import _, in_language
from kam_tui.store.repository import Repository
from kam_tui.tui.app import KamApp

LONG = "Somebody With A Remarkably Long Name From The Regional Office Upstairs"

WIDE = f"""\
id: wide
name: Wide Co
stage: active
owner: "{LONG}"
industry: "{LONG}"
region: east
since: 2020-01-01
tier_override:
  tier: A
  reason: 已进入省级医保目录 2026 年起承接全省 40 家县级医院配送
  by: wang
  date: 2026-07-10
visits:
  - date: 2026-10-01
    by: "{LONG}"
    summary: talked about the spring order
"""


def _open(repo: Repository, key: str) -> str:
    """The account's screen text at 80×24 after pressing `key` on it."""
    seen: list[str] = []

    async def press(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press(key)
        await settle(pilot)
        seen.append(screen_text(app))

    run_on_account(repo.root, press, (80, 24))
    return seen[0]


def test_overview_shows_whole_dates_and_the_whole_override_reason_at_80_columns(repo: Repository) -> None:
    write_account(repo, "wide", WIDE)
    text = _open(repo, "1")
    assert "2020-01-01" in text  # Since, not cut to 2020-01-…
    flat = "".join(text.split())
    assert "已进入省级医保目录2026年起承接全省40家县级医院配送(wang,2026-07-10)" in flat


def test_visits_show_date_and_summary_beside_a_long_visitor_name_at_80_columns(repo: Repository) -> None:
    write_account(repo, "wide", WIDE)
    text = _open(repo, "4")
    assert "2026-10-01" in text
    assert "talked about the spring order" in text


def test_history_shows_the_message_beside_a_long_author_at_80_columns(repo: Repository) -> None:
    write_account(repo, "wide", WIDE)
    (repo.accounts_dir / "wide.yaml").write_text(WIDE.replace("region: east", "region: west"), encoding="utf-8")
    git(repo.root, "-c", f"user.name={LONG} {LONG}", "commit", "-q", "-am", "moved to the west, as agreed at the visit")
    text = _open(repo, "h")
    assert "moved to the west, as agreed" in text  # the message keeps the room; the author is cut


def test_the_account_footer_ends_with_the_palette_key_and_nothing_after_it_at_80_columns(repo: Repository) -> None:
    """The keys overflow 80 columns; the palette key docked over them must cover the last cell
    too (it once left a cell of the key beneath showing: "^p paletter")."""
    write_account(repo, "wide", WIDE)
    for key in ("1", "5", "6"):
        footer = _open(repo, key).splitlines()[-1]
        assert footer.rstrip().endswith("^p palette"), footer
        assert footer[79:80] in ("", " "), footer


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_footer_at_80_columns_shows_whole_keys_and_the_whole_palette_key(repo: Repository, lang: str) -> None:
    """Where the keys overflow 80 columns, the ones that do not fit whole are left out: a key cut
    at the palette key's edge showed a stray letter ("r Rel", "6"), and the keys hidden beneath
    it split its Chinese description ("^p   令")."""
    write_account(repo, "wide", WIDE)
    footers: dict[str, tuple[str, list[str]]] = {}

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        async def look(where: str, *keys: str) -> None:
            await pilot.press(*keys)
            await settle(pilot)
            shown = [b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show]
            footers[where] = (terminal_cells(app).splitlines()[-1], shown)

        await look("list")
        for tab in "123456":
            await look(f"account {tab}", *(["enter"] if tab == "1" else []), tab)
        await look("changes", "escape", "C")
        await look("reviews", "escape", "R")
        await look("charts", "escape", "P")

    with in_language(lang):
        run_app(repo.root, scenario, (80, 24))
        palette = "^p " + _("palette")
    for where, (footer, descriptions) in footers.items():
        keys, edge, right = footer.partition("▏")
        assert edge and right.strip() == palette, (where, footer)
        assert keys.rstrip().endswith(tuple(descriptions)), (where, footer)
