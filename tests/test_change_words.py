"""What `kam score --since` says changed in the lists a score reads (visits, surveys, complaints):
counts and the latest entry in words, never Python's reprs of the tuples compared."""

from __future__ import annotations

import datetime as dt

from scoring_support import DAY, samples_fixture  # noqa: F401  (fixture)

from kam_tui.model.change_words import list_change

D = dt.date


def test_items_added_are_counted_with_the_latest() -> None:
    old = [(D(2025, 6, 18), 4, 4, 4)]
    assert list_change("surveys", old, [*old, (D(2026, 6, 22), 4, 4, 3)]) == "1 survey added (latest 2026-06-22: 4/4/3)"
    assert list_change("visits", [], [D(2026, 9, 22), D(2026, 11, 25)]) == "2 visits added (latest 2026-11-25)"
    assert (
        list_change("complaints", [], [(D(2026, 10, 1), D(2026, 10, 3))])
        == "1 complaint added (latest opened 2026-10-01, closed 2026-10-03)"
    )


def test_other_changes_give_the_counts() -> None:
    visits = [D(2025, 2, 20), D(2025, 8, 12), D(2026, 1, 15)]
    assert list_change("visits", visits, visits[:2]) == "visits: 3 → 2 (latest 2025-08-12)"
    assert list_change("complaints", [(D(2026, 10, 1), None)], [(D(2026, 10, 1), D(2026, 10, 9))]) == (
        "complaints: 1 → 1 (latest opened 2026-10-01, closed 2026-10-09)"
    )
    assert list_change("surveys", [(D(2025, 6, 18), 4, 4, 4)], []) == "surveys: 1 → 0"


def test_score_since_prints_no_python_reprs(kam, demo) -> None:  # type: ignore[no-untyped-def]
    root = str(demo.root)
    assert kam("--repo", root, "add", "brightwave-electronics", "visits", "date=2026-11-20", "summary=x").code == 0
    result = kam("--repo", root, "set", "brightwave-electronics", "periods.2026-Q3.sales=9000000")
    assert result.code == 0, result.err
    text = kam("--repo", root, "score", "brightwave-electronics", "--since", "HEAD~2", "--today", DAY).out
    assert "  data  1 visit added (latest 2026-11-20)\n" in text
    assert "datetime" not in text
