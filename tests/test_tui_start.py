"""How the TUI starts: plain `kam` opens it for a person at a terminal in a repository, and
prints the usage with exit 2 everywhere else, so a script never hangs in a full-screen app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kam_tui.store.repository import Repository


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The repositories the TUI was opened on (instead of opening it)."""
    import kam_tui.tui.app

    roots: list[Path] = []

    def fake_run_tui(root: Path) -> int:
        roots.append(root)
        return 0

    monkeypatch.setattr(kam_tui.tui.app, "run_tui", fake_run_tui)
    return roots


def _terminal(monkeypatch: pytest.MonkeyPatch, stdin: bool, stdout: bool) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: stdin, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: stdout, raising=False)


def test_plain_kam_at_a_terminal_in_a_repository_opens_the_tui(
    kam, repo: Repository, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _terminal(monkeypatch, True, True)
    result = kam(cwd=repo.root / "accounts")
    assert (result.code, opened) == (0, [repo.root])


@pytest.mark.parametrize(("stdin", "stdout"), [(False, True), (True, False), (False, False)])
def test_plain_kam_without_a_terminal_prints_usage_and_exits_2(
    kam, repo: Repository, opened: list[Path], monkeypatch: pytest.MonkeyPatch, stdin: bool, stdout: bool
) -> None:  # type: ignore[no-untyped-def]
    _terminal(monkeypatch, stdin, stdout)
    result = kam(cwd=repo.root)
    assert result.code == 2 and opened == []
    assert result.out.startswith("usage: kam")


def test_plain_kam_outside_a_repository_prints_usage_and_exits_2(
    kam, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _terminal(monkeypatch, True, True)
    monkeypatch.delenv("KAM_REPO", raising=False)
    result = kam(cwd=tmp_path)
    assert result.code == 2 and opened == []
    assert result.out.startswith("usage: kam")
