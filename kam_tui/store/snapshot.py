"""The repository as scoring sees it — now, or as it was at a git revision.

Now: the scoring facts come from the catalog cache (no file is re-read unless it changed);
full accounts are read only for the views that need every period (tier moves, `--since`).
At a revision: the files are read from git objects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.account import Account
from kam_tui.model.evaluate import OwnScore, own_score, summaries_of
from kam_tui.model.facts import FACTS_VERSION, Facts, account_facts
from kam_tui.model.tier_moves import TierMove, moves_quarters, quarter_tiers, tier_moves
from kam_tui.model.settings import Settings
from kam_tui.model.summary import ScoreSummary
from kam_tui.store import clock
from kam_tui.store import gitcmd
from kam_tui.store.account_cache import accounts_at, load_accounts
from kam_tui.store.revisions import NothingBefore, resolve
from kam_tui.store.cachefile import read_cache, write_cache
from kam_tui.store.gcpause import bulk
from kam_tui.store.catalog import Catalog, load_catalog
from kam_tui.store.factcache import QUARTERS_FILE, FactsCache, fact_key, facts_of, record_of
from kam_tui.store.repository import (
    ACCOUNTS,
    SETTINGS_FILE,
    Repository,
    SettingsInvalid,
    read_account,
    settings_from_bytes,
)


@dataclass
class Snapshot:
    """Accounts (as facts, and in full when asked), the rules, and the day to score them on."""

    facts: list[Facts]
    names: dict[str, str]
    settings: Settings
    today: dt.date
    skipped: int
    label: str  # "now", or the revision as given with its commit
    accounts: list[Account] = field(default_factory=list)  # only with full=True
    owners: dict[str, str | None] = field(default_factory=dict)
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (path, blob id)
    commit: str | None = None  # None: the work tree
    fingerprint: str = ""  # the catalog's (now) or the commit (at a revision): same files, same value


def load_now(
    repo: Repository, today: dt.date | None = None, full: bool = False, catalog: Catalog | None = None
) -> Snapshot:
    """The repository now; pass the `catalog` when the caller has loaded it already."""
    settings = repo.settings()  # raises SettingsInvalid: refused, never replaced by defaults
    day = clock.today(today)
    if full:
        accounts, skipped = load_accounts(repo, catalog)
        return _from_accounts(accounts, settings, day, skipped, "now")
    catalog = catalog or load_catalog(repo)
    valid = catalog.valid_files()
    facts = catalog.facts()
    catalog.save_facts()  # the cache is written here, by the loader, never by a read
    return Snapshot(
        facts,
        {file.account.id: file.account.name or "" for file in valid},
        settings,
        day,
        catalog.skipped,
        "now",
        owners={file.account.id: file.account.owner for file in valid},
        files={file.account.id: (file.rel, file.blob) for file in valid},
        fingerprint=catalog.fingerprint,
    )


def load_at(
    repo: Repository, ref: str, today: dt.date | None = None, start_of_day: bool = False, full: bool = False
) -> Snapshot:
    """The repository at a revision or a date, scored on the day chosen as today (`--today`,
    $KAM_TODAY), else on the commit's day.
    A date alone means the end of that day, or with `start_of_day` its start (`--since`).
    With `full`, the whole accounts too (read from git objects).

    Facts come from the cache keyed by blob id: only file versions never read before are parsed.
    Since the start of a day before the first commit, there was nothing: no account then."""
    try:
        commit = resolve(repo, ref, start_of_day)
    except NothingBefore:
        if not start_of_day:
            raise
        label = _("{ref} (before the first commit)").format(ref=ref)
        return Snapshot([], {}, repo.settings(), clock.today(today), 0, label)
    settings, problems = settings_from_bytes(gitcmd.file_at(repo.root, commit, SETTINGS_FILE) or b"")
    if any(p.level == "error" for p in problems):  # named as it was then, not as it is now
        raise SettingsInvalid([dataclasses.replace(p, path=f"{p.path}@{ref}") for p in problems])
    entries = [
        (rel, blob)
        for rel, blob in sorted(gitcmd.tree_blobs(repo.root, commit, ACCOUNTS))
        if rel.endswith(".yaml") and rel.count("/") == 1
    ]
    cache = FactsCache.load(repo.cache_dir)
    with bulk():
        records = {rel: cache.get(fact_key(rel, blob)) for rel, blob in entries}
        missing = [(rel, blob) for rel, blob in entries if records[rel] is None]
        contents = gitcmd.blobs(repo.root, [blob for _rel, blob in missing])
        for rel, blob in missing:
            fresh = record_of(read_account(rel, contents[blob], positions=False).account)
            cache.put(fact_key(rel, blob), fresh)
            records[rel] = fresh
        cache.save()
        snap = Snapshot(
            [], {}, settings, clock.chosen(today) or _commit_day(repo, ref, commit), 0, f"{ref} ({commit[:10]})"
        )
        snap.commit = snap.fingerprint = commit
        for rel, blob in entries:
            record = records[rel]
            facts = None if record is None else facts_of(record)
            if facts is None or record is None:
                snap.skipped += 1
                continue
            snap.facts.append(facts)
            _plain, snap.names[facts.id], snap.owners[facts.id] = record
            snap.files[facts.id] = (rel, blob)
    if full:  # every file: each version read before comes from the accounts cache
        found = accounts_at(repo, list(snap.files.values()), lambda blobs: gitcmd.blobs(repo.root, blobs))
        snap.accounts = [found[snap.files[f.id][0]] for f in snap.facts if snap.files[f.id][0] in found]
    return snap


def _commit_day(repo: Repository, ref: str, commit: str) -> dt.date:
    try:
        return dt.date.fromisoformat(ref)
    except ValueError:
        stamp = gitcmd.git(repo.root, "show", "-s", "--format=%cI", "--end-of-options", commit).stdout
        return dt.date.fromisoformat(stamp.strip()[:10])


def read_accounts(repo: Repository, snap: Snapshot, ids: list[str]) -> dict[str, Account]:
    """The full accounts of a few ids of a snapshot (for views that need every period), read
    from the same version its facts came from: git objects at a revision, the files now."""
    wanted = [(i, snap.files[i]) for i in ids if i in snap.files]
    out: dict[str, Account] = {}
    if snap.commit is None:
        raws = {i: (repo.root / rel).read_bytes() for i, (rel, _blob) in wanted}
    else:
        contents = gitcmd.blobs(repo.root, [blob for _id, (_rel, blob) in wanted])
        raws = {i: contents[blob] for i, (_rel, blob) in wanted}
    for i, (rel, _blob) in wanted:
        account = read_account(rel, raws[i], positions=False).account
        if account is not None:
            out[i] = account
    return out


def quarter_facts(repo: Repository, snap: Snapshot, quarters: list[str]) -> dict[str, list[Facts]]:
    """Every account's facts as they stood at the end of each quarter (the portfolio's tier
    moves), cached by blob id, file name and quarter: the files are read only on a miss."""
    cache = FactsCache.load(repo.cache_dir, QUARTERS_FILE)
    out: dict[str, list[Facts]] = {}
    with bulk():
        keys = {i: fact_key(rel, blob) for i, (rel, blob) in snap.files.items()}
        records = {(i, q): cache.get(f"{key}@{q}") for i, key in keys.items() for q in quarters}
        missing = sorted({i for (i, _quarter), record in records.items() if record is None})
        for i, account in read_accounts(repo, snap, missing).items():
            for q in quarters:
                fresh = record_of(account, q)
                cache.put(f"{keys[i]}@{q}", fresh)
                records[i, q] = fresh
        for q in quarters:
            out[q] = [
                facts
                for f in snap.facts
                if (record := records.get((f.id, q))) is not None and (facts := facts_of(record)) is not None
            ]
    cache.save()
    return out


MOVES_FILE = "moves.marshal"
MOVES_VERSION = 2  # 2: moves of the tier that holds (an override wins), as `kam score --since` finds them


def portfolio_moves(repo: Repository, snap: Snapshot) -> tuple[str | None, str | None, list[TierMove]]:
    """The portfolio's tier moves between its last two quarters. They depend on the files and
    kam.yaml only (never on today), so they are kept for exactly those and found again cheaply."""
    key = [MOVES_VERSION, FACTS_VERSION, snap.fingerprint, _settings_digest(repo)]
    path = repo.state_dir / MOVES_FILE
    memo = read_cache(path) if snap.fingerprint else None
    if isinstance(memo, dict) and memo.get("key") == key and isinstance(memo.get("moves"), list):
        return memo["prev"], memo["last"], [TierMove(*m) for m in memo["moves"]]
    quarters = moves_quarters(snap.facts)
    if quarters is None:
        return None, None, []
    prev, last = quarters
    at = quarter_facts(repo, snap, [prev, last])
    with bulk():
        config = snap.settings.scoring
        moves = tier_moves(quarter_tiers(at[prev], config, prev), quarter_tiers(at[last], config, last))
    if snap.fingerprint and repo.cache_dir is not None:
        plain = [(m.id, m.before, m.after) for m in moves]
        write_cache(path, {"key": key, "prev": prev, "last": last, "moves": plain})
    return prev, last, moves


def _settings_digest(repo: Repository) -> str:
    path = repo.root / SETTINGS_FILE
    return hashlib.blake2b(path.read_bytes() if path.exists() else b"").hexdigest()


def _from_accounts(accounts: list[Account], settings: Settings, today: dt.date, skipped: int, label: str) -> Snapshot:
    return Snapshot(
        [account_facts(a) for a in accounts],
        {a.id: a.name for a in accounts},
        settings,
        today,
        skipped,
        label,
        accounts,
    )


SCORES_FILE = "scores.marshal"
SCORES_VERSION = 3


def score_summaries(
    repo: Repository, today: dt.date | None = None, catalog: Catalog | None = None
) -> dict[str, ScoreSummary]:
    """Score, tier, computed tier and risk codes of every account, scored as one portfolio from
    the catalog's cached facts: what the list views (`kam list`, the TUI) show beside each row.

    Kept under .git/kam/ for one kam.yaml and day: whole for one state of the files, and per file
    version the part that depends on the account alone (`OwnScore`), so after an edit only the
    edited account is rescored and the portfolio-relative flag is redone over the kept parts."""
    catalog = catalog or load_catalog(repo)
    day = clock.today(today)
    memo_key = [SCORES_VERSION, _settings_digest(repo), day.toordinal()]
    memo_path = repo.state_dir / SCORES_FILE
    with bulk():
        found = read_cache(memo_path)
        memo: dict[str, Any] = found if isinstance(found, dict) and found.get("key") == memo_key else {}
        if memo.get("fingerprint") == catalog.fingerprint:
            scores = _memo_scores(memo.get("scores"))
            if scores is not None:
                return scores
        own = memo.get("own")
        kept: dict[str, Any] = own if isinstance(own, dict) else {}
        config = repo.settings().scoring  # raises SettingsInvalid: refused, never replaced by defaults
        valid = catalog.valid_files()
        keys = {file.rel: fact_key(file.rel, file.blob) for file in valid}
        owns: dict[str, OwnScore] = {}
        for rel, key in keys.items():
            hit = _own_of(kept.get(key))
            if hit is not None:
                owns[rel] = hit
        missing = {rel for rel in keys if rel not in owns}
        if missing:
            for rel, f in catalog.facts_by_file(missing).items():
                owns[rel] = own_score(f, config, day)
            catalog.save_facts()
        ordered = [owns[rel] for rel in keys if rel in owns]
        scores = summaries_of(ordered, config)
    if repo.cache_dir is not None:
        write_cache(
            memo_path,
            {
                "key": memo_key,
                "fingerprint": catalog.fingerprint,
                "own": {keys[rel]: tuple(o) for rel, o in owns.items()},
                "scores": {key: value.plain() for key, value in scores.items()},
            },
        )
    return scores


def _own_of(plain: Any) -> Any:
    """A kept per-account part of this shape, else None (rescored, never trusted)."""
    if not isinstance(plain, tuple) or len(plain) != len(OwnScore._fields) or not isinstance(plain[4], tuple):
        return None
    return OwnScore._make(plain)


def _memo_scores(scores: Any) -> dict[str, ScoreSummary] | None:
    """The memo's scores in this shape; else None (rebuilt)."""
    if not isinstance(scores, dict):
        return None
    try:
        return {account_id: ScoreSummary.from_plain(plain) for account_id, plain in scores.items()}
    except (TypeError, ValueError):  # a foreign shape under the same key: recomputed, never trusted
        return None
