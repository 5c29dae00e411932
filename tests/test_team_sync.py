"""Two people, two clones, one bare remote: `kam sync` merges their edits of the same account
field by field through the driver `kam setup` defines, and stops only for a real
disagreement — in git's normal conflicted state, which `kam resolve` and
`kam sync --continue` (or `--abort`) finish."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kam_tui.store.init import init_repository
from kam_tui.store.repository import Repository
from kam_tui.store.sync import ahead_behind
from conftest import git
from team_support import ACCOUNT, account, edit, make_clones


@pytest.fixture
def clones(tmp_path: Path, kam):  # type: ignore[no-untyped-def]
    return make_clones(tmp_path, kam)


def test_different_ratings_in_one_flow_map_sync_without_conflict(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    edit(li, "network: 3", "network: 5", "network 5")
    first = kam("--repo", str(wang), "sync")
    assert first.code == 0, first.err
    assert "went out: 1 commit(s)" in first.out
    second = kam("--repo", str(li), "sync")
    assert second.code == 0, second.err
    assert "accounts/sanjiang.yaml  by wang" in second.out
    assert "ratings: {capital: 4, network: 5, logistics: 4}" in account(li)
    assert kam("--repo", str(wang), "sync").code == 0
    assert account(wang) == account(li)
    assert ahead_behind(Repository(li)).ahead == 0


def test_visits_appended_in_both_clones_are_both_kept(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit(
        wang,
        "    summary: kick-off\n",
        "    summary: kick-off\n  - date: 2026-11-10\n    by: wang\n    summary: a\n",
        "v",
    )
    edit(
        li, "    summary: kick-off\n", "    summary: kick-off\n  - date: 2026-11-12\n    by: li\n    summary: b\n", "v"
    )
    assert kam("--repo", str(wang), "sync").code == 0
    assert kam("--repo", str(li), "sync").code == 0
    text = account(li)
    assert text.index("summary: a") < text.index("summary: b")


def test_the_same_field_stops_sync_names_both_values_and_authors_and_resolve_finishes(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    edit(li, "capital: 3", "capital: 2", "capital 2")
    edit(li, "stage: active", "stage: at-risk", "at risk")
    assert kam("--repo", str(wang), "sync").code == 0
    stopped = kam("--repo", str(li), "sync")
    assert stopped.code == 1
    line = 1 + account(li).split("\n").index(next(x for x in account(li).split("\n") if x.startswith("<<<<<<<")))
    assert (
        f"accounts/sanjiang.yaml:{line}: error: conflict in ratings.capital: ours 2 (li), theirs 4 (wang)"
        in stopped.err
    )
    assert "kam sync --continue" in stopped.err
    assert git(li, "ls-files", "-u")  # git's own conflicted state
    assert kam("--repo", str(li), "validate").code == 1  # the markers cannot be committed as data
    text = account(li)
    assert "stage: at-risk" in text and "capital: 2" in text and "capital: 4" in text
    # a write during the merge is refused, and the account is skipped rather than misread
    refused = kam("--repo", str(li), "sync")
    assert refused.code == 2 and "merge is in progress" in refused.err
    done = kam("--repo", str(li), "resolve", "sanjiang", "ratings.capital=3")
    assert done.code == 0, done.err
    assert "ratings: {capital: 3, network: 3, logistics: 4}" in account(li)
    assert "stage: at-risk" in account(li)
    finished = kam("--repo", str(li), "sync", "--continue")
    assert finished.code == 0, finished.err
    assert kam("--repo", str(wang), "sync").code == 0
    assert account(wang) == account(li)


def test_resolve_takes_one_side_and_abort_goes_back(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    edit(li, "capital: 3", "capital: 2", "capital 2")
    assert kam("--repo", str(wang), "sync").code == 0
    before = git(li, "rev-parse", "HEAD")
    assert kam("--repo", str(li), "sync").code == 1
    assert kam("--repo", str(li), "sync", "--abort").code == 0
    assert git(li, "rev-parse", "HEAD") == before and "capital: 2" in account(li) and not git(li, "ls-files", "-u")
    assert kam("--repo", str(li), "sync").code == 1
    assert kam("--repo", str(li), "resolve", "sanjiang", "--theirs").code == 0
    assert "capital: 4" in account(li) and "<<<<<<<" not in account(li)
    assert kam("--repo", str(li), "sync", "--continue").code == 0


def test_sync_refuses_a_dirty_tree_a_detached_head_and_no_remote(clones, kam, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wang, _ = clones
    (wang / "accounts" / "sanjiang.yaml").write_text(ACCOUNT + "owner: wang\n", encoding="utf-8")
    dirty = kam("--repo", str(wang), "sync")
    assert dirty.code == 2 and "uncommitted changes in accounts/sanjiang.yaml" in dirty.err
    git(wang, "checkout", "-q", "--", ".")
    git(wang, "checkout", "-q", "--detach")
    detached = kam("--repo", str(wang), "sync")
    assert detached.code == 2 and "HEAD is detached" in detached.err
    lonely = Repository(init_repository(tmp_path / "lonely"))
    alone = kam("--repo", str(lonely.root), "sync")
    assert alone.code == 2 and "no remote to sync with" in alone.err


def test_sync_with_nothing_to_do_says_so(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, _ = clones
    result = kam("--repo", str(wang), "sync")
    assert result.code == 0 and "up to date" in result.out


def test_sync_pushes_review_tags_and_never_forces(clones, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = clones
    git(wang, "tag", "review/2026-Q3")
    result = kam("--repo", str(wang), "sync")
    assert result.code == 0 and "review/2026-Q3" in result.out
    git(li, "fetch", "-q", "--tags")
    assert git(li, "tag", "-l", "review/*").split() == ["review/2026-Q3"]


def test_a_fresh_clone_without_setup_is_warned_on_stderr_without_changing_the_exit_code(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    first = init_repository(tmp_path / "first")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(first), str(clone)], check=True)
    result = kam("--repo", str(clone), "list")
    assert result.code == 0
    assert "run `kam setup` once" in result.err
    assert "run `kam setup`" not in result.out
    assert kam("--repo", str(clone), "setup").code == 0
    assert "kam setup" not in kam("--repo", str(clone), "list").err
