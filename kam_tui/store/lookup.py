"""Finding the account a person meant: an unknown id gets "did you mean" from ids and names."""

from __future__ import annotations

import difflib

from kam_tui.i18n import _
from kam_tui.model.schema import ID_PATTERN
from kam_tui.store.catalog import load_catalog
from kam_tui.store.repository import AccountNotFound, InvalidAccountId, LoadedAccount, NoSuchAccount, Repository

MAX_SUGGESTIONS = 5


def suggestions(repo: Repository, wanted: str) -> list[str]:
    """Ids that start with or contain what was typed, whose name contains it, or that are close."""
    needle = wanted.strip().lower()
    if not needle:
        return []
    names = {s.id: s.name for s in load_catalog(repo).accounts}
    ids = sorted({p.stem for p in repo.account_files()} | set(names))
    found = [i for i in ids if i.startswith(needle)]
    found += [i for i in ids if needle in i and i not in found]
    found += [i for i in ids if needle in (names.get(i) or "").lower() and i not in found]
    found += [i for i in difflib.get_close_matches(needle, ids, n=3, cutoff=0.6) if i not in found]
    return found[:MAX_SUGGESTIONS]


def not_found(repo: Repository, wanted: str) -> AccountNotFound:
    """The refusal for an id with no file: what was looked for and what was probably meant."""
    close = suggestions(repo, wanted)
    hint = _("did you mean {ids}?").format(ids=_(" or ").join(close)) if close else None
    if not ID_PATTERN.fullmatch(wanted):
        return InvalidAccountId(wanted, hint=hint)
    return NoSuchAccount(wanted, hint=hint)


def load_account(repo: Repository, wanted: str) -> LoadedAccount:
    """The account's file read and checked, or AccountNotFound with suggestions."""
    try:
        return repo.load_account(wanted)
    except AccountNotFound:
        raise not_found(repo, wanted) from None
