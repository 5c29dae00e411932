"""A shallow clone's history is cut: `kam history` and checklist history say so instead of
showing the first fetched commit as if it had made everything."""

from __future__ import annotations

from pathlib import Path

from conftest import git, write_account
from kam_tui.store.repository import Repository


def _shallow_clone(repo: Repository, kam, tmp_path: Path, depth: int) -> Path:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: ACME\nowner: wang\n")
    assert kam("--repo", str(repo.root), "attach", "acme", "development").code == 0
    for number in ("1", "2", "3"):
        assert kam("--repo", str(repo.root), "check", "acme", "development", number).code == 0
    assert kam("--repo", str(repo.root), "set", "acme", "owner=li").code == 0
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"--depth={depth}", f"file://{repo.root}", str(clone))
    return clone


def test_history_says_it_is_cut_at_the_shallow_boundary(repo: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clone = _shallow_clone(repo, kam, tmp_path, 2)
    result = kam("--repo", str(clone), "history", "acme")
    assert result.code == 0
    assert "the history is cut at the shallow boundary" in result.err
    ticks = kam("--repo", str(clone), "checklist", "acme", "development", "--history")
    assert "the history is cut at the shallow boundary" in ticks.err


def test_a_whole_history_says_nothing(repo: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clone = _shallow_clone(repo, kam, tmp_path, 50)
    assert "shallow" not in kam("--repo", str(clone), "history", "acme").err
    assert "shallow" not in kam("--repo", str(clone), "checklist", "acme", "development", "--history").err
