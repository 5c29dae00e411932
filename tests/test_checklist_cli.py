"""Attached checklists end to end: files, one-line diffs, commits, gating, the network rule,
history from git, merging two clones, validation, template drift, the other language."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, commit_count, git, write_account
from kam_tui.model.checklist import header_line, render_checklist
from kam_tui.store.init import init_repository
from kam_tui.store.checklist_history import tick_history
from kam_tui.store.checklists import accounts_running
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_playbooks

TODAY = dt.date.today().isoformat()
FAKE = "id: acme-motors\nname: Acme Motors\nstage: at-risk\nnetwork_held: 0.2\nowner: wang\n"
HELD = "id: acme-motors\nname: Acme Motors\nstage: at-risk\nnetwork_held: 0.75\nowner: wang\n"
EXIT = "checklists/acme-motors/staged-exit.md"
Kam = Callable[..., Result]


@pytest.fixture
def as_wang(monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in (
        ("GIT_AUTHOR_NAME", "wang"),
        ("GIT_AUTHOR_EMAIL", "wang@example.com"),
        ("GIT_COMMITTER_NAME", "wang"),
        ("GIT_COMMITTER_EMAIL", "wang@example.com"),
    ):
        monkeypatch.setenv(var, value)


def as_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    for var in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{var}_NAME", name)
        monkeypatch.setenv(f"{var}_EMAIL", f"{name}@example.com")


def show(root: Path, rev: str = "HEAD") -> tuple[str, list[str], list[str]]:
    """(subject, removed lines, added lines) of one commit, zero context."""
    subject = git(root, "log", "-1", "--format=%s", rev).strip()
    patch = git(root, "show", "--format=", "-U0", rev)
    removed = [x[1:] for x in patch.splitlines() if x.startswith("-") and not x.startswith("---")]
    added = [x[1:] for x in patch.splitlines() if x.startswith("+") and not x.startswith("+++")]
    return subject, removed, added


def changed_files(root: Path, rev: str = "HEAD") -> list[str]:
    return git(root, "show", "--format=", "--name-only", rev).split()


@pytest.fixture
def exiting(repo: Repository, kam: Kam, as_wang: None) -> Repository:
    """acme-motors with staged-exit attached (network in hand)."""
    write_account(repo, "acme-motors", HELD)
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit").code == 0
    return repo


# --- attach ---------------------------------------------------------------------------------------


def test_attach_writes_template_copy_with_header_in_one_commit(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD.replace("at-risk", "active"))
    before = commit_count(repo.root)
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "maintenance")
    assert result.code == 0, result.err
    rel = "checklists/acme-motors/maintenance.md"
    template = (repo.root / "playbooks/maintenance.md").read_text(encoding="utf-8")
    expected = render_checklist(template, header_line("maintenance", TODAY, "wang"))
    assert (repo.root / rel).read_text(encoding="utf-8") == expected
    assert f"> kam checklist: maintenance, attached {TODAY} by wang" in expected
    assert commit_count(repo.root) == before + 1
    assert changed_files(repo.root) == [rel]
    assert show(repo.root)[0] == "acme-motors: attach maintenance"
    assert git(repo.root, "status", "--porcelain") == ""


def test_attach_staged_exit_moves_stage_in_the_same_commit(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit")
    assert result.code == 0, result.err
    subject, removed, added = show(repo.root)
    assert subject == "acme-motors: attach staged-exit, stage at-risk → exiting"
    assert sorted(changed_files(repo.root)) == ["accounts/acme-motors.yaml", EXIT]
    assert "stage: at-risk" in removed and "stage: exiting" in added
    assert (repo.root / "accounts/acme-motors.yaml").read_text() == HELD.replace("at-risk", "exiting")


def test_staged_exit_attaches_before_the_network_is_held_and_its_during_stage_waits(
    repo: Repository, kam: Kam, as_wang: None
) -> None:
    """Taking the network is the exit's first 'before' step (L420), so attaching is always allowed;
    entering 'during' — ticking its first step — waits for the network (L407) or --force --reason."""
    root = str(repo.root)
    write_account(repo, "acme-motors", FAKE)
    result = kam("--repo", root, "attach", "acme-motors", "staged-exit")
    assert result.code == 0, result.err
    assert show(repo.root)[0] == "acme-motors: attach staged-exit, stage at-risk → exiting"
    assert f"> kam checklist: staged-exit, attached {TODAY} by wang\n" in (repo.root / EXIT).read_text()
    for number in range(1, 9):  # the 'before' stage, the network step among them
        assert kam("--repo", root, "check", "acme-motors", "staged-exit", str(number)).code == 0
    before = commit_count(repo.root)
    refused = kam("--repo", root, "check", "acme-motors", "staged-exit", "9")
    assert refused.code == 2
    assert "'during' stage waits until its downstream network is in hand" in refused.err
    assert "20%" in refused.err and "--force --reason" in refused.err
    assert commit_count(repo.root) == before
    assert kam("--repo", root, "check", "acme-motors", "staged-exit", "9", "--force").code == 2
    forced = kam("--repo", root, "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "board decided")
    assert forced.code == 0, forced.err
    assert "forced past the network rule" in forced.err
    assert show(repo.root)[2][0].endswith(f"— {TODAY} wang — forced: board decided")
    assert "Ticked past the network rule: network_held 20%" in git(repo.root, "log", "-1", "--format=%b")
    # once 'during' is entered, its other steps are not asked again
    assert kam("--repo", root, "check", "acme-motors", "staged-exit", "10").code == 0


def test_during_stage_waits_when_network_unknown(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", "id: acme-motors\nname: Acme Motors\nstage: at-risk\n")
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit").code == 0
    result = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "x")
    assert result.code == 0 and "not recorded" in result.err


def test_network_threshold_comes_from_kam_yaml(repo: Repository, kam: Kam, as_wang: None) -> None:
    (repo.root / "kam.yaml").write_text("risks:\n  control:\n    below: 0.1\n    in_hand: 0.15\n")
    git(repo.root, "commit", "-qam", "lower the bar")
    write_account(repo, "acme-motors", FAKE)
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit").code == 0
    result = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "x")
    assert result.code == 0 and "forced past the network rule" not in result.err


@pytest.mark.parametrize(
    "args, piece",
    [
        (("attach", "acme-motors", "nosuch"), "no playbook 'nosuch'"),
        (("attach", "ghost", "maintenance"), "no account 'ghost'"),
        (("attach", "acme-motors", "../kam"), "not a playbook name"),
        (("attach", "acme-motors", "staged-exit"), "already attached"),
    ],
)
def test_attach_refusals(exiting: Repository, kam: Kam, args: tuple[str, ...], piece: str | None) -> None:
    before = commit_count(exiting.root)
    result = kam("--repo", str(exiting.root), *args)
    assert result.code == 2 and piece in result.err
    assert commit_count(exiting.root) == before


# --- check ----------------------------------------------------------------------------------------


def test_tick_is_one_line_and_one_commit(exiting: Repository, kam: Kam) -> None:
    before = commit_count(exiting.root)
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "Clear its inventory")
    assert result.code == 0, result.err
    assert commit_count(exiting.root) == before + 1
    assert show(exiting.root) == (
        "acme-motors: staged-exit ✓ Clear its inventory of our goods",
        ["- [ ] Clear its inventory of our goods"],
        [f"- [x] Clear its inventory of our goods — {TODAY} wang"],
    )
    assert changed_files(exiting.root) == [EXIT]


def test_untick_restores_the_line(exiting: Repository, kam: Kam) -> None:
    attached = (exiting.root / EXIT).read_bytes()
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "6", "--note", "120 cases counted")
    assert show(exiting.root)[2] == [f"- [x] Clear its inventory of our goods — {TODAY} wang — 120 cases counted"]
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "6", "--undo")
    assert result.code == 0, result.err
    subject, removed, added = show(exiting.root)
    assert subject == "acme-motors: staged-exit ✗ Clear its inventory of our goods"
    assert added == ["- [ ] Clear its inventory of our goods"] and len(removed) == 1
    assert (exiting.root / EXIT).read_bytes() == attached


def test_later_stage_waits_unless_forced_with_reason(exiting: Repository, kam: Kam) -> None:
    before = commit_count(exiting.root)
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "Set rules of the game")
    assert result.code == 2
    assert "earlier stage 'Before' still has 8 open step(s)" in result.err and "--force --reason" in result.err
    assert commit_count(exiting.root) == before
    result = kam(
        "--repo",
        str(exiting.root),
        "check",
        "acme-motors",
        "staged-exit",
        "Set",
        "rules",
        "of",
        "the",
        "game",
        "--force",
        "--reason",
        "the board decided today",
    )
    assert result.code == 0, result.err
    subject, removed, added = show(exiting.root)
    assert subject == "acme-motors: staged-exit ✓ Set rules of the game that put it in the wrong"
    assert added == [
        f"- [x] Set rules of the game that put it in the wrong — {TODAY} wang — forced: the board decided today"
    ]
    assert "Reason: the board decided today" in git(exiting.root, "log", "-1", "--format=%b")


def test_stage_opens_when_the_earlier_one_is_done(exiting: Repository, kam: Kam) -> None:
    for number in range(1, 9):
        assert kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", str(number)).code == 0
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "9")
    assert result.code == 0, result.err
    assert "forced" not in (exiting.root / EXIT).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, piece",
    [
        (("6",), None),  # ticked below first, then again
        (("7", "--undo"), "is not ticked"),
        (("a",), "matches"),
        (("99",), "numbered 1 to 21"),
        (("no such step",), "no step contains"),
        (("6", "--note", "bell\x07"), "control character"),
    ],
)
def test_check_refusals_change_nothing(exiting: Repository, kam: Kam, args: tuple[str, ...], piece: str | None) -> None:
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "6")
    before = commit_count(exiting.root)
    content = (exiting.root / EXIT).read_bytes()
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", *args)
    assert result.code == (0 if piece in (None, "is not ticked") else 2)  # nothing to do is done
    assert (piece or "already ticked") in result.err
    assert commit_count(exiting.root) == before and (exiting.root / EXIT).read_bytes() == content


def test_check_refuses_uncommitted_edits(exiting: Repository, kam: Kam) -> None:
    path = exiting.root / EXIT
    path.write_text(path.read_text(encoding="utf-8") + "my own line\n", encoding="utf-8")
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "1")
    assert result.code == 2 and "not committed" in result.err
    assert path.read_text(encoding="utf-8").endswith("my own line\n")


def test_check_unknown_checklist(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    result = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit", "1")
    assert result.code == 2 and "kam attach acme-motors staged-exit" in result.err


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
        "text": rows[1]["oldest_open"]["text"],
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
    git(origin.root, "add", "-A")
    git(origin.root, "commit", "-qm", "tight playbook")
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


# --- templates: validation, drift, the other language ---------------------------------------------


def test_malformed_template_reported_by_validate(repo: Repository, kam: Kam) -> None:
    (repo.root / "playbooks/bad.md").write_text(
        "---\ntitle: Bad\nstages: [actve]\ntitel: x\n---\n## Go\n- [ ] fine\n  - [ ] nested\n", encoding="utf-8"
    )
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 1
    assert "playbooks/bad.md:3: error: stages: 'actve' is not a lifecycle stage (did you mean 'active'?)" in result.out
    assert "playbooks/bad.md:4: warning: unknown front matter key 'titel' (did you mean 'title'?)" in result.out
    assert "playbooks/bad.md:8: error: nested steps are not supported" in result.out
    one = kam("--repo", str(repo.root), "validate", str(repo.root / "playbooks/bad.md"))
    assert one.code == 1 and "playbooks/bad.md:8: error" in one.out


def test_front_matter_yaml_error_has_file_line(repo: Repository, kam: Kam) -> None:
    (repo.root / "playbooks/bad.md").write_text(
        "---\ntitle: ok\nstages: [a, !!python/object x]\n---\n## S\n- [ ] x\n", encoding="utf-8"
    )
    result = kam("--repo", str(repo.root), "validate", str(repo.root / "playbooks/bad.md"))
    assert result.code == 1 and "playbooks/bad.md:3:" in result.out and "tags" in result.out


def test_attach_refuses_a_broken_template(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    (repo.root / "playbooks/bad.md").write_text("## S\n- [ ] ok\n-[ ] broken\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "bad")
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "bad")
    assert result.code == 2 and "playbooks/bad.md:3: error" in result.err
    assert not (repo.root / "checklists").exists()


def test_checklists_validated_too(exiting: Repository, kam: Kam) -> None:
    path = exiting.root / EXIT
    path.write_text(
        path.read_text(encoding="utf-8").replace("- [ ] Tighten its sales policy", "- [x] Tighten its sales policy"),
        encoding="utf-8",
    )
    (exiting.root / "checklists/ghost").mkdir()
    (exiting.root / "checklists/ghost/maintenance.md").write_text("## S\n- [ ] x\n")
    result = kam("--repo", str(exiting.root), "validate")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "Tighten" in text)
    assert f"{EXIT}:{line}: warning: ticked without a date and a name" in result.out
    assert "checklists/ghost/maintenance.md: warning: checklist of an account that does not exist" in result.out


def test_template_change_is_shown_never_applied(exiting: Repository, kam: Kam) -> None:
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "1")
    attached = (exiting.root / EXIT).read_bytes()
    template = exiting.root / "playbooks/staged-exit.md"
    text = template.read_text(encoding="utf-8")
    text = text.replace("- [ ] Tighten its sales policy\n", "- [ ] Tighten its sales policy in writing\n")
    template.write_text(text, encoding="utf-8")
    git(exiting.root, "commit", "-qam", "reword a step")
    data = json.loads(kam("--repo", str(exiting.root), "checklist", "acme-motors", "staged-exit", "--json").out)
    assert sorted((d["change"], d["text"]) for d in data["template"]["differences"]) == [
        ("added", "Tighten its sales policy in writing"),
        ("removed", "Tighten its sales policy"),
    ]
    result = kam("--repo", str(exiting.root), "checklist", "acme-motors", "staged-exit")
    assert "has changed since: 2 step(s) differ" in result.err
    assert "+ Tighten its sales policy in writing" in result.err
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "2")
    after = (exiting.root / EXIT).read_bytes()
    assert after.count(b"\n") == attached.count(b"\n") and b"Tighten its sales policy\n" in after
    assert json.loads(kam("--repo", str(exiting.root), "checklists", "--json").out)[0]["template"] == {
        "exists": True,
        "differences": 2,
    }


def test_other_language_one_command_away(repo: Repository, kam: Kam, as_wang: None) -> None:
    result = kam("--repo", str(repo.root), "playbook", "add", "staged-exit", "--lang", "zh")
    assert result.code == 0, result.err
    rel = "playbooks/staged-exit-zh.md"
    assert (repo.root / rel).read_bytes() == shipped_playbooks("zh")["staged-exit"].read_bytes()
    assert changed_files(repo.root) == [rel]
    assert show(repo.root)[0] == "playbooks: add staged-exit-zh (zh template of staged-exit)"
    assert kam("--repo", str(repo.root), "playbook", "add", "staged-exit", "--lang", "zh").code == 2
    # the copy follows the staged-exit rules
    write_account(repo, "acme-motors", FAKE)
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit-zh").code == 0
    during = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit-zh", "9", "--force", "--reason", "x")
    assert during.code == 0 and "forced past the network rule" in during.err
    assert (repo.root / "accounts/acme-motors.yaml").read_text().count("stage: exiting") == 1
    listed = json.loads(kam("--repo", str(repo.root), "playbook", "list", "--json").out)
    assert "staged-exit-zh" in [t["name"] for t in listed["templates"]]


def test_playbook_add_restores_a_deleted_template(repo: Repository, kam: Kam) -> None:
    git(repo.root, "rm", "-q", "playbooks/development.md")
    git(repo.root, "commit", "-qm", "drop development")
    write_account(repo, "beta", "id: beta\nname: Beta\n")
    missing = kam("--repo", str(repo.root), "attach", "beta", "development")
    assert missing.code == 2 and "`kam playbook add development`" in missing.err
    result = kam("--repo", str(repo.root), "playbook", "add", "development")
    assert result.code == 0, result.err
    assert (repo.root / "playbooks/development.md").read_bytes() == shipped_playbooks("en")["development"].read_bytes()
    assert kam("--repo", str(repo.root), "playbook", "add", "nosuch").code == 2


def test_chinese_repository(tmp_path: Path, kam: Kam, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repository(init_repository(tmp_path / "zh", "zh"))
    write_account(repo, "changfeng", "id: changfeng\nname: 长丰批发\nstage: at-risk\nnetwork_held: 0.1\n")
    as_user(monkeypatch, "王伟")
    assert kam("--repo", str(repo.root), "attach", "changfeng", "staged-exit").code == 0
    text = (repo.root / "checklists/changfeng/staged-exit.md").read_text(encoding="utf-8")
    assert f"> kam 清单：staged-exit，{TODAY} 由 王伟 挂上\n" in text
    assert (
        kam(
            "--repo", str(repo.root), "check", "changfeng", "staged-exit", "领导出面", "--force", "--reason", "先谈"
        ).code
        == 0
    )
    assert show(repo.root)[2] == [f"- [x] 领导出面杯酒释兵权 — {TODAY} 王伟 — 强制：先谈"]
    assert show(repo.root)[0] == "changfeng: staged-exit ✓ 领导出面杯酒释兵权"
    events = tick_history(repo, "changfeng")
    assert events[-1].tick is not None and events[-1].tick.reason == "先谈"


def test_hostile_step_text_is_escaped(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    (repo.root / "playbooks/evil.md").write_text("## S\n- [ ] Paint \x1b[31mred\x1b[0m now\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "evil")
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "evil").code == 0
    for args in (
        ("checklist", "acme-motors", "evil"),
        ("check", "acme-motors", "evil", "1"),
        ("checklists",),
        ("checklist", "acme-motors", "--history"),
    ):
        result = kam("--repo", str(repo.root), *args)
        assert "\x1b" not in result.out + result.err


def test_a_refused_attach_leaves_no_empty_folder(repo: Repository, kam: Kam, as_wang: None) -> None:
    """A commit refused by a hook puts everything back: no checklists/ID/ folder is left behind."""
    write_account(repo, "acme-motors", HELD)
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'not today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = commit_count(repo.root)
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "maintenance")
    assert result.code == 2
    assert not (repo.root / "checklists" / "acme-motors").exists()
    assert commit_count(repo.root) == before and git(repo.root, "status", "--porcelain") == ""
