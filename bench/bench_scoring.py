"""Scoring speed: score, tier and flag N synthetic accounts (budget: 10,000 in ≤ 0.3 s).

    .venv/bin/python bench/bench_scoring.py [N ...]

Builds realistic Account objects in memory (8 quarters, ratings, visits, surveys, complaints)
and times, as medians of several runs: deriving the facts, scoring them, the whole evaluation
(facts + portfolio totals + score + tier + risks), and the full portfolio view.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from typing import Any

from kam_tui.model.account import Account, Complaint, Period, Survey, TierOverride, Visit
from kam_tui.model.evaluate import evaluate_all, evaluate_facts
from kam_tui.model.facts import account_facts
from kam_tui.model.portfolio import portfolio
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.model.scoring import score_facts

TODAY = dt.date(2026, 12, 1)
KEYS = ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
RATING_NAMES = ("capital", "network", "logistics", "relations", "staff", "vision", "management", "marketing", "credit")


def synthetic(n: int, seed: int = 7) -> list[Account]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        size = rng.lognormvariate(13.5, 1.0)  # quarterly sales, median ~730k
        stuffing = rng.random() < 0.03
        periods = []
        for key in KEYS:
            sales = size * rng.uniform(0.7, 1.3)
            receivables = sales * rng.uniform(0.2, 0.8)
            periods.append(
                Period(
                    key,
                    sales=round(sales),
                    gross_margin=round(rng.uniform(-0.02, 0.3), 3),
                    orders=rng.randint(0, 12),
                    stock_in=round(sales),
                    sell_through=round(sales * (rng.uniform(0.4, 0.6) if stuffing else rng.uniform(0.9, 1.05))),
                    receivables=round(receivables),
                    overdue=round(receivables * rng.uniform(0, 0.3)),
                    owed_to_account=round(sales * rng.uniform(0, 0.1)),
                )
            )
        visits = tuple(Visit(TODAY - dt.timedelta(days=rng.randint(1, 400)), "rep") for _ in range(rng.randint(0, 6)))
        out.append(
            Account(
                id=f"acct-{i:05d}",
                name=f"Account {i}",
                stage=rng.choice(("active", "active", "at-risk", "developing", "exiting")),
                since=TODAY - dt.timedelta(days=rng.randint(30, 6000)),
                region=rng.choice(("east", "west", "north", "south", "华东", "西北")),
                payment_terms=rng.choice(("credit", "partial", "cash")),
                credit_limit=float(rng.choice((0, 300_000, 1_000_000, 3_000_000))),
                strategic=rng.random() < 0.05,
                tier_override=TierOverride("A", "strategic") if rng.random() < 0.02 else None,
                ratings={k: rng.randint(1, 5) for k in RATING_NAMES if rng.random() < 0.9},
                network_held=round(rng.random(), 2) if rng.random() < 0.8 else None,
                periods=tuple(periods),
                visits=tuple(sorted(visits, key=lambda v: v.date)),
                complaints=tuple(
                    Complaint(TODAY - dt.timedelta(days=rng.randint(0, 60)), None if rng.random() < 0.3 else TODAY)
                    for _ in range(rng.randint(0, 2))
                ),
                surveys=tuple(
                    Survey(
                        TODAY - dt.timedelta(days=rng.randint(10, 900)),
                        rng.randint(1, 5),
                        rng.randint(1, 5),
                        rng.randint(1, 5),
                    )
                    for _ in range(rng.randint(0, 2))
                ),
            )
        )
    return out


def median_seconds(fn, runs: int = 9) -> tuple[float, float]:
    """(median wall time, median CPU time): CPU time is what other processes on a busy machine
    cannot inflate."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _rows(accounts: list[Account], facts: list[Any], config: ScoringConfig) -> dict[str, Any]:
    return {
        "facts (account_facts)": lambda: [account_facts(a) for a in accounts],
        "score only (score_facts)": lambda: [score_facts(f, config, TODAY) for f in facts],
        "evaluate from facts": lambda: evaluate_facts(facts, config, TODAY),
        "evaluate_all (facts+score+tier+risks)": lambda: evaluate_all(accounts, config, TODAY),
        "portfolio (+matrix, tier moves)": lambda: portfolio(accounts, config, TODAY),
    }


def main(sizes: list[int]) -> None:
    config = ScoringConfig.default()
    for n in sizes:
        accounts = synthetic(n)
        facts = [account_facts(a) for a in accounts]
        rows = _rows(accounts, facts, config)
        print(f"N = {n:,}")
        print(f"  {'':<40} {'wall':>8}    {'cpu':>8}   (medians of 9 runs)")
        for label, fn in rows.items():
            wall, cpu = median_seconds(fn)
            print(f"  {label:<40} {wall * 1000:8.1f} ms {cpu * 1000:8.1f} ms")
        tiers = [e.tier for e in evaluate_all(accounts, config, TODAY)]
        print(
            f"  tiers: A {tiers.count('A')}, B {tiers.count('B')}, C {tiers.count('C')}, unscored {tiers.count(None)}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000])
