"""The one write path: one commit per change, validated, never clobbering, restoring on failure."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import commit_count, git, write_account
from kam_tui.store import gitcmd
from kam_tui.store.account_changes import edit_account, parse_assignment
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import Conflict, WriteRefused

ACME = """# the account file
id: acme-motors
name: ACME Motors   # 汽车
owner: wang
stage: active
ratings: {capital: 3, network: 4}
"""


@pytest.fixture
def acme(repo: Repository) -> Repository:
    write_account(repo, "acme-motors", ACME)
    return repo


def test_set_changes_one_line_in_one_commit_with_a_scannable_message(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    before = commit_count(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme-motors", "owner=li")
    assert result.code == 0, result.err
    assert commit_count(acme.root) == before + 1
    assert (
        git(acme.root, "log", "-1", "--format=%s|%an <%ae>")
        == "acme-motors: owner wang → li|Test User <test@example.com>\n"
    )
    diff = git(acme.root, "show", "--format=", "--unified=0", "HEAD")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-owner: wang", "+owner: li"]
    assert git(acme.root, "status", "--porcelain") == ""


def test_author_flag_and_environment_override_the_git_identity(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kam("--repo", str(acme.root), "set", "acme-motors", "owner=li", "--author", "Li Na <li@example.com>")
    assert git(acme.root, "log", "-1", "--format=%an <%ae>").strip() == "Li Na <li@example.com>"
    monkeypatch.setenv("KAM_AUTHOR", "Zhang Min <zhang@example.com>")
    kam("--repo", str(acme.root), "set", "acme-motors", "owner=zhang")
    assert git(acme.root, "log", "-1", "--format=%an <%ae>").strip() == "Zhang Min <zhang@example.com>"
    bad = kam("--repo", str(acme.root), "set", "acme-motors", "owner=x", "--author=--upload-pack=evil")
    assert bad.code == 2 and "Name <email>" in bad.err


def test_message_flag_becomes_the_subject_and_the_summary_the_body(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    kam("--repo", str(acme.root), "set", "acme-motors", "stage=at-risk", "-m", "--amend is just text")
    assert (
        git(acme.root, "log", "-1", "--format=%B").strip()
        == "--amend is just text\n\nacme-motors: stage active → at-risk"
    )


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("ratings.capital=9", "ratings.capital: 9 is outside 1–5"),
        (
            "stage=actve",
            "stage: 'actve' is not one of prospect, developing, active, at-risk, exiting, exited; "
            "did you mean 'active'?",
        ),
        ("owner.name=x", "'owner.name' is not a key of an account file (see `kam schema`)"),
        ("nosuchkey=1", "'nosuchkey' is not a key of an account file (see `kam schema`)"),
        ("periods.2026Q3.sales=1", "'periods.2026Q3.sales' is not a key of an account file (see `kam schema`)"),
        ("credit_limit=-1", "credit_limit: -1 must not be negative"),
        ("since=yesterday", "since: 'yesterday' is not a date (write YYYY-MM-DD)"),
    ],
)
def test_refused_change_leaves_file_and_history_unchanged(acme: Repository, kam, assignment: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = acme.accounts_dir / "acme-motors.yaml"
    before, head = path.read_bytes(), gitcmd.head(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme-motors", assignment)
    assert (result.code, result.err) == (2, f"kam: {message}\n")
    assert path.read_bytes() == before
    assert gitcmd.head(acme.root) == head


def test_file_changed_behind_our_back_is_not_clobbered(acme: Repository) -> None:
    path = acme.accounts_dir / "acme-motors.yaml"
    shown = path.read_bytes()
    changed = shown.replace(b"owner: wang", b"owner: chen")
    path.write_bytes(changed)
    git(acme.root, "commit", "-qam", "someone else's edit")
    with pytest.raises(WriteRefused, match="changed on disk"):
        edit_account(acme, "acme-motors", [parse_assignment("stage=exiting")], expected=shown)
    assert path.read_bytes() == changed


def test_conflict_check_inside_the_transaction(acme: Repository) -> None:
    from kam_tui.store.transaction import FileChange, Transaction

    path = acme.accounts_dir / "acme-motors.yaml"
    old = path.read_bytes()
    with Transaction(acme) as tx:
        path.write_bytes(old + b"notes: sneaky\n")
        with pytest.raises(Conflict):
            tx.commit([FileChange("accounts/acme-motors.yaml", old + b"industry: x\n", old)], "x")
    assert path.read_bytes() == old + b"notes: sneaky\n"


def test_uncommitted_hand_edits_are_not_swept_into_kams_commit(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    path = acme.accounts_dir / "acme-motors.yaml"
    path.write_bytes(path.read_bytes() + b"notes: draft\n")
    result = kam("--repo", str(acme.root), "set", "acme-motors", "owner=li")
    assert result.code == 2 and "not committed" in result.err
    assert path.read_bytes().endswith(b"notes: draft\n") and b"owner: wang" in path.read_bytes()


def test_other_staged_work_stays_staged_and_out_of_the_commit(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    other = acme.root / "README.txt"
    other.write_text("work in progress\n")
    git(acme.root, "add", "README.txt")
    assert kam("--repo", str(acme.root), "set", "acme-motors", "owner=li").code == 0
    assert git(acme.root, "show", "--name-only", "--format=", "HEAD").split() == ["accounts/acme-motors.yaml"]
    assert git(acme.root, "status", "--porcelain").strip() == "A  README.txt"


def test_permission_bits_are_kept(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    path = acme.accounts_dir / "acme-motors.yaml"
    os.chmod(path, 0o640)
    assert kam("--repo", str(acme.root), "set", "acme-motors", "owner=li").code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_file_gets_normal_permissions_not_mkstemps_0600(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(repo.root), "new", "beta", "--name", "Beta").code == 0
    mode = stat.S_IMODE((repo.accounts_dir / "beta.yaml").stat().st_mode)
    assert mode & 0o044 == 0o044


def test_leftover_temp_files_are_reported_then_cleaned(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    leftover = acme.accounts_dir / ".kam-tmp-acme-motors.yaml.abc123"
    leftover.write_bytes(b"half a fi")
    result = kam("--repo", str(acme.root), "validate")
    assert "temporary file left by an interrupted save" in result.out
    assert git(acme.root, "status", "--porcelain") == ""  # ignored by git
    kam("--repo", str(acme.root), "set", "acme-motors", "owner=li")
    assert not leftover.exists()


def test_foreign_index_lock_is_waited_for_then_named_and_never_deleted(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(gitcmd, "_BACKOFF", (0.01, 0.01))
    lock = acme.root / ".git" / "index.lock"
    lock.write_bytes(b"")
    path = acme.accounts_dir / "acme-motors.yaml"
    before, head = path.read_bytes(), gitcmd.head(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme-motors", "owner=li")
    assert result.code == 2
    assert "index.lock" in result.err and "another git process" in result.err
    assert lock.exists()
    assert path.read_bytes() == before and gitcmd.head(acme.root) == head
    lock.unlink()
    assert kam("--repo", str(acme.root), "set", "acme-motors", "owner=li").code == 0


def test_a_failing_hook_refuses_the_change_and_restores_the_file(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    hook = acme.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'policy: no commits today' >&2\nexit 1\n")
    hook.chmod(0o755)
    path = acme.accounts_dir / "acme-motors.yaml"
    before = path.read_bytes()
    result = kam("--repo", str(acme.root), "set", "acme-motors", "owner=li")
    assert result.code == 2 and "policy: no commits today" in result.err
    assert path.read_bytes() == before
    assert git(acme.root, "status", "--porcelain") == ""


def test_no_git_identity_gives_a_clear_message(acme: Repository, kam, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "empty-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "none"))
    monkeypatch.setenv("EMAIL", "")
    for name, value in (
        ("GIT_CONFIG_COUNT", "1"),
        ("GIT_CONFIG_KEY_0", "user.useConfigOnly"),
        ("GIT_CONFIG_VALUE_0", "true"),
    ):  # git may not guess one from the host
        monkeypatch.setenv(name, value)
    path = acme.accounts_dir / "acme-motors.yaml"
    before = path.read_bytes()
    result = kam("--repo", str(acme.root), "set", "acme-motors", "owner=li")
    assert result.code == 2 and "git config" in result.err, result.err
    assert path.read_bytes() == before
    with_author = kam("--repo", str(acme.root), "set", "acme-motors", "owner=li", "--author", "Li Na <li@example.com>")
    assert with_author.code == 0, with_author.err  # the author stands in as committer too


def test_setting_the_same_value_makes_no_commit(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    before = commit_count(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme-motors", "owner=wang")
    assert result.code == 0 and "nothing changed" in result.err
    assert commit_count(acme.root) == before


def test_a_file_with_two_errors_can_be_fixed_one_set_at_a_time(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "two", "id: two\nname: Two\nstage: actve\nratings: {capital: 9}\n")
    assert kam("--repo", str(repo.root), "set", "two", "stage=active").code == 0
    assert kam("--repo", str(repo.root), "set", "two", "ratings.capital=4").code == 0
    assert kam("--repo", str(repo.root), "validate").code == 0
    refused = kam("--repo", str(repo.root), "set", "two", "ratings.network=0")
    assert refused.code == 2 and "outside 1–5" in refused.err


def test_commit_subjects_carry_no_raw_control_characters(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(acme.root), "set", "acme-motors", "owner=\x1b[2Jevil\r").code == 2  # refused
    assert kam("--repo", str(acme.root), "set", "acme-motors", "owner=li", "-m", "\x1b[2Jevil\r").code == 0
    subject = git(acme.root, "log", "-1", "--format=%s")
    assert "\x1b" not in subject and "\r" not in subject and "\\x1b[2Jevil" in subject
