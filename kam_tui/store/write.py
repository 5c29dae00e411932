"""The one write path: lock, re-read, check, write atomically, commit, or put everything back.

Every change to a repository (an account field, a new account, a checklist tick) goes
through `Transaction.commit`, so each is validated by its caller, atomic, never clobbers
a file changed behind our back, and is exactly one git commit.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from types import TracebackType

from kam_tui.model.errors import KamError
from kam_tui.store import gitcmd
from kam_tui.store.atomic import remove_atomic, write_atomic
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.repository import Repository

LOCK_WAIT_SECONDS = 60.0


class WriteRefused(KamError):
    """The change was not made; the repository is as it was."""


class Conflict(WriteRefused):
    """The file changed on disk since it was read."""


@dataclass(frozen=True)
class FileChange:
    rel: str
    new: bytes | None  # None deletes the file
    old: bytes | None  # what we read; None means the file must not exist yet


def check_author(author: str | None) -> str | None:
    if author is None or author == "":
        return None
    if "<" not in author or not author.rstrip().endswith(">") or author.lstrip().startswith("-"):
        raise WriteRefused(f"author '{author}' must look like 'Name <email>'")
    return author.strip()


class Transaction:
    """Holds the repository-wide write lock (flock on .git/kam/lock) for one change."""

    def __init__(self, repo: Repository, author: str | None = None, env: dict[str, str] | None = None) -> None:
        self.repo = repo
        self.author = check_author(author if author is not None else os.environ.get("KAM_AUTHOR"))
        self.env = env  # extra git environment, e.g. the demo's back-dated commits
        self._fd: int | None = None

    def __enter__(self) -> Transaction:
        state = self.repo.state_dir
        if not state.parent.is_dir():
            raise WriteRefused(f"{self.repo.root} is not a git work tree; run `git init` there first")
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise WriteRefused("another kam process has held the write lock for a minute; try again") from None
                time.sleep(0.01)
        self._fd = fd
        for leftover in self.repo.leftovers():  # under the lock, any temp file is a dead writer's
            leftover.unlink(missing_ok=True)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def read(self, rel: str) -> bytes | None:
        try:
            return read_regular(self.repo.root / rel)
        except Unreadable as exc:
            raise WriteRefused(f"{rel} {exc}") from None

    def commit(self, changes: list[FileChange], message: str) -> str:
        """Write and commit these files as one commit; on any failure put every file back."""
        assert self._fd is not None, "commit() needs the lock: use `with Transaction(...)`"
        root = self.repo.root
        rels = [c.rel for c in changes]
        if all(c.new == c.old for c in changes):
            raise WriteRefused("nothing to change: the files already hold these contents")
        for change in changes:
            current = self.read(change.rel)
            if current != change.old:
                what = (
                    "was created" if change.old is None else ("was deleted" if current is None else "changed on disk")
                )
                raise Conflict(
                    f"{change.rel} {what} since it was read; nothing saved. Reload and make the change again."
                )
        dirty = gitcmd.is_dirty(root, [c.rel for c in changes if c.old is not None])
        if dirty:
            raise WriteRefused(
                f"{', '.join(dirty)} has changes not committed to git; commit or "
                "discard them first, so kam's commit contains only its own change"
            )
        env = {**(self._identity_env() or {}), **(self.env or {})}
        written: list[FileChange] = []
        try:
            for change in changes:
                path = root / change.rel
                if change.new is None:
                    remove_atomic(path)
                else:
                    write_atomic(path, change.new)
                written.append(change)
            return gitcmd.commit_paths(root, rels, message, self.author, env)
        except BaseException:
            self._restore(written)
            raise

    def _restore(self, written: list[FileChange]) -> None:
        root = self.repo.root
        for change in reversed(written):
            path = root / change.rel
            if change.old is None:
                remove_atomic(path)
            else:
                write_atomic(path, change.old)
        rels = [c.rel for c in written]
        if rels and gitcmd.head(root):
            gitcmd.git(root, "reset", "-q", "--", *rels, check=False)

    def _identity_env(self) -> dict[str, str] | None:
        """Use the author as committer too when git itself knows no identity."""
        problem = gitcmd.identity_problem(self.repo.root)
        if problem is None:
            return None
        if not self.author:
            raise WriteRefused(problem)
        name, _, email = self.author.partition("<")
        return {"GIT_COMMITTER_NAME": name.strip(), "GIT_COMMITTER_EMAIL": email.rstrip(">").strip()}
