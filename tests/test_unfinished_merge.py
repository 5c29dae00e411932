"""A merge that left files unmerged is never read as if it were finished: `kam validate` counts
each unmerged path as an error (exit 1), and every command that reads the repository says so."""

from __future__ import annotations

import subprocess

import pytest

from conftest import git, write_account
from kam_tui.store import gitcmd
from kam_tui.store.repository import Repository

ACME = "id: acme\nname: ACME\nowner: wang\n"


def _merge(repo: Repository, ours: str | None, theirs: str | None) -> None:
    """Branch `other` changes (or deletes) acme one way, main another; then merge other."""
    write_account(repo, "acme", ACME)
    git(repo.root, "checkout", "-qb", "other")
    if theirs is None:
        git(repo.root, "rm", "-q", "accounts/acme.yaml")
        git(repo.root, "commit", "-qm", "drop acme")
    else:
        write_account(repo, "acme", theirs)
    git(repo.root, "checkout", "-q", "main")
    if ours is None:
        git(repo.root, "rm", "-q", "accounts/acme.yaml")
        git(repo.root, "commit", "-qm", "drop acme")
    else:
        write_account(repo, "acme", ours)
    assert subprocess.run(["git", "-C", str(repo.root), "merge", "other"], capture_output=True).returncode != 0


@pytest.mark.parametrize(
    ("ours", "theirs", "how"),
    [
        (ACME.replace("wang", "li"), ACME.replace("wang", "zhao"), "changed on both sides"),
        (ACME.replace("wang", "li"), None, "deleted on the other side"),
        (None, ACME.replace("wang", "zhao"), "deleted on this side"),
    ],
)
def test_validate_counts_unmerged_paths_as_errors(repo: Repository, kam, ours, theirs, how: str) -> None:  # type: ignore[no-untyped-def]
    _merge(repo, ours, theirs)
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 1
    assert f"accounts/acme.yaml: error: unmerged ({how}): a merge is unfinished" in result.out


def test_every_reading_command_says_the_merge_is_unfinished(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _merge(repo, ACME.replace("wang", "li"), None)  # modify/delete: the file itself is clean YAML
    for args in (("show", "acme"), ("list",), ("validate",)):
        result = kam("--repo", str(repo.root), *args)
        assert "a merge is unfinished: 1 file unmerged (accounts/acme.yaml)" in result.err, args


def test_no_note_without_unmerged_paths(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", ACME)
    result = kam("--repo", str(repo.root), "show", "acme")
    assert result.code == 0 and "unfinished" not in result.err


def test_a_clean_index_is_not_asked_again_until_git_rewrites_it(
    repo: Repository, kam, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(repo.root), "list").code == 0  # found clean: remembered
    asked: list[str] = []
    real = gitcmd.unmerged
    monkeypatch.setattr(gitcmd, "unmerged", lambda root: asked.append("git") or real(root))
    assert Repository(repo.root).unmerged() == [] and asked == []
    _merge(repo, ACME.replace("wang", "li"), ACME.replace("wang", "zhao"))  # git rewrites the index
    assert Repository(repo.root).unmerged() == [("accounts/acme.yaml", "changed on both sides")]
    assert asked == ["git"]
    result = kam("--repo", str(repo.root), "list")
    assert "a merge is unfinished: 1 file unmerged (accounts/acme.yaml)" in result.err
