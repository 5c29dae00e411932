"""One exit-code rule for every command: 0 done (also "nothing to do"), 1 problems found
(`kam validate`), 2 refused or a usage error."""

from __future__ import annotations

import pytest

from conftest import commit_count, write_account
from kam_tui.store.repository import Repository


@pytest.fixture
def attached(repo: Repository, kam) -> Repository:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: ACME\nowner: wang\n")
    assert kam("--repo", str(repo.root), "attach", "acme", "development").code == 0
    return repo


def test_ticking_a_ticked_step_or_unticking_an_unticked_one_is_nothing_to_do(attached: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = str(attached.root)
    assert kam("--repo", root, "check", "acme", "development", "1").code == 0
    commits = commit_count(attached.root)
    again = kam("--repo", root, "check", "acme", "development", "1")
    assert again.code == 0 and "is already ticked" in again.err
    assert kam("--repo", root, "check", "acme", "development", "1", "--undo").code == 0
    undo = kam("--repo", root, "check", "acme", "development", "1", "--undo")
    assert undo.code == 0 and "is not ticked" in undo.err
    assert commit_count(attached.root) == commits + 1


def test_a_write_needing_broken_settings_is_refused_with_2(attached: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    (attached.root / "kam.yaml").write_text("language: klingon\n")
    result = kam("--repo", str(attached.root), "attach", "acme", "maintenance")
    assert result.code == 2 and "kam.yaml has errors" in result.err
    listed = kam("--repo", str(attached.root), "list")
    assert listed.code == 2 and "kam.yaml:1" in listed.err
    assert kam("--repo", str(attached.root), "validate").code == 1


def test_a_write_not_needing_the_broken_settings_still_works(attached: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    (attached.root / "kam.yaml").write_text("language: klingon\n")
    assert kam("--repo", str(attached.root), "set", "acme", "owner=li").code == 0
