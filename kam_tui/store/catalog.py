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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kam_tui.model.facts import FACTS_VERSION, Facts, account_facts, facts_from_plain, facts_to_plain
from kam_tui.model.problems import Problem
from kam_tui.model.summary import AccountSummary, summarize
from kam_tui.store.cachefile import read_cache, write_cache
from kam_tui.store.gcpause import bulk
from kam_tui.store.repository import Repository, read_account_file

CACHE_VERSION = FACTS_VERSION  # the one version of what is cached per account file
CACHE_FILE = "catalog.marshal"  # per file: identity, list fields, problems
FACTS_FILE = "facts.marshal"  # per file: identity, scoring facts (read only when scoring)
PARALLEL_FROM = 400  # files to parse before a second process pays for itself

FileKey = tuple[int, int, int, int]


@dataclass(slots=True)
class Entry:
    rel: str
    summary: dict[str, Any] | None  # None when the file has errors
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Catalog:
    files: list[tuple[str, FileKey]]  # the account files, sorted, with their identity
    records: dict[str, Any]  # rel → (identity, summary or None, problems as tuples)
    odd: list[Entry] = field(default_factory=list)  # *.yaml entries that are not regular files
    fingerprint: str = ""  # changes whenever any account file does (its name, size, mtime, inode)
    root: Path | None = None
    state: Path | None = None
    fresh_facts: dict[str, Any] = field(default_factory=dict)  # facts of the files parsed this run
    _facts: dict[str, Any] | None = field(default=None, repr=False)  # rel → plain facts, once read
    _facts_dirty: bool = field(default=False, repr=False)

    @cached_property
    def entries(self) -> list[Entry]:
        entries = [
            Entry(rel, record[1], [Problem(*p) for p in record[2]] if record[2] else [])
            for rel, _ in self.files
            for record in (self.records[rel],)
        ]
        return sorted(entries + self.odd, key=lambda e: e.rel) if self.odd else entries

    @cached_property
    def keys(self) -> dict[str, FileKey]:
        return dict(self.files)

    @property
    def summaries(self) -> list[dict[str, Any]]:
        records = self.records
        return [summary for rel, _ in self.files if (summary := records[rel][1]) is not None]

    @property
    def accounts(self) -> list[AccountSummary]:
        """The list fields of every valid account, in file-name order."""
        return [AccountSummary.from_plain(summary) for summary in self.summaries]

    def facts(self) -> list[Facts]:
        """The scoring facts of every valid account, from their own cache (re-derived for any
        file the cache does not cover). Reads only: `save_facts` writes what was re-derived."""
        with bulk():
            plain = self._facts_plain()
            return [
                facts_from_plain(f)
                for e in self.entries
                if e.summary is not None and (f := plain.get(e.rel)) is not None
            ]

    def save_facts(self) -> None:
        """Write the facts cache when this run derived facts it did not hold."""
        if self.state is None or not self._facts_dirty:
            return
        _write_cache(self.state / FACTS_FILE, {rel: (self.keys[rel], f) for rel, f in self._facts_plain().items()})
        self._facts_dirty = False

    def _facts_plain(self) -> dict[str, Any]:
        if self._facts is not None:
            return self._facts
        path = None if self.state is None else self.state / FACTS_FILE
        cached = _read_cache(path) if path else {}
        out: dict[str, Any] = {}
        stale = []
        for entry in self.entries:
            if entry.summary is None:
                continue
            rel = entry.rel
            hit: Any = cached.get(rel)
            if rel in self.fresh_facts:
                out[rel] = self.fresh_facts[rel]
            elif _valid(hit, 2) and tuple(hit[0]) == self.keys.get(rel) and isinstance(hit[1], (tuple, list)):
                out[rel] = hit[1]
            else:
                stale.append(rel)
        if stale and self.root is not None:
            for rel, _summary, _problems, facts in _parse_all(str(self.root), stale):
                if facts is not None:
                    out[rel] = facts
        self._facts_dirty = bool(stale or self.fresh_facts or len(cached) != len(out))
        self._facts = out
        return out

    @property
    def problems(self) -> list[Problem]:
        return [p for e in self.entries for p in e.problems]

    @property
    def skipped(self) -> int:
        return len(self.files) - len(self.summaries) + len(self.odd)


def _key(stat: os.stat_result) -> FileKey:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


Parsed = tuple[str, dict[str, Any] | None, list[tuple[Any, ...]], tuple[Any, ...] | None]


def _parse(job: tuple[str, str]) -> Parsed:
    root, rel = job
    loaded = read_account_file(rel, Path(root) / rel, positions=False)
    problems = [(p.path, p.line, p.col, p.level, p.message, p.hint) for p in loaded.problems]
    if loaded.account is None:
        return rel, None, problems, None
    return rel, summarize(loaded.account).as_json(), problems, facts_to_plain(account_facts(loaded.account))


def load_catalog(repo: Repository, use_cache: bool = True) -> Catalog:
    """Every account file's summary and problems, reusing cached results for unchanged files."""
    with bulk():
        return _load_catalog(repo, use_cache)


def _load_catalog(repo: Repository, use_cache: bool) -> Catalog:
    folder = repo.accounts_dir
    files: list[tuple[str, FileKey]] = []
    odd: list[Entry] = []
    if folder.is_dir():
        with os.scandir(folder) as it:
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
                                        f"{entry.name} is not a regular "
                                        "file (a link, folder or device); kam does not read it",
                                    )
                                ],
                            )
                        )
    files.sort()
    fingerprint = hashlib.blake2b(marshal.dumps(files), digest_size=16).hexdigest()
    state = repo.state_dir if use_cache and repo.state_dir.parent.is_dir() else None
    cache_path = repo.state_dir / CACHE_FILE
    whole = read_cache(cache_path) if state else None
    if (
        isinstance(whole, dict)
        and whole.get("version") == CACHE_VERSION
        and whole.get("fingerprint") == fingerprint
        and isinstance(whole.get("files"), dict)
    ):
        # Not one file changed since this cache was written (checksummed, by kam): use it whole.
        return Catalog(files, whole["files"], odd, fingerprint, repo.root, state)
    cached = _files_of(whole)
    results: dict[str, tuple[FileKey, Any, list[tuple[Any, ...]]]] = {}
    fresh_facts: dict[str, Any] = {}
    missing = []
    for rel, key in files:
        hit: Any = cached.get(rel)
        if (
            _valid(hit, 3)
            and tuple(hit[0]) == key
            and isinstance(hit[2], list)
            and (hit[1] is None or isinstance(hit[1], dict))
        ):
            results[rel] = hit
        else:
            missing.append((rel, key))
    if missing:
        keys = dict(missing)
        for rel, summary, problems, facts in _parse_all(str(repo.root), [rel for rel, _ in missing]):
            results[rel] = (keys[rel], summary, problems)
            if facts is not None:
                fresh_facts[rel] = facts
    if state:
        write_cache(cache_path, {"version": CACHE_VERSION, "fingerprint": fingerprint, "files": results})
    return Catalog(files, results, odd, fingerprint, repo.root, state, fresh_facts)


def _parse_all(root: str, rels: list[str]) -> list[Parsed]:
    jobs = [(root, rel) for rel in rels]
    workers = min(os.cpu_count() or 1, 4)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return [_parse(job) for job in jobs]
    # forkserver, not fork: the TUI loads the catalog in a thread worker, and forking a process
    # that runs threads can deadlock; the server starts single-threaded and preloads this module.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_parse, jobs, chunksize=max(64, len(jobs) // (workers * 8))))


def _read_cache(path: Path | None) -> dict[str, Any]:
    return _files_of(read_cache(path))


def _files_of(data: Any) -> dict[str, Any]:
    """The per-file records of a cache of this version, else nothing."""
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_cache(path: Path, results: dict[str, Any]) -> None:
    write_cache(path, {"version": CACHE_VERSION, "files": results})


def _valid(hit: Any, size: int) -> bool:
    """A cached record of the expected shape (anything else is rebuilt, never trusted)."""
    return isinstance(hit, (tuple, list)) and len(hit) == size and isinstance(hit[0], (tuple, list))
