"""Whole accounts for the views that need every period and record (the review's status and report,
the export), cached by git blob id under .git/kam/: a file's content names its entry, so an entry
can never be stale, and an unchanged repository is read without parsing a single file.

Measured at 10,000 accounts: parsing and checking every file takes 6–7 s; building the accounts
from this cache, about half a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kam_tui.model.account import Account, account_from_data
from kam_tui.model.facts import FACTS_VERSION
from kam_tui.model.review import Coverage, coverage
from kam_tui.store.cachefile import read_mapping, write_mapping
from kam_tui.store.catalog import Catalog, load_catalog
from kam_tui.store.factcache import blob_id, fact_key
from kam_tui.store.gcpause import bulk
from kam_tui.store.repository import Repository, read_account

ACCOUNTS_FILE = "accounts.marshal"
VERSION = f"accounts-3|{FACTS_VERSION}"  # the schema's meaning changes with the facts' version


def _encode(value: Any) -> Any:
    """The file's data in marshal's types: dates as ISO text, which `account_from_data` reads back
    as dates (every date field takes the text form, as `kam set` does)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def load_accounts(repo: Repository, catalog: Catalog | None = None) -> tuple[list[Account], int]:
    """Every valid account in file-name order, and how many files were skipped for errors."""
    files, skipped = _per_file(
        repo, catalog or load_catalog(repo), ACCOUNTS_FILE, lambda loaded: _encode(loaded.doc.data)
    )
    accounts = []
    for i, (_id, plain) in enumerate(files):
        accounts.append(account_from_data(plain))
        files[i] = ("", None)  # freed as it is used: 10,000 freed at once hold the interpreter 70 ms
    return accounts, skipped


AT_FILE = "accounts-at.marshal"


def accounts_at(
    repo: Repository, files: list[tuple[str, str]], read: Callable[[list[str]], dict[str, bytes]]
) -> dict[str, Account]:
    """The valid accounts among these file versions of a revision ((path, blob id) in, accounts
    by path out), cached under .git/kam/AT_FILE by file name and blob id for the last revision
    read whole. A report compares with the closed review's tag every time it is made: at 10,000
    accounts parsing the tag's files took 5 s a report. `read` gives the bytes of blob ids."""
    path = repo.cache_dir / AT_FILE if repo.cache_dir else None
    held = read_mapping(path, VERSION)
    keys = {rel: fact_key(rel, blob) for rel, blob in files}
    contents = read([blob for rel, blob in files if keys[rel] not in held])
    kept: dict[str, Any] = {}
    out: dict[str, Account] = {}
    with bulk():
        for rel, blob in files:
            plain = held.get(keys[rel])
            if plain is None:
                loaded = read_account(rel, contents[blob], positions=False)
                if loaded.account is None or loaded.doc is None:
                    continue
                plain = _encode(loaded.doc.data)
            kept[keys[rel]] = plain
            out[rel] = account_from_data(plain)
    if path is not None and kept.keys() != held.keys():
        write_mapping(path, VERSION, kept)
    return out


COVERAGE_FILE = "coverage.marshal"


def _plain_coverage(c: Coverage) -> tuple[Any, ...]:
    since = None if c.since is None else c.since.isoformat()
    return since, c.filled, tuple(d.isoformat() for d in c.surveys)


def _coverage_of(plain: tuple[Any, ...]) -> Coverage:
    since, filled, surveys = plain
    day = dt.date.fromisoformat
    return Coverage(None if since is None else day(since), filled, tuple(map(day, surveys)))


def load_coverage(repo: Repository) -> tuple[dict[str, Coverage], int]:
    """What a review's status needs of every valid account, by id, and how many files were skipped.

    Kept apart from the whole accounts (a few bytes per file instead of kilobytes): the status of
    10,000 accounts reads this and the catalog, and builds no account."""
    files, skipped = _per_file(
        repo, load_catalog(repo), COVERAGE_FILE, lambda loaded: _plain_coverage(coverage(loaded.account))
    )
    return {ident: _coverage_of(plain) for ident, plain in files}, skipped


def _per_file(
    repo: Repository, catalog: Catalog, name: str, plain_of: Callable[[Any], Any]
) -> tuple[list[tuple[str, Any]], int]:
    """(account id, `plain_of` the file) for every valid file in file-name order, cached under
    .git/kam/NAME by git blob id; and how many files were skipped. Only files not in the cache
    are parsed; `plain_of` gets a loaded account with its data and returns marshal's types."""
    path = repo.cache_dir / name if repo.cache_dir else None
    held = read_mapping(path, VERSION)
    kept: dict[str, Any] = {}
    out: list[tuple[str, Any]] = []
    skipped = catalog.skipped
    with bulk():
        for rel, account, blob in catalog.valid_files():
            plain = held.get(blob)
            if plain is None:
                raw = (repo.root / rel).read_bytes()
                loaded = read_account(rel, raw, positions=False)
                if loaded.account is None or loaded.doc is None:  # changed since the catalog read it
                    skipped += 1
                    continue
                plain = plain_of(loaded)
                blob = blob_id(raw)  # named by what was read, even if it changed since the scan
            kept[blob] = plain
            out.append((account.id, plain))
    if path is not None and kept.keys() != held.keys():
        write_mapping(path, VERSION, kept)
    return out, skipped
