"""Speed budgets, measured as a user meets them: whole `kam` processes, medians of several runs.

    python bench/run.py                 # N = 1,000 and 10,000
    python bench/run.py --sizes 50000   # the big one (takes a few minutes to generate)

Repositories are generated once under bench/out/ (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

KAM = [sys.executable, "-m", "kam_tui"]
BUDGETS = {  # seconds, per the issues
    (10_000, "list warm"): 1.0,
    (10_000, "list cold"): 15.0,
    (10_000, "set + commit"): 0.5,
    (10_000, "history"): 0.5,
    (10_000, "score all (in-process)"): 0.3,
    (10_000, "portfolio warm"): 1.0,
    (10_000, "score --json warm"): 1.5,
    (10_000, "score --json peak MB"): 250,
    (10_000, "score --at HEAD~3, read before"): 2.0,
    (10_000, "score --since HEAD~3, read before"): 2.0,
    (10_000, "list after one set ÷ list warm"): 1.5,
    (10_000, "review status warm"): 1.0,
    (10_000, "review report warm"): 5.0,
    (10_000, "review report of the next period, the last one closed"): 5.0,
    (10_000, "import periods, a row per account, one commit"): 30.0,
    (10_000, "validate one 1 MiB account with a U+0085"): 2.0,
    (50_000, "list warm"): 2.0,
    (50_000, "set + commit"): 1.0,
    (50_000, "portfolio warm"): 4.0,
    (50_000, "list after one set ÷ list warm"): 1.5,
}
ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": str(HERE / "out"),
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "PYTHONPATH": str(HERE.parent),
}


def kam(root: Path, *args: str) -> None:
    subprocess.run([*KAM, "--repo", str(root), *args], check=True, stdout=subprocess.DEVNULL, env=ENV)


def peak_mb(root: Path, *args: str) -> float:
    """The peak resident memory of one whole `kam` process, in MB."""
    code = (
        "import resource, sys\nfrom kam_tui.cli import main\nmain(sys.argv[1:])\n"
        "sys.stderr.write(f'PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "--repo", str(root), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    return int(out.stderr.rsplit("PEAK ", 1)[1].split()[0]) / 1024


def median_of(runs: int, action: Callable[[int], None], before: Callable[[], None] | None = None) -> float:
    times = []
    for i in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def score_all_in_process(root: Path) -> float | None:
    """Scoring alone, over accounts already loaded (the budget is for the scoring, not the reading)."""
    code = f"""
import time, statistics, datetime as dt
from kam_tui.store.repository import Repository
from kam_tui.store.catalog import load_catalog
from kam_tui.model.evaluate import evaluate_facts
repo = Repository.find({str(root)!r})
settings = repo.settings()
facts = load_catalog(repo).facts()
times = []
for _ in range(5):
    t = time.perf_counter()
    evaluate_facts(facts, settings.scoring, dt.date(2026, 11, 28))
    times.append(time.perf_counter() - t)
print(statistics.median(times))
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(HERE.parent), "PATH": "/usr/bin:/bin"},
    )
    text = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "null"
    return json.loads(text)


def bench(n: int, runs: int) -> dict[str, float | None]:
    root = HERE / "out" / f"repo-{n}"
    if not (root / "kam.yaml").exists():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {n:,} accounts …", file=sys.stderr)
        generate(n, root)
    cache = root / ".git" / "kam"
    target = "acct-000042"
    results: dict[str, float | None] = {}
    results["list cold"] = median_of(
        max(1, runs // 2), lambda i: kam(root, "list"), before=lambda: shutil.rmtree(cache, ignore_errors=True)
    )
    kam(root, "list")
    results["list warm"] = median_of(runs, lambda i: kam(root, "list"))
    results["set + commit"] = median_of(runs, lambda i: kam(root, "set", target, f"credit_limit={1000 + i}"))
    subprocess.run(
        ["git", "-C", str(root), "commit-graph", "write", "--reachable", "--changed-paths"],
        check=True,
        capture_output=True,
    )
    results["history"] = median_of(runs, lambda i: kam(root, "history", target))
    results["list after one set ÷ list warm"] = after_set_ratio(root, runs)
    kam(root, "portfolio")
    results["portfolio warm"] = median_of(runs, lambda i: kam(root, "portfolio"))
    kam(root, "score", "--json")
    results["score --json warm"] = median_of(runs, lambda i: kam(root, "score", "--json"))
    results["score --json peak MB"] = peak_mb(root, "score", "--json")
    if n <= 10_000:  # the budgets for time travel are at 10,000
        kam(root, "score", "--at", "HEAD~3")
        results["score --at HEAD~3, read before"] = median_of(runs, lambda i: kam(root, "score", "--at", "HEAD~3"))
        kam(root, "score", "--since", "HEAD~3")
        results["score --since HEAD~3, read before"] = median_of(
            runs, lambda i: kam(root, "score", "--since", "HEAD~3")
        )
    results["score all (in-process)"] = score_all_in_process(root)
    if n <= 10_000:  # the review cycle's budgets are at 10,000
        results.update(review_cycle(root, runs))
    if n == 10_000:  # one file, whatever the size of the portfolio
        results["validate one 1 MiB account with a U+0085"] = hostile_validate(runs)
    return results


def hostile_validate(runs: int) -> float:
    """`kam validate` on the biggest account file kam reads, holding a line break only YAML
    counts (U+0085), so every value's line is worked out again as git counts it."""
    root = HERE / "out" / "hostile"
    shutil.rmtree(root, ignore_errors=True)
    generate(1, root)
    lines = ["id: big", "name: 'a\x85b'", "notes:"]
    while sum(len(line) + 1 for line in lines) < 1000 * 1024:
        lines.append(f"  - k{len(lines)}: v")
    (root / "accounts" / "big.yaml").write_text("\n".join(lines) + "\n")
    check = [*KAM, "--repo", str(root), "validate"]
    return median_of(
        runs,
        lambda i: subprocess.run(check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV),
        before=lambda: shutil.rmtree(root / ".git" / "kam", ignore_errors=True),
    )


def review_cycle(root: Path, runs: int) -> dict[str, float | None]:
    """The quarterly review at full size: status and report on a planned cycle, then a whole
    quarter of figures imported into a copy (the import writes every file)."""
    if not (root / "reviews" / "2026-Q3" / "plan.yaml").exists():
        kam(root, "review", "plan", "2026-Q3")
    out: dict[str, float | None] = {}
    status = [*KAM, "--repo", str(root), "review", "status", "2026-Q3"]
    subprocess.run(status, stdout=subprocess.DEVNULL, env=ENV)  # exit 1 while figures are missing
    out["review status warm"] = median_of(runs, lambda i: subprocess.run(status, stdout=subprocess.DEVNULL, env=ENV))
    kam(root, "review", "report", "2026-Q3")
    out["review report warm"] = median_of(runs, lambda i: kam(root, "review", "report", "2026-Q3"))
    copy = root.with_name(root.name + "-import")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, symlinks=True)
    ids = sorted(p.stem for p in (copy / "accounts").glob("*.yaml"))
    table = copy / "q1.csv"
    rows = [f"{ident},2027-Q1,{100_000 + i},0.18,90000,85000,40000,0" for i, ident in enumerate(ids)]
    table.write_text(
        "id,period,sales,gross_margin,stock_in,sell_through,receivables,overdue\n" + "\n".join(rows) + "\n"
    )
    out["import periods, a row per account, one commit"] = median_of(
        1, lambda i: kam(copy, "import", "periods", str(table), "--today", "2027-04-05")
    )
    # a real cycle: the quarter closed (tagged), the next quarter's reports compare with the tag
    kam(copy, "review", "close", "2026-Q3")
    kam(copy, "review", "report", "2026-Q4")
    out["review report of the next period, the last one closed"] = median_of(
        runs, lambda i: kam(copy, "review", "report", "2026-Q4")
    )
    shutil.rmtree(copy, ignore_errors=True)
    return out


def after_set_ratio(root: Path, runs: int) -> float:
    """The first `kam list` after one `kam set`, as a multiple of a warm `kam list`."""
    kam(root, "list")
    warm = median_of(runs, lambda i: kam(root, "list"))
    after = median_of(
        runs,
        lambda i: kam(root, "list"),
        before=lambda: kam(root, "set", "acct-000007", f"credit_limit={int(time.time() * 1000) % 10**9}"),
    )
    return after / warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores; medians of {args.runs} runs (cold: {max(1, args.runs // 2)})"
    )
    print("| accounts | measure | seconds | budget |\n|---:|---|---:|---:|")
    for n in args.sizes:
        for name, value in bench(n, args.runs).items():
            budget = BUDGETS.get((n, name))
            shown = "n/a" if value is None else f"{value:.3f}"
            verdict = "" if budget is None or value is None else (" ✓" if value <= budget else " ✗ OVER")
            print(f"| {n:,} | {name} | {shown} | {'' if budget is None else budget}{verdict} |", flush=True)


if __name__ == "__main__":
    main()
