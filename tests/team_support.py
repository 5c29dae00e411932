"""Two clones of one bare remote, both set up with `kam setup`, for the team tests (CLI and TUI):
one account, `sanjiang`, that both people edit and commit."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from kam_tui.store.init import init_repository
from conftest import Result, commit_all

ACCOUNT = """# Sanjiang: our oldest account
id: sanjiang
name: Sanjiang Auto
stage: active
ratings: {capital: 3, network: 3, logistics: 4}
visits:
  - date: 2026-11-01
    by: li
    summary: kick-off
"""


def person_git(root: Path, *args: str) -> str:
    """git with kam's hooks on, as a person in their clone."""
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def make_clones(tmp_path: Path, kam: Callable[..., Result]) -> tuple[Path, Path]:
    """(wang's clone, li's clone), both set up, sharing a bare remote that holds one account."""
    first = init_repository(tmp_path / "first")
    (first / "accounts" / "sanjiang.yaml").write_text(ACCOUNT, encoding="utf-8")
    commit_all(first, "Add sanjiang")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(first), str(remote)], check=True)
    out = []
    for name in ("wang", "li"):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
        person_git(clone, "config", "user.name", name)
        person_git(clone, "config", "user.email", f"{name}@example.com")
        assert kam("--repo", str(clone), "setup").code == 0
        out.append(clone)
    return out[0], out[1]


def edit(clone: Path, old: str, new: str, message: str) -> None:
    path = clone / "accounts" / "sanjiang.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    person_git(clone, "commit", "-qam", message)


def edit_and_sync(clone: Path, kam: Callable[..., Result], old: str, new: str, message: str) -> None:
    """`edit`, then `kam sync`, which must succeed: the edit is on the remote for the other clone."""
    edit(clone, old, new, message)
    synced = kam("--repo", str(clone), "sync")
    assert synced.code == 0, synced.err


def account(clone: Path) -> str:
    return (clone / "accounts" / "sanjiang.yaml").read_text(encoding="utf-8")
