"""What `kam score`, `kam risks` and `kam portfolio` show at scale: filters with `kam list`'s
names (repeated = any, different = all, also in --json), text lines cut to a screenful of ids
with a count and a pointer to --all/--json, and the same figures whether from caches or files."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import git
from scoring_support import DAY, run_json, samples_fixture  # noqa: F401  (fixture)

from kam_tui.cli import selection
from kam_tui.model.portfolio import portfolio
from kam_tui.store.repository import Repository, read_account


def test_risks_filters_combine_like_list(kam, demo) -> None:  # type: ignore[no-untyped-def]
    every = run_json(kam, demo.root, "risks", "--today", DAY)
    codes = sorted({f["code"] for f in every})
    assert len(codes) >= 2
    one = run_json(kam, demo.root, "risks", "--risk", codes[0], "--today", DAY)
    assert one and {f["code"] for f in one} == {codes[0]}
    either = run_json(kam, demo.root, "risks", "--risk", codes[0], "--risk", codes[1], "--today", DAY)
    assert {f["code"] for f in either} == {codes[0], codes[1]}
    assert len(either) == sum(1 for f in every if f["code"] in codes[:2])
    high = run_json(kam, demo.root, "risks", "--severity", "high", "--today", DAY)
    assert high and all(f["severity"] == "high" for f in high)
    medium = run_json(kam, demo.root, "risks", "--severity", "medium", "--today", DAY)
    assert {f["severity"] for f in medium} <= {"medium", "high"} and len(medium) > len(high)
    tier_a = run_json(kam, demo.root, "risks", "--tier", "A", "--today", DAY)
    assert tier_a and all(f["tier"] == "A" for f in tier_a)
    both = run_json(kam, demo.root, "risks", "--tier", "A", "--severity", "high", "--today", DAY)
    assert both == [f for f in tier_a if f["severity"] == "high"]


def test_score_filters_by_owner_stage_tier_and_risk(kam, demo) -> None:  # type: ignore[no-untyped-def]
    listed = run_json(kam, demo.root, "list")
    owner = listed[0]["owner"]
    mine = {a["id"] for a in listed if a["owner"] == owner}
    scored = run_json(kam, demo.root, "score", "--owner", owner, "--today", DAY)
    assert {s["id"] for s in scored} == mine
    stages = {a["id"]: a["stage"] for a in listed}
    active = run_json(kam, demo.root, "score", "--stage", "active", "--today", DAY)
    assert active and {s["id"] for s in active} == {i for i, s in stages.items() if s == "active"}
    b_or_c = run_json(kam, demo.root, "score", "--tier", "B", "--tier", "C", "--today", DAY)
    assert b_or_c and {s["tier"] for s in b_or_c} <= {"B", "C"}
    stuffing = run_json(kam, demo.root, "score", "--risk", "stuffing", "--today", DAY)
    assert stuffing and all("stuffing" in [r["code"] for r in s["risks"]] for s in stuffing)
    text = kam("--repo", str(demo.root), "score", "--owner", owner, "--today", DAY)
    assert text.code == 0 and f"{len(mine)} account(s) scored" in text.err


def test_portfolio_lines_hold_a_screenful_of_ids(kam, demo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selection, "FIRST", 2)
    view = run_json(kam, demo.root, "portfolio", "--today", DAY)
    biggest = max(view["risks"].items(), key=lambda item: len(item[1]))
    assert len(biggest[1]) > 2
    cut = kam("--repo", str(demo.root), "portfolio", "--today", DAY)
    line = next(line for line in cut.out.splitlines() if line.startswith(biggest[0] + " "))
    assert line.endswith(f"… and {len(biggest[1]) - 2} more (--all, or --json)")
    assert sum(1 for i in biggest[1] if i in line) == 2
    full = kam("--repo", str(demo.root), "portfolio", "--all", "--today", DAY)
    line = next(line for line in full.out.splitlines() if line.startswith(biggest[0] + " "))
    assert all(i in line for i in biggest[1]) and "more" not in line


def test_risks_text_is_cut_and_all_lists_every_flag(kam, demo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from kam_tui.cli import scoring

    flags = run_json(kam, demo.root, "risks", "--today", DAY)
    monkeypatch.setattr(scoring, "RISK_ROWS", 3)
    cut = kam("--repo", str(demo.root), "risks", "--today", DAY)
    assert cut.code == 0
    assert cut.out.splitlines()[-1] == f"… and {len(flags) - 3} more (--all, or --json)"
    assert len(cut.out.splitlines()) == 1 + 3 + 1
    full = kam("--repo", str(demo.root), "risks", "--all", "--today", DAY)
    assert len(full.out.splitlines()) == 1 + len(flags)


def test_portfolio_from_caches_matches_the_model_on_the_files(kam, demo) -> None:  # type: ignore[no-untyped-def]
    accounts = [
        read_account(f"accounts/{p.name}", p.read_bytes()).account for p in sorted(demo.accounts_dir.glob("*.yaml"))
    ]
    import datetime as dt

    expected = portfolio([a for a in accounts if a], demo.settings().scoring, dt.date.fromisoformat(DAY)).as_json()
    for _ in range(2):  # first run fills the caches, the second reads them
        assert run_json(kam, demo.root, "portfolio", "--today", DAY) == json.loads(json.dumps(expected))


def _override(root: Path, account: str, when: str) -> None:
    """Give `account` a tier_override of A in a commit dated `when` (local time)."""
    path = root / "accounts" / f"{account}.yaml"
    path.write_text(path.read_text() + "tier_override:\n  tier: A\n  reason: test\n")
    git(root, "add", "-A")
    subprocess.run(
        ["git", "-C", str(root), "commit", "-q", "-m", f"override {account}"],
        check=True,
        env={**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
    )


def test_since_a_date_starts_at_its_midnight_and_at_a_date_ends_at_its_end(kam, demo) -> None:  # type: ignore[no-untyped-def]
    _override(demo.root, "novapath-robotics", "2026-11-27T10:00:00")
    _override(demo.root, "brightwave-electronics", "2026-11-28T09:30:00")
    since = run_json(kam, demo.root, "score", "--since", "2026-11-28", "--today", DAY)
    assert [c["id"] for c in since] == ["brightwave-electronics"]  # the change made that day counts
    at = {s["id"]: s["tier"] for s in run_json(kam, demo.root, "score", "--at", "2026-11-28", "--today", DAY)}
    assert at["brightwave-electronics"] == "A"  # the end of the day: its change is in
    before = {s["id"]: s["tier"] for s in run_json(kam, demo.root, "score", "--at", "2026-11-27", "--today", DAY)}
    assert before["brightwave-electronics"] != "A" and before["novapath-robotics"] == "A"


def test_facts_of_a_revision_are_parsed_once(kam, demo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from kam_tui.store import snapshot

    _override(demo.root, "novapath-robotics", "2026-11-28T10:00:00")
    parsed: list[str] = []
    real = snapshot.read_account

    def counting(rel: str, raw: bytes, positions: bool = True):  # type: ignore[no-untyped-def]
        parsed.append(rel)
        return real(rel, raw, positions)

    monkeypatch.setattr(snapshot, "read_account", counting)
    assert kam("--repo", str(demo.root), "list").code == 0  # the work tree's files are cached
    first = run_json(kam, demo.root, "score", "--at", "HEAD~1", "--today", DAY)
    assert parsed == ["accounts/novapath-robotics.yaml"]  # only the one version not seen before
    parsed.clear()
    assert run_json(kam, demo.root, "score", "--at", "HEAD~1", "--today", DAY) == first
    assert parsed == []
    since = run_json(kam, demo.root, "score", "--since", "HEAD~1", "--today", DAY)
    assert [c["id"] for c in since] == ["novapath-robotics"] and since[0]["cause"] == "data"
    assert sorted(parsed) == ["accounts/novapath-robotics.yaml"] * 2  # read in full: both versions
    shutil.rmtree(demo.state_dir)
    assert run_json(kam, demo.root, "score", "--since", "HEAD~1", "--today", DAY) == since


def test_since_a_day_before_the_first_commit_shows_every_account_as_new(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """A repository started today: `kam score --since <today>` is everything, not a refusal."""
    made = kam(
        "--repo", str(repo.root), "new", "acme", "--name", "ACME", "tier_override.tier=A", "tier_override.reason=x"
    )
    assert made.code == 0, made.err
    today = dt.date.today().isoformat()
    result = kam("--repo", str(repo.root), "score", "--since", today)
    assert (result.code, result.out) == (0, "acme: – → A — new account since then\n"), result.err
    assert result.err.endswith(f"1 tier change(s) since {today} (before the first commit) ({today})\n")
    at = kam("--repo", str(repo.root), "score", "--at", "2000-01-01")
    assert (at.code, at.err) == (2, "kam: git: no commit before 2000-01-01\n")
