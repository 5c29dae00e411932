"""The git binary, driven with argument lists.

Measured: GitPython's `index.add` + `index.commit` costs ~590 ms per commit at 10,000
files and drops commits when two processes race; the git binary costs ~90 ms and moves
HEAD with an old-value check. So kam runs `git` itself: never through a shell, always
with `--` before paths, user text only ever as the value of `--opt=VALUE` or on stdin.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kam_tui.i18n import N_, _
from kam_tui.model.errors import KamError


class GitError(KamError):
    """A git command failed; the message is git's own, trimmed, after `git: `."""

    def __init__(self, message: str) -> None:
        super().__init__(f"git: {message}")


class GitBusy(GitError):
    """Another git process holds one of git's lock files (the index, HEAD, a branch)."""


class GitCannotWrite(GitError):
    """git could not write its files (disk full, permission denied): the machine's problem, not a
    busy lock; `reason` says it in a few words, `path` is what git named, if anything."""

    def __init__(self, message: str, reason: str, path: str | None) -> None:
        super().__init__(message)
        self.reason = reason
        self.path = path


_BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.8, 1.2, 1.6)
_LOCK_HELD = re.compile(r"Unable to create '([^']+\.lock)': File exists")
_CANNOT_WRITE = (  # git's words (it runs with LC_ALL=C) → ours, said in the reader's language when shown
    ("No space left on device", N_("disk full")),
    ("Out of diskspace", N_("disk full")),
    ("Disk quota exceeded", N_("disk quota exceeded")),
    ("Read-only file system", N_("read-only file system")),
    ("Permission denied", N_("permission denied")),
    ("insufficient permission", N_("permission denied")),
)
_QUOTED_PATH = re.compile(r"'(/[^']+)'")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    env.pop("GIT_INDEX_FILE", None)
    return env


def committing_index() -> dict[str, str]:
    """In a pre-commit hook: the index git is committing, which `git commit -a` or `git commit
    FILE` puts in a temporary file named by GIT_INDEX_FILE (relative to where the hook runs).
    Everything else kam runs ignores that variable (see `_env`)."""
    index = os.environ.get("GIT_INDEX_FILE")
    return {"GIT_INDEX_FILE": os.path.abspath(index)} if index else {}


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


def git_bytes(root: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    result = subprocess.run(
        ["git", "-C", str(root), *args], input=stdin, capture_output=True, env={**_env(), **(env or {})}
    )
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return result.stdout


def cannot_write(message: str) -> GitCannotWrite | None:
    """git's failure as an environment problem (disk full, permission denied), or None."""
    for words, reason in _CANNOT_WRITE:
        if words in message:
            named = _QUOTED_PATH.search(message)
            return GitCannotWrite(message, reason, named.group(1) if named else None)
    return None


def _retrying(
    root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command that takes git's locks, waiting politely while another git process holds one."""
    for delay in (*_BACKOFF, None):
        result = git(root, *args, stdin=stdin, env=env, check=False)
        if result.returncode == 0:
            return result
        message = (result.stderr or result.stdout).strip()
        held = _LOCK_HELD.search(message)
        if held is None:
            raise cannot_write(message) or GitError(message or f"git {args[0]} failed")
        if delay is None:
            raise GitBusy(
                _(
                    "another git process holds {file}; kam waited and gave up.\n"
                    "If no git command is running (check with `ps -e | grep git`), that process died and "
                    "left the file behind: remove it yourself, then try again"
                ).format(file=held.group(1))
            )
        time.sleep(delay)
    raise AssertionError("unreachable")


def git_dir(root: Path) -> Path:
    out = git(root, "rev-parse", "--absolute-git-dir").stdout.strip()
    return Path(out)


@dataclass(frozen=True, slots=True)
class WorkTree:
    """Where a folder sits in git: its work tree's git dir (HEAD, index, MERGE_HEAD live there),
    the top of the work tree, and the folder's path below it ("" at the top, else "sales/")."""

    git_dir: Path
    top: Path
    prefix: str


def work_tree(folder: Path) -> WorkTree | None:
    """The git work tree `folder` is in, or None (not in one, or a bare repository)."""
    result = git(folder, "rev-parse", "--absolute-git-dir", "--show-toplevel", "--show-prefix", check=False)
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 3 or not lines[1]:
        return None
    return WorkTree(Path(lines[0]), Path(lines[1]), lines[2])


# What a git dir holds while an operation waits for the user, and how to finish or abort it.
# The names are English ids (callers compare them), said in the reader's language with `_()`,
# as is the how. A merge is finished kam's way (`kam sync` starts them; `--continue` finishes
# any merge and checks it first).
OPERATIONS = (
    (
        "MERGE_HEAD",
        N_("merge"),
        N_("`kam resolve ID …` for each conflict, then `kam sync --continue`; or `kam sync --abort`"),
    ),
    ("rebase-merge", N_("rebase"), N_("`git rebase --continue` or `git rebase --abort`")),
    ("rebase-apply/applying", N_("git am"), N_("`git am --continue` or `git am --abort`")),
    ("rebase-apply", N_("rebase"), N_("`git rebase --continue` or `git rebase --abort`")),
    ("CHERRY_PICK_HEAD", N_("cherry-pick"), N_("`git cherry-pick --continue` or `git cherry-pick --abort`")),
    ("REVERT_HEAD", N_("revert"), N_("`git revert --continue` or `git revert --abort`")),
    ("sequencer", N_("cherry-pick"), N_("`git cherry-pick --continue` or `git cherry-pick --abort`")),
    ("BISECT_LOG", N_("bisect"), N_("`git bisect reset`")),
)


def operation_in_progress(git_dir: Path) -> tuple[str, str] | None:
    """(operation, how to finish or abort it) when a merge, rebase, cherry-pick, revert or bisect
    is waiting for the user in this work tree; None otherwise."""
    for marker, name, how in OPERATIONS:
        if (git_dir / marker).exists():
            return name, _(how)
    return None


def is_detached(git_dir: Path) -> bool:
    """HEAD names a commit, not a branch: a commit made now belongs to no branch."""
    try:
        return not (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").startswith("ref:")
    except FileNotFoundError:
        return False


def head(root: Path) -> str | None:
    result = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return result.stdout.strip() or None


MANY_PATHS = 100  # past this many paths, `is_dirty` asks git about their folders


def is_dirty(root: Path, rel_paths: list[str], prefix: str = "") -> list[str]:
    """Which of these paths differ from HEAD in the work tree or index (untracked new files count).
    git names them from the top of the work tree; `prefix` (the folder's path there) is cut off.

    git matches every file it looks at against every path it is given: 1.7 s of CPU for an
    import's 10,000 paths. Past MANY_PATHS it is asked about their folders (0.1 s) and its
    answer narrowed to these paths. Renames are not paired: both names of one are listed."""
    if not rel_paths:
        return []
    many = len(rel_paths) > MANY_PATHS
    specs = sorted({p.rpartition("/")[0] or "." for p in rel_paths}) if many else rel_paths
    args = ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", *specs]
    found = [entry[3:].removeprefix(prefix) for entry in git(root, *args).stdout.split("\0") if len(entry) > 3]
    if many:
        wanted = set(rel_paths)
        return [path for path in found if path in wanted]
    return found


def unmerged(root: Path) -> list[tuple[str, str]]:
    """Paths below `root` that a merge left unmerged, from git's index: (path, how) where how is
    git's two-letter code (UU both modified, UD deleted by them, DU deleted by us, AA, ...)."""
    out = git(root, "ls-files", "-u", "-z", "--", ".", check=False).stdout
    stages: dict[str, set[str]] = {}
    for entry in out.split("\0"):
        meta, _tab, path = entry.partition("\t")
        if path:
            stages.setdefault(path, set()).add(meta.split()[-1])
    return [(path, _unmerged_code(found)) for path, found in sorted(stages.items())]


UNMERGED = {
    "UU": "changed on both sides",
    "AA": "added on both sides",
    "UD": "deleted on the other side",
    "DU": "deleted on this side",
    "AU": "added on this side only",
    "UA": "added on the other side only",
}


def _unmerged_code(stages: set[str]) -> str:
    ours, theirs = "2" in stages, "3" in stages
    if "1" not in stages:
        return "AA" if ours and theirs else ("AU" if ours else "UA")
    return "UU" if ours and theirs else ("UD" if ours else "DU")


def shallow_boundary(root: Path) -> set[str]:
    """The commits a shallow clone's history is cut at (their parents were not fetched)."""
    where = git(root, "rev-parse", "--path-format=absolute", "--git-path", "shallow", check=False).stdout.strip()
    try:
        return set(Path(where).read_text(encoding="ascii", errors="replace").split()) if where else set()
    except FileNotFoundError:
        return set()


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
    # kam validated this change itself: its own pre-commit hook skips it (a chained hook still runs)
    _retrying(root, *args, "--", *rel_paths, stdin=message, env={**(env or {}), "KAM_VALIDATED": "1"})
    sha = head(root)
    assert sha is not None
    return sha


def identity_problem(root: Path) -> str | None:
    """Why git could not author a commit here, or None."""
    result = git(root, "var", "GIT_COMMITTER_IDENT", check=False)
    if result.returncode != 0:
        return _(
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
        raise GitError(_("'{ref}' is not a revision").format(ref=ref))
    result = git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if result.returncode == 0:
        return result.stdout.strip()
    raise GitError(_("'{ref}' is not a git revision").format(ref=ref))


def last_commit_before(root: Path, when: str) -> str | None:
    """The newest commit on HEAD made before a date git understands."""
    result = git(root, "rev-list", "-1", f"--before={when}", "HEAD", check=False)
    return result.stdout.strip() or None


def files_at(root: Path, commit: str, folder: str) -> dict[str, bytes]:
    """Every file under `folder` as it was at `commit`: {repo-relative path: bytes}."""
    entries = tree_blobs(root, commit, folder)
    contents = blobs(root, [sha for _rel, sha in entries])
    return {rel: contents[sha] for rel, sha in entries}


def tree_blobs(root: Path, commit: str, folder: str) -> list[tuple[str, str]]:
    """(repo-relative path, blob id) of every file under `folder` at `commit`: names only, no content."""
    listing = git_bytes(root, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", folder)
    entries = []
    for item in listing.split(b"\0"):
        if item:
            meta, _tab, raw_name = item.partition(b"\t")
            _mode, kind, sha = meta.split()
            if kind == b"blob":
                entries.append((raw_name.decode("utf-8", "surrogateescape"), sha.decode()))
    return entries


def blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of git blobs by id, read in one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    batch = git_bytes(root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in wanted).encode())
    out: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        out[sha] = batch[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return out


def file_at(root: Path, commit: str, rel_path: str) -> bytes | None:
    result = subprocess.run(
        ["git", "-C", str(root), "cat-file", "blob", f"{commit}:./{rel_path}"], capture_output=True, env=_env()
    )
    return result.stdout if result.returncode == 0 else None


def read_blobs(root: Path, names: list[str], env: dict[str, str] | None = None) -> list[bytes | None]:
    """Several objects (`SHA`, `:path` in the index, `REV:path`) in one `cat-file --batch`; None where missing."""
    if not names:
        return []
    batch = git_bytes(root, "cat-file", "--batch", stdin="".join(f"{name}\n" for name in names).encode(), env=env)
    out: list[bytes | None] = []
    pos = 0
    for _name in names:
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        if header[-1] in (b"missing", b"ambiguous"):
            out.append(None)
            pos = header_end + 1
            continue
        size = int(header[2])
        out.append(batch[header_end + 1 : header_end + 1 + size])
        pos = header_end + 1 + size + 1
    return out
