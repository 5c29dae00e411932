"""A save that is interrupted, runs out of disk or lands in the middle of a git operation ends
in a state the user can trust: the work tree agrees with HEAD, and kam says what happened."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import commit_all, git, write_account
from kam_tui.store import atomic, gitcmd
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import CannotWrite, FileChange, Transaction

ACME = "id: acme\nname: ACME\nowner: wang\nstage: active\n"


@pytest.fixture
def acme(repo: Repository) -> Repository:
    write_account(repo, "acme", ACME)
    write_account(repo, "bohai", "id: bohai\nname: Bohai\nowner: wang\n")
    return repo


def _hook(repo: Repository, name: str, body: str) -> None:
    hook = repo.root / ".git" / "hooks" / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755)


def _interrupt_while_hook_runs(repo: Repository, hook: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run kam as a process; when `hook` has started, Ctrl-C its whole process group."""
    mark = repo.root.parent / "hook-started"
    _hook(repo, hook, f'touch "{mark}"\nsleep 30\n')
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kam_tui", "--repo", str(repo.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    for _ in range(600):
        if mark.exists():
            break
        time.sleep(0.05)
    assert mark.exists(), "the hook never ran"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _status(repo: Repository) -> str:
    return git(repo.root, "status", "--porcelain", "--untracked-files=all")


# --- 1. interrupted after git committed -------------------------------------------------------------


def test_interrupt_after_the_commit_keeps_the_committed_file_and_says_so(acme: Repository) -> None:
    result = _interrupt_while_hook_runs(acme, "post-commit", "set", "acme", "owner=li")
    head = git(acme.root, "rev-parse", "HEAD").strip()
    assert result.returncode == 0, result.stderr
    assert f"saved as {head}; interrupted afterwards" in result.stderr
    assert "owner: li" in git(acme.root, "show", "HEAD:accounts/acme.yaml")
    assert _status(acme) == ""


def test_interrupted_new_account_after_the_commit_stays(acme: Repository) -> None:
    result = _interrupt_while_hook_runs(acme, "post-commit", "new", "zeta", "--name", "Zeta")
    assert result.returncode == 0, result.stderr
    assert "interrupted afterwards" in result.stderr
    assert (acme.accounts_dir / "zeta.yaml").exists()
    assert _status(acme) == ""


def test_interrupt_before_the_commit_puts_the_file_back(acme: Repository) -> None:
    path = acme.accounts_dir / "acme.yaml"
    before, head = path.read_bytes(), gitcmd.head(acme.root)
    result = _interrupt_while_hook_runs(acme, "pre-commit", "set", "acme", "owner=li")
    assert result.returncode == 2 and "interrupted" in result.stderr
    assert path.read_bytes() == before and gitcmd.head(acme.root) == head
    assert _status(acme) == ""
    assert not list(acme.accounts_dir.glob(".kam-tmp-*"))


def test_interrupted_new_account_before_the_commit_is_removed(acme: Repository) -> None:
    result = _interrupt_while_hook_runs(acme, "pre-commit", "new", "zeta", "--name", "Zeta")
    assert result.returncode == 2
    assert not (acme.accounts_dir / "zeta.yaml").exists()
    assert _status(acme) == ""


def test_a_save_of_many_files_failing_on_one_keeps_every_old_byte(acme: Repository, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The files of one save are written at once (in threads) and renamed after: a failure in any
    leaves every file as it was, no temporary file behind, and no commit."""
    rels = [f"accounts/a{i}.yaml" for i in range(6)]
    with Transaction(acme) as tx:
        tx.commit([FileChange(r, f"id: a{i}\nname: A{i}\n".encode(), None) for i, r in enumerate(rels)], "six\n")
    head = gitcmd.head(acme.root)
    real = atomic.fault

    def failing(stage: str, path: Path) -> None:
        if stage == "write" and path.name == "a3.yaml":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(stage, path)

    monkeypatch.setattr(atomic, "fault", failing)
    changes = [
        FileChange(r, f"id: a{i}\nname: B{i}\n".encode(), f"id: a{i}\nname: A{i}\n".encode())
        for i, r in enumerate(rels)
    ]
    with pytest.raises(CannotWrite, match="a3.yaml: disk full"), Transaction(acme) as tx:
        tx.commit(changes, "all\n")
    assert [(acme.root / r).read_text() for r in rels] == [f"id: a{i}\nname: A{i}\n" for i in range(6)]
    assert gitcmd.head(acme.root) == head and _status(acme) == ""
    assert not [p.name for p in acme.accounts_dir.iterdir() if p.name.startswith(".kam-tmp-")]


# --- 2. disk full -----------------------------------------------------------------------------------


def test_disk_full_while_writing_keeps_the_old_bytes(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(atomic.FAULTS, "write", errno.ENOSPC)
    path = acme.accounts_dir / "acme.yaml"
    before, head = path.read_bytes(), gitcmd.head(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert (result.code, result.err) == (2, "kam: cannot write accounts/acme.yaml: disk full; nothing saved\n")
    assert path.read_bytes() == before and gitcmd.head(acme.root) == head
    assert _status(acme) == "" and not list(acme.accounts_dir.glob(".kam-tmp-*"))


def test_disk_full_in_git_is_not_a_busy_lock_and_putting_back_needs_no_space(
    acme: Repository, kam, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    real_git = gitcmd.git
    calls: list[str] = []

    def full_disk(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        if args[0] == "add":
            calls.append("add")
            # from here on nothing can be written: putting the old file back must not need space
            monkeypatch.setitem(atomic.FAULTS, "write", errno.ENOSPC)
            lock = root / ".git" / "index.lock"
            return subprocess.CompletedProcess(
                args, 128, "", f"fatal: sha1 file '{lock}' write error. Out of diskspace\n"
            )
        return real_git(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gitcmd, "git", full_disk)
    path = acme.accounts_dir / "acme.yaml"
    before = path.read_bytes()
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert calls == ["add"]  # not waited on as if another git held the lock
    assert (result.code, result.err) == (2, "kam: cannot write accounts/acme.yaml: disk full; nothing saved\n")
    assert path.read_bytes() == before
    monkeypatch.setattr(gitcmd, "git", real_git)
    assert _status(acme) == ""


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]).returncode == 0


@pytest.mark.parametrize("free_kib", [8, 60, 160, 260])
def test_a_real_full_disk_never_leaves_the_work_tree_disagreeing_with_head(tmp_path: Path, kam, free_kib: int) -> None:  # type: ignore[no-untyped-def]
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "2m"):
        pytest.skip("needs root to mount a small tmpfs (CI runs as root)")
    try:
        from kam_tui.store.init import init_repository

        root = init_repository(disk / "repo", "en")
        (root / "accounts" / "acme.yaml").write_text(ACME)
        commit_all(root, "acme")
        stat = os.statvfs(disk)
        spare = stat.f_bavail * stat.f_frsize - free_kib * 1024
        (disk / "filler").write_bytes(b"\0" * max(spare, 0))
        value = os.urandom(60_000).hex()  # 120 KB that does not compress
        path = root / "accounts" / "acme.yaml"
        before, head = path.read_bytes(), git(root, "rev-parse", "HEAD")
        result = kam("--repo", str(root), "set", "acme", f"notes={value}")
        assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
        if result.code == 0:
            assert git(root, "rev-parse", "HEAD") != head
        else:
            assert (result.code, result.err) == (2, "kam: cannot write accounts/acme.yaml: disk full; nothing saved\n")
            assert path.read_bytes() == before and git(root, "rev-parse", "HEAD") == head
            (disk / "filler").unlink()
            retry = kam("--repo", str(root), "set", "acme", f"notes={value}")
            assert retry.code == 0, retry.err
            assert git(root, "rev-parse", "HEAD") != head
        assert free_kib > 200 or result.code == 2
    finally:
        subprocess.run(["umount", "-l", str(disk)])


# --- 3. git operations in progress ------------------------------------------------------------------


def _conflict(repo: Repository) -> None:
    """Two branches that change acme's owner differently: `other` and `main`."""
    git(repo.root, "checkout", "-qb", "other")
    write_account(repo, "acme", ACME.replace("wang", "zhao"))
    git(repo.root, "checkout", "-q", "main")
    write_account(repo, "acme", ACME.replace("wang", "qian"))


OPERATIONS = {
    "merge": (["merge", "other"], "a merge is in progress"),
    "rebase": (["rebase", "other"], "a rebase is in progress"),
    "cherry-pick": (["cherry-pick", "other"], "a cherry-pick is in progress"),
    "revert": (["revert", "--no-edit", "HEAD~1"], "a revert is in progress"),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_no_commit_in_the_middle_of_a_git_operation(acme: Repository, kam, operation: str) -> None:  # type: ignore[no-untyped-def]
    _conflict(acme)
    if operation == "revert":
        write_account(acme, "acme", ACME.replace("wang", "sun"))
    args, words = OPERATIONS[operation]
    assert subprocess.run(["git", "-C", str(acme.root), *args], capture_output=True).returncode != 0
    head, status = gitcmd.head(acme.root), _status(acme)
    bohai = (acme.accounts_dir / "bohai.yaml").read_bytes()
    result = kam("--repo", str(acme.root), "set", "bohai", "owner=li")
    assert result.code == 2
    assert words in result.err and "finish or abort it first" in result.err and "nothing saved" in result.err
    assert gitcmd.head(acme.root) == head and _status(acme) == status
    assert (acme.accounts_dir / "bohai.yaml").read_bytes() == bohai


def test_no_commit_on_a_detached_head_or_during_a_bisect(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(acme, "acme", ACME.replace("wang", "qian"))
    git(acme.root, "bisect", "start", "HEAD", "HEAD~2")
    result = kam("--repo", str(acme.root), "set", "bohai", "owner=li")
    assert result.code == 2 and "a bisect is in progress: finish or abort it first" in result.err
    git(acme.root, "bisect", "reset")
    git(acme.root, "checkout", "-q", "--detach", "HEAD")
    result = kam("--repo", str(acme.root), "set", "bohai", "owner=li")
    assert result.code == 2 and "HEAD is detached" in result.err
    git(acme.root, "checkout", "-q", "main")
    assert kam("--repo", str(acme.root), "set", "bohai", "owner=li").code == 0


def test_a_tick_is_refused_during_a_rebase_too(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(acme.root), "attach", "acme", "maintenance").code == 0
    _conflict(acme)
    subprocess.run(["git", "-C", str(acme.root), "rebase", "other"], capture_output=True)
    result = kam("--repo", str(acme.root), "check", "acme", "maintenance", "1")
    assert result.code == 2 and "a rebase is in progress" in result.err


def test_the_seam_lets_a_merge_finishing_command_write(acme: Repository) -> None:
    from kam_tui.store.transaction import FileChange, Transaction

    _conflict(acme)
    subprocess.run(["git", "-C", str(acme.root), "merge", "other"], capture_output=True)
    with Transaction(acme, finishing=frozenset({"merge"})) as tx:
        assert tx.read("accounts/bohai.yaml") is not None
    with pytest.raises(Exception, match="a merge is in progress"), Transaction(acme) as tx:
        tx.commit([FileChange("accounts/bohai.yaml", b"x", b"y")], "x")


# --- 5. stale git locks -----------------------------------------------------------------------------


@pytest.mark.parametrize("lock", ["HEAD.lock", "refs/heads/main.lock", "index.lock"])
def test_a_stale_git_lock_is_waited_for_then_named_and_never_deleted(
    acme: Repository, kam, monkeypatch, lock: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(gitcmd, "_BACKOFF", (0.01, 0.01))
    held = acme.root / ".git" / lock
    held.write_bytes(b"")
    path = acme.accounts_dir / "acme.yaml"
    before, head = path.read_bytes(), gitcmd.head(acme.root)
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert result.code == 2
    assert f"another git process holds {held}" in result.err
    assert "If no git command is running (check with `ps -e | grep git`)" in result.err
    assert held.exists()
    assert path.read_bytes() == before and gitcmd.head(acme.root) == head and _status(acme) == ""
    held.unlink()
    assert kam("--repo", str(acme.root), "set", "acme", "owner=li").code == 0


# --- 7. the machine's refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "code", "expected"),
    [
        ("write", errno.EACCES, "cannot write accounts/acme.yaml: permission denied; nothing saved"),
        ("write", errno.EROFS, "cannot write accounts/acme.yaml: read-only file system; nothing saved"),
        ("write", errno.EIO, "cannot write accounts/acme.yaml: input/output error; nothing saved"),
    ],
)
def test_the_machines_refusals_are_refusals_not_bugs(
    acme: Repository, kam, monkeypatch, stage: str, code: int, expected: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(atomic.FAULTS, stage, code)
    path = acme.accounts_dir / "acme.yaml"
    before = path.read_bytes()
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert (result.code, result.err) == (2, f"kam: {expected}\n")
    assert path.read_bytes() == before and _status(acme) == ""


def test_a_file_that_cannot_be_set_aside_is_left_as_it_was(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(atomic.FAULTS, "aside", errno.EIO)
    path = acme.accounts_dir / "acme.yaml"
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert (result.code, result.err) == (2, "kam: cannot write accounts/acme.yaml: input/output error; nothing saved\n")
    assert path.read_text() == ACME and _status(acme) == ""


def test_a_checklist_folder_that_cannot_be_made_is_named(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (acme.root / "checklists").mkdir()
    monkeypatch.setitem(atomic.FAULTS, "mkdir", errno.EACCES)
    result = kam("--repo", str(acme.root), "attach", "acme", "maintenance")
    assert (result.code, result.err) == (2, "kam: cannot write checklists/acme: permission denied; nothing saved\n")
    assert not (acme.root / "checklists" / "acme").exists() and _status(acme) == ""


def test_git_that_may_not_write_its_files_is_named(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real_git = gitcmd.git

    def denied(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        if args[0] == "add":
            lock = root / ".git" / "index.lock"
            return subprocess.CompletedProcess(args, 128, "", f"fatal: Unable to create '{lock}': Permission denied\n")
        return real_git(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gitcmd, "git", denied)
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert (result.code, result.err) == (2, "kam: cannot write .git/index.lock: permission denied; nothing saved\n")


def test_a_kam_state_folder_that_cannot_be_made_is_named(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.rmtree(acme.root / ".git" / "kam")
    monkeypatch.setitem(atomic.FAULTS, "mkdir", errno.EACCES)
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert (result.code, result.err) == (2, "kam: cannot write .git/kam: permission denied; nothing saved\n")


def _without_privileges() -> list[str] | None:
    """The command prefix that runs kam as a user the file modes bind: nothing for a normal user;
    for root (CI), `setpriv` dropping every capability, so root is held to the modes like anyone
    (its own uid stays, so git's safe.directory and the checkout's read rights are as before).
    None when neither is possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


DENIED = {
    "accounts": ("accounts", ["set", "acme", "owner=li"], "accounts/acme.yaml"),
    "checklist folder": ("checklists/acme", ["check", "acme", "maintenance", "1"], "checklists/acme/maintenance.md"),
    ".git": (".git", ["set", "acme", "owner=li"], ".git/index.lock"),
}


@pytest.mark.parametrize("case", sorted(DENIED))
def test_permission_denied_for_real(acme: Repository, kam, case: str) -> None:  # type: ignore[no-untyped-def]
    prefix = _without_privileges()
    if prefix is None:
        pytest.skip("running as root without setpriv (util-linux) to drop its capabilities")
    assert kam("--repo", str(acme.root), "attach", "acme", "maintenance").code == 0
    folder, args, path = DENIED[case]
    head, before = gitcmd.head(acme.root), (acme.accounts_dir / "acme.yaml").read_bytes()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    (acme.root / folder).chmod(0o555)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "kam_tui", "--repo", str(acme.root), *args],
            capture_output=True,
            text=True,
            env=env,
        )
    finally:
        (acme.root / folder).chmod(0o755)
    assert (result.returncode, result.stderr) == (2, f"kam: cannot write {path}: permission denied; nothing saved\n")
    assert gitcmd.head(acme.root) == head and _status(acme) == ""
    assert (acme.accounts_dir / "acme.yaml").read_bytes() == before


def test_an_accounts_folder_that_may_not_be_read_is_a_refusal(acme: Repository) -> None:
    """Reading, too: an unreadable accounts/ is named with why (exit 2), never an internal error."""
    prefix = _without_privileges()
    if prefix is None:
        pytest.skip("running as root without setpriv (util-linux) to drop its capabilities")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    acme.accounts_dir.chmod(0o000)
    try:
        listed = [
            subprocess.run(
                [*prefix, sys.executable, "-m", "kam_tui", "--repo", str(acme.root), *lang, "list"],
                capture_output=True,
                text=True,
                env=env,
            )
            for lang in ((), ("--lang", "zh"))
        ]
    finally:
        acme.accounts_dir.chmod(0o755)
    assert [(r.returncode, r.stdout, r.stderr) for r in listed] == [
        (2, "", "kam: cannot read accounts: permission denied\n"),
        (2, "", "kam: 无法读取 accounts：权限不足\n"),
    ]


# --- 10. git's messages as lines --------------------------------------------------------------------


def test_a_hooks_message_of_several_lines_is_printed_as_lines(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _hook(acme, "pre-commit", "printf 'policy: no commits today\\nask \\033[31mli\\033[0m why\\n' >&2\nexit 1\n")
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert result.code == 2
    assert result.err.splitlines() == ["kam: git: policy: no commits today", "ask \\x1b[31mli\\x1b[0m why"]


# --- 18. a read-only file ---------------------------------------------------------------------------


def test_replacing_a_read_only_account_file_says_so(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    path = acme.accounts_dir / "acme.yaml"
    path.chmod(0o444)
    result = kam("--repo", str(acme.root), "set", "acme", "owner=li")
    assert result.code == 0
    assert "accounts/acme.yaml was read-only (0444); kam replaced it and kept it read-only" in result.err
    assert (path.stat().st_mode & 0o777) == 0o444 and "owner: li" in path.read_text()
