"""`kam sync`: fetch, merge (never rebase: every tick keeps its commit), push the branch and
the `review/*` tags — never forced. On a conflict the repository is left in git's normal
conflicted state and the caller is told which account fields conflict and by whom.

The TUI uses the same functions: `ahead_behind` (no network) for its status line, `sync`
with a progress callback in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kam_tui.i18n import _
from kam_tui.model.errors import PROBLEMS_FOUND, KamError
from kam_tui.model.problems import Problem
from kam_tui.store import gitcmd
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, REVIEW_TAG, Repository
from kam_tui.store.conflicts import describe_conflicts

Progress = Callable[[str], None]


class SyncRefused(KamError):
    """Sync did not start; nothing changed."""


class SyncConflict(KamError):
    """The merge stopped on a real disagreement; the repository is in git's conflicted state."""

    def __init__(self, message: str, problems: list[Problem], hint: str) -> None:
        super().__init__(message, exit_code=PROBLEMS_FOUND, hint=hint, problems=problems)


@dataclass(frozen=True)
class Upstream:
    remote: str
    branch: str  # the local branch
    ref: str  # the remote-tracking ref, e.g. refs/remotes/origin/main


@dataclass(frozen=True)
class AheadBehind:
    ahead: int
    behind: int
    upstream: str | None  # e.g. origin/main; None without one (nothing fetched yet)


@dataclass(frozen=True)
class FileChangeSummary:
    rel: str
    authors: tuple[str, ...]


@dataclass
class SyncReport:
    came_in: list[FileChangeSummary] = field(default_factory=list)
    commits_in: int = 0
    went_out: list[str] = field(default_factory=list)  # subjects of the commits pushed
    tags_out: list[str] = field(default_factory=list)
    merged: bool = False  # a merge commit was made (else a fast-forward or nothing)


def remote_of(root: Path) -> str | None:
    """The current branch's upstream remote, else `origin`, else None."""
    branch = current_branch(root)
    if branch:
        result = gitcmd.git(root, "config", "--get", f"branch.{branch}.remote", check=False)
        if result.returncode == 0 and result.stdout.strip() not in ("", "."):
            return result.stdout.strip()
    remotes = gitcmd.git(root, "remote").stdout.split()
    return "origin" if "origin" in remotes else None


def current_branch(root: Path) -> str | None:
    result = gitcmd.git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return result.stdout.strip() or None


def upstream(root: Path) -> Upstream | None:
    branch = current_branch(root)
    remote = remote_of(root)
    if branch is None or remote is None:
        return None
    merge = gitcmd.git(root, "config", "--get", f"branch.{branch}.merge", check=False).stdout.strip()
    name = merge.removeprefix("refs/heads/") if merge else branch
    return Upstream(remote, branch, f"refs/remotes/{remote}/{name}")


def _exists(root: Path, ref: str) -> bool:
    return gitcmd.git(root, "rev-parse", "--verify", "-q", ref, check=False).returncode == 0


def _count(root: Path, spec: str) -> int:
    return int(gitcmd.git(root, "rev-list", "--count", spec).stdout.strip() or 0)


def ahead_behind(repo: Repository) -> AheadBehind:
    """Commits to push and to pull, as of the last fetch (no network: cheap enough for a status line)."""
    up = upstream(repo.root)
    if up is None or not _exists(repo.root, up.ref) or gitcmd.head(repo.root) is None:
        return AheadBehind(0, 0, None)
    out = gitcmd.git(repo.root, "rev-list", "--left-right", "--count", f"HEAD...{up.ref}").stdout.split()
    return AheadBehind(int(out[0]), int(out[1]), up.ref.removeprefix("refs/remotes/"))


def operation_in_progress(root: Path) -> str | None:
    """The git operation waiting for the user here ("merge", "rebase", …), or None."""
    found = gitcmd.operation_in_progress(gitcmd.git_dir(root))
    return found[0] if found else None


def _refuse_unless_ready(repo: Repository) -> Upstream:
    root = repo.root
    if gitcmd.head(root) is None:
        raise SyncRefused(_("this repository has no commits yet; nothing to sync"))
    operation = operation_in_progress(root)
    if operation:
        raise SyncRefused(
            _("a {operation} is in progress; finish it first").format(operation=_(operation)),
            hint=_(
                "after a conflicted `kam sync`: `kam resolve ID …` then `kam sync --continue`, or `kam sync --abort`"
            ),
        )
    if current_branch(root) is None:
        raise SyncRefused(_("HEAD is detached (not on a branch); check out a branch to sync"), hint="git switch main")
    dirty = gitcmd.git(root, "status", "--porcelain=v1", "-z", "--untracked-files=no").stdout
    if dirty:
        files = [entry[3:] for entry in dirty.split("\0") if len(entry) > 3]
        shown = ", ".join(files[:5]) + (" …" if len(files) > 5 else "")
        raise SyncRefused(_("uncommitted changes in {files}; commit or discard them first").format(files=shown))
    up = upstream(root)
    if up is None:
        raise SyncRefused(_("no remote to sync with"), hint="git remote add origin URL")
    return up


def sync(repo: Repository, progress: Progress | None = None) -> SyncReport:
    """Fetch, merge what came in, push what goes out. Raises SyncRefused before touching
    anything, SyncConflict when the merge stops on a conflict."""
    say = progress or (lambda _message: None)
    root = repo.root
    up = _refuse_unless_ready(repo)
    say(_("fetching from {remote}").format(remote=up.remote))
    gitcmd.git(root, "fetch", "--quiet", "--tags", "--end-of-options", up.remote)
    report = SyncReport()
    before = gitcmd.head(root)
    assert before is not None
    if _exists(root, up.ref):
        report.commits_in = _count(root, f"HEAD..{up.ref}")
        if report.commits_in:
            say(
                _("merging {count} commit(s) from {upstream}").format(
                    count=report.commits_in, upstream=up.ref.removeprefix("refs/remotes/")
                )
            )
            report.came_in = incoming(root, before, up.ref)
            _merge(repo, up)
            report.merged = _count(root, "HEAD^@") > 1
    return _push(repo, up, report, say)


def _merge(repo: Repository, up: Upstream) -> None:
    root = repo.root
    result = gitcmd.git(root, "merge", "--no-edit", "--ff", "--quiet", "--end-of-options", up.ref, check=False)
    if result.returncode == 0:
        return
    if operation_in_progress(root) is None:
        raise gitcmd.GitError((result.stderr or result.stdout).strip() or "merge failed")

    raise SyncConflict(
        _("the merge stopped on a real disagreement (above); the repository is in git's conflicted state"),
        describe_conflicts(repo),
        hint=_(
            "settle each with `kam resolve ID --ours|--theirs|FIELD=VALUE…`, then `kam sync --continue`; "
            "or `kam sync --abort` to go back to where you were"
        ),
    )


def _push(repo: Repository, up: Upstream, report: SyncReport, say: Progress) -> SyncReport:
    root = repo.root
    remote_known = _exists(root, up.ref)
    outgoing = (
        gitcmd.git(root, "log", "--format=%s", f"{up.ref}..HEAD").stdout.splitlines()
        if remote_known
        else gitcmd.git(root, "log", "--format=%s", "HEAD").stdout.splitlines()
    )
    review_tags = f"refs/tags/{repo.git_prefix}{REVIEW_TAG}"  # this kam folder's, in a larger work tree
    tags = gitcmd.git(root, "for-each-ref", "--format=%(refname)", review_tags).stdout.split()
    if not outgoing and not tags:
        return report
    target = up.ref.removeprefix(f"refs/remotes/{up.remote}/")
    refspecs = [f"HEAD:refs/heads/{target}"] if outgoing else []
    refspecs += [f"{tag}:{tag}" for tag in tags]
    say(_("pushing to {remote}").format(remote=up.remote))
    result = gitcmd.git(root, "push", "--porcelain", "--end-of-options", up.remote, *refspecs, check=False)
    pushed = [line for line in result.stdout.splitlines() if line[:1] in ("*", " ", "+")]
    if result.returncode != 0:
        raise KamError(
            _("git push was refused; nothing was forced: {why}").format(
                why=result.stderr.strip() or result.stdout.strip()
            ),
            hint=_("someone pushed meanwhile: run `kam sync` again"),
        )
    if outgoing and not remote_known:
        gitcmd.git(root, "branch", f"--set-upstream-to={up.remote}/{target}", check=False)
    if outgoing:
        report.went_out = outgoing
    report.tags_out = [
        line.split("\t")[1].split(":")[0].removeprefix("refs/tags/")
        for line in pushed
        if "\t" in line and line.startswith("*") and "refs/tags/" in line
    ]
    return report


def incoming(root: Path, before: str, after: str) -> list[FileChangeSummary]:
    """The account and checklist files changed between two commits, with who changed them."""
    out = gitcmd.git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x01%an",
        "--name-only",
        "--relative",  # named from the kam folder, also inside a larger work tree
        f"{before}..{after}",
        "--",
        ACCOUNTS,
        CHECKLISTS,
    ).stdout
    authors: dict[str, list[str]] = {}
    author = ""
    for line in out.splitlines():
        if line.startswith("\x01"):
            author = line[1:]
        elif line:
            names = authors.setdefault(line, [])
            if author not in names:
                names.append(author)
    return [FileChangeSummary(rel, tuple(names)) for rel, names in sorted(authors.items())]


def _merge_head(root: Path) -> bool:
    return (gitcmd.git_dir(root) / "MERGE_HEAD").exists()


def finish(repo: Repository, progress: Progress | None = None) -> SyncReport:
    """`kam sync --continue`: commit the resolved merge, then push."""
    say = progress or (lambda _message: None)
    root = repo.root
    if not _merge_head(root):
        raise SyncRefused(_("no merge in progress: nothing to continue"), hint=_("`kam sync` starts one"))

    left = describe_conflicts(repo)
    if left:
        raise SyncRefused(
            _("still conflicted (above); nothing committed"),
            problems=left,
            hint=_("`kam resolve ID --ours|--theirs|FIELD=VALUE…` for each, then `kam sync --continue` again"),
        )
    up = upstream(root)
    if up is None:
        raise SyncRefused(_("no remote to sync with"), hint="git remote add origin URL")
    say(_("committing the merge"))
    result = gitcmd.git(root, "commit", "--no-edit", "--quiet", check=False)
    if result.returncode != 0:
        raise KamError(
            _("the merge commit was refused: {why}").format(why=result.stderr.strip() or result.stdout.strip()),
            hint=_("fix what is reported, `git add` it, and run `kam sync --continue` again"),
        )
    return _push(repo, up, SyncReport(merged=True), say)


def abort(repo: Repository) -> None:
    """`kam sync --abort`: back to before the merge (git's own `merge --abort`)."""
    if not _merge_head(repo.root):
        raise SyncRefused(_("no merge in progress: nothing to abort"))
    gitcmd.git(repo.root, "merge", "--abort")
