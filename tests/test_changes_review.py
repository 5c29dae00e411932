"""`kam changes` lets a team lead read a week of work in a minute: the commits since they last
looked (remembered per clone, moved only by `--seen`), grouped by account, each with author,
message and every field's old → new."""

from __future__ import annotations

import datetime as dt

import json
from pathlib import Path

import pytest

from conftest import commit_all, git
from team_support import edit, make_clones

from kam_tui.model.field_diff import MergeDecision, merge_decisions
from kam_tui.model.merge import MISSING
from kam_tui.store.merge import merge_file
from kam_tui.store.repository import Repository
from kam_tui.store.yamlread import parse_text


def _write(root: Path, text: str, message: str) -> None:
    (root / "accounts" / "a.yaml").write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


BASE = (
    "id: a\nname: A\nratings: {capital: 3, network: 3}\nvisits:\n  - date: 2026-11-01\n    by: li\n    summary: first\n"
)


def test_changes_are_grouped_by_account_with_field_level_old_and_new(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = repo.root
    _write(root, BASE, "add a")
    start = git(root, "rev-parse", "HEAD").strip()
    _write(root, BASE.replace("capital: 3", "capital: 4"), "capital up")
    _write(
        root,
        BASE.replace("capital: 3", "capital: 4").replace(
            "visits:\n", "visits:\n  - date: 2026-11-20\n    by: wang\n    summary: second\n"
        ),
        "a visit",
    )
    result = kam("changes", "--since", start, cwd=root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"2 commit(s) since {start[:10]}, 1 account(s)"
    assert lines[2] == "a"
    assert lines[3].endswith("  Test User  " + git(root, "rev-parse", "HEAD~1").strip()[:10] + "  capital up")
    assert lines[4] == "      ratings.capital: 3 → 4"
    assert lines[6] == "      visits.1: (none) → {date: 2026-11-20, by: wang, summary: second}"
    assert len(lines) == 7  # the first visit, now second, is not reported as changed


def test_a_field_of_a_list_item_is_one_change_of_that_field(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = repo.root
    _write(root, BASE, "add a")
    start = git(root, "rev-parse", "HEAD").strip()
    _write(root, BASE.replace("    summary: first\n", "    summary: first\n    next: call back\n"), "next step")
    lines = kam("changes", "--since", start, cwd=root).out.splitlines()
    assert lines[4:] == ["      visits.1.next: (none) → call back"]


def test_changes_json_and_the_remembered_point(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = repo.root
    _write(root, BASE, "add a")
    first = json.loads(kam("changes", "--json", "--seen", cwd=root).out)
    assert first["since"] is None and first["head"] == git(root, "rev-parse", "HEAD").strip()
    assert [a["id"] for a in first["accounts"]] == ["a"]
    assert first["accounts"][0]["commits"][0]["files"][0]["fields"][0] == {"field": "id", "old": None, "new": "a"}
    assert kam("changes", cwd=root).out == f"no changes to accounts or checklists since {first['head'][:10]}\n"
    _write(root, BASE.replace("capital: 3", "capital: 5"), "capital 5")
    shown = json.loads(kam("changes", "--json", cwd=root).out)
    assert shown["since"] == first["head"] and shown["commits"] == 1
    change = shown["accounts"][0]["commits"][0]
    assert change["message"] == "capital 5" and change["author"] == "Test User"
    assert change["files"] == [
        {
            "path": "accounts/a.yaml",
            "renamed_from": None,
            "unreadable": False,
            "fields": [{"field": "ratings.capital", "old": 3, "new": 5}],
            "merge": [],
        }
    ]
    assert json.loads(kam("changes", "--json", cwd=root).out)["commits"] == 1  # not seen until --seen


def test_changes_since_a_date_and_a_bad_since(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    _write(repo.root, BASE, "add a")
    assert json.loads(kam("changes", "--json", "--since", "2000-01-01", cwd=repo.root).out)["commits"] == 1
    # a date alone is the start of that day, as for `score --since`: today's own commits are in
    today = dt.date.today().isoformat()
    assert json.loads(kam("changes", "--json", "--since", today, cwd=repo.root).out)["commits"] == 1
    bad = kam("changes", "--since", "last-tuesday-ish", cwd=repo.root)
    assert bad.code == 2 and "neither a git revision nor a date" in bad.err


def test_a_renamed_account_is_one_rename_not_every_field_removed_and_added(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = repo.root
    _write(root, BASE, "add a")
    assert kam("attach", "a", "maintenance", cwd=root).code == 0
    start = git(root, "rev-parse", "HEAD").strip()
    assert kam("rename", "a", "b", cwd=root).code == 0
    lines = kam("changes", "--since", start, cwd=root).out.splitlines()
    assert lines[0] == f"1 commit(s) since {start[:10]}, 1 account(s)"
    assert lines[2] == "b"
    assert lines[3].endswith("  rename a → b")
    assert lines[4:] == ["      renamed a → b", "      maintenance: renamed a → b"]
    shown = json.loads(kam("changes", "--json", "--since", start, cwd=root).out)
    files = shown["accounts"][0]["commits"][0]["files"]
    assert files[0] == {
        "path": "accounts/b.yaml",
        "renamed_from": "accounts/a.yaml",
        "unreadable": False,
        "fields": [],
        "merge": [],
    }
    assert files[1]["renamed_from"] == "checklists/a/maintenance.md" and files[1]["fields"] == []


def test_an_account_moved_by_hand_with_a_field_changed_shows_the_rename_and_that_field(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = repo.root
    _write(root, BASE, "add a")
    start = git(root, "rev-parse", "HEAD").strip()
    git(root, "mv", "accounts/a.yaml", "accounts/b.yaml")
    (root / "accounts" / "b.yaml").write_text(BASE.replace("id: a", "id: b").replace("capital: 3", "capital: 4"))
    commit_all(root, "a is b now")
    lines = kam("changes", "--since", start, cwd=root).out.splitlines()
    assert lines[2] == "b"
    assert lines[4:] == ["      renamed a → b", "      ratings.capital: 3 → 4"]


def _changes_in(clone: Path, kam, since: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(clone), "changes", "--since", since)
    assert result.code == 0, result.err
    return result.out.splitlines()


def test_a_merge_shows_how_it_settled_a_conflict_against_each_side(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = make_clones(tmp_path, kam)
    start = git(li, "rev-parse", "HEAD").strip()
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    edit(li, "capital: 3", "capital: 2", "capital 2")
    edit(li, "network: 3", "network: 5", "network 5")
    assert kam("--repo", str(wang), "sync").code == 0
    assert kam("--repo", str(li), "sync").code == 1
    assert kam("--repo", str(li), "resolve", "sanjiang", "ratings.capital=3").code == 0
    assert kam("--repo", str(li), "sync", "--continue").code == 0
    merge = git(li, "rev-parse", "HEAD").strip()
    lines = _changes_in(li, kam, start)
    assert lines[0] == f"4 commit(s) since {start[:10]}, 1 account(s)"
    at = next(n for n, line in enumerate(lines) if merge[:10] in line)
    assert lines[at].split("  ")[2] == "li"
    assert lines[at + 1 :] == ["      ratings.capital: ours 2, theirs 4 → 3"]  # network: clean, not the merge's doing
    shown = json.loads(kam("--repo", str(li), "changes", "--json", "--since", start).out)
    commit = next(c for c in shown["accounts"][0]["commits"] if c["hash"] == merge)
    assert commit["files"] == [
        {
            "path": "accounts/sanjiang.yaml",
            "renamed_from": None,
            "unreadable": False,
            "fields": [],
            "merge": [{"field": "ratings.capital", "ours": 2, "theirs": 4, "result": 3}],
        }
    ]


def test_a_merge_that_took_one_side_of_a_conflict_says_so_and_a_clean_merge_is_not_listed(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = make_clones(tmp_path, kam)
    start = git(li, "rev-parse", "HEAD").strip()
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    edit(li, "capital: 3", "capital: 2", "capital 2")
    assert kam("--repo", str(wang), "sync").code == 0
    assert kam("--repo", str(li), "sync").code == 1
    assert kam("--repo", str(li), "resolve", "sanjiang", "--ours").code == 0  # the file is ours' again
    assert kam("--repo", str(li), "sync", "--continue").code == 0
    merge = git(li, "rev-parse", "HEAD").strip()
    lines = _changes_in(li, kam, start)
    at = next(n for n, line in enumerate(lines) if merge[:10] in line)
    assert lines[at + 1 :] == ["      ratings.capital: ours 2, theirs 4 → 2"]
    assert any(line.endswith("capital 4") for line in lines)  # wang's commit, which the merge overruled
    edit(wang, "network: 3", "network: 5", "network 5")
    edit(li, "logistics: 4", "logistics: 2", "logistics 2")
    assert kam("--repo", str(wang), "sync").code == 0
    assert kam("--repo", str(li), "sync").code == 0
    clean = git(li, "rev-parse", "HEAD").strip()
    assert git(li, "rev-list", "--parents", "-1", clean).count(" ") == 2  # a merge, with nothing to say
    assert not any(clean[:10] in line for line in _changes_in(li, kam, merge))


def test_a_merge_by_hand_that_dropped_a_teammates_change_shows_it(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = repo.root
    _write(root, BASE, "add a")
    start = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-qb", "side")
    _write(root, BASE.replace("capital: 3", "capital: 5"), "capital 5")
    git(root, "checkout", "-q", "main")
    (root / "notes.txt").write_text("x\n")
    commit_all(root, "notes")
    git(root, "merge", "-q", "-s", "ours", "side", "-m", "take ours")
    lines = _changes_in(root, kam, start)
    assert lines[0] == f"2 commit(s) since {start[:10]}, 1 account(s)"
    assert lines[3].endswith("capital 5") and lines[4] == "      ratings.capital: 3 → 5"
    assert lines[5].endswith("take ours") and lines[6:] == ["      ratings.capital: ours 3, theirs 5 → 3"]


def _data(text: str):  # type: ignore[no-untyped-def]
    return parse_text(text).data


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (("capital: 3", "capital: 4"), ("network: 3", "network: 5")),  # one flow map, two keys
        (  # a visit appended on each side
            ("summary: first\n", "summary: first\n  - date: 2026-11-10\n    by: wang\n    summary: a\n"),
            ("summary: first\n", "summary: first\n  - date: 2026-11-12\n    by: li\n    summary: b\n"),
        ),
        (("name: A\n", "name: A\nteam: [wang, li]\n"), ("name: A\n", "name: A\nteam: [wang, zhao]\n")),
        (("capital: 3", "capital: 4"), ("capital: 3", "capital: 4")),  # the same change on both sides
    ],
)
def test_what_the_merge_driver_merges_by_itself_is_no_decision_of_the_merge(ours, theirs) -> None:  # type: ignore[no-untyped-def]
    mine, their = BASE.replace(*ours), BASE.replace(*theirs)
    merged = merge_file(BASE.encode(), mine.encode(), their.encode(), "accounts/a.yaml")
    assert merged.clean
    assert merge_decisions(_data(BASE), _data(mine), _data(their), _data(merged.data.decode())) == []


def test_a_visit_the_merge_dropped_and_a_field_it_changed_itself_are_decisions() -> None:
    base = _data(BASE)
    theirs = _data(
        BASE.replace("summary: first\n", "summary: first\n  - date: 2026-11-12\n    by: li\n    summary: b\n")
    )
    result = _data(BASE.replace("name: A", "name: A2"))
    assert merge_decisions(base, base, theirs, result) == [
        MergeDecision("name", "A", "A", "A2"),
        MergeDecision("visits.2", MISSING, {"date": dt.date(2026, 11, 12), "by": "li", "summary": "b"}, MISSING),
    ]
