"""Reading repository files without trusting them: regular files only, never through a
symlink, never blocking on a FIFO, never more than the size limit into memory."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from kam_tui.i18n import _
from kam_tui.model.errors import KamError

MAX_FILE_BYTES = 1024 * 1024


class Unreadable(KamError):
    """The path exists but is not a file kam will read; the message says why."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The file's bytes, None when it does not exist, or Unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable(_("is a symbolic link; kam reads only regular files in the repository")) from None
        if exc.errno == errno.EISDIR:
            raise Unreadable(_("is a folder, not a file")) from None
        raise Unreadable(_("cannot be read: {reason}").format(reason=exc.strerror)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable(_("is a folder, not a file"))
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(_("is not a regular file (a device, FIFO or socket); kam does not read it"))
        if info.st_size > limit:
            raise Unreadable(
                _("is {size} bytes; kam reads files of at most {limit} KiB").format(
                    size=f"{info.st_size:,}", limit=f"{limit // 1024:,}"
                )
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(_("grew past {limit} KiB while being read").format(limit=f"{limit // 1024:,}"))
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(_("cannot be read: {reason}").format(reason=exc.strerror)) from None
    finally:
        os.close(fd)
