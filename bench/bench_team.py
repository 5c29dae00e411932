"""Team-work speed budgets, as git and a person meet them: whole processes, medians.

    python bench/bench_team.py [--runs 7]

- the merge driver on one account file (git runs it once per file both sides changed): ≤ 0.3 s
- `kam sync` with nothing to do, against a bare remote on the same disk: ≤ 1 s plus the network
- the pre-commit hook (`kam validate --staged`) on one staged account file: ≤ 0.3 s
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kam_tui.store.init import init_repository  # noqa: E402

KAM = [sys.executable, "-m", "kam_tui"]
BUDGETS = {"merge driver, one account file": 0.3, "sync, nothing to do": 1.0, "pre-commit hook, one staged file": 0.3}

ACCOUNT = """# a key account with the usual history
id: acme
name: Acme Trading
stage: active
owner: wang
team: [wang, li]
ratings: {capital: 3, network: 3, logistics: 4, relations: 4, staff: 3, vision: 3, management: 3, marketing: 3}
periods:
{periods}
visits:
{visits}
"""


def _account() -> str:
    periods = "\n".join(
        f"  {year}-Q{q}: {{sales: {100000 * q}, gross_margin: 0.12, orders: 3, receivables: 5000, overdue: 0}}"
        for year in range(2020, 2027)
        for q in range(1, 5)
    )
    visits = "\n".join(
        f"  - date: 2026-{month:02d}-{day:02d}\n    by: li\n    summary: visit {month}-{day}"
        for month in range(1, 12)
        for day in (3, 17)
    )
    return ACCOUNT.replace("{periods}", periods).replace("{visits}", visits)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def median(runs: int, setup, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kam-bench-team-") as tmp:
        folder = Path(tmp)
        base = _account()
        ours = base.replace("capital: 3", "capital: 4").replace(
            "    summary: visit 11-17",
            "    summary: visit 11-17\n  - date: 2026-11-20\n    by: wang\n    summary: ours",
        )
        theirs = base.replace("network: 3", "network: 5").replace("2026-Q4: {sales: 400000", "2026-Q4: {sales: 410000")
        theirs += "  - date: 2026-11-25\n    by: zhao\n    summary: theirs\n"
        files = {name: folder / name for name in ("base", "ours", "theirs")}

        def write_three() -> None:
            for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
                files[name].write_text(text, encoding="utf-8")

        def run_driver() -> None:
            subprocess.run(
                [
                    *KAM,
                    "merge-driver",
                    str(files["base"]),
                    str(files["ours"]),
                    str(files["theirs"]),
                    "accounts/acme.yaml",
                ],
                check=True,
                capture_output=True,
            )

        results["merge driver, one account file"] = median(runs, write_three, run_driver)

        root = init_repository(folder / "work")
        (root / "accounts" / "acme.yaml").write_text(base, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "-c", "core.hooksPath=/dev/null", "commit", "-qm", "acme")
        remote = folder / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
        git(root, "remote", "add", "origin", str(remote))
        git(root, "push", "-q", "-u", "origin", "HEAD")

        def sync() -> None:
            subprocess.run([*KAM, "--repo", str(root), "sync"], check=True, capture_output=True)

        results["sync, nothing to do"] = median(runs, lambda: None, sync)

        def stage() -> None:
            path = root / "accounts" / "acme.yaml"
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("owner: wang", "owner: li" if "owner: wang" in text else "owner: wang"))
            git(root, "add", "accounts/acme.yaml")

        def hook() -> None:
            subprocess.run([*KAM, "--repo", str(root), "validate", "--staged"], check=True, capture_output=True)

        results["pre-commit hook, one staged file"] = median(runs, stage, hook)
    print(f"{'measure':<36} {'median s':>9} {'budget':>7}")
    for name, seconds in results.items():
        print(f"{name:<36} {seconds:>9.3f} {BUDGETS[name]:>7.1f}")


if __name__ == "__main__":
    main()
