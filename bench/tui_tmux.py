"""The TUI's speed as a person sees it: the app in a tmux pane, the screen polled every 20 ms.

    python bench/tui_tmux.py DIR [--runs 3] [--size 160x48]

DIR is a kam repository (e.g. `python bench/generate.py 10000 /tmp/kam-10k`). Each run starts
`kam --repo DIR tui` in a fresh tmux session and times, from the moment the keys are sent to the
first poll that shows the changed screen:

- launch: to the first account rows on screen (run once before to warm the caches);
- slash: `/`, to the filter focused (its keys in the footer);
- filter keystroke: each key of a broad then a narrowing query, to the status line's new count;
- sort: `O` then `o` on the marked column, to the indicator in the status line;
- open: Enter on a row, to the account's score line on screen;
- score tab: from the same Enter, `2` sent once the account is shown, to its Score tab on screen.

The keystrokes start once the account index is in (the portfolio line counts "open actions
overdue"; the filter's placeholder also says `due:overdue`, which an earlier version of this
harness waited for, so it typed while the scores were still loading), so `kind:`/`due:`/notes
searches and the header are measured as a person meets them after launch.

Prints the median of each over the runs. Needs tmux; leaves no session behind.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.02
TIMEOUT = 30.0
SESSION = "kam-bench-tui"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(test: Callable[[str], bool], since: float) -> float:
    """Seconds from `since` to the first poll whose screen passes `test`."""
    while True:
        text = screen()
        now = time.perf_counter()
        if test(text):
            return now - since
        if now - since > TIMEOUT:
            raise TimeoutError(f"screen never changed as expected; last screen:\n{text}")
        time.sleep(POLL)


def status(text: str) -> str:
    """The status line (the line above the footer)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-2] if len(lines) >= 2 else ""


def press(key: str, literal: bool = False) -> float:
    start = time.perf_counter()
    tmux("send-keys", "-t", SESSION, *(["-l", key] if literal else [key]))
    return start


def one_run(root: Path, size: tuple[int, int]) -> dict[str, list[float]]:
    kam = shutil.which("kam") or str(Path(sys.executable).with_name("kam"))
    times: dict[str, list[float]] = {
        "launch": [],
        "slash": [],
        "keystroke": [],
        "sort": [],
        "open": [],
        "score tab": [],
    }
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", SESSION, "-x", str(size[0]), "-y", str(size[1]), kam, "--repo", str(root), "tui")
    try:
        times["launch"].append(wait_for(lambda s: re.search(r"acct-0000\d\d", s) is not None, start))
        wait_for(lambda s: "scoring" not in status(s) and "accounts" in status(s), start)
        wait_for(lambda s: "open action" in s, start)  # the account index (kind:, due:, notes) is in
        sent = press("/")
        times["slash"].append(wait_for(lambda s: "Clear filter" in s, sent))  # the filter has the keys
        for key in ("e", "BSpace", "1", "2", "3", "BSpace", "BSpace", "BSpace"):
            before = status(screen())
            sent = press(key, literal=len(key) == 1)
            times["keystroke"].append(wait_for(lambda s, b=before: status(s) != b, sent))
        press("Escape")  # clears the filter and puts the keys in the table
        wait_for(lambda s: "o Sort" in s, time.perf_counter())  # the table's keys in the footer
        for key, mark in (("O", "▼"), ("o", "▲")):
            sent = press(key, literal=True)
            times["sort"].append(wait_for(lambda s, m=mark: f"NAME {m}" in status(s), sent))
        for _ in range(2):
            sent = press("Enter")
            times["open"].append(wait_for(lambda s: re.search(r"Score [\d–]", s) is not None, sent))
            press("2", literal=True)
            times["score tab"].append(wait_for(lambda s: "Keep or cut?" in s, sent))
            press("Escape")
            wait_for(lambda s: "NAME" in s, time.perf_counter())
        press("q", literal=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="160x48")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    one_run(args.dir, (width, height))  # warm the caches
    merged: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, values in one_run(args.dir, (width, height)).items():
            merged.setdefault(name, []).extend(values)
    for name, values in merged.items():
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        print(f"{name:10} median {median:6.0f} ms   max {worst:6.0f} ms   n={len(values)}")


if __name__ == "__main__":
    main()
