"""Maintenance is parallel, recurring work (B4): section order only for `ordered: true` playbooks,
steps marked not applicable (`- [-]`), a new cycle of the same checklist in one commit with the
past cycles read back from git, and detaching a checklist with the reason in its commit."""

from __future__ import annotations

import json

import pytest

from checklist_support import HELD, TODAY, Kam, changed_files, show
from checklist_support import as_wang_fixture  # noqa: F401  (fixture)
from conftest import commit_count, git, write_account
from kam_tui.store.repository import Repository

MAINT = "checklists/acme-motors/maintenance.md"


@pytest.fixture(name="kept")
def kept_fixture(repo: Repository, kam: Kam, as_wang: None) -> Repository:
    """acme-motors, active, with maintenance attached."""
    write_account(repo, "acme-motors", HELD.replace("at-risk", "active"))
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "maintenance").code == 0
    return repo


def _run(repo: Repository, kam: Kam, *args: str) -> str:
    result = kam("--repo", str(repo.root), *args)
    assert result.code == 0, (args, result.err)
    return result.out


def _status(repo: Repository, kam: Kam, *extra: str) -> dict:  # type: ignore[type-arg]
    return json.loads(_run(repo, kam, "checklist", "acme-motors", "maintenance", "--json", *extra))


def test_maintenance_sections_are_parallel_work(kept: Repository, kam: Kam) -> None:
    """A survey step can be ticked while 'keep the file current' has open steps."""
    out = _run(kept, kam, "check", "acme-motors", "maintenance", "Keep the visit frequency of its tier")
    assert "maintenance ✓ Keep the visit frequency of its tier" in out
    status = _status(kept, kam)
    assert status["ordered"] is False
    assert not any(stage["locked"] for stage in status["stages"])


def test_development_still_runs_stage_after_stage(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD.replace("at-risk", "prospect"))
    _run(repo, kam, "attach", "acme-motors", "development")
    refused = kam("--repo", str(repo.root), "check", "acme-motors", "development", "7")
    assert refused.code == 2 and "earlier stage 'Identify' still has" in refused.err


def test_a_step_marked_not_applicable_is_one_line_counted_apart(kept: Repository, kam: Kam) -> None:
    before = _status(kept, kam)
    _run(kept, kam, "check", "acme-motors", "maintenance", "2", "--na", "--reason", "figures come from the ERP")
    subject, removed, added = show(kept.root)
    assert subject == "acme-motors: maintenance – Record the period's sales and margin figures"
    assert removed == ["- [ ] Record the period's sales and margin figures"]
    assert added == [f"- [-] Record the period's sales and margin figures — {TODAY} wang — figures come from the ERP"]
    status = _status(kept, kam)
    step = status["stages"][0]["steps"][1]
    assert step["state"] == "na" and step["done"] is False and step["tick"]["reason"] == "figures come from the ERP"
    assert status["stages"][0]["steps"][0]["state"] == "open"
    assert (status["total"], status["na"], status["done"]) == (before["total"] - 1, 1, 0)
    text = _run(kept, kam, "checklist", "acme-motors", "maintenance")
    assert "[-] Record the period's sales and margin figures" in text and "n/a: figures come from the ERP" in text
    _run(kept, kam, "check", "acme-motors", "maintenance", "2", "--undo")
    assert _status(kept, kam)["stages"][0]["steps"][1]["state"] == "open"


def test_not_applicable_needs_a_reason(kept: Repository, kam: Kam) -> None:
    before = commit_count(kept.root)
    result = kam("--repo", str(kept.root), "check", "acme-motors", "maintenance", "2", "--na")
    assert result.code == 2 and "--na needs --reason" in result.err
    assert commit_count(kept.root) == before


def test_a_stage_of_steps_not_applicable_opens_the_next_in_an_ordered_playbook(
    repo: Repository, kam: Kam, as_wang: None
) -> None:
    write_account(repo, "acme-motors", HELD.replace("at-risk", "prospect"))
    _run(repo, kam, "attach", "acme-motors", "development")
    for number in range(1, 7):
        _run(repo, kam, "check", "acme-motors", "development", str(number), "--na", "--reason", "known account")
    _run(repo, kam, "check", "acme-motors", "development", "7")


def test_a_new_cycle_reopens_the_same_file_and_keeps_the_past_one_in_git(kept: Repository, kam: Kam) -> None:
    _run(kept, kam, "check", "acme-motors", "maintenance", "1", "--note", "met the new buyer")
    _run(kept, kam, "check", "acme-motors", "maintenance", "2", "--na", "--reason", "ERP")
    ticked = (kept.root / MAINT).read_text(encoding="utf-8")
    before = commit_count(kept.root)
    out = _run(kept, kam, "attach", "acme-motors", "maintenance", "--new-cycle", "--cycle", "2027-Q1")
    assert "acme-motors: maintenance new cycle 2027-Q1" in out
    assert commit_count(kept.root) == before + 1 and changed_files(kept.root) == [MAINT]
    subject, removed, added = show(kept.root)
    assert sorted(removed) == sorted(line for line in ticked.splitlines() if line.startswith(("- [x]", "- [-]")))
    assert added[0] == f"> kam cycle: 2027-Q1, started {TODAY} by wang"
    assert added[1:] == [
        "- [ ] Update contacts and decision makers",
        "- [ ] Record the period's sales and margin figures",
    ]
    status = _status(kept, kam)
    assert status["cycle"]["label"] == "2027-Q1" and status["done"] == 0 and status["na"] == 0
    _run(kept, kam, "check", "acme-motors", "maintenance", "1")  # addresses the current cycle
    this_quarter = f"{TODAY[:4]}-Q{(int(TODAY[5:7]) - 1) // 3 + 1}"
    past = _status(kept, kam, "--cycle", this_quarter)
    steps = past["stages"][0]["steps"]
    assert (steps[0]["state"], steps[0]["tick"]["note"], steps[1]["state"]) == ("done", "met the new buyer", "na")
    history = json.loads(_run(kept, kam, "checklist", "acme-motors", "--history", "--json"))
    assert [e["action"] for e in history][-4:] == ["tick", "na", "new-cycle", "tick"]


def test_a_new_cycle_is_refused_for_an_ordered_playbook_and_for_the_same_label(
    kept: Repository, kam: Kam, repo: Repository
) -> None:
    write_account(repo, "beta", HELD.replace("acme-motors", "beta").replace("at-risk", "prospect"))
    _run(repo, kam, "attach", "beta", "development")
    before = commit_count(repo.root)
    result = kam("--repo", str(repo.root), "attach", "beta", "development", "--new-cycle")
    assert result.code == 2 and "ordered: true" in result.err
    this_quarter = f"{TODAY[:4]}-Q{(int(TODAY[5:7]) - 1) // 3 + 1}"
    result = kam("--repo", str(kept.root), "attach", "acme-motors", "maintenance", "--new-cycle")
    assert result.code == 2 and f"already in cycle {this_quarter}" in result.err
    missing = kam("--repo", str(kept.root), "checklist", "acme-motors", "maintenance", "--cycle", "1999-Q1")
    assert missing.code == 2 and "no cycle '1999-Q1'" in missing.err
    assert commit_count(repo.root) == before


def test_a_new_cycle_says_that_force_overrode_nothing(kept: Repository, kam: Kam) -> None:
    """As a plain attach does: the reason given with --force is written nowhere, so it is said."""
    result = kam(
        "--repo", str(kept.root), "attach", "acme-motors", "maintenance", "--new-cycle", "--cycle", "2027-Q1",
        "--force", "--reason", "why not",
    )  # fmt: skip
    assert result.code == 0
    assert result.err.splitlines()[-1] == "--force was not needed; nothing was overridden"


def test_detach_removes_the_checklist_with_its_reason_and_it_can_be_attached_again(kept: Repository, kam: Kam) -> None:
    refused = kam("--repo", str(kept.root), "attach", "acme-motors", "maintenance")
    assert refused.code == 2 and "--new-cycle" in refused.err and "kam detach" in refused.err
    _run(kept, kam, "detach", "acme-motors", "maintenance", "--reason", "the team's own template instead")
    subject, removed, added = show(kept.root)
    assert subject == "acme-motors: detach maintenance" and added == []
    assert "Reason: the team's own template instead" in git(kept.root, "log", "-1", "--format=%B")
    assert not (kept.root / MAINT).exists() and not (kept.root / "checklists/acme-motors").exists()
    _run(kept, kam, "attach", "acme-motors", "maintenance")
    assert (kept.root / MAINT).exists()
