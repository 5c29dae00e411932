"""The git binary, driven with argument lists.

Measured: GitPython's `index.add` + `index.commit` costs ~590 ms per commit at 10,000
files and drops commits when two processes race; the git binary costs ~90 ms and moves
HEAD with an old-value check. So kam runs `git` itself: never through a shell, always
with `--` before paths, user text only ever as the value of `--opt=VALUE` or on stdin.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kam_tui.model.errors import KamError


class GitError(KamError):
    """A git command failed; the message is git's own, trimmed, after `git: `."""

    def __init__(self, message: str) -> None:
        super().__init__(f"git: {message}")


class GitBusy(GitError):
    """Another git process holds the index lock."""


_BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.8, 1.2, 1.6)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    env.pop("GIT_INDEX_FILE", None)
    return env


def git(
    root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    full_env = _env()
    if env:
        full_env.update(env)
    result = subprocess.run(
        ["git", "-C", str(root), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        encoding="utf-8",
        errors="replace",
    )
    if check and result.returncode != 0:
        raise GitError((result.stderr or result.stdout).strip() or f"git {args[0]} failed")
    return result


def git_bytes(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, env=_env())
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return result.stdout


def _retrying(
    root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command that takes the index lock, waiting politely for another git process."""
    for delay in (*_BACKOFF, None):
        result = git(root, *args, stdin=stdin, env=env, check=False)
        if result.returncode == 0:
            return result
        message = (result.stderr or result.stdout).strip()
        if "index.lock" not in message:
            raise GitError(message or f"git {args[0]} failed")
        if delay is None:
            lock = git_dir(root) / "index.lock"
            raise GitBusy(
                f"another git process holds {lock}; kam waited and gave up. If no git "
                "command is running, that process died: check, then remove the file yourself"
            )
        time.sleep(delay)
    raise AssertionError("unreachable")


def git_dir(root: Path) -> Path:
    out = git(root, "rev-parse", "--absolute-git-dir").stdout.strip()
    return Path(out)


def head(root: Path) -> str | None:
    result = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return result.stdout.strip() or None


def is_dirty(root: Path, rel_paths: list[str]) -> list[str]:
    """Which of these paths differ from HEAD in the work tree or index (untracked new files count)."""
    if not rel_paths:
        return []
    out = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rel_paths).stdout
    return [entry[3:] for entry in out.split("\0") if len(entry) > 3]


def commit_paths(
    root: Path, rel_paths: list[str], message: str, author: str | None = None, env: dict[str, str] | None = None
) -> str:
    """Commit exactly these paths (whatever else is staged stays staged) and return the new hash.

    git moves HEAD with an old-value check, so a racing writer fails loudly instead of
    silently losing a commit."""
    _retrying(root, "add", "-A", "--", *rel_paths, env=env)
    args = ["commit", "--quiet", "--only", "--no-edit", "-F", "-"]
    if author:
        args.append(f"--author={author}")
    _retrying(root, *args, "--", *rel_paths, stdin=message, env=env)
    sha = head(root)
    assert sha is not None
    return sha


def identity_problem(root: Path) -> str | None:
    """Why git could not author a commit here, or None."""
    result = git(root, "var", "GIT_COMMITTER_IDENT", check=False)
    if result.returncode != 0:
        return (
            'git does not know who you are: run `git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.com` (or set them in this repository)"
        )
    return None


@dataclass(frozen=True, slots=True)
class Commit:
    hash: str
    date: str  # ISO 8601 with offset
    author: str
    email: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "hash": self.hash,
            "date": self.date,
            "author": self.author,
            "email": self.email,
            "message": self.message,
        }


def log(root: Path, rel_paths: list[str], limit: int | None = None) -> list[Commit]:
    """Commits touching any of these paths, newest first."""
    if head(root) is None:
        return []
    args = ["log", "-z", "--format=%H%x1f%aI%x1f%an%x1f%ae%x1f%s"]
    if limit:
        args.append(f"--max-count={limit}")
    out = git(root, *args, "--", *rel_paths).stdout
    commits = []
    for record in out.split("\0"):
        record = record.strip("\n")
        if record:
            sha, date, name, email, subject = record.split("\x1f", 4)
            commits.append(Commit(sha, date, name, email, subject))
    return commits


def resolve_revision(root: Path, ref: str) -> str:
    """The commit hash a revision names (a hash, branch, tag, `HEAD~3`)."""
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a revision")
    result = git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if result.returncode == 0:
        return result.stdout.strip()
    raise GitError(f"'{ref}' is not a git revision")


def last_commit_before(root: Path, when: str) -> str | None:
    """The newest commit on HEAD made before a date git understands."""
    result = git(root, "rev-list", "-1", f"--before={when}", "HEAD", check=False)
    return result.stdout.strip() or None


def files_at(root: Path, commit: str, folder: str) -> dict[str, bytes]:
    """Every file under `folder` as it was at `commit`: {repo-relative path: bytes}."""
    listing = git_bytes(root, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", folder)
    entries = []
    for item in listing.split(b"\0"):
        if item:
            meta, _, raw_name = item.partition(b"\t")
            _mode, kind, sha = meta.split()
            if kind == b"blob":
                entries.append((raw_name.decode("utf-8", "surrogateescape"), sha.decode()))
    if not entries:
        return {}
    batch = git_bytes(root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in entries).encode())
    out: dict[str, bytes] = {}
    pos = 0
    for rel, _sha in entries:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        out[rel] = batch[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return out


def file_at(root: Path, commit: str, rel_path: str) -> bytes | None:
    result = subprocess.run(
        ["git", "-C", str(root), "cat-file", "blob", f"{commit}:{rel_path}"], capture_output=True, env=_env()
    )
    return result.stdout if result.returncode == 0 else None
