"""Edits kam refuses rather than guess at: overlapping assignments, values that are only an
uncommitted hand edit, and text with control characters (which would drive a reader's terminal)."""

from __future__ import annotations

import pytest

from conftest import commit_all, commit_count, git, write_account
from kam_tui.store.gitcmd import MANY_PATHS, is_dirty
from kam_tui.store.repository import Repository

ACME = "id: acme\nname: ACME\nowner: wang\nteam: [wang, zhao]\n"


@pytest.fixture
def acme(repo: Repository) -> Repository:
    write_account(repo, "acme", ACME)
    return repo


def test_setting_the_value_of_an_uncommitted_hand_edit_is_refused(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    path = acme.accounts_dir / "acme.yaml"
    path.write_text(ACME.replace("owner: wang", "owner: li"))
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert result.code == 2 and "accounts/acme.yaml has changes not committed to git" in result.err
    assert "owner: li" in path.read_text()  # the hand edit is left alone


@pytest.mark.parametrize(
    "assignments",
    [("owner=li", "owner=wang"), ("team=[a, b]", "team.1=c"), ("team.1=c", "team=[a, b]"), ("owner=li", "owner=li")],
)
def test_overlapping_assignments_are_refused_not_half_applied(acme: Repository, kam, assignments) -> None:  # type: ignore[no-untyped-def]
    before, commits = (acme.accounts_dir / "acme.yaml").read_bytes(), commit_count(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme", *assignments)
    assert result.code == 2 and "overlap" in result.err, result.err
    assert (acme.accounts_dir / "acme.yaml").read_bytes() == before and commit_count(acme.root) == commits


@pytest.mark.parametrize("assignment", ["id=other", "name=Other", "id=zeta"])
def test_new_refuses_an_id_or_name_given_twice(acme: Repository, kam, assignment: str) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(acme.root), "new", "zeta", "--name", "Zeta", assignment)
    assert result.code == 2 and assignment.split("=")[0] in result.err
    assert not (acme.accounts_dir / "zeta.yaml").exists()


@pytest.mark.parametrize("value", ["li\x1b[31m", "ring\x07", "csi\x9b2J", "cr\rlf"])
def test_set_refuses_control_characters_in_text(acme: Repository, kam, value: str) -> None:  # type: ignore[no-untyped-def]
    commits = commit_count(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme", f"owner={value}")
    assert result.code == 2 and "control characters" in result.err
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert commit_count(acme.root) == commits


def test_new_refuses_control_characters_in_the_name(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(acme.root), "new", "evil", "--name", "Evil\x1b[31mRED\x1b[0m\x07 Co")
    assert result.code == 2 and "control characters (\\x1b\\x07)" in result.err
    assert not (acme.accounts_dir / "evil.yaml").exists()
    assert "\x1b" not in git(acme.root, "log", "--format=%B")


def test_newline_and_tab_are_text_not_control_characters(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(acme.root), "set", "acme", "notes=one\ttwo\nthree").code == 0


def test_validate_warns_about_control_characters_already_in_a_file(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "old", 'id: old\nname: "Old \\e[31m Co"\nnotes: "bell \\a"\n')
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 0
    assert "accounts/old.yaml:2:7: warning: name: contains control characters (\\x1b)" in result.out
    assert "notes: contains control characters (\\x07)" in result.out
    assert kam("--repo", str(repo.root), "show", "old").code == 0  # still readable


def test_no_commit_message_carries_a_control_character(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(acme.root), "set", "acme", "owner=li", "-m", "why\x1b[2J\x07 not\r").code == 0
    message = git(acme.root, "log", "-1", "--format=%B")
    assert "\x1b" not in message and "\x07" not in message and "\r" not in message
    assert "why\\x1b[2J\\x07 not\\x0d" in message


def test_a_bulk_write_finds_the_one_hand_edit_among_many_files(repo: Repository, kam, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Past gitcmd.MANY_PATHS files, git is asked about their folders, not each path: a hand edit
    (in the work tree or staged) among them still refuses the import, and nothing is written."""
    ids = [f"a{i:03d}" for i in range(MANY_PATHS + 20)]
    for ident in ids:
        (repo.accounts_dir / f"{ident}.yaml").write_text(f"id: {ident}\nname: N{ident}\n")
    commit_all(repo.root, "accounts")
    table = tmp_path / "q1.csv"
    table.write_text("id,period,sales\n" + "".join(f"{ident},2026-Q1,{i}\n" for i, ident in enumerate(ids)))
    commits = commit_count(repo.root)
    for hand_edit in ("work tree", "staged"):
        path = repo.accounts_dir / "a077.yaml"
        path.write_text("id: a077\nname: by hand\n")
        if hand_edit == "staged":
            git(repo.root, "add", "--", str(path))
        before = {p.name: p.read_bytes() for p in repo.accounts_dir.iterdir()}
        result = kam("--repo", str(repo.root), "import", "periods", str(table), "--today", "2026-05-01")
        assert result.code == 2, result.err
        assert "accounts/a077.yaml has changes not committed to git" in result.err
        assert "a076" not in result.err and "a078" not in result.err  # only the edited file is named
        assert {p.name: p.read_bytes() for p in repo.accounts_dir.iterdir()} == before
        assert commit_count(repo.root) == commits


def test_dirty_paths_among_many_are_exactly_the_changed_ones(repo: Repository) -> None:
    """The folder-wide question gives the same answer as asking about each path: changed, staged,
    new and renamed files among them, and nothing outside them."""
    rels = [f"accounts/a{i:03d}.yaml" for i in range(MANY_PATHS + 5)]
    for rel in rels[:-1]:
        (repo.root / rel).write_text(f"id: {rel[9:13]}\nname: x\n")
    (repo.accounts_dir / "other.yaml").write_text("id: other\nname: x\n")
    commit_all(repo.root, "accounts")
    (repo.root / rels[3]).write_text("id: a003\nname: changed\n")  # changed in the work tree
    (repo.root / rels[-1]).write_text("id: new\nname: x\n")  # new, untracked
    git(repo.root, "mv", rels[5], "accounts/moved.yaml")  # a staged rename: the old name is gone
    (repo.accounts_dir / "other.yaml").write_text("id: other\nname: changed\n")  # not asked about
    expected = [rels[3], rels[5], rels[-1]]
    assert sorted(is_dirty(repo.root, rels)) == expected
    assert sorted(is_dirty(repo.root, [rels[3], rels[5], rels[6]])) == [rels[3], rels[5]]  # few paths: asked one by one
