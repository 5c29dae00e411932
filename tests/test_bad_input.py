"""Untrusted input is harmless: one defect per case, each a clean error with its line."""

from __future__ import annotations

import time

import pytest

from conftest import write_account
from kam_tui.store.repository import Repository, read_account

GOOD = "id: good\nname: Good Co\nstage: active\n"

# name: (file bytes, expected line, a piece of the message)
CASES: dict[str, tuple[bytes, int, str]] = {
    "python tag": (b"id: bad\nname: x\nnotes: !!python/object/apply:os.system ['echo pwned']\n", 3, "tags"),
    "plain tag": (b"id: bad\nname: !!str 12\n", 2, "tags"),
    "local tag": (b"id: bad\nname: !custom x\n", 2, "tags"),
    "anchor": (b"id: bad\nname: &n x\nowner: wang\n", 2, "anchors"),
    "alias": (b"id: bad\nname: x\nowner: *n\n", 3, "alias"),
    "alias bomb": (
        b"id: bad\nname: x\na: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c]\n",
        3,
        "anchors",
    ),
    "deep nesting": (b"id: bad\nname: x\nnotes: " + b"[" * 200 + b"]" * 200 + b"\n", 3, "nesting"),
    "duplicate key": (b"id: bad\nname: x\nowner: wang\nowner: li\n", 4, "duplicate key 'owner'"),
    "duplicate nested key": (b"id: bad\nname: x\nratings:\n  capital: 3\n  capital: 4\n", 5, "duplicate"),
    "tab indentation": (b"id: bad\nname: x\nratings:\n\tcapital: 3\n", 4, "tab"),
    "conflict marker": (
        b"id: bad\nname: x\n<<<<<<< HEAD\nowner: wang\n=======\nowner: li\n>>>>>>> b\n",
        3,
        "conflict marker",
    ),
    "conflict in flow list": (b"id: bad\nname: x\nteam: [wang,\n<<<<<<< HEAD\n  li]\n", 4, "conflict marker"),
    "conflict in quoted string": (b'id: bad\nname: "x\n=======\n y"\n', 3, "conflict marker"),
    "invalid utf-8": (b"id: bad\nname: x\nnotes: caf\xe9\n", 3, "UTF-8"),
    "nul byte": (b"id: bad\nname: x\nnotes: a\x00b\n", 3, "NUL"),
    "integer too long": (b"id: bad\nname: x\ncredit_limit: " + b"9" * 5000 + b"\n", 3, "too long"),
    "empty file": (b"", 1, "empty"),
    "bare document marker": (b"---\n", 1, "empty"),
    "top-level list": (b"- id: bad\n- name: x\n", 1, "mapping"),
    "two documents": (b"id: bad\nname: x\n---\nid: other\n", 3, "one YAML document"),
    "broken yaml": (b"id: bad\nname: [x\nowner: wang\n", 3, "invalid YAML"),
    "complex key": (b"id: bad\nname: x\n? [a, b]\n: 1\n", 3, "keys must be plain"),
    "id escapes folder": (b"id: ../../etc/passwd\nname: x\n", 1, "not a valid id"),
    "id looks like option": (b"id: --force\nname: x\n", 1, "not a valid id"),
    "id differs from file": (b"id: other\nname: x\n", 1, "does not match the file name"),
    "missing name": (b"id: bad\nstage: active\n", 1, "missing required key 'name'"),
    "bad enum": (b"id: bad\nname: x\nstage: actve\n", 3, "did you mean 'active'"),
    "rating out of range": (b"id: bad\nname: x\nratings: {capital: 7}\n", 3, "outside 1"),
    "bad period key": (b"id: bad\nname: x\nperiods:\n  2026Q3: {sales: 1}\n", 4, "YYYY-Qn"),
    "not a date": (b"id: bad\nname: x\nsince: 2026-02-30\n", 3, "not a real date"),
    "yes is not a bool": (b"id: bad\nname: x\nstrategic: yes\n", 3, "not true or false"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_is_reported_with_its_line(name: str) -> None:
    raw, line, fragment = CASES[name]
    started = time.monotonic()
    loaded = read_account("accounts/bad.yaml", raw)
    assert time.monotonic() - started < 2, "a hostile file must not make the reader hang"
    errors = [p for p in loaded.problems if p.level == "error"]
    assert errors, f"{name}: no error reported"
    assert loaded.account is None
    assert any(fragment in p.message for p in errors), [p.render() for p in errors]
    assert errors[0].line == line, [p.render() for p in errors]
    assert errors[0].render().startswith(f"accounts/bad.yaml:{line}:")


def test_file_over_one_mebibyte_is_refused_before_parsing() -> None:
    raw = b"id: bad\nname: x\nnotes: " + b"a" * (1024 * 1024) + b"\n"
    loaded = read_account("accounts/bad.yaml", raw)
    assert loaded.doc is None
    assert "1 MiB" in loaded.problems[0].message


def test_all_problems_of_a_file_are_reported_not_just_the_first() -> None:
    raw = b"id: bad\nname: x\nstage: actve\nratings: {capital: 9, netwrok: 3}\ncredit_limit: -5\n"
    problems = read_account("accounts/bad.yaml", raw).problems
    rendered = [p.render() for p in problems]
    assert len(problems) == 4, rendered
    assert any("did you mean 'network'" in (p.hint or "") and p.level == "warning" for p in problems)
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_unknown_key_is_a_warning_and_the_account_still_loads() -> None:
    loaded = read_account("accounts/ok.yaml", b"id: ok\nname: x\nwebsite: example.com\nownr: wang\n")
    assert loaded.account is not None
    assert loaded.account.extra == {"website": "example.com", "ownr": "wang"}
    hints = {p.message: p.hint for p in loaded.problems}
    assert hints["unknown key 'ownr'"] == "did you mean 'owner'?"


def test_bad_file_name_is_refused() -> None:
    loaded = read_account("accounts/Bad Name.yaml", GOOD.encode())
    assert "not a valid account id" in loaded.problems[0].message


def test_other_accounts_still_load_and_list_says_how_many_were_skipped(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "good", GOOD)
    for index, (raw, _, _) in enumerate(list(CASES.values())[:5]):
        write_account(repo, f"bad-{index}", raw, commit=False)
    result = kam("--repo", str(repo.root), "list", "--json")
    assert result.code == 0
    assert [row["id"] for row in __import__("json").loads(result.out)] == ["good"]
    assert "5 file(s) skipped" in result.err
    assert "Traceback" not in result.err

    validate = kam("--repo", str(repo.root), "validate")
    assert validate.code == 1
    lines = validate.out.splitlines()
    assert any(line.startswith("accounts/bad-0.yaml:3:") and ": error: " in line for line in lines)
    assert not any(line.startswith("accounts/good.yaml") for line in lines)


def test_hostile_values_cannot_drive_the_terminal(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "evil", 'id: evil\nname: "Evil \\e[2J\\e]0;pwned\\a Co"\nowner: "x\\u009b31m"\n')
    for args in (("list",), ("show", "evil")):
        result = kam("--repo", str(repo.root), *args)
        assert result.code == 0
        assert "\x1b" not in result.out and "\x07" not in result.out and "\x9b" not in result.out
        assert "\\x1b[2J" in result.out


def test_json_output_escapes_control_characters(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    import json

    write_account(repo, "evil", 'id: evil\nname: "E\\e[2J\\u009b31m\\u2028x"\n')
    result = kam("--repo", str(repo.root), "show", "evil", "--json")
    assert not any(ch in result.out for ch in "\x1b\x9b\u2028")
    assert json.loads(result.out)["name"] == "E\x1b[2J\x9b31m\u2028x"
