"""What the machine said when it would not let kam read or write, in words a person reads."""

from __future__ import annotations

import errno

from kam_tui.i18n import N_, _

_REASONS = {  # English, as the message ids: said in the reader's language
    errno.ENOSPC: N_("disk full"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EROFS: N_("read-only file system"),
}


def reason(exc: OSError) -> str:
    """The message id of why (translate it with `_` where it is shown), else the system's words."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def reason_words(exc: OSError) -> str:
    """Why, in the reader's language."""
    return _(reason(exc))
