"""Interrupt, kill and fill the disk under `kam` saves at random moments; count what is left.

Each round runs one real `kam` process (`set`, `new`, or a tick) and disrupts it: Ctrl-C to its
process group, SIGTERM, SIGKILL, a disk with little room left (a small tmpfs, when run as root),
or nothing. A post-commit hook that sleeps a moment is switched on at random, to widen the window
between git's commit and kam's exit. After each round the loop counts files differing from HEAD:

- after a reported success (exit 0) there must be none, and HEAD must hold the change;
- after a reported failure (exit 2) there must be none, and HEAD must not have moved;
- after SIGKILL (nothing reported) the file must be whole: the old bytes or the new ones.

    python bench/save_loop.py                 # 200 rounds, a summary
    python bench/save_loop.py --rounds 12 --json

Exit 0 when every count that must be zero is zero.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ACME = "id: acme\nname: ACME\nowner: wang\nstage: active\n"
DISRUPTIONS = ("sigint", "sigterm", "sigkill", "disk-full", "none")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def differing(root: Path) -> list[str]:
    """Files that differ from HEAD, in the work tree or the index (untracked ones too)."""
    out = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    return [entry[3:] for entry in out.split("\0") if len(entry) > 3]


def mount_small_disk(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def make_repository(root: Path, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kam_tui", "init", str(root)], env=env, check=True, capture_output=True)
    (root / "accounts" / "acme.yaml").write_text(ACME)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "acme")
    subprocess.run(
        [sys.executable, "-m", "kam_tui", "--repo", str(root), "attach", "acme", "maintenance"],
        env=env,
        check=True,
        capture_output=True,
    )


def set_hook(root: Path, sleep: float | None) -> None:
    hooks = Path(git(root, "rev-parse", "--path-format=absolute", "--git-path", "hooks").strip())
    hook = hooks / "post-commit"
    if sleep is None:
        hook.unlink(missing_ok=True)
        return
    hook.write_text(f"#!/bin/sh\nsleep {sleep}\n")
    hook.chmod(0o755)


def fill(disk: Path, free_bytes: int) -> None:
    """Leave about `free_bytes` free on the small disk."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    stat = os.statvfs(disk)
    spare = stat.f_bavail * stat.f_frsize - free_bytes
    if spare > 0:
        with open(filler, "wb") as handle:
            handle.truncate(0)
            handle.write(b"\0" * spare)


def command(rng: random.Random, round_no: int, big: bool) -> tuple[list[str], str]:
    """A kam command and the file it writes."""
    kind = rng.choice(("set", "set", "new", "check"))
    if kind == "new":
        return ["new", f"n{round_no}", "--name", f"New {round_no}"], f"accounts/n{round_no}.yaml"
    if kind == "check":
        return ["check", "acme", "maintenance", str(rng.randint(1, 6))], "checklists/acme/maintenance.md"
    value = os.urandom(60_000).hex() if big else f"owner{round_no}"
    return ["set", "acme", f"notes={value}" if big else f"owner={value}"], "accounts/acme.yaml"


def run_round(root: Path, disk: Path | None, rng: random.Random, round_no: int, env: dict[str, str]) -> str:
    """One disrupted save; the outcome's name (a key of the summary)."""
    disruption = rng.choice(DISRUPTIONS if disk is not None else DISRUPTIONS[:3] + DISRUPTIONS[4:])
    set_hook(root, rng.choice((None, 0.05, 0.3)))
    big = disruption == "disk-full"
    if disk is not None:
        fill(disk, rng.randint(0, 400_000) if big else 4_000_000)
    args, rel = command(rng, round_no, big)
    path = root / rel
    old = path.read_bytes() if path.exists() else None
    before = head(root)
    killed = disruption in ("sigint", "sigterm", "sigkill")
    new = saved_by(root, args, rel, env) if killed else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "kam_tui", "--repo", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    if killed:
        time.sleep(rng.uniform(0.0, 1.2))
        with_signal = {"sigint": signal.SIGINT, "sigterm": signal.SIGTERM, "sigkill": signal.SIGKILL}[disruption]
        try:
            if disruption == "sigterm":
                os.kill(proc.pid, with_signal)
            else:
                os.killpg(proc.pid, with_signal)
        except ProcessLookupError:
            pass
    _out, err = proc.communicate(timeout=120)
    if disk is not None:
        (disk / "filler").unlink(missing_ok=True)  # room for the checks below (git status writes too)
    # killed by the signal itself (SIGINT too, when it lands before Python's own handler is installed at start-up)
    if proc.returncode in (-signal.SIGKILL, -signal.SIGTERM, -signal.SIGINT):
        return after_kill(root, path, (old, new))
    left = differing(root)
    moved = head(root) != before
    if proc.returncode == 0:
        if left:
            return "DIFFERING after success"
        return "success, interrupted afterwards" if "interrupted afterwards" in err else "success"
    if proc.returncode == 2:
        if left:
            return "DIFFERING after failure"
        if moved:
            return "HEAD MOVED after failure"
        return "refused (disk full)" if "disk full" in err else ("interrupted" if "interrupted" in err else "refused")
    return f"UNEXPECTED exit {proc.returncode}: {err.strip()[:200]}"


def saved_by(root: Path, args: list[str], rel: str, env: dict[str, str]) -> bytes | None:
    """The bytes the command writes when nothing stops it: run it on a copy of the repository
    (outside the small disk), so a kill after the file was replaced but before the commit can be
    told from a torn file."""
    twin = Path(tempfile.mkdtemp(prefix="kam-save-twin-")) / "repo"  # off the small disk
    shutil.copytree(root, twin, symlinks=True)
    subprocess.run([sys.executable, "-m", "kam_tui", "--repo", str(twin), *args], capture_output=True, env=env)
    path = twin / rel
    try:
        return path.read_bytes() if path.exists() else None
    finally:
        shutil.rmtree(twin.parent, ignore_errors=True)


def after_kill(root: Path, path: Path, expected: tuple[bytes | None, bytes | None]) -> str:
    """SIGKILL reports nothing: the file must be whole — the old bytes, the committed ones, or the
    new ones the save writes (replaced, not yet committed). Then tidy up as a person would."""
    tree = Path(git(root, "rev-parse", "--absolute-git-dir").strip())
    for lock in (tree / "index.lock", tree / "HEAD.lock"):
        lock.unlink(missing_ok=True)  # the process group is dead: no git is running
    now = path.read_bytes() if path.exists() else None
    committed = subprocess.run(
        ["git", "-C", str(root), "cat-file", "blob", f"HEAD:{path.relative_to(root).as_posix()}"], capture_output=True
    )
    whole = now in (*expected, committed.stdout if committed.returncode == 0 else None)
    git(root, "reset", "-q", "--hard")
    git(root, "clean", "-qfd")
    return "killed, file whole" if whole else "TORN after kill"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "KAM_AUTHOR": "Loop <loop@example.com>"}
    work = Path(tempfile.mkdtemp(prefix="kam-save-loop-"))
    disk = work / "disk"
    mounted = mount_small_disk(disk)
    try:
        root = (disk if mounted else work) / "repo"
        make_repository(root, env)
        outcomes: Counter[str] = Counter()
        for round_no in range(args.rounds):
            outcomes[run_round(root, disk if mounted else None, rng, round_no, env)] += 1
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    bad = sum(n for outcome, n in outcomes.items() if outcome.split()[0].isupper())
    summary = {"rounds": args.rounds, "small_disk": mounted, "bad": bad, "outcomes": dict(sorted(outcomes.items()))}
    if args.json:
        print(json.dumps(summary))
    else:
        for outcome, count in sorted(outcomes.items()):
            print(f"{count:5}  {outcome}")
        print(f"{bad} round(s) left the work tree disagreeing with what kam reported")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
