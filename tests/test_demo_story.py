"""The demo tells a true story (B11): ticks carry notes about their own step, end-user accounts say
so, and its dates follow the day it is built (whole quarters later), so no figure or visit lies
ahead of today and the latest figures are of the last quarter that has ended."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from kam_tui.model.dates import last_ended_quarter
from kam_tui.store.demo import TEAM, build_demo


def _checklist(root: Path, kam, account: str, playbook: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return json.loads(kam("--repo", str(root), "checklist", account, playbook, "--json").out)


def test_ticks_carry_notes_about_their_own_step(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    root = demo
    steps = {
        s["number"]: s for st in _checklist(root, kam, "sanjiang-auto", "maintenance")["stages"] for s in st["steps"]
    }
    assert steps[1]["text"] == "Update contacts and decision makers"
    assert steps[1]["tick"]["note"] == "contacts checked with purchasing"
    assert steps[3]["text"] == "Record receivables and overdue amounts" and "receivables" in steps[3]["tick"]["note"]
    steps = {
        s["number"]: s for st in _checklist(root, kam, "qingyun-tech", "development")["stages"] for s in st["steps"]
    }
    assert "5%" in steps[1]["tick"]["note"] and "5%" in steps[1]["text"]
    assert "margin" in steps[2]["tick"]["note"] and "margin" in steps[2]["text"]


def test_end_user_accounts_say_so(demo: Path) -> None:
    root = demo
    for account in ("sanjiang-auto", "brightwave-electronics", "novapath-robotics"):
        assert "\nkind: end-user\n" in (root / "accounts" / f"{account}.yaml").read_text(encoding="utf-8")


def test_a_demo_built_later_is_as_recent(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2027, 6, 15, 9, 0)
    root = build_demo(tmp_path / "demo", now=now)
    text = "".join(p.read_text(encoding="utf-8") for p in (root / "accounts").glob("*.yaml"))
    dates = [d for d in re.findall(r"\b20\d\d-\d\d-\d\d\b", text)]
    assert max(dates) <= "2027-06-15"
    assert max(re.findall(r"(?m)^  (20\d\d-Q[1-4]): \{", text)) == last_ended_quarter(now.date()) == "2027-Q1"
    result = kam("--repo", str(root), "validate", "--today", "2027-06-15")
    assert result.code == 0 and "warning" not in result.out, result.out
    scores = {e["id"]: e for e in json.loads(kam("--repo", str(root), "score", "--json", "--today", "2027-06-15").out)}
    assert scores["jinding-trading"]["tier"] != "A" and not scores["jinding-trading"]["key_account"]
    why = next(
        d
        for d in json.loads(kam("--repo", str(root), "score", "bohai-hvac", "--json", "--today", "2027-06-15").out)[
            "dimensions"
        ]
        if d["name"] == "sales"
    )["why"]
    assert "last figures" not in why  # the figures are current, not stale


def test_a_demo_is_built_on_kams_today(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """$KAM_TODAY (and `kam demo --today`) date the demo without a `now` from the caller: only
    the CLI applied it, by building `now` itself."""
    monkeypatch.setenv("KAM_TODAY", "2027-06-15")
    root = build_demo(tmp_path / "demo")
    text = "".join(p.read_text(encoding="utf-8") for p in (root / "accounts").glob("*.yaml"))
    assert max(re.findall(r"(?m)^  (20\d\d-Q[1-4]): \{", text)) == "2027-Q1"


def test_the_history_agrees_with_the_data(demo: Path) -> None:
    """Each account is added before its first visit, and a quarter's figures arrive after it ends."""
    from conftest import git
    from kam_tui.model.facts import quarter_end

    root = demo
    for path in sorted((root / "accounts").glob("*.yaml")):
        rel = f"accounts/{path.name}"
        added = git(root, "log", "--diff-filter=A", "--format=%ad", "--date=short", "--", rel).split()[-1]
        visits = re.findall(r"(?m)^  - date: (\d{4}-\d\d-\d\d)", path.read_text(encoding="utf-8"))
        assert not visits or added < min(visits), (rel, added, min(visits))
        patch = git(root, "log", "--format=@%ad", "--date=short", "-p", "--", rel)
        when = ""
        for line in patch.splitlines():
            if line.startswith("@") and not line.startswith("@@"):
                when = line[1:]
            elif m := re.match(r"\+  (\d{4}-Q[1-4]): \{", line):
                assert when > quarter_end(m.group(1)).isoformat(), (rel, m.group(1), when)


def test_each_log_entry_is_committed_on_its_own_day(tmp_path: Path) -> None:
    """A visit, complaint or survey is logged the day it happened (not at the quarter's end), by whoever
    made the visit; a complaint is closed in a commit of the day it closed; every tick comes after its
    account was added."""
    from conftest import git

    root = build_demo(tmp_path / "demo", now=dt.datetime(2026, 11, 30, 9, 0))
    logged = 0
    for path in sorted((root / "accounts").glob("*.yaml")):
        rel = f"accounts/{path.name}"
        patch = git(root, "log", "--format=@%ad %an", "--date=short", "-p", "--", rel)
        when = who = ""
        for line in patch.splitlines():
            if line.startswith("@") and not line.startswith("@@"):
                when, who = line[1:].split(" ", 1)
            elif m := re.match(r"\+  - (?:date|opened): (\d{4}-\d\d-\d\d)$", line):
                assert when == m.group(1), (rel, line, when)
                logged += 1
            elif m := re.match(r"\+    by: (\w+)$", line):
                assert TEAM[m.group(1)].split(" <")[0] == who, (rel, line, who)
            elif m := re.match(r"\+    closed: (\d{4}-\d\d-\d\d)$", line):
                assert when == m.group(1), (rel, line, when)
        added = git(root, "log", "--diff-filter=A", "--format=%ad", "--date=short", "--", rel).split()[-1]
        ticks = git(root, "log", "--format=%ad", "--date=short", "--", f"checklists/{path.stem}").split()
        assert all(added < tick for tick in ticks), (rel, added, ticks)
    assert logged > 100
    subjects = git(root, "log", "--format=%s").splitlines()
    assert "qingyun-tech: visit 2026-09-22 by li" in subjects
    assert "cascade-medical: complaints.1.closed = 2026-10-06" in subjects
    assert "2026-Q3: figures" in subjects
