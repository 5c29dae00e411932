"""The per-file caches are keyed by one version, FACTS_VERSION: a change to what `account_facts`
or `summarize` give for the same file must come with a bump, or every clone keeps stale caches.

The digest of a fixed sample's facts and summaries is recorded per version below. When this test
fails: if you changed what is derived, bump FACTS_VERSION and record the new digest under it;
never edit the digest of an existing version."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from kam_tui.model.facts import FACTS_VERSION, Facts, account_facts, facts_to_plain
from kam_tui.model.summary import summarize
from kam_tui.store.cachefile import read_cache, write_cache
from kam_tui.store.catalog import CACHE_FILE, load_catalog
from kam_tui.store.repository import Repository, read_account

SAMPLE = Path(__file__).parent / "data" / "cache_version"

DIGESTS = {
    6: "7a6acc4b5df2d4754e9dee75443489787caa3dab6c485dcaee02452c08941728",
    7: "7a6acc4b5df2d4754e9dee75443489787caa3dab6c485dcaee02452c08941728",  # + control-character warnings
    8: "7a6acc4b5df2d4754e9dee75443489787caa3dab6c485dcaee02452c08941728",  # caches keyed by blob id
    9: "d1c00f08bb3189559b060bd0d4c8565c48b0b4d610725b5ff9abb1fbef92a58c",  # + volume (what sold through)
    10: "7b4ea523f3a91be1972ef36192b81b7a743f123b2877c2281290928fb8ccf404",  # + kind, discount, rebate, responses
    11: "d75827cd735bc836406dc04d65da100ebbe90ffa87833947c9ac162354567f25",  # + sold_profit
    12: "80bc8f7443856c28201aefe0897b42623616c17fb5376741d823f7354f2c0c0c",  # one margin, one overdue share (B8)
    13: "80bc8f7443856c28201aefe0897b42623616c17fb5376741d823f7354f2c0c0c",  # an end user: what it bought is used
    14: "80bc8f7443856c28201aefe0897b42623616c17fb5376741d823f7354f2c0c0c",  # growth of short histories
    15: "80bc8f7443856c28201aefe0897b42623616c17fb5376741d823f7354f2c0c0c",  # responses: timed or dates only
}


def sample_digest() -> str:
    records = []
    for path in sorted(SAMPLE.glob("*.yaml")):
        loaded = read_account(f"accounts/{path.name}", path.read_bytes())
        assert loaded.account is not None, [p.render() for p in loaded.problems]
        records.append(
            {
                "facts": dict(zip(Facts._fields, facts_to_plain(account_facts(loaded.account)), strict=True)),
                "upto": facts_to_plain(account_facts(loaded.account, "2025-Q4")),
                "summary": summarize(loaded.account).as_json(),
            }
        )
    text = json.dumps(records, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_sample_is_not_empty() -> None:
    assert len(list(SAMPLE.glob("*.yaml"))) >= 4


def test_a_catalog_cache_written_under_another_facts_version_is_not_read(repo: Repository) -> None:
    for path in SAMPLE.glob("*.yaml"):
        shutil.copy(path, repo.accounts_dir / path.name)
    load_catalog(repo)  # writes the cache
    cache = repo.state_dir / CACHE_FILE
    written = read_cache(cache)

    def names_read_with_a_stale_name_cached_by(version: int) -> set[str]:
        files = {
            rel: (key, None if summary is None else {**summary, "name": "STALE"}, problems, blob)
            for rel, (key, summary, problems, blob) in written["files"].items()
        }
        write_cache(cache, {**written, "version": version, "files": files})
        return {account.name for account in load_catalog(repo).accounts}

    assert names_read_with_a_stale_name_cached_by(FACTS_VERSION) == {"STALE"}  # the cache is what is read,
    assert "STALE" not in names_read_with_a_stale_name_cached_by(FACTS_VERSION - 1)  # unless another version wrote it


def test_derived_facts_change_only_with_a_version_bump() -> None:
    digest = sample_digest()
    recorded = DIGESTS.get(FACTS_VERSION)
    assert recorded is not None, f"FACTS_VERSION {FACTS_VERSION} has no digest: add {FACTS_VERSION}: {digest!r}"
    assert digest == recorded, (
        "the facts or summaries of the fixed sample changed: bump FACTS_VERSION in kam_tui/model/facts.py "
        f"and record {digest!r} under the new version"
    )
