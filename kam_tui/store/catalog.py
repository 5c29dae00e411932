"""All accounts' list fields, fast: a cache keyed by each file's identity under .git/kam/.

Measured: ruamel round-trip ≈ 29 ms a file, libyaml ≈ 1.8 ms, a marshal cache ≈ 60 µs.
So the whole repository is read with the safe fast reader, on all cores when many files
changed, and the results are cached per file (size, mtime, inode, ctime). The cache is
never the source of truth: a stale, corrupt or foreign-version cache is rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, NamedTuple

from kam_tui.i18n import _, current_language, in_language
from kam_tui.model.errors import KamError
from kam_tui.model.facts import FACTS_VERSION, Facts
from kam_tui.model.problems import Problem
from kam_tui.model.summary import AccountSummary, summarize
from kam_tui.store.cachefile import read_cache, write_cache
from kam_tui.store.factcache import FactsCache, Record, blob_id, fact_key, facts_of, record_of
from kam_tui.store.gcpause import bulk
from kam_tui.store.os_errors import reason_words
from kam_tui.store.progress import EVERY, heard, tell
from kam_tui.store.repository import Repository, read_account_file

CACHE_VERSION = FACTS_VERSION  # the one version of what is cached per account file
CACHE_FILE = "catalog.marshal"  # per file: identity, list fields, problems, blob id
DELTA_FILE = "catalog-delta.marshal"  # the files changed since CACHE_FILE was written, while few
DELTA_MIN, DELTA_SHARE = 200, 0.05
PARALLEL_FROM = 400  # files to parse before a second process pays for itself
FEW_EDITED = 0.01  # the share of files an edit may change for their facts to skip the facts cache

FileKey = tuple[int, int, int, int]


@dataclass(slots=True)
class Entry:
    rel: str
    account: AccountSummary | None  # None when the file has errors
    problems: list[Problem] = field(default_factory=list)


class CatalogFile(NamedTuple):
    """A valid account file as the catalog read it: its path, list fields and git blob id."""

    rel: str
    account: AccountSummary
    blob: str


@dataclass
class Catalog:
    files: list[tuple[str, FileKey]]  # the account files, sorted, with their identity
    records: dict[str, Any]  # rel → (identity, list fields as_json() or None, problems as tuples, blob id)
    odd: list[Entry] = field(default_factory=list)  # *.yaml entries that are not regular files
    fingerprint: str = ""  # changes whenever any account file does (its name, size, mtime, inode)
    root: Path | None = None
    state: Path | None = None
    fresh: dict[str, Record] = field(default_factory=dict)  # facts records of the files parsed this run

    @cached_property
    def entries(self) -> list[Entry]:
        """Every account file and *.yaml entry, in file-name order, with its problems."""
        return self._entries({file.rel: file.account for file in self.valid_files()})

    def left_out(self) -> list[Entry]:
        """The entries of the files left out of the list (not valid accounts, not regular files):
        built for these few only, where `entries` builds 10,000 (50 ms of the TUI's launch)."""
        return self._entries(None)

    def _entries(self, accounts: dict[str, AccountSummary] | None) -> list[Entry]:
        """An Entry per file with these accounts (None: only the files without one)."""
        records = self.records
        entries = [
            Entry(rel, None if accounts is None else accounts.get(rel), [Problem(*p) for p in problems])
            for rel, _key in self.files
            for _identity, summary, problems, _blob in (records[rel],)
            if accounts is not None or summary is None
        ]
        return sorted(entries + self.odd, key=lambda e: e.rel) if self.odd else entries

    @cached_property
    def keys(self) -> dict[str, FileKey]:
        return dict(self.files)

    @property
    def accounts(self) -> list[AccountSummary]:
        """The list fields of every valid account, in file-name order."""
        return [file.account for file in self.valid_files()]

    def facts(self) -> list[Facts]:
        """The scoring facts of every valid account, from the facts cache (keyed by blob id and
        file name; re-derived for any file it does not cover). Reads only: `save_facts` writes."""
        return list(self.facts_by_file().values())

    def facts_by_file(self, only: set[str] | None = None) -> dict[str, Facts]:
        """The facts of every valid account file (or of those in `only`), by path, in file order."""
        if only is not None and len(only) <= FEW_EDITED * len(self.files):
            parsed = self._parsed_now(only)
            if parsed is not None:
                return parsed
        cache = self.fact_cache
        found: dict[str, Any] = {}
        stale = []
        with bulk():
            for rel, _key in self.files:
                if only is not None and rel not in only:
                    continue
                _identity, summary, _problems, blob = self.records[rel]
                if summary is None:
                    continue
                key = fact_key(rel, blob)
                hit = cache.get(key)
                if hit is None and key in self.fresh:
                    hit = self.fresh[key]
                    cache.put(key, hit)
                if hit is None:
                    stale.append(rel)
                else:
                    found[rel] = hit
            if stale and self.root is not None:
                for rel, _summary, _problems, fresh, blob in _parse_all(str(self.root), stale):
                    if fresh is not None:
                        cache.put(fact_key(rel, blob), fresh)
                        found[rel] = fresh
            return {rel: f for rel, _key in self.files if rel in found and (f := facts_of(found[rel])) is not None}

    def _parsed_now(self, only: set[str]) -> dict[str, Facts] | None:
        """The facts of the valid files in `only` when this run parsed each of them (the few
        files an edit changed): the facts cache is then not read. At 50,000 accounts it is 24 MB,
        and reading and rewriting it for one edited file cost `kam list` 0.45 s of its 1.65 s;
        the next command that needs every account's facts derives those few again (1 ms each)."""
        out: dict[str, Facts] = {}
        for rel, _key in self.files:
            if rel not in only:
                continue
            _identity, summary, _problems, blob = self.records[rel]
            if summary is None:
                continue
            fresh = self.fresh.get(fact_key(rel, blob))
            if fresh is None:
                return None
            if (f := facts_of(fresh)) is not None:
                out[rel] = f
        return out

    def save_facts(self) -> None:
        """Write the facts cache when this run derived facts it did not hold; the facts of every
        file in the work tree are kept, whichever this run looked at."""
        if "fact_cache" not in self.__dict__:  # never read in this run: nothing was added to it
            return
        cache = self.fact_cache
        if cache.dirty:
            cache.keep([fact_key(file.rel, file.blob) for file in self.valid_files()])
        cache.save()

    @cached_property
    def fact_cache(self) -> FactsCache:
        return FactsCache.load(self.state)

    def valid_files(self) -> list[CatalogFile]:
        """Every valid account file (path, list fields, blob id), in file-name order."""
        return self._valid

    @cached_property
    def _valid(self) -> list[CatalogFile]:
        records = self.records
        return [
            CatalogFile(rel, AccountSummary.from_plain(summary), blob)
            for rel, _key in self.files
            for _identity, summary, _problems, blob in (records[rel],)
            if summary is not None
        ]

    @property
    def problems(self) -> list[Problem]:
        return [p for e in self.entries for p in e.problems]

    @property
    def skipped(self) -> int:
        return len(self.files) - len(self.valid_files()) + len(self.odd)


def _key(stat: os.stat_result) -> FileKey:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


Parsed = tuple[str, dict[str, Any] | None, list[tuple[Any, ...]], Record | None, str]


def _parse(job: tuple[str, str, str]) -> Parsed:
    """One file read (in a worker process too, which starts in English: the job names the language)."""
    root, rel, language = job
    with nullcontext() if language == current_language() else in_language(language):
        loaded = read_account_file(rel, Path(root) / rel, positions=False)
    problems = [(p.path, p.line, p.col, p.level, p.message, p.hint) for p in loaded.problems]
    blob = blob_id(loaded.raw)
    if loaded.account is None:
        return rel, None, problems, None, blob
    return rel, summarize(loaded.account).as_json(), problems, record_of(loaded.account), blob


Progress = Callable[[int, int], None]  # (files read, files to read), called as files are parsed


def load_catalog(repo: Repository, use_cache: bool = True, progress: Progress | None = None) -> Catalog:
    """Every account file's summary and problems, reusing cached results for unchanged files;
    `progress` hears how many of the files to parse are done (a cold start at 10,000 takes seconds)."""
    with bulk():
        catalog = _load_catalog(repo, use_cache, progress)
    assert catalog is not None  # no limit on the files to parse
    return catalog


def load_warm_catalog(repo: Repository, parse_at_most: int) -> Catalog | None:
    """The catalog when the cache covers all but `parse_at_most` files, else None (nothing parsed,
    nothing written): the TUI reads a warm catalog before it starts, and leaves a cold one to a
    worker that shows how far it has got."""
    with bulk():
        return _load_catalog(repo, True, None, parse_at_most)


def _scan(repo: Repository) -> tuple[list[tuple[str, FileKey]], list[Entry]]:
    """The account files, sorted, with their identity; and the *.yaml entries that are not files."""
    folder = repo.accounts_dir
    files: list[tuple[str, FileKey]] = []
    odd: list[Entry] = []
    if folder.is_dir():
        try:
            listing = os.scandir(folder)
        except OSError as exc:  # e.g. a folder its owner made unreadable: refused, never a crash
            raise KamError(
                _("cannot read {path}: {reason}").format(path="accounts", reason=reason_words(exc))
            ) from None
        with listing as it:
            for entry in it:
                if entry.name.endswith(".yaml") and not entry.name.startswith("."):
                    rel = f"accounts/{entry.name}"
                    if entry.is_file(follow_symlinks=False):
                        files.append((rel, _key(entry.stat(follow_symlinks=False))))
                    else:
                        odd.append(
                            Entry(
                                rel,
                                None,
                                [
                                    Problem(
                                        rel,
                                        1,
                                        1,
                                        "error",
                                        _(
                                            "{file} is not a regular file (a link, folder or device); "
                                            "kam does not read it"
                                        ).format(file=entry.name),
                                    )
                                ],
                            )
                        )
    files.sort()
    return files, odd


def fingerprint(repo: Repository) -> str:
    """What the catalog's fingerprint would be now: one pass of `stat` over the account files,
    none read. Changes whenever any account file is added, removed or changed."""
    files, _odd = _scan(repo)
    return _fingerprint(files)


def _fingerprint(files: list[tuple[str, FileKey]]) -> str:
    return hashlib.blake2b(marshal.dumps(files), digest_size=16).hexdigest()


def _load_catalog(
    repo: Repository, use_cache: bool, progress: Progress | None = None, parse_at_most: int | None = None
) -> Catalog | None:
    files, odd = _scan(repo)
    fingerprint = _fingerprint(files)
    state = repo.cache_dir if use_cache else None
    base = _cache_of(read_cache(state / CACHE_FILE) if state else None)
    # A file's problems are text in the language of the run that wrote them; the rest of its
    # record is data. Read in another language, only the files with problems are read again.
    language = current_language()
    spoken = base is not None and base.get("language") == language
    if base is not None and spoken and base["fingerprint"] == fingerprint:
        # Not one file changed since this cache was written (checksummed, by kam): use it whole.
        return Catalog(files, base["files"], odd, fingerprint, repo.root, state)
    base_files: dict[str, Any] = {} if base is None else base["files"]
    cached = base_files
    delta = _cache_of(read_cache(state / DELTA_FILE) if state and base else None)
    if base is not None and delta is not None and delta.get("base") == base["fingerprint"]:
        cached = {**base_files, **delta["files"]}
        spoken = spoken and delta.get("language") == language
        if spoken and delta["fingerprint"] == fingerprint:
            return Catalog(files, cached, odd, fingerprint, repo.root, state)
    results: dict[str, Any] = {}
    fresh: dict[str, Record] = {}
    missing = []
    for rel, key in files:
        hit: Any = cached.get(rel)
        if (
            _valid(hit, 4)
            and hit[0] == key  # marshal keeps tuples: a list here is a foreign record, rebuilt
            and isinstance(hit[2], list)
            and (hit[1] is None or isinstance(hit[1], dict))
            and isinstance(hit[3], str)
            and (spoken or not hit[2])
        ):
            results[rel] = hit
        else:
            missing.append((rel, key))
    if parse_at_most is not None and len(missing) > parse_at_most:
        return None
    if missing:
        keys = dict(missing)
        for rel, summary, problems, record, blob in _parse_all(str(repo.root), list(keys), progress):
            results[rel] = (keys[rel], summary, problems, blob)
            if record is not None:
                fresh[fact_key(rel, blob)] = record
    if state:
        _save(state, fingerprint, results, base)
    return Catalog(files, results, odd, fingerprint, repo.root, state, fresh)


def _save(state: Path, fingerprint: str, results: dict[str, Any], base: dict[str, Any] | None) -> None:
    """A few changed files are written as a small delta beside the whole cache; past
    DELTA_SHARE of the files, the whole cache is rewritten and the delta dropped."""
    if base is not None:
        base_files = base["files"]
        changed = {rel: record for rel, record in results.items() if base_files.get(rel) is not record}
        gone = max(0, len(base_files) - len(results))  # records of deleted files are never looked up
        if len(changed) + gone <= max(DELTA_MIN, DELTA_SHARE * len(results)):
            delta = {"base": base["fingerprint"], "fingerprint": fingerprint, "files": changed}
            write_cache(state / DELTA_FILE, {"version": CACHE_VERSION, "language": current_language(), **delta})
            return
    write_cache(
        state / CACHE_FILE,
        {"version": CACHE_VERSION, "language": current_language(), "fingerprint": fingerprint, "files": results},
    )
    (state / DELTA_FILE).unlink(missing_ok=True)


def _parse_all(root: str, rels: list[str], progress: Progress | None = None) -> list[Parsed]:
    language = current_language()
    jobs = [(root, rel, language) for rel in rels]
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return _counted(map(_parse, jobs), len(jobs), progress)
    # forkserver, not fork: the TUI loads the catalog in a thread worker, and forking a process
    # that runs threads can deadlock; the server starts single-threaded and preloads this module.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return _counted(pool.map(_parse, jobs, chunksize=max(64, len(jobs) // (workers * 8))), len(jobs), progress)


def _counted(results: Iterator[Parsed], total: int, progress: Progress | None) -> list[Parsed]:
    """The results in order, telling `progress` (else whoever listens: kam's stderr on a terminal)
    every EVERY files and at the end."""
    if progress is None:
        if not heard():
            return list(results)
        progress = partial(tell, _("reading account files"))
    out: list[Parsed] = []
    for parsed in results:
        out.append(parsed)
        if len(out) % EVERY == 0:
            progress(len(out), total)
    progress(len(out), total)
    return out


def _cache_of(data: Any) -> dict[str, Any] | None:
    """A catalog cache (or delta) of this version and shape, else None (rebuilt, never trusted).
    Its problems are in the language it names (see `_load_catalog`)."""
    if (
        not isinstance(data, dict)
        or data.get("version") != CACHE_VERSION
        or not isinstance(data.get("fingerprint"), str)
        or not isinstance(data.get("files"), dict)
    ):
        return None
    return data


def _valid(hit: Any, size: int) -> bool:
    """A cached record of the expected shape (anything else is rebuilt, never trusted)."""
    return isinstance(hit, (tuple, list)) and len(hit) == size and isinstance(hit[0], (tuple, list))
