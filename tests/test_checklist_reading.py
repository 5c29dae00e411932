"""Reading checklists: progress per stage (text and JSON), the portfolio of running checklists,
the tick history rebuilt from git, and ticks made in two clones merging without a conflict."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from checklist_support import HELD, TODAY, Kam, as_user
from checklist_support import as_wang_fixture, exiting_fixture  # noqa: F401  (fixtures)
from conftest import commit_all, git, write_account
from kam_tui.store.checklist_history import tick_history
from kam_tui.store.checklists import accounts_running
from kam_tui.store.init import init_repository
from kam_tui.store.repository import Repository


# --- reading --------------------------------------------------------------------------------------


def test_checklist_shows_progress_per_stage(exiting: Repository, kam: Kam) -> None:
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "1")
    result = kam("--repo", str(exiting.root), "checklist", "acme-motors", "staged-exit")
    assert result.code == 0
    assert "1/21 done" in result.out and "Before  1/8" in result.out
    assert "During  0/7  (waits for the earlier stages)" in result.out
    assert f"    1 [x] Answer the three questions with figures — {TODAY} wang" in result.out
    assert "next: 2 Check stock-in against sell-through for diversion" in result.out
    data = json.loads(kam("--repo", str(exiting.root), "checklist", "acme-motors", "staged-exit", "--json").out)
    assert (data["account"], data["playbook"], data["done"], data["total"]) == ("acme-motors", "staged-exit", 1, 21)
    assert [(s["name"], s["done"], s["total"], s["locked"]) for s in data["stages"]] == [
        ("Before", 1, 8, False),
        ("During", 0, 7, True),
        ("After", 0, 6, True),
    ]
    first = data["stages"][0]["steps"][0]
    assert first["tick"] == {"date": TODAY, "by": "wang", "reason": None, "note": None} and first["number"] == 1
    assert data["next"]["number"] == 2 and data["attached"]["by"] == "wang"
    assert data["template"] == {"path": "playbooks/staged-exit.md", "exists": True, "differences": []}
    listing = json.loads(kam("--repo", str(exiting.root), "checklist", "acme-motors", "--json").out)
    assert [c["playbook"] for c in listing] == ["staged-exit"]


def test_checklist_of_account_without_any(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    result = kam("--repo", str(repo.root), "checklist", "acme-motors")
    assert result.code == 0 and "no checklists" in result.err
    assert kam("--repo", str(repo.root), "checklist", "ghost").code == 2


def test_checklists_portfolio(exiting: Repository, kam: Kam) -> None:
    write_account(exiting, "beta", "id: beta\nname: Beta\nstage: active\n")
    kam("--repo", str(exiting.root), "attach", "beta", "maintenance")
    for number in ("1", "2"):
        kam("--repo", str(exiting.root), "check", "beta", "maintenance", number)
    rows = json.loads(kam("--repo", str(exiting.root), "checklists", "--json").out)
    assert [(r["account"], r["playbook"], r["done"], r["total"], r["stage"]) for r in rows] == [
        ("acme-motors", "staged-exit", 0, 21, "Before"),
        ("beta", "maintenance", 2, 44, "Keep the file current"),
    ]
    assert rows[1]["oldest_open"] == {
        "number": 3,
        "text": "Record receivables and overdue amounts",
        "stage": "Keep the file current",
        "since": TODAY,
    }
    text = kam("--repo", str(exiting.root), "checklists").out
    assert "acme-motors" in text and "2/44" in text
    assert accounts_running(exiting, "maintenance") == {"beta"}
    assert accounts_running(exiting, "staged-exit") == {"acme-motors"}
    assert accounts_running(exiting, "development") == set()


# --- history --------------------------------------------------------------------------------------


def test_history_reconstructs_who_did_what(exiting: Repository, kam: Kam, monkeypatch: pytest.MonkeyPatch) -> None:
    root = str(exiting.root)
    kam("--repo", root, "check", "acme-motors", "staged-exit", "1")
    as_user(monkeypatch, "li")
    kam("--repo", root, "check", "acme-motors", "staged-exit", "2", "--note", "stock-in 3x sell-through")
    kam("--repo", root, "check", "acme-motors", "staged-exit", "1", "--undo")
    kam("--repo", root, "check", "acme-motors", "staged-exit", "10", "--force", "--reason", "boss")
    events = json.loads(kam("--repo", root, "checklist", "acme-motors", "staged-exit", "--history", "--json").out)
    assert [(e["author"], e["action"], e["step"]) for e in events] == [
        ("wang", "attach", None),
        ("wang", "tick", "Answer the three questions with figures"),
        ("li", "tick", "Check stock-in against sell-through for diversion"),
        ("li", "untick", "Answer the three questions with figures"),
        ("li", "tick", "Have a senior leader ease it out gracefully"),
    ]
    assert events[2]["tick"] == {"date": TODAY, "by": "li", "reason": None, "note": "stock-in 3x sell-through"}
    assert events[4]["tick"]["reason"] == "boss"
    assert all(e["date"][:10] == TODAY and len(e["hash"]) == 40 for e in events)
    text = kam("--repo", root, "checklist", "acme-motors", "--history").out
    assert "✗ untick" in text and "li" in text
    # kam history ID includes the checklist's commits
    messages = [c["message"] for c in json.loads(kam("--repo", root, "history", "acme-motors", "--json").out)]
    assert messages[:2] == [
        "acme-motors: staged-exit ✓ Have a senior leader ease it out gracefully",
        "acme-motors: staged-exit ✗ Answer the three questions with figures",
    ]


def test_history_ignores_unrelated_commits(exiting: Repository, kam: Kam) -> None:
    kam("--repo", str(exiting.root), "set", "acme-motors", "owner=li")
    assert [e.action for e in tick_history(exiting, "acme-motors")] == ["attach"]


# --- two clones -----------------------------------------------------------------------------------

ADJACENT = """---
title: Tight
---

## Only
- [ ] One
- [ ] Two
- [ ] Three
- [ ] Four
"""


@pytest.mark.parametrize(
    "playbook, first, second",
    [
        ("tight", "2", "3"),  # a template whose steps sit on adjacent lines
        ("staged-exit", "1", "2"),
        ("staged-exit", "8", "1"),
    ],
)
def test_ticks_in_two_clones_merge_without_conflict(
    tmp_path: Path, kam: Kam, monkeypatch: pytest.MonkeyPatch, playbook: str, first: str, second: str
) -> None:
    origin = Repository(init_repository(tmp_path / "origin", "en"))
    (origin.root / "playbooks/tight.md").write_text(ADJACENT)
    write_account(origin, "acme-motors", HELD)
    commit_all(origin.root, "tight playbook")
    as_user(monkeypatch, "wang")
    assert kam("--repo", str(origin.root), "attach", "acme-motors", playbook).code == 0
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        subprocess.run(["git", "clone", "-q", str(origin.root), str(clone)], check=True)
    assert kam("--repo", str(a), "check", "acme-motors", playbook, first).code == 0
    as_user(monkeypatch, "li")
    assert kam("--repo", str(b), "check", "acme-motors", playbook, second).code == 0
    git(b, "pull", "-q", "--no-rebase", "--no-edit", str(a), "HEAD")
    text = (b / f"checklists/acme-motors/{playbook}.md").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    events = [(e.author, e.action) for e in tick_history(Repository(b), "acme-motors", playbook)]
    assert sorted(events) == [("li", "tick"), ("wang", "attach"), ("wang", "tick")]
    result = kam("--repo", str(b), "checklist", "acme-motors", playbook, "--json")
    assert json.loads(result.out)["done"] == 2
