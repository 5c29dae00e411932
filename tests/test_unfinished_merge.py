"""A merge that left files unmerged is never read as if it were finished: `kam validate` counts
each unmerged path as an error (exit 1), and every command that reads the repository says so."""

from __future__ import annotations

import hashlib
import os
import subprocess
import struct
from pathlib import Path

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


def test_a_write_during_a_merge_is_refused_with_kams_way_to_finish_it(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _merge(repo, ACME.replace("wang", "li"), ACME.replace("wang", "zhao"))
    result = kam("--repo", str(repo.root), "set", "acme", "region=north")
    assert result.code == 2
    assert (
        "a merge is in progress: finish or abort it first "
        "(`kam resolve ID …` for each conflict, then `kam sync --continue`; or `kam sync --abort`)"
    ) in result.err


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


def _padded(index: bytes, size: int) -> bytes:
    """The same git index grown to `size` bytes by an extension git skips ("ZPAD"), checksum renewed."""
    body = index[:-20]
    pad = size - len(index) - 8
    body += b"ZPAD" + struct.pack(">I", pad) + bytes(pad)
    return body + hashlib.sha1(body).digest()


def _rewrite_in_place(path: Path, raw: bytes, mtime_ns: int) -> None:
    """New content in the same inode, with the old mtime put back."""
    with path.open("r+b") as file:
        file.write(raw)
        file.truncate()
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_an_index_rewritten_in_place_with_its_size_and_mtime_put_back_is_asked_again(repo: Repository) -> None:
    index = repo.root / ".git" / "index"
    _merge(repo, ACME.replace("wang", "li"), ACME.replace("wang", "zhao"))
    unmerged = index.read_bytes()
    git(repo.root, "merge", "--abort")
    size = max(len(unmerged), index.stat().st_size) + 64
    _rewrite_in_place(index, _padded(index.read_bytes(), size), index.stat().st_mtime_ns)
    assert Repository(repo.root).unmerged() == []  # found clean: remembered
    before = index.stat()
    _rewrite_in_place(index, _padded(unmerged, size), before.st_mtime_ns)
    after = index.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert Repository(repo.root).unmerged() == [("accounts/acme.yaml", "changed on both sides")]


def test_an_index_without_a_checksum_is_asked_every_time(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """index.skipHash leaves the checksum zero: the memo could not tell two contents apart."""
    index = repo.root / ".git" / "index"
    raw = index.read_bytes()
    index.write_bytes(raw[:-20] + bytes(20))
    asked: list[str] = []
    real = gitcmd.unmerged
    monkeypatch.setattr(gitcmd, "unmerged", lambda root: asked.append("git") or real(root))
    assert Repository(repo.root).unmerged() == [] and Repository(repo.root).unmerged() == []
    assert asked == ["git", "git"]
