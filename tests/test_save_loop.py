"""The kill/interrupt/disk-full loop (bench/save_loop.py), small enough for CI: after every
reported success and every reported failure no file differs from HEAD; a killed save leaves
whole files. `python bench/save_loop.py --rounds 200` is the bigger run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOOP = Path(__file__).resolve().parents[1] / "bench" / "save_loop.py"


def test_disrupted_saves_never_leave_the_work_tree_disagreeing_with_what_kam_reported() -> None:
    done = subprocess.run(
        [sys.executable, str(LOOP), "--rounds", "12", "--json"], capture_output=True, text=True, timeout=600
    )
    summary = json.loads(done.stdout)
    assert summary["bad"] == 0, summary
    assert done.returncode == 0 and sum(summary["outcomes"].values()) == 12
