"""`kam_version:` in kam.yaml names the lowest kam the team uses: an older kam refuses to
write and says to upgrade, so it never mishandles fields it does not know."""

from __future__ import annotations

from conftest import git

from kam_tui.model.version import parse_requirement, too_old
from kam_tui.store.repository import Repository


def _require(repo: Repository, requirement: str) -> None:
    path = repo.root / "kam.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f'kam_version: "{requirement}"\n', encoding="utf-8")
    git(repo.root, "commit", "-qam", "the team's kam")


def test_an_older_kam_refuses_to_write_and_says_to_upgrade(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _require(repo, ">=99.1")
    before = git(repo.root, "rev-parse", "HEAD")
    result = kam("new", "a", "--name", "A", cwd=repo.root)
    assert result.code == 2
    assert "kam.yaml asks for kam >=99.1, and this is kam" in result.err and "upgrade kam" in result.err
    assert git(repo.root, "rev-parse", "HEAD") == before and not (repo.root / "accounts" / "a.yaml").exists()
    assert kam("list", cwd=repo.root).code == 0  # reading still works


def test_a_kam_new_enough_writes(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _require(repo, ">=0.1")
    assert kam("new", "a", "--name", "A", cwd=repo.root).code == 0


def test_a_requirement_kam_cannot_read_is_a_validation_error(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _require(repo, "latest please")
    result = kam("validate", cwd=repo.root)
    assert result.code == 1
    assert "kam.yaml:" in result.out and "kam_version: 'latest please' is not a version requirement" in result.out


def test_version_requirements() -> None:
    assert parse_requirement(">=0.3") == (0, 3) and parse_requirement("1.2.3") == (1, 2, 3)
    assert parse_requirement("<0.3") is None and parse_requirement(True) is None
    assert too_old("0.1.0", (0, 3)) and not too_old("0.3.0", (0, 3)) and not too_old("1.0.0", (0, 3))
