"""A killed save leaves the old file or the new one; concurrent writers lose no commit."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from conftest import commit_count, git, write_account
from kam_tui.store.repository import Repository

SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kam_tui.store.atomic import write_atomic
    path, a, b = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()
    print("ready", flush=True)
    while True:
        write_atomic(path, b)
        write_atomic(path, a)
""")


def test_killing_a_save_at_random_moments_never_leaves_half_a_file(tmp_path: Path) -> None:
    old = b"id: acme\nname: ACME\nnotes: |\n" + b"  old line of notes\n" * 20_000
    new = b"id: acme\nname: ACME\nnotes: |\n" + b"  new, longer line of notes\n" * 30_000
    (tmp_path / "a").write_bytes(old)
    (tmp_path / "b").write_bytes(new)
    target = tmp_path / "accounts" / "acme.yaml"
    target.parent.mkdir()
    target.write_bytes(old)
    rng = random.Random(20261128)
    for kill in range(1, 61):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(target), str(tmp_path / "a"), str(tmp_path / "b")], stdout=subprocess.PIPE
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_bytes()
        assert content in (old, new), f"torn file after kill {kill}: {len(content)} bytes"


CONCURRENT = textwrap.dedent("""
    import sys
    from kam_tui.cli import main
    root, field, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(25):
        code = main(["--repo", root, "set", "acme", f"{field}={start + i}"])
        if code != 0:
            sys.exit(code)
""")


def test_two_processes_making_25_edits_each_lose_no_commit(repo: Repository) -> None:
    write_account(repo, "acme", "id: acme\nname: ACME\ncredit_limit: 0\nperiods:\n  2026-Q3: {sales: 0}\n")
    before = commit_count(repo.root)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, str(repo.root), field, "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for field in ("credit_limit", "periods.2026-Q3.sales")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    assert commit_count(repo.root) == before + 50
    subjects = git(repo.root, "log", f"-{50}", "--format=%s").splitlines()
    assert sum("credit_limit" in s for s in subjects) == 25
    assert sum("periods.2026-Q3.sales" in s for s in subjects) == 25
    fsck = subprocess.run(["git", "-C", str(repo.root), "fsck", "--strict"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    text = (repo.accounts_dir / "acme.yaml").read_text()
    assert "credit_limit: 25\n" in text and "{sales: 25}" in text
    assert git(repo.root, "status", "--porcelain") == ""
