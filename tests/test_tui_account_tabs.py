"""The account screen's Periods and Activity tabs over the demo: sales against sell-through and
the margin as sparklines readable at 80 columns, targets with their achievement; visits,
complaints with response times, surveys and actions, newest first."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import run_app, settle, screen_text

from kam_tui.tui.app import KamApp
from kam_tui.tui.widgets.period_charts import achievement_bar, sparkline


def _append(demo: Path, account: str, text: str) -> None:
    with (demo / "accounts" / f"{account}.yaml").open("a", encoding="utf-8") as file:
        file.write(text)


def _open(account: str, tab: str):  # type: ignore[no-untyped-def]
    async def opened(app: KamApp, pilot: Pilot[int]) -> None:
        app.screen.open_account(account)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press(tab)
        await settle(pilot)

    return opened


def test_sparklines_scale_between_lowest_and_highest() -> None:
    assert sparkline([1.0, None, 5.0, 3.0], 1.0, 5.0) == "▁·█▅"
    assert sparkline([2.0, 2.0], 2.0, 2.0, cells=2) == "▅▅▅▅"
    assert achievement_bar(0.5).plain == "████░░░░  50%"
    assert achievement_bar(1.3).plain == "████████ 130%"
    assert achievement_bar(None).plain == "not yet"  # no sales on file for the period yet


def test_periods_tab_charts_the_fake_big_account_at_80_columns(demo: Path) -> None:
    _append(
        demo,
        "jinding-trading",
        "targets:\n  2026-Q3:\n    sales: 4000000\n    gross_margin: 0.1\n  2027:\n    sales: 9000000\n",
    )

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _open("jinding-trading", "3")(app, pilot)
        text = screen_text(app)
        assert "Quarter by quarter  2024-Q4 … 2026-Q3 · 8 quarters" in text
        assert "sales         ▄▄▄▄▄▄▆▆▆▆▆▆▇▇▇▇▇▇██████  latest 3,020,000 · peak 3,020,000" in text
        assert "sell-through  ▂▂▂▂▂▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁  latest 1,200,000 · 40% of sales" in text
        assert "margin        ███▇▇▇▅▅▅▄▄▄▃▃▃▂▂▂▂▂▂▁▁▁  latest 8.3% · range 8.3% – 11.0%" in text
        assert "2026-Q3  4,000,000  3,020,000  ██████░░  76%     1,200,000   8.3% / 10.0%" in text
        assert "2027     9,000,000          —  not yet                   —          — / —" in text
        assert "2025-Q1" in text  # the figures' table is still there, below

    run_app(demo, scenario, size=(80, 40))


def test_activity_tab_lists_items_newest_first_with_their_numbers(demo: Path) -> None:
    _append(
        demo,
        "cascade-medical",
        "actions:\n  - what: Send the QA report\n    owner: sarah\n    opened: 2026-10-20\n    due: 2026-11-10\n"
        "  - what: Credit note for PO 55812\n    opened: 2026-11-03\n    due: 2026-11-20\n    status: done\n",
    )
    path = demo / "accounts" / "cascade-medical.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "  - opened: 2026-10-14\n", "  - opened: 2026-10-14\n    answered: 2026-10-16\n"
        ),
        "utf-8",
    )

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await _open("cascade-medical", "4")(app, pilot)
        await pilot.press("end")
        text = screen_text(app)
        assert "#             OPENED      RESPONSE       CLOSED" in text
        lines = [line.strip() for line in text.splitlines()]
        complaints = [line for line in lines if line.startswith("complaints.")]
        assert [line[:53].split() for line in complaints] == [  # newest first, each with its number
            ["complaints.3", "2026-11-02", "no", "answer", "yet", "open"],
            ["complaints.2", "2026-10-14", "2", "d", "open"],  # dates only: whole days
            ["complaints.1", "2026-09-29", "—", "2026-10-06"],
        ]
        actions = [line for line in lines if line.startswith("actions.")]
        assert actions[0].split()[:6] == ["actions.2", "2026-11-03", "2026-11-20", "sarah", "done", "Credit"]
        assert actions[1].split()[:6] == ["actions.1", "2026-10-20", "2026-11-10", "sarah", "open", "Send"]
        visits = [line.split()[0] for line in lines if line.startswith("visits.")]
        assert visits and visits == [f"visits.{n}" for n in range(len(visits), 0, -1)]
        surveys = [line.split()[0] for line in lines if line.startswith("surveys.")]
        assert surveys == [f"surveys.{n}" for n in range(len(surveys), 0, -1)]

    run_app(demo, scenario, size=(120, 80))
