"""A revision or a date the person typed, as the commit it names.

One rule for every command that takes a point in history (`score --at/--since`,
`changes --since`): a date alone is the end of that day in the local time zone, or, for
`--since`, its start — so `--since <today>` covers today's commits."""

from __future__ import annotations

import datetime as dt
import re

from kam_tui.i18n import _
from kam_tui.store import gitcmd
from kam_tui.store.repository import Repository

_DATE_LIKE = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T].*)?|\d+ (second|minute|hour|day|week|month|year)s? ago"
    r"|yesterday|today|now"
)


def resolve(repo: Repository, ref: str, start_of_day: bool = False) -> str:
    """A commit for a revision, or for a date: the last commit at the end of that day in the
    local time zone (`--at`), or before its start (`--since`)."""
    try:
        return gitcmd.resolve_revision(repo.root, ref)
    except gitcmd.GitError:
        if not _DATE_LIKE.fullmatch(ref.strip()):
            raise gitcmd.GitError(
                _("'{ref}' is neither a git revision nor a date (YYYY-MM-DD, '3 months ago')").format(ref=ref)
            ) from None
    when = ref.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):  # parsed here: git's own parser stops at 2099
        try:
            day = dt.date.fromisoformat(when)
        except ValueError:
            raise gitcmd.GitError(_("'{ref}' is not a real date").format(ref=ref)) from None
        if start_of_day:  # the last commit strictly before midnight that starts the day
            moment = int(dt.datetime.combine(day, dt.time.min).astimezone().timestamp()) - 1
        else:
            moment = int(dt.datetime.combine(day, dt.time.max).astimezone().timestamp())
        when = f"@{moment}"
    commit = gitcmd.last_commit_before(repo.root, when)
    if commit is None:
        raise NothingBefore(_("no commit before {ref}").format(ref=ref))
    return commit


class NothingBefore(gitcmd.GitError):
    """A date before the repository's first commit."""
