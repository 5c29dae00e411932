"""The caches under .git/kam/: reads never write, the parse pool is safe from threads, a large
mapping is read back in pieces."""

from __future__ import annotations

import json
import shutil
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kam_tui.store import catalog as catalog_module
from kam_tui.store.account_cache import ACCOUNTS_FILE, load_accounts
from kam_tui.store.cachefile import read_cache, read_mapping, write_cache, write_mapping
from kam_tui.store.catalog import CACHE_FILE, DELTA_FILE, load_catalog
from kam_tui.store.factcache import FACTS_FILE
from kam_tui.store.repository import Repository
from conftest import SAMPLES, commit_all, copy_samples

SAMPLE = Path(__file__).parent / "data" / "cache_version"


def _fill(repo: Repository) -> None:
    for path in SAMPLE.glob("*.yaml"):
        shutil.copy(path, repo.accounts_dir / path.name)


def test_reading_facts_writes_nothing_until_saved(repo: Repository) -> None:
    _fill(repo)
    facts_path = repo.state_dir / FACTS_FILE
    catalog = load_catalog(repo)
    facts = catalog.facts()
    assert len(facts) == len(catalog.accounts) >= 4
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
    assert found[0].accounts == serial.accounts
    assert len(found[0].facts()) == len(serial.facts()) >= 4


def test_scores_after_an_edit_equal_a_fresh_computation(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """After one edit only that account is rescored and the catalog writes a small delta; what
    `kam list` shows is exactly what a run without any cache computes — the portfolio-relative
    dependency flag of the other accounts included."""

    copy_samples(repo)
    commit_all(repo.root, "samples")
    base = repo.state_dir / CACHE_FILE

    def listed() -> list[dict[str, Any]]:
        result = kam("--repo", str(repo.root), "list", "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)  # type: ignore[no-any-return]

    before = listed()
    written = base.stat().st_mtime_ns
    edit = kam(
        "--repo",
        str(repo.root),
        "set",
        "novapath-robotics",
        "periods.2026-Q3.sales=900000000",
        "periods.2026-Q3.sell_through=900000000",
    )
    assert edit.code == 0, edit.err
    after = listed()
    assert base.stat().st_mtime_ns == written and (repo.state_dir / DELTA_FILE).exists()
    dependent = {a["id"] for a in after if "dependency" in a["risks"]}
    assert "novapath-robotics" in dependent and dependent != {a["id"] for a in before if "dependency" in a["risks"]}
    shutil.rmtree(repo.state_dir)
    assert listed() == after


def test_summaries_from_kept_parts_equal_a_whole_evaluation() -> None:
    import datetime as dt

    from kam_tui.model.evaluate import evaluate_facts, own_score, summaries_of
    from kam_tui.model.facts import account_facts
    from kam_tui.model.settings import Settings
    from kam_tui.store.repository import read_account

    config = Settings().scoring
    day = dt.date(2026, 12, 1)
    facts = [
        account_facts(loaded.account)
        for path in sorted(SAMPLES.glob("*.yaml"))
        if (loaded := read_account(f"accounts/{path.name}", path.read_bytes())).account is not None
    ]
    whole = {e.id: e.summary() for e in evaluate_facts(facts, config, day)}
    assert any("dependency" in s.risks for s in whole.values())
    assert summaries_of([own_score(f, config, day) for f in facts], config) == whole


def test_rescoring_one_edited_account_keeps_the_facts_of_all_the_others(
    repo: Repository, kam, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """At 50,000 accounts, `kam set` then `kam list` used to prune the facts cache to the one edited
    file (the bound on unused entries counted only what that run looked at), so the next
    `kam portfolio` parsed every file again (≈40 s)."""
    from kam_tui.store import factcache

    monkeypatch.setattr(factcache, "KEEP_SLACK", 0)  # the bound as it bites at thousands of files
    _fill(repo)
    commit_all(repo.root, "accounts")
    assert kam("--repo", str(repo.root), "list").code == 0
    held = load_catalog(repo).fact_cache.entries.keys()
    assert len(held) == len(load_catalog(repo).accounts) >= 4
    target = sorted(path.stem for path in SAMPLE.glob("*.yaml"))[0]
    assert kam("--repo", str(repo.root), "set", target, "credit_limit=12345").code == 0
    assert kam("--repo", str(repo.root), "list").code == 0
    parsed: list[str] = []
    real = catalog_module._parse_all

    def counting(root: str, rels: list[str]) -> Any:
        parsed.extend(rels)
        return real(root, rels)

    monkeypatch.setattr(catalog_module, "_parse_all", counting)
    assert kam("--repo", str(repo.root), "portfolio").code == 0
    assert parsed == []


def test_a_few_edited_files_skip_the_facts_cache_and_every_view_stays_right(
    repo: Repository, kam, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """After an edit of a few of many files (catalog.FEW_EDITED of them), `kam list` takes their
    facts from its own read of them and neither reads nor rewrites the facts cache (24 MB at 50,000
    accounts). What it shows, and what the next `kam portfolio` shows (which derives the edited
    file's facts again), equal a run without any cache. The edit is a hand edit committed with git."""
    monkeypatch.setattr(catalog_module, "FEW_EDITED", 0.25)  # one file of the four counts as few
    _fill(repo)
    commit_all(repo.root, "accounts")

    def shown(*args: str) -> Any:
        result = kam("--repo", str(repo.root), *args, "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)

    before = shown("list")
    facts_path = repo.state_dir / FACTS_FILE
    written = facts_path.stat().st_mtime_ns
    path = repo.accounts_dir / "bohai-hvac.yaml"
    path.write_text(
        path.read_text().replace("{capital: 3, network: 3, logistics: 3", "{capital: 5, network: 5, logistics: 5")
    )
    commit_all(repo.root, "ratings by hand")
    parsed: list[str] = []
    real = catalog_module._parse_all

    def counting(root: str, rels: list[str], *rest: Any) -> Any:
        parsed.extend(rels)
        return real(root, rels, *rest)

    monkeypatch.setattr(catalog_module, "_parse_all", counting)
    listed = shown("list")
    assert parsed == ["accounts/bohai-hvac.yaml"] and facts_path.stat().st_mtime_ns == written
    score = {a["id"]: a["score"] for a in listed}
    assert score["bohai-hvac"] != {a["id"]: a["score"] for a in before}["bohai-hvac"]
    portfolio = shown("portfolio")
    assert parsed == ["accounts/bohai-hvac.yaml"] * 2  # the portfolio derived the edited file's facts again
    shutil.rmtree(repo.state_dir)
    assert shown("list") == listed and shown("portfolio") == portfolio


def test_the_files_left_out_are_the_entries_without_an_account_fresh_and_cached(repo: Repository) -> None:
    """The TUI's problems panel reads `left_out()`: the same files, problems and order as the
    full entry list gives, for a broken file, a link and a valid one, parsed or from the cache."""
    _fill(repo)
    (repo.accounts_dir / "b-broken.yaml").write_text("id: b-broken\nname: [unclosed\n")
    (repo.accounts_dir / "a-link.yaml").symlink_to(repo.accounts_dir / "b-broken.yaml")
    for _pass in ("parsed", "cached"):
        catalog = load_catalog(repo)
        expected = [entry for entry in catalog.entries if entry.account is None]
        assert [entry.rel for entry in expected] == ["accounts/a-link.yaml", "accounts/b-broken.yaml"]
        assert catalog.left_out() == expected
        assert all(entry.problems for entry in catalog.left_out())


def test_a_mapping_cache_reads_back_what_was_written_in_pieces_and_nothing_else(tmp_path: Path) -> None:
    """A large mapping (the whole accounts of every file) is written as pieces, each marshalled on
    its own, so that no single read holds the interpreter long; a damaged, older or foreign
    file reads as empty (rebuilt), never as part of it."""
    path = tmp_path / "mapping.marshal"
    mapping = {f"blob{i:05d}": {"id": f"a{i}", "visits": [{"date": "2026-01-02"}] * (i % 3)} for i in range(1234)}
    write_mapping(path, "v2", mapping)
    _version, pieces = read_cache(path)
    assert len(pieces) == 3  # 500 + 500 + 234
    assert read_mapping(path, "v2") == mapping
    assert read_mapping(path, "v1") == {}  # written by another version
    write_cache(path, ("v2", mapping))  # the single-call form this cache had before
    assert read_mapping(path, "v2") == {}
    write_mapping(path, "v2", mapping)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert read_mapping(path, "v2") == {}
    assert read_mapping(tmp_path / "missing.marshal", "v2") == {}


def test_the_whole_accounts_read_from_their_cache_equal_the_files_parsed(repo: Repository) -> None:
    _fill(repo)
    parsed, skipped = load_accounts(repo)
    assert (repo.cache_dir / ACCOUNTS_FILE).is_file()
    cached, skipped_again = load_accounts(repo)
    assert (cached, skipped_again) == (parsed, skipped) and len(parsed) >= 4
