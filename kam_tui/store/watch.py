"""What changed on disk since I last looked: for the TUI's live reload (a pull, a hand edit,
`kam set` from another terminal). One stat per file, no file read: cheap enough to run
every second; the caller rereads only the files named."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kam_tui.store import gitcmd
from kam_tui.store.repository import ACCOUNTS, CHECKLISTS, SETTINGS_FILE, Repository

FileKey = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True)
class DiskState:
    """A fingerprint of the files kam shows: their stat keys and the commit HEAD names."""

    files: dict[str, FileKey]
    head: str | None


@dataclass(frozen=True)
class DiskChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    head_moved: bool = False  # a commit, pull or checkout happened (history views are stale)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.head_moved)


def _scan(folder: Path, rel: str, suffix: str, out: dict[str, FileKey], depth: int) -> None:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if depth and entry.is_dir(follow_symlinks=False):
            _scan(Path(entry.path), f"{rel}/{name}", suffix, out, depth - 1)
        elif name.endswith(suffix):
            st = entry.stat(follow_symlinks=False)
            out[f"{rel}/{name}"] = (st.st_size, st.st_mtime_ns, st.st_ino)


def disk_state(repo: Repository) -> DiskState:
    """The accounts, checklists and kam.yaml as they are now."""
    files: dict[str, FileKey] = {}
    _scan(repo.root / ACCOUNTS, ACCOUNTS, ".yaml", files, 0)
    _scan(repo.root / CHECKLISTS, CHECKLISTS, ".md", files, 1)
    try:
        st = (repo.root / SETTINGS_FILE).stat()
        files[SETTINGS_FILE] = (st.st_size, st.st_mtime_ns, st.st_ino)
    except FileNotFoundError:
        pass
    return DiskState(files, gitcmd.head(repo.root))


def changes_since(repo: Repository, before: DiskState) -> tuple[DiskState, DiskChanges]:
    """The state now, and which files were added, changed or removed since `before`."""
    now = disk_state(repo)
    old, new = before.files, now.files
    return now, DiskChanges(
        added=sorted(rel for rel in new if rel not in old),
        changed=sorted(rel for rel in new if rel in old and new[rel] != old[rel]),
        removed=sorted(rel for rel in old if rel not in new),
        head_moved=now.head != before.head,
    )
