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


# --- reading: show what can be shown (0, problems on stderr) or refuse (2) ----------------------


def test_show_of_an_account_with_errors_shows_it_with_the_problems_on_stderr(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: ACME\nstage: actve\n")
    for args in (("show", "acme"), ("show", "acme", "--json")):
        result = kam("--repo", str(repo.root), *args)
        assert result.code == 0, args
        assert "accounts/acme.yaml:3:8: error: stage: 'actve' is not one of" in result.err, args
        assert "ACME" in result.out and "actve" in result.out, args


def test_show_of_a_file_that_cannot_be_read_is_refused(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: [ACME\n")
    for args in (("show", "acme"), ("show", "acme", "--json")):
        result = kam("--repo", str(repo.root), *args)
        assert result.code == 2, args
        assert result.out == "" and "accounts/acme.yaml:3:1: error: invalid YAML" in result.err, args
        assert "kam: accounts/acme.yaml cannot be read; see the problems above" in result.err, args


def test_checklist_with_errors_is_shown_with_the_problems_on_stderr(attached: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    path = attached.root / "checklists/acme/development.md"
    path.write_text(path.read_text(encoding="utf-8") + "- [ ] a step\n  - [ ] nested\n", encoding="utf-8")
    for args in (("checklist", "acme", "development"), ("checklist", "acme", "development", "--json")):
        result = kam("--repo", str(attached.root), *args)
        assert result.code == 0, args
        assert "checklists/acme/development.md:" in result.err and "error: nested steps" in result.err, args
        assert "acme" in result.out, args


def test_playbooks_lists_a_broken_template_with_its_errors_and_exits_0(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    (repo.root / "playbooks/bad.md").write_text("---\ntitle: Bad\n---\n## Go\n- [ ] fine\n  - [ ] nested\n")
    result = kam("--repo", str(repo.root), "playbook", "list")
    assert result.code == 0
    assert any(line.startswith("bad ") and line.endswith("1 error(s)") for line in result.out.splitlines())
    assert kam("--repo", str(repo.root), "validate").code == 1
