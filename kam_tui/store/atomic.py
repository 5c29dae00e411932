"""Crash-safe file replacement: the file is always exactly the old bytes or the new ones."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

TMP_PREFIX = ".kam-tmp-"

# The fault-injection seam: stage -> errno raised there. Tests set it to provoke failures a root
# process on a roomy disk never meets (disk full, permission denied, I/O errors); empty otherwise.
FAULTS: dict[str, int] = {}


def fault(stage: str, path: Path) -> None:
    """Raise the OSError a test asked for at this stage, if any."""
    code = FAULTS.get(stage)
    if code is not None:
        raise OSError(code, os.strerror(code), str(path))


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` via a temporary file in the same folder, fsync, rename, fsync folder.

    `durable=False` skips the fsyncs: still never half a file, but a power cut may lose the
    write (right for caches, which are rebuilt; never for repository files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = prepare(path, data, durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def prepare(path: Path, data: bytes, durable: bool = True) -> Path:
    """A temporary file beside `path` holding `data` (synced when `durable`), for a rename onto it.

    It takes the old file's permission bits (mkstemp would leave 0600). Safe to run in threads:
    a save of many files prepares them at once, so their fsyncs overlap."""
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX + path.name + ".", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            fault("write", path)
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            if durable:
                os.fsync(handle.fileno())
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return Path(tmp_name)


def make_folders(folder: Path, created: list[Path] | None = None) -> list[Path]:
    """Create `folder` and any missing parents; return (and add to `created`, as it goes, so a
    failure half way still says what was made) the ones created, outermost first."""
    created = [] if created is None else created
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        fault("mkdir", new)
        new.mkdir()
        created.append(new)
    return created


def keep_aside(path: Path) -> Path:
    """A second name (hard link) for the file at `path`, so putting it back is a rename: no free
    space needed, whatever happened to the disk meanwhile. Falls back to a copy where the file
    system has no hard links."""
    aside = path.with_name(f"{TMP_PREFIX}{path.name}.old")
    aside.unlink(missing_ok=True)
    fault("aside", path)
    try:
        os.link(path, aside, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        write_atomic(aside, path.read_bytes())
    return aside


def remove_atomic(path: Path) -> None:
    path.unlink(missing_ok=True)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
