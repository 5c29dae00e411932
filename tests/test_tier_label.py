"""One tier label everywhere: the effective tier, `*` whenever a tier_override is set (also when it
equals the computed tier), and `(computed B)` where there is room and the computed tier differs.
Every front end (kam list, kam score, kam show, kam assess, the TUI) derives it from one rule."""

from __future__ import annotations

import asyncio
import json

import pytest

from kam_tui.model.summary import AccountSummary, ListRow, ScoreSummary, tier_label
from kam_tui.store.repository import Repository
from kam_tui.tui.app import make_app
from kam_tui.tui.widgets.account_panes import score_line
from kam_tui.tui.widgets.virtual_table import VirtualTable

from conftest import write_account

DAY = "2026-11-28"
DATA = (
    "since: 2016-01-01\nstrategic: true\n"
    "ratings: {capital: 4, network: 4, logistics: 4, relations: 4, staff: 4, vision: 4, management: 4, marketing: 4,"
    " credit: 4}\n"
    "periods:\n  2026-Q3: {sales: 2000000, gross_margin: 0.15, orders: 3}\n"
)


@pytest.mark.parametrize(
    ("tier", "computed", "overridden", "short", "long"),
    [
        ("A", "A", False, "A", "A"),
        ("A", "A", True, "A*", "A*"),  # an override equal to the computed tier is still marked
        ("A", "B", True, "A*", "A* (computed B)"),
        ("C", None, True, "C*", "C*"),  # overridden, too little data to compute
        (None, None, False, "–", "–"),
    ],
)
def test_the_rule(tier: str | None, computed: str | None, overridden: bool, short: str, long: str) -> None:
    assert tier_label(tier, computed, overridden) == short
    assert tier_label(tier, computed, overridden, long=True) == long
    summary = ScoreSummary(50.0, tier, computed, (), tier if overridden else None)
    assert summary.tier_label() == short and summary.tier_label(long=True) == long


def test_a_list_row_keeps_the_json_keys() -> None:
    row = ListRow(AccountSummary("x", "X", tier_override="A"), ScoreSummary(71.5, "A", "B", ("margin",), "A"))
    assert list(row.as_json()) == [
        "id",
        "name",
        "stage",
        "owner",
        "region",
        "industry",
        "payment_terms",
        "tier_override",
        "score",
        "tier",
        "computed_tier",
        "risks",
    ]
    assert row.as_json()["risks"] == ["margin"] and row.tier_label() == "A*"
    assert ListRow(AccountSummary("y", "Y"), None).as_json()["tier"] is None


@pytest.fixture
def three(repo: Repository, kam) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """same: overridden to its own computed tier; other: overridden to another; plain: none.
    Returns each account's computed tier."""
    for account_id in ("same", "other", "plain"):
        write_account(repo, account_id, f"id: {account_id}\nname: {account_id.title()}\n{DATA}")
    scores = json.loads(kam("--repo", str(repo.root), "score", "--json", "--today", DAY).out)
    computed = {s["id"]: s["computed_tier"] for s in scores}
    assert set(computed.values()) <= {"A", "B", "C"} and None not in computed.values()
    other = "C" if computed["other"] != "C" else "A"
    for account_id, tier in (("same", computed["same"]), ("other", other)):
        path = repo.accounts_dir / f"{account_id}.yaml"
        path.write_text(path.read_text() + f"tier_override: {{tier: {tier}, reason: decided}}\n")
    return computed


def _cell(table: str, account_id: str, column: str) -> str:
    lines = table.splitlines()
    start = lines[0].index(column)
    row = next(line for line in lines if line.startswith(account_id + " "))
    return row[start:].split("  ")[0].strip()


def test_list_and_score_tables_agree(repo: Repository, kam, three: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    listed = kam("--repo", str(repo.root), "list").out
    scored = kam("--repo", str(repo.root), "score", "--today", DAY).out
    other = "C" if three["other"] != "C" else "A"
    assert _cell(listed, "same", "TIER") == f"{three['same']}*"
    assert _cell(listed, "other", "TIER") == f"{other}*"
    assert _cell(listed, "plain", "TIER") == three["plain"]
    assert _cell(scored, "same", "TIER") == f"{three['same']}*"
    assert _cell(scored, "other", "TIER") == f"{other}* (computed {three['other']})"
    assert _cell(scored, "plain", "TIER") == three["plain"]


def test_show_score_and_assess_say_the_computed_tier(repo: Repository, kam, three: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    other = "C" if three["other"] != "C" else "A"
    long = f"{other}* (computed {three['other']})"
    shown = kam("--repo", str(repo.root), "show", "other").out
    assert f"\ntier          {long} · score " in shown
    assert f"tier {long} ·" in kam("--repo", str(repo.root), "score", "other", "--today", DAY).out
    assert f"tier {long} ·" in kam("--repo", str(repo.root), "assess", "other", "--today", DAY).out
    same = kam("--repo", str(repo.root), "show", "same").out
    assert f"\ntier          {three['same']}* · score " in same


def test_show_without_valid_settings_still_shows_the_account(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "plain", "id: plain\nname: Plain\n")
    (repo.root / "kam.yaml").write_text("tiers: {A: 10, B: 20}\n")
    result = kam("--repo", str(repo.root), "show", "plain")
    assert result.code == 0 and result.out.startswith("Plain  (plain)")
    assert "no score or tier: kam.yaml has errors" in result.err


def test_the_tui_overview_says_the_same() -> None:
    assert "Tier A* (computed B)" in score_line(ScoreSummary(61.0, "A", "B", (), "A")).plain
    assert "Tier B*  " in score_line(ScoreSummary(61.0, "B", "B", (), "B")).plain


def test_the_tui_table_agrees_with_kam_list(repo: Repository, kam, three: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    listed = kam("--repo", str(repo.root), "list").out
    app = make_app(repo.root)
    shown: dict[str, str] = {}

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(4):
                await app.workers.wait_for_complete()
                await pilot.pause()
            rows = app.screen.query_one("#accounts-table", VirtualTable)
            for account_id in ("same", "other", "plain"):
                cells = rows.row(account_id)
                assert cells is not None
                shown[account_id] = str(cells[[column.key for column in rows.columns].index("tier")])

    asyncio.run(main())
    assert shown == {account_id: _cell(listed, account_id, "TIER") for account_id in ("same", "other", "plain")}
    assert shown["same"].endswith("*") and not shown["plain"].endswith("*")
