"""The 20/80 figure (L224) has one definition: what each account really sold through in a year, the
volume that earns tier and every share (B1) — the same in `kam portfolio`, the review report and
the TUI's header, so a fake big account's piled-up stock never makes the portfolio look concentrated."""

from __future__ import annotations

import json

import pytest

from conftest import write_account
from kam_tui.store.repository import Repository
from kam_tui.tui.gateway import load_portfolio

QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def _account(ident: str, sales: int, sold: int) -> str:
    periods = "\n".join(f"  {q}: {{sales: {sales}, stock_in: {sales}, sell_through: {sold}}}" for q in QUARTERS)
    return f"id: {ident}\nname: {ident}\nstage: active\nowner: wang\nperiods:\n{periods}\n"


@pytest.fixture
def stuffed(repo: Repository) -> Repository:
    """Five accounts that each sell through 250,000 a quarter; one of them stocks in eight times that."""
    write_account(repo, "stuffer", _account("stuffer", 2_000_000, 250_000))
    for n in range(4):
        write_account(repo, f"plain-{n}", _account(f"plain-{n}", 250_000, 250_000))
    return repo


def test_portfolio_review_and_tui_header_give_one_concentration_of_what_sold_through(  # type: ignore[no-untyped-def]
    stuffed: Repository, kam
) -> None:
    root = str(stuffed.root)
    portfolio = kam("--repo", root, "portfolio", "--json", "--today", "2026-11-30")
    assert portfolio.code == 0, portfolio.err
    report = kam("--repo", root, "review", "report", "2026-Q3", "--format", "json", "--today", "2026-11-30")
    assert report.code == 0, report.err
    expected = {"top20_share": 0.2, "herfindahl": 0.2, "of": "sell_through", "upto": "2026-Q3"}
    # by sell-in the stuffer alone would be 8 M of 12 M: 67 %
    assert json.loads(portfolio.out)["concentration"] == expected
    assert json.loads(report.out)["portfolio"]["concentration"] == expected
    header = load_portfolio(stuffed).concentration
    assert (header.top20_share, header.herfindahl) == pytest.approx((0.2, 0.2))


def test_the_words_say_what_the_figure_is_of_and_its_window(stuffed: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = str(stuffed.root)
    line = "concentration of what sold through (the year to 2026-Q3): the top 20% of accounts give 20% (20/80 rule)"
    portfolio = kam("--repo", root, "portfolio", "--today", "2026-11-30")
    assert portfolio.out.splitlines()[1] == line + "; Herfindahl 0.200"
    report = kam("--repo", root, "review", "report", "2026-Q3", "--today", "2026-11-30")
    assert f"- {line}; Herfindahl 0.200" in report.out.splitlines()
