"""Shared by the checklist tests: accounts, the author, one commit's diff, an account mid-exit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, git, write_account
from kam_tui.store.repository import Repository

TODAY = dt.date.today().isoformat()
FAKE = "id: acme-motors\nname: Acme Motors\nstage: at-risk\nnetwork_held: 0.2\nowner: wang\n"
HELD = "id: acme-motors\nname: Acme Motors\nstage: at-risk\nnetwork_held: 0.75\nowner: wang\n"
EXIT = "checklists/acme-motors/staged-exit.md"
Kam = Callable[..., Result]


@pytest.fixture(name="as_wang")
def as_wang_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in (
        ("GIT_AUTHOR_NAME", "wang"),
        ("GIT_AUTHOR_EMAIL", "wang@example.com"),
        ("GIT_COMMITTER_NAME", "wang"),
        ("GIT_COMMITTER_EMAIL", "wang@example.com"),
    ):
        monkeypatch.setenv(var, value)


def as_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    for var in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{var}_NAME", name)
        monkeypatch.setenv(f"{var}_EMAIL", f"{name}@example.com")


def show(root: Path, rev: str = "HEAD") -> tuple[str, list[str], list[str]]:
    """(subject, removed lines, added lines) of one commit, zero context."""
    subject = git(root, "log", "-1", "--format=%s", rev).strip()
    patch = git(root, "show", "--format=", "-U0", rev)
    removed = [x[1:] for x in patch.splitlines() if x.startswith("-") and not x.startswith("---")]
    added = [x[1:] for x in patch.splitlines() if x.startswith("+") and not x.startswith("+++")]
    return subject, removed, added


def changed_files(root: Path, rev: str = "HEAD") -> list[str]:
    return git(root, "show", "--format=", "--name-only", rev).split()


@pytest.fixture(name="exiting")
def exiting_fixture(repo: Repository, kam: Kam, as_wang: None) -> Repository:
    """acme-motors with staged-exit attached (network in hand)."""
    write_account(repo, "acme-motors", HELD)
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit").code == 0
    return repo
