"""The catalog's caches under .git/kam/: reads never write, the parse pool is safe from threads."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kam_tui.store import catalog as catalog_module
from kam_tui.store.catalog import load_catalog
from kam_tui.store.factcache import FACTS_FILE
from kam_tui.store.repository import Repository

SAMPLE = Path(__file__).parent / "data" / "cache_version"


def _fill(repo: Repository) -> None:
    for path in SAMPLE.glob("*.yaml"):
        shutil.copy(path, repo.accounts_dir / path.name)


def test_reading_facts_writes_nothing_until_saved(repo: Repository) -> None:
    _fill(repo)
    facts_path = repo.state_dir / FACTS_FILE
    catalog = load_catalog(repo)
    facts = catalog.facts()
    assert len(facts) == len(catalog.summaries) >= 4
    assert not facts_path.exists()  # a read: nothing written
    catalog.save_facts()
    assert facts_path.exists()
    written = facts_path.stat().st_mtime_ns
    again = load_catalog(repo)
    assert again.facts() == facts
    again.save_facts()  # nothing new was derived: nothing rewritten
    assert facts_path.stat().st_mtime_ns == written


def test_the_parse_pool_never_forks_and_works_from_a_thread(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TUI loads the catalog in a thread worker: forking a threaded process can deadlock."""
    _fill(repo)
    methods: list[str] = []

    class Spy(ProcessPoolExecutor):
        def __init__(self, workers: int, mp_context: Any) -> None:
            methods.append(mp_context.get_start_method())
            super().__init__(workers, mp_context=mp_context)

    monkeypatch.setattr(catalog_module, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(catalog_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(catalog_module.os, "cpu_count", lambda: 2)
    found: list[Any] = []
    worker = threading.Thread(target=lambda: found.append(load_catalog(repo, use_cache=False)))
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    assert methods and "fork" not in methods
    serial = load_catalog(repo, use_cache=False)
    assert found[0].summaries == serial.summaries
    assert len(found[0].facts()) == len(serial.facts()) >= 4
