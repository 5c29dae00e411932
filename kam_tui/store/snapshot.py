"""The repository as scoring sees it — now, or as it was at a git revision.

Now: the scoring facts come from the catalog cache (no file is re-read unless it changed);
full accounts are read only for the views that need every period (tier moves, `--since`).
At a revision: the files are read from git objects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.facts import Facts, account_facts
from kam_tui.model.settings import Settings
from kam_tui.model.summary import ScoreSummary
from kam_tui.store import clock
from kam_tui.store import gitcmd
from kam_tui.store.cachefile import read_cache, write_cache
from kam_tui.store.gcpause import bulk
from kam_tui.store.catalog import Catalog, load_catalog
from kam_tui.store.repository import (
    ACCOUNTS,
    SETTINGS_FILE,
    Repository,
    SettingsInvalid,
    read_account,
    settings_from_bytes,
)

_DATE_LIKE = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T].*)?|\d+ (second|minute|hour|day|week|month|year)s? ago"
    r"|yesterday|today|now"
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
    accounts: list[Account] = field(default_factory=list)  # only with full=True or at a revision


def load_now(
    repo: Repository, today: dt.date | None = None, full: bool = False, catalog: Catalog | None = None
) -> Snapshot:
    """The repository now; pass the `catalog` when the caller has loaded it already."""
    settings = repo.settings()  # raises SettingsInvalid: refused, never replaced by defaults
    day = clock.today(today)
    if full:
        accounts, skipped = [], 0
        for path in repo.account_files():
            loaded = read_account(repo.rel(path), path.read_bytes())
            if loaded.account is None:
                skipped += 1
            else:
                accounts.append(loaded.account)
        return _from_accounts(accounts, settings, day, skipped, "now")
    catalog = catalog or load_catalog(repo)
    names = {s["id"]: s.get("name") or "" for s in catalog.summaries}
    facts = catalog.facts()
    catalog.save_facts()  # the cache is written here, by the loader, never by a read
    return Snapshot(facts, names, settings, day, catalog.skipped, "now")


def load_at(repo: Repository, ref: str, today: dt.date | None = None) -> Snapshot:
    """The repository at a revision or a date; the day scored is that date, else the commit's."""
    commit = resolve(repo, ref)
    settings, problems = settings_from_bytes(gitcmd.file_at(repo.root, commit, SETTINGS_FILE) or b"")
    if any(p.level == "error" for p in problems):  # named as it was then, not as it is now
        raise SettingsInvalid([dataclasses.replace(p, path=f"{p.path}@{ref}") for p in problems])
    accounts, skipped = [], 0
    for rel, raw in sorted(gitcmd.files_at(repo.root, commit, ACCOUNTS).items()):
        if rel.endswith(".yaml") and rel.count("/") == 1:
            loaded = read_account(rel, raw)
            if loaded.account is None:
                skipped += 1
            else:
                accounts.append(loaded.account)
    if today is None:
        try:
            today = dt.date.fromisoformat(ref)
        except ValueError:
            stamp = gitcmd.git(repo.root, "show", "-s", "--format=%cI", "--end-of-options", commit).stdout
            today = dt.date.fromisoformat(stamp.strip()[:10])
    return _from_accounts(accounts, settings, today, skipped, f"{ref} ({commit[:10]})")


def resolve(repo: Repository, ref: str) -> str:
    """A commit for a revision, or for a date (the last commit before it)."""
    try:
        return gitcmd.resolve_revision(repo.root, ref)
    except gitcmd.GitError:
        if not _DATE_LIKE.fullmatch(ref.strip()):
            raise gitcmd.GitError(
                f"'{ref}' is neither a git revision nor a date (YYYY-MM-DD, '3 months ago')"
            ) from None
    when = ref.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):  # parsed here: git's own parser stops at 2099
        try:
            day = dt.date.fromisoformat(when)
        except ValueError:
            raise gitcmd.GitError(f"'{ref}' is not a real date") from None
        end_of_day = dt.datetime.combine(day, dt.time.max).astimezone()
        when = f"@{int(end_of_day.timestamp())}"
    commit = gitcmd.last_commit_before(repo.root, when)
    if commit is None:
        raise gitcmd.GitError(f"no commit before {ref}")
    return commit


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
SCORES_VERSION = 2


def score_summaries(
    repo: Repository, today: dt.date | None = None, catalog: Catalog | None = None
) -> dict[str, ScoreSummary]:
    """Score, tier, computed tier and risk codes of every account, scored as one portfolio from
    the catalog's cached facts: what the list views (`kam list`, the TUI) show beside each row.

    Scores depend on every account (shares of the portfolio), kam.yaml and the day, so they are
    kept under .git/kam/ for exactly that combination and recomputed whenever any of it changes."""
    from kam_tui.model.evaluate import evaluate_facts

    catalog = catalog or load_catalog(repo)
    settings_raw = (repo.root / SETTINGS_FILE).read_bytes() if (repo.root / SETTINGS_FILE).exists() else b""
    day = clock.today(today)
    memo_key = [SCORES_VERSION, catalog.fingerprint, hashlib.blake2b(settings_raw).hexdigest(), day.toordinal()]
    memo_path = repo.state_dir / SCORES_FILE
    with bulk():
        memo = _memo_scores(read_cache(memo_path), memo_key)
        if memo is not None:
            return memo
        snap = load_now(repo, day, catalog=catalog)
        scores = {e.id: e.summary() for e in evaluate_facts(snap.facts, snap.settings.scoring, snap.today)}
    if repo.state_dir.is_dir():
        write_cache(memo_path, {"key": memo_key, "scores": {key: value.plain() for key, value in scores.items()}})
    return scores


def _memo_scores(memo: Any, key: list[Any]) -> dict[str, ScoreSummary] | None:
    """The memo's scores if it was written for exactly this key, in this shape; else None (rebuilt)."""
    if not isinstance(memo, dict) or memo.get("key") != key or not isinstance(memo.get("scores"), dict):
        return None
    try:
        return {account_id: ScoreSummary.from_plain(plain) for account_id, plain in memo["scores"].items()}
    except (TypeError, ValueError):  # a foreign shape under the same key: recomputed, never trusted
        return None
