"""End to end, as a new key-account manager on the demo, without an editor: log a visit with a next
step, record a low survey and see the action it opened, answer and close a complaint, set next
quarter's target, see the agenda with `kam due`, close the action — each one readable commit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import git

ACCOUNT = "bohai-hvac"  # owner: zhang
TODAY = "2026-11-20"


def _subjects(root: Path, n: int) -> list[str]:
    return git(root, "log", f"-{n}", "--format=%s").splitlines()[::-1]


def _only_adds(root: Path) -> bool:
    stat = git(root, "show", "--numstat", "--format=", "HEAD").split()
    return stat[1] == "0"


def test_a_day_of_account_work_without_an_editor(demo: Path, kam, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = demo
    monkeypatch.setenv("KAM_TODAY", TODAY)
    monkeypatch.setenv("KAM_AUTHOR", "Zhang Wei <zhang@example.com>")
    start = int(git(root, "rev-list", "--count", "HEAD"))

    def run(*args: str) -> str:
        result = kam("--repo", str(root), *args)
        assert result.code == 0, (args, result.err)
        return result.out

    # a visit with a next step
    out = run("add", ACCOUNT, "visits", "summary=Met the buyer about Q1 valves", "next=send the delivery plan")
    visit = out.splitlines()[0]
    assert visit.startswith("visits.")
    assert _only_adds(root)

    # a low survey opens an action in the same commit; show lists it
    out = run("add", ACCOUNT, "surveys", "product=4", "service=2", "brand=4")
    assert _only_adds(root)
    shown = json.loads(run("show", ACCOUNT, "--json"))
    action = shown["actions"][-1]
    assert action["source"] == f"survey {TODAY}" and action["owner"] == "zhang" and action["status"] == "open"
    number = len(shown["actions"])
    assert f"actions.{number}" in run("show", ACCOUNT)

    # a complaint, answered, then closed
    complaint = run("add", ACCOUNT, "complaints", "opened=2026-11-20 09:00", "summary=two valves arrived late")
    address = complaint.splitlines()[0]
    run("set", ACCOUNT, f"{address}.answered=2026-11-20 15:30")
    run("set", ACCOUNT, f"{address}.closed=2026-11-21")

    # next quarter's target
    run("set", ACCOUNT, "targets.2027-Q1.sales=900000")
    computed = json.loads(run("show", ACCOUNT, "--json"))["computed"]
    assert computed["achievement"][-1]["period"] == "2027-Q1"
    assert computed["achievement"][-1]["target_sales"] == 900000

    # the agenda shows the open action and the visit's next step
    due = json.loads(run("due", "--owner", "zhang", "--json"))
    assert any(i["kind"] == "action" and i["address"] == f"actions.{number}" for i in due)
    assert any(i["kind"] == "next" and i["text"] == "send the delivery plan" for i in due)

    # close the action: done sets closed to today
    run("set", ACCOUNT, f"actions.{number}.status=done")
    closed = json.loads(run("show", ACCOUNT, "--json"))["actions"][number - 1]
    assert closed["status"] == "done" and closed["closed"] == TODAY
    due = json.loads(run("due", "--owner", "zhang", "--json"))
    assert not any(i["kind"] == "action" and i["address"] == f"actions.{number}" for i in due)

    # each step one readable commit
    assert int(git(root, "rev-list", "--count", "HEAD")) == start + 7
    subjects = _subjects(root, 7)
    assert subjects[0] == f"{ACCOUNT}: visit {TODAY} by Zhang Wei"
    assert subjects[1].startswith(f"{ACCOUNT}: survey {TODAY} (product 4, service 2, brand 4)")
    assert "action opened" in subjects[1]
    assert subjects[2].startswith(f"{ACCOUNT}: complaint 2026-11-20")
    assert subjects[3] == f"{ACCOUNT}: {address}.answered = 2026-11-20 15:30"
    assert subjects[4] == f"{ACCOUNT}: {address}.closed = 2026-11-21"
    assert subjects[5] == f"{ACCOUNT}: targets.2027-Q1.sales = 900000"
    assert subjects[6] == f"{ACCOUNT}: actions.{number}.status open → done, actions.{number}.closed = {TODAY}"
    checked = kam("--repo", str(root), "validate")  # every file the day wrote is valid
    assert (checked.code, checked.out, checked.err) == (0, "", "no problems found\n")


def test_the_demos_fake_big_account_is_neither_tier_a_nor_key_by_volume(demo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    root = demo
    result = kam("--repo", str(root), "score", "--json", "--today", TODAY)
    assert result.code == 0, result.err
    scores = {e["id"]: e for e in json.loads(result.out)}
    jinding = scores["jinding-trading"]
    assert jinding["tier"] != "A" and jinding["key_account"] is False
    assert scores["sanjiang-auto"]["key_account"] is True  # the real big account still is
    explain = kam("--repo", str(root), "score", "jinding-trading", "--today", TODAY).out
    assert "company_sales is not set" not in explain and "key account" not in explain
