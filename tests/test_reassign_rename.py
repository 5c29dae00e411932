"""When a salesperson leaves (`kam reassign FROM TO`) and when an account's id changes (`kam rename OLD NEW`):
each one commit through the write path, readable in `git log`."""

from __future__ import annotations

import pytest

from conftest import commit_all, git, write_account
from kam_tui.store.repository import Repository

ACME = """\
id: acme
name: Acme
stage: active
owner: wang
actions:
  - what: send the quote
    owner: wang
    status: open
  - what: old call
    owner: wang
    status: done
  - what: price list
    owner: zhao
    status: open
"""

BETA = """\
id: beta
name: Beta
stage: prospect
owner: wang
"""

GAMMA = """\
id: gamma
name: Gamma
stage: active
owner: zhao
actions:
  - what: visit with wang
    owner: wang
"""


@pytest.fixture
def team(repo: Repository) -> Repository:
    write_account(repo, "acme", ACME)
    write_account(repo, "beta", BETA)
    write_account(repo, "gamma", GAMMA)
    return repo


def _read(repo: Repository, account_id: str) -> str:
    return (repo.accounts_dir / f"{account_id}.yaml").read_text()


def _commits(repo: Repository) -> int:
    return int(git(repo.root, "rev-list", "--count", "HEAD").strip())


def test_reassign_moves_accounts_and_open_actions_in_one_commit(team: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    before = _commits(team)
    r = kam("--repo", str(team.root), "reassign", "wang", "li")
    assert r.code == 0, r.err
    assert _commits(team) == before + 1
    assert _read(team, "acme") == ACME.replace("owner: wang\nactions", "owner: li\nactions").replace(
        "  - what: send the quote\n    owner: wang", "  - what: send the quote\n    owner: li"
    )
    assert _read(team, "beta") == BETA.replace("owner: wang", "owner: li")
    assert _read(team, "gamma") == GAMMA.replace("    owner: wang", "    owner: li")  # an open action (no status)
    message = git(team.root, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "reassign wang → li: 2 account(s), 2 open action(s)"
    assert "acme: owner wang → li, actions.1.owner wang → li" in message
    assert "gamma: actions.1.owner wang → li" in message
    assert r.out.splitlines()[-1].endswith("reassign wang → li: 2 account(s), 2 open action(s)")


def test_reassign_by_stage_touches_only_those_accounts(team: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(team.root), "reassign", "wang", "li", "--stage", "prospect")
    assert r.code == 0, r.err
    assert _read(team, "beta") == BETA.replace("owner: wang", "owner: li")
    assert _read(team, "acme") == ACME
    assert _read(team, "gamma") == GAMMA
    changed = git(team.root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["accounts/beta.yaml"]


def test_reassign_with_nothing_to_move_is_refused(team: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    before = _commits(team)
    r = kam("--repo", str(team.root), "reassign", "nobody", "li")
    assert r.code == 2
    assert "nobody owns no account and no open action" in r.err
    assert kam("--repo", str(team.root), "reassign", "wang", "wang").code == 2
    assert _commits(team) == before


CHECKLIST = "# maintenance\n\n## File\n\n- [x] 1. keep the file current\n- [ ] 2. visit\n"


def _with_checklist(repo: Repository) -> Repository:
    folder = repo.root / "checklists" / "acme"
    folder.mkdir(parents=True)
    (folder / "maintenance.md").write_text(CHECKLIST)
    commit_all(repo.root, "attach")
    return repo


def test_rename_moves_file_and_checklists_in_one_traceable_commit(team: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _with_checklist(team)
    before = _commits(team)
    r = kam("--repo", str(team.root), "rename", "acme", "acme-motors")
    assert r.code == 0, r.err
    assert _commits(team) == before + 1
    assert not (team.accounts_dir / "acme.yaml").exists()
    assert _read(team, "acme-motors") == ACME.replace("id: acme\n", "id: acme-motors\n")
    assert (team.root / "checklists" / "acme-motors" / "maintenance.md").read_text() == CHECKLIST
    assert not (team.root / "checklists" / "acme").exists()
    status = git(team.root, "show", "-M", "--name-status", "--format=%s", "HEAD").splitlines()
    assert status[0] == "rename acme → acme-motors"
    renames = sorted((line.split("\t")[0][0], *line.split("\t")[1:]) for line in status[2:])
    assert renames == [  # git sees both as renames (R), so `git log --follow` traces them
        ("R", "accounts/acme.yaml", "accounts/acme-motors.yaml"),
        ("R", "checklists/acme/maintenance.md", "checklists/acme-motors/maintenance.md"),
    ]
    follow = git(team.root, "log", "--follow", "--format=%s", "--", "accounts/acme-motors.yaml").splitlines()
    assert follow == ["rename acme → acme-motors", "add acme"]
    diff = git(team.root, "show", "-M", "--format=", "HEAD", "--", "accounts/acme.yaml", "accounts/acme-motors.yaml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-id: acme", "+id: acme-motors"]


def test_rename_refuses_an_existing_new_id_and_a_missing_old(team: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    before = _commits(team)
    r = kam("--repo", str(team.root), "rename", "acme", "beta")
    assert r.code == 2
    assert "beta already exists" in r.err
    r = kam("--repo", str(team.root), "rename", "nope", "nope-2")
    assert r.code == 2
    assert "no account 'nope'" in r.err
    assert kam("--repo", str(team.root), "rename", "acme", "Bad Id").code == 2
    assert _commits(team) == before
    assert _read(team, "acme") == ACME


def test_rename_refuses_when_checklists_of_new_exist(team: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    folder = team.root / "checklists" / "acme-2"
    folder.mkdir(parents=True)
    (folder / "maintenance.md").write_text(CHECKLIST)
    commit_all(team.root, "stray checklist")
    r = kam("--repo", str(team.root), "rename", "acme", "acme-2")
    assert r.code == 2
    assert "checklists/acme-2" in r.err
    assert _read(team, "acme") == ACME
