"""The daily log from the command line: add, remove, unset, 1-based item numbers, KEY= and null."""

from __future__ import annotations

import pytest

from conftest import git, write_account
from kam_tui.store.repository import Repository

ACME = """\
id: acme
name: Acme
stage: active
owner: wang
team:
  - wang
visits:
  - date: 2026-10-01
    by: wang
    summary: first
  - date: 2026-11-01
    by: wang
    summary: second
"""


@pytest.fixture
def acme(repo: Repository) -> Repository:
    write_account(repo, "acme", ACME)
    return repo


def _file(repo: Repository) -> str:
    return (repo.accounts_dir / "acme.yaml").read_text()


def _diff(repo: Repository) -> tuple[list[str], list[str]]:
    out = git(repo.root, "show", "--format=", "HEAD")
    lines = [line for line in out.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return [x[1:] for x in lines if x[0] == "-"], [x[1:] for x in lines if x[0] == "+"]


def _subject(repo: Repository) -> str:
    return git(repo.root, "log", "-1", "--format=%s").strip()


def test_add_visit_only_adds_lines_with_defaults(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam(
        "--repo",
        str(acme.root),
        "add",
        "acme",
        "visits",
        "summary=met the buyer",
        "next=send a quote",
        "--today",
        "2026-11-20",
    )
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "visits.3"
    removed, added = _diff(acme)
    assert removed == []
    assert added == [
        "  - date: 2026-11-20",
        "    by: Test User",
        "    summary: met the buyer",
        "    next: send a quote",
    ]
    assert _subject(acme) == "acme: visit 2026-11-20 by Test User"


def test_by_comes_from_the_people_map(acme: Repository, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (acme.root / "kam.yaml").write_text((acme.root / "kam.yaml").read_text() + "people:\n  test@example.com: li\n")
    git(acme.root, "commit", "-qam", "people")
    monkeypatch.setenv("KAM_TODAY", "2026-11-21")
    assert kam("--repo", str(acme.root), "add", "acme", "visits", "summary=x").code == 0
    assert _subject(acme) == "acme: visit 2026-11-21 by li"


def test_low_survey_opens_an_action_in_the_same_commit(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "add", "acme", "surveys", "service=2", "product=4", "--today", "2026-11-20")
    assert r.code == 0, r.err
    sha = git(acme.root, "rev-parse", "--short=10", "HEAD").strip()
    # stdout as for every kind of item: its address, then the commit; the action it opened is a note
    assert r.out.splitlines() == ["surveys.1", f"{sha} acme: survey 2026-11-20 (product 4, service 2), action opened"]
    assert r.err.splitlines() == [
        "actions.1 opened for the low score: it is on `kam due`; `kam set acme actions.1.status=done` closes it"
    ]
    removed, added = _diff(acme)
    assert removed == []
    assert "actions:" in added
    assert "    source: survey 2026-11-20" in added
    assert "    owner: wang" in added
    assert "    due: 2026-12-04" in added
    assert git(acme.root, "rev-list", "--count", "HEAD").strip() == "3"


def test_a_bad_value_is_named_by_the_new_items_number(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "add", "acme", "visits", "date=2026-13-01", "summary=x")
    assert r.code == 2
    assert r.err.startswith("kam: visits.3.date: cannot read '2026-13-01'"), r.err  # acme has two visits


def test_good_survey_opens_no_action(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(acme.root), "add", "acme", "surveys", "service=3", "--today", "2026-11-20").code == 0
    assert "actions" not in _file(acme)


def test_add_to_a_plain_list_and_remove_the_last_by_minus_one(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "add", "acme", "team", "li")
    assert (r.code, r.out.splitlines()[0]) == (0, "team.2")
    assert _diff(acme) == ([], ["  - li"])
    r = kam("--repo", str(acme.root), "remove", "acme", "team.-1")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "removed team.2: li"  # the number -1 resolved to
    assert _diff(acme) == (["  - li"], [])


def test_remove_prints_the_item_and_deletes_only_its_lines(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "remove", "acme", "visits.1")
    assert r.code == 0, r.err
    assert "summary: first" in r.out
    assert _diff(acme) == (["  - date: 2026-10-01", "    by: wang", "    summary: first"], [])


def test_set_addresses_items_from_one(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(acme.root), "set", "acme", "visits.1.next=call back").code == 0
    assert _diff(acme) == ([], ["    next: call back"])
    assert "visits.1.next" in _subject(acme)
    r = kam("--repo", str(acme.root), "set", "acme", "visits.0.next=x")
    assert r.code == 2 and "numbered from 1" in r.err
    r = kam("--repo", str(acme.root), "set", "acme", "visits.3.next=x")
    assert r.code == 2 and "there is no visits.3" in r.err
    assert kam("--repo", str(acme.root), "set", "acme", "visits.-1.summary=last").code == 0
    assert _diff(acme) == (["    summary: second"], ["    summary: last"])


def test_empty_value_unsets_and_bare_null_is_refused(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "set", "acme", "owner=null")
    assert r.code == 2 and "owner=" in r.err and "kam unset" in r.err
    assert kam("--repo", str(acme.root), "set", "acme", "owner=~").code == 2
    assert "owner: wang" in _file(acme)
    assert kam("--repo", str(acme.root), "set", "acme", "owner=").code == 0
    assert _diff(acme) == (["owner: wang"], [])


def test_unset_removes_an_unknown_key(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    path = acme.accounts_dir / "acme.yaml"
    path.write_text(ACME.replace("owner: wang\n", "owner: wang\nonwer: li\n"))
    git(acme.root, "commit", "-qam", "typo")
    r = kam("--repo", str(acme.root), "unset", "acme", "onwer")
    assert r.code == 0, r.err
    assert _diff(acme) == (["onwer: li"], [])
    assert kam("--repo", str(acme.root), "unset", "acme", "onwer").code == 2


def test_action_done_closes_it_today(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "add", "acme", "actions", "what=fix the invoice", "--today", "2026-11-20")
    assert r.code == 0 and r.out.splitlines()[0] == "actions.1"
    assert kam("--repo", str(acme.root), "set", "acme", "actions.1.status=done").code == 0
    removed, added = _diff(acme)
    assert removed == ["    status: open"]
    assert added[0] == "    status: done" and added[1].startswith("    closed: ")


def test_new_account_is_a_prospect(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(repo.root), "new", "beta", "--name", "Beta").code == 0
    assert (repo.accounts_dir / "beta.yaml").read_text() == "id: beta\nname: Beta\nstage: prospect\n"
    assert kam("--repo", str(repo.root), "new", "gamma", "--name", "G", "stage=active").code == 0
    assert "stage: active" in (repo.accounts_dir / "gamma.yaml").read_text()


def test_complaint_takes_a_date_and_time(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    r = kam("--repo", str(acme.root), "add", "acme", "complaints", "opened=2026-11-20 09:30", "summary=late")
    assert r.code == 0, r.err
    assert kam("--repo", str(acme.root), "set", "acme", "complaints.1.answered=2026-11-20 15:00").code == 0
    assert kam("--repo", str(acme.root), "set", "acme", "complaints.1.answered=2026-13-20").code == 2
    assert kam("--repo", str(acme.root), "validate").code == 0


LONG = "a long summary " * 8


def test_show_numbers_items_newest_first_and_truncates_unless_full(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert (
        kam("--repo", str(acme.root), "set", "acme", f"visits.1.summary={LONG.strip()}", "visits.1.next=call").code == 0
    )
    out = kam("--repo", str(acme.root), "show", "acme").out
    rows = [line for line in out.splitlines() if line.startswith("visits.")]
    assert [r.split()[0:2] for r in rows] == [["visits.2", "2026-11-01"], ["visits.1", "2026-10-01"]]
    assert "…" in rows[1] and "call" in rows[1]
    full = kam("--repo", str(acme.root), "show", "acme", "--full").out
    assert LONG.strip() in full


def test_show_json_keeps_file_keys_and_adds_computed(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    import json

    assert kam("--repo", str(acme.root), "set", "acme", "targets.2026-Q4.sales=100000").code == 0
    shown = json.loads(kam("--repo", str(acme.root), "show", "acme", "--json").out)
    computed = shown.pop("computed")
    assert list(shown) == ["id", "name", "stage", "owner", "team", "visits", "targets"]
    assert set(computed) >= {"score", "tier", "risks", "achievement"}
    assert computed["achievement"][0]["period"] == "2026-Q4"
    assert computed["achievement"][0]["target_sales"] == 100000


def test_show_suggests_ids_from_prefixes_and_names(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(acme, "jinding-trading", "id: jinding-trading\nname: 金鼎商贸\n")
    r = kam("--repo", str(acme.root), "show", "jinding")
    assert r.code == 2 and "did you mean jinding-trading?" in r.err
    r = kam("--repo", str(acme.root), "show", "金鼎")
    assert r.code == 2 and "did you mean jinding-trading?" in r.err


@pytest.mark.parametrize(
    ("kind", "values", "subject"),
    [
        ("visits", ["summary=met the buyer"], "acme: visit 2026-11-20 by Test User"),
        ("complaints", ["summary=late delivery"], "acme: complaint 2026-11-20 “late delivery”"),
        ("surveys", ["service=4"], "acme: survey 2026-11-20 (service 4)"),
        ("contacts", ["name=Zhou", "role=buyer"], "acme: contact Zhou (buyer)"),
        ("actions", ["what=call back"], "acme: action “call back” for wang"),
        ("team", ["li"], "acme: team + li"),
    ],
)
def test_every_kind_of_add_prints_the_address_then_the_commit(  # type: ignore[no-untyped-def]
    acme: Repository, kam, kind: str, values: list[str], subject: str
) -> None:
    r = kam("--repo", str(acme.root), "add", "acme", kind, *values, "--today", "2026-11-20")
    assert r.code == 0, r.err
    number = {"visits": 3, "team": 2}.get(kind, 1)
    sha = git(acme.root, "rev-parse", "--short=10", "HEAD").strip()
    assert r.out.splitlines() == [f"{kind}.{number}", f"{sha} {subject}"]
    assert r.err == ""


@pytest.mark.parametrize(
    "command",
    [("add", "broken", "visits", "summary=x"), ("remove", "broken", "visits.1"), ("unset", "broken", "owner")],
)
def test_a_file_that_is_not_valid_yaml_is_named_with_its_line_not_a_crash(  # type: ignore[no-untyped-def]
    repo: Repository, kam, command: tuple[str, ...]
) -> None:
    write_account(repo, "broken", "id: broken\nname: [x\nowner: wang\nvisits:\n  - date: 2026-10-01\n")
    before = git(repo.root, "rev-parse", "HEAD")
    r = kam("--repo", str(repo.root), *command)
    assert r.code == 2
    assert r.err.startswith("accounts/broken.yaml:"), r.err
    assert ": error: invalid YAML" in r.err and "kam: the file cannot be read; fix it first" in r.err
    assert "internal error" not in r.err
    assert git(repo.root, "rev-parse", "HEAD") == before


def test_the_agenda_says_which_files_it_could_not_read(acme: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """An agenda that silently leaves an account out is worse than none: `kam due` notes the
    skipped files as every other read does."""
    write_account(acme, "broken", "id: broken\nname: [x\n")
    r = kam("--repo", str(acme.root), "due", "--today", "2026-11-20")
    assert r.code == 0
    assert "1 account file(s) skipped because of errors; run `kam validate` for details" in r.err.splitlines()
    json_run = kam("--repo", str(acme.root), "due", "--json", "--today", "2026-11-20")
    assert "1 account file(s) skipped" in json_run.err
