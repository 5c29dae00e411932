"""`kam setup` gives a clone what git does not clone (the drivers `.gitattributes` names, the
pre-commit hook), idempotently and saying what it did; the hook refuses a hand edit that
adds an error, never one the file already had, and chains the hook that was there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kam_tui.store import gitcmd
from kam_tui.store.init import init_repository
from kam_tui.store.repository import Repository
from kam_tui.store.setup import attributes_text, config_wanted, hook_path, missing_setup
from conftest import commit_all, git


def hooked_git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git as a person in a set-up clone runs it: hooks on."""
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def test_setup_defines_every_driver_the_attributes_name_and_is_idempotent(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    git(root, "config", "--unset", "merge.kam.driver")
    first = kam("--repo", str(root), "setup")
    assert first.code == 0
    assert first.out.startswith("git config merge.kam.driver = ")
    assert first.out.rstrip().endswith("-m kam_tui merge-driver %O %A %B %P")
    for name in ("merge", "diff"):
        for line in (root / ".gitattributes").read_text().splitlines():
            for attr in line.split()[1:] if not line.startswith("#") else []:
                key, _, driver = attr.partition("=")
                if key == name:
                    assert git(root, "config", "--get-regexp", rf"^{name}\.{driver}\.")
    again = kam("--repo", str(root), "setup")
    assert again.code == 0 and again.out == "already set up: nothing to do\n"


def test_setup_check_reports_without_changing_anything(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    git(root, "config", "--unset", "merge.kam.driver")
    config = (root / ".git" / "config").read_text()
    result = kam("--repo", str(root), "setup", "--check")
    assert result.code == 1
    names = [line.split()[1] for line in result.out.splitlines()]
    assert names == ["identity", "drivers", "attributes", "hook", "remote", "clone", "libyaml"]
    assert "!!  drivers" in result.out and "!!  remote      no remote to sync with" in result.out
    assert "ok  identity    Test User <test@example.com>" in result.out
    assert (root / ".git" / "config").read_text() == config


def test_setup_updates_an_older_repositorys_attributes_in_one_commit(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    old = (
        "# Account files are YAML; a field-level merge driver for them is on kam's roadmap.\n"
        "accounts/*.yaml diff=kam-yaml\n"
    )
    (root / ".gitattributes").write_text("*.md text\n" + old)
    git(root, "commit", "-qam", "as kam 0.1 wrote it")
    commits = git(root, "rev-list", "--count", "HEAD")
    result = kam("--repo", str(root), "setup")
    assert result.code == 0 and "updated .gitattributes (commit " in result.out
    assert (root / ".gitattributes").read_text() == "*.md text\n\n" + attributes_text()
    assert int(git(root, "rev-list", "--count", "HEAD")) == int(commits) + 1
    assert git(root, "status", "--porcelain") == ""


def _good_commit_then_a_typo(tmp_path: Path) -> Path:
    """A repository whose hook let a good a.yaml in, with a typo in its stage now in the work tree."""
    root = init_repository(tmp_path / "repo")
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\nstage: active\n")
    assert hooked_git(root, "add", "-A").returncode == 0
    assert hooked_git(root, "commit", "-qm", "good").returncode == 0
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\nstage: actve\n")
    return root


def test_the_hook_refuses_a_hand_edit_that_adds_an_error_with_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = _good_commit_then_a_typo(tmp_path)
    hooked_git(root, "add", "-A")
    refused = hooked_git(root, "commit", "-qm", "bad")
    assert refused.returncode != 0
    assert "accounts/a.yaml:3:8: error: stage: 'actve' is not one of" in refused.stderr
    assert git(root, "log", "-1", "--format=%s").strip() == "good"


def test_the_hook_checks_what_commit_a_and_commit_file_commit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`git commit -a` and `git commit FILE` commit a temporary index, not .git/index: the hook reads that one."""
    root = _good_commit_then_a_typo(tmp_path)
    for how in (["-a"], ["accounts/a.yaml"]):
        refused = hooked_git(root, "commit", "-qm", "bad", *how)
        assert refused.returncode != 0, how
        assert "accounts/a.yaml:3:8: error: stage: 'actve' is not one of" in refused.stderr
        assert git(root, "log", "-1", "--format=%s").strip() == "good"
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\nstage: exiting\n")
    assert hooked_git(root, "commit", "-qam", "fine").returncode == 0


def test_the_hook_lets_a_partial_repair_through(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\nstage: actve\nratings: {capital: 9}\n")
    commit_all(root, "broken twice, committed without the hook")
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\nstage: active\nratings: {capital: 9}\n")
    hooked_git(root, "add", "-A")
    result = hooked_git(root, "commit", "-qm", "fix the stage")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 error(s) the files already had at HEAD do not block" in result.stderr


def test_an_existing_hook_is_chained_never_overwritten(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    hook = hook_path(root)
    hook.write_text('#!/bin/sh\necho team-hook-ran >> "$(git rev-parse --git-dir)/team-hook.log"\nexit 0\n')
    hook.chmod(0o755)
    result = kam("--repo", str(root), "setup")
    assert "kept the existing pre-commit hook, now run after kam's" in result.out
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\n")
    hooked_git(root, "add", "-A")
    assert hooked_git(root, "commit", "-qm", "good").returncode == 0
    assert (root / ".git" / "team-hook.log").read_text() == "team-hook-ran\n"
    (root / "accounts" / "a.yaml").write_text("id: a\nname: A\nstage: actve\n")
    hooked_git(root, "add", "-A")
    assert hooked_git(root, "commit", "-qm", "bad").returncode != 0
    assert (root / ".git" / "team-hook.log").read_text() == "team-hook-ran\n"  # kam's check refused first


def test_kams_own_commits_still_run_a_chained_hook(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    hook = hook_path(root)
    hook.rename(hook.with_name("pre-commit.kam-chained"))
    hook.with_name("pre-commit.kam-chained").write_text("#!/bin/sh\necho refused by the team >&2\nexit 1\n")
    kam("--repo", str(root), "setup")
    result = kam("--repo", str(root), "new", "b", "--name", "B")
    assert result.code != 0 and "refused by the team" in result.err
    assert not (root / "accounts" / "b.yaml").exists()


def test_the_setup_warning_reads_the_clones_config_without_starting_git(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    started: list[tuple[str, ...]] = []
    real = gitcmd.git
    monkeypatch.setattr(gitcmd, "git", lambda *args, **kw: started.append(args[1:]) or real(*args, **kw))
    assert missing_setup(Repository(root)) == [] and started == []


def test_the_setup_warning_asks_git_for_what_the_clones_config_lacks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo")
    config = root / ".git" / "config"
    local = config.read_text()
    for key, value in config_wanted().items():  # defined for every repository instead: no warning
        git(root, "config", "--unset", key)
        git(root, "config", "--global", key, value)
    assert missing_setup(Repository(root)) == []
    git(root, "config", "--global", "--remove-section", "merge.kam")
    assert missing_setup(Repository(root)) == ["merge.kam.name", "merge.kam.driver"]
    # what only looks like the keys in the clone's file: another subsection; a value carried on
    # by a trailing backslash over a line that reads like a key
    config.write_text(local.replace('[merge "kam"]', '[merge "KAM"]'))
    assert missing_setup(Repository(root)) == ["merge.kam.name", "merge.kam.driver"]
    config.write_text(local.replace('[merge "kam"]', '[merge "kam"]\n\tnote = see \\'))
    assert missing_setup(Repository(root)) == ["merge.kam.name"]
    # a header git refuses ("bad config line"): git is asked, and its failure reads as nothing set
    for header in ('[ merge "kam"]', '[merge"kam"]', '[merge "kam" ]'):
        config.write_text(local.replace('[merge "kam"]', header))
        assert missing_setup(Repository(root)) == list(config_wanted()), header


def test_a_folder_outside_git_is_not_told_to_set_up_a_clone(tmp_path, kam) -> None:  # type: ignore[no-untyped-def]
    """No git, no clone: every command warned that "this clone lacks kam's merge driver"."""
    root = init_repository(tmp_path / "repo")
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    assert missing_setup(Repository(copy)) == []
    assert kam("--repo", str(copy), "list").err == ""
