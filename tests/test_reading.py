"""Reading untrusted files is harmless: every defect is a clean error with its file and line, the
other accounts still load, nothing hangs or eats memory, and caches are never trusted."""

from __future__ import annotations

import json
import marshal
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import kam_tui.model.problems as problems_module
from conftest import write_account
from kam_tui.model.account_checks import MAX_UNKNOWN_REPORTED
from kam_tui.store.catalog import CACHE_FILE, CACHE_VERSION
from kam_tui.store.account_changes import InvalidChange, parse_assignment
from kam_tui.store.repository import Repository, read_account

GOOD = "id: good\nname: Good Co\nstage: active\n"

# name: (file bytes, expected line, a piece of the message)
CASES: dict[str, tuple[bytes, int, str]] = {
    "python tag": (b"id: bad\nname: x\nnotes: !!python/object/apply:os.system ['echo pwned']\n", 3, "tags"),
    "plain tag": (b"id: bad\nname: !!str 12\n", 2, "tags"),
    "local tag": (b"id: bad\nname: !custom x\n", 2, "tags"),
    "anchor": (b"id: bad\nname: &n x\nowner: wang\n", 2, "anchors"),
    # libyaml counts U+0085 and U+2028 as line breaks; the line given is git's and the editor's
    "tag after a NEL in a value": ("id: bad\nname: 'a\x85b'\nowner: !x wang\n".encode(), 3, "tags"),
    "stage after a LS in a value": ("id: bad\nname: x\nnotes: 'a\u2028b\u2028c'\nstage: actve\n".encode(), 4, "stage"),
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
    loaded = read_account("accounts/bad.yaml", raw)
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
    assert [row["id"] for row in json.loads(result.out)] == ["good"]
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
    write_account(repo, "evil", 'id: evil\nname: "E\\e[2J\\u009b31m\\u2028x"\n')
    result = kam("--repo", str(repo.root), "show", "evil", "--json")
    assert not any(ch in result.out for ch in "\x1b\x9b\u2028")
    assert json.loads(result.out)["name"] == "E\x1b[2J\x9b31m\u2028x"


def _kam_subprocess(
    root: Path, *args: str, timeout: float = 10.0, memory_bytes: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`kam ARGS` as a real process, optionally with a hard address-space limit (so an
    unbounded allocation fails fast instead of eating the machine)."""

    def limit() -> None:
        if memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return subprocess.run(
        [sys.executable, "-m", "kam_tui", "--repo", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        check=False,
    )


# --- Files that are not what they seem -----------------------------------------------------------


def test_huge_file_is_refused_without_reading_it_into_memory(repo: Repository) -> None:
    """A file over 1 MiB is refused before it is read: a 4 GiB (sparse) account file is skipped
    by `kam list` in a process limited to 1 GiB of memory."""
    write_account(repo, "good", "id: good\nname: Good\n")
    huge = repo.accounts_dir / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.truncate(4 * 1024**3)
    result = _kam_subprocess(repo.root, "list", memory_bytes=1024**3)
    assert result.returncode == 0 and "good" in result.stdout
    assert result.stderr == "1 file(s) skipped because of errors; run `kam validate` for details\n"


def test_a_fifo_named_like_an_account_is_an_error_not_a_hang(repo: Repository) -> None:
    """A FIFO named like an account is refused without opening it, so `kam show` answers."""
    os.mkfifo(repo.accounts_dir / "x.yaml")
    try:
        result = _kam_subprocess(repo.root, "show", "x", timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("kam show blocked reading a FIFO")
    assert result.returncode == 2
    assert "accounts/x.yaml:1:1: error: x.yaml is not a regular file (a device, FIFO or socket)" in result.stderr


def test_one_unreadable_account_does_not_take_down_list_and_validate(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """The other accounts still load: a (committable) symlink to /proc/self/mem is skipped by
    `kam list` and reported by `kam validate`."""
    write_account(repo, "good", "id: good\nname: Good\n")
    (repo.accounts_dir / "mem.yaml").symlink_to("/proc/self/mem")
    listed = kam("--repo", str(repo.root), "list", "--json")
    assert listed.code == 0
    assert [row["id"] for row in json.loads(listed.out)] == ["good"]
    validated = kam("--repo", str(repo.root), "validate")
    assert validated.code == 1
    assert "accounts/mem.yaml:1:1: error: mem.yaml is not a regular file" in validated.out


def test_symlink_escaping_accounts_is_refused(repo: Repository, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """No path escapes accounts/: a symlinked account pointing outside the repository is not read."""
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("id: leak\nname: contents of a file outside the repository\n")
    (repo.accounts_dir / "leak.yaml").symlink_to(secret)
    shown = kam("--repo", str(repo.root), "show", "leak", "--json")
    assert shown.code == 2 and "contents of a file outside" not in shown.out
    validated = kam("--repo", str(repo.root), "validate")
    assert validated.code == 1 and "accounts/leak.yaml" in validated.out


def test_a_directory_named_like_an_account_is_a_clean_error(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """A folder named like an account is a problem with its path, for reading and for editing."""
    (repo.accounts_dir / "x.yaml").mkdir()
    for args, code in ((("show", "x"), 2), (("validate", str(repo.accounts_dir)), 1), (("set", "x", "owner=li"), 2)):
        result = kam("--repo", str(repo.root), *args)
        assert result.code == code, (args, result.err)
        assert "x.yaml is a folder, not a file" in result.out + result.err, (args, result.err)


# --- Values that are not what they seem ----------------------------------------------------------


def test_hex_and_octal_integers_obey_the_length_limit(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """Integers too long to print are refused in every notation, hexadecimal included."""
    write_account(repo, "big", "id: big\nname: Big\ncredit_limit: 0x" + "f" * 400 + "\n")
    loaded = read_account("accounts/big.yaml", (repo.accounts_dir / "big.yaml").read_bytes())
    assert [p.render() for p in loaded.problems] == ["accounts/big.yaml:3:15: error: number too long (402 characters)"]
    shown = kam("--repo", str(repo.root), "show", "big")
    assert shown.code == 2
    assert "kam: accounts/big.yaml cannot be read; see the problems above" in shown.err


def test_control_character_error_names_its_line() -> None:
    """A raw control character is reported on its own line."""
    loaded = read_account("accounts/x.yaml", b"id: x\nname: X\nnotes: a\x01b\n")
    assert loaded.problems and loaded.problems[0].line == 3, [p.render() for p in loaded.problems]


def test_thousands_of_unknown_keys_are_summed_up_not_searched_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading stays near parse cost however many unknown keys a file has: only the first few get
    a did-you-mean search and a warning of their own, the rest one summary line."""
    searches: list[str] = []
    real = problems_module.difflib.get_close_matches

    def counting(word: str, *args: object, **kwargs: object) -> list[str]:
        searches.append(word)
        return real(word, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(problems_module.difflib, "get_close_matches", counting)
    body = "".join(f"k{i:x}: 1\n" for i in range(30_000))
    loaded = read_account("accounts/x.yaml", ("id: x\nname: X\n" + body).encode(), positions=False)
    assert len(searches) == MAX_UNKNOWN_REPORTED
    assert len(loaded.problems) == MAX_UNKNOWN_REPORTED + 1
    assert f"{30_000 - MAX_UNKNOWN_REPORTED} more unknown keys in the file" in [p.message for p in loaded.problems]


def test_unicode_digit_in_a_dotted_key_is_a_clean_error() -> None:
    """A key path with a non-ASCII digit (`team.²`, '²'.isdigit() but int('²') fails) is refused."""
    with pytest.raises(InvalidChange):
        parse_assignment("team.²=x")


# --- The cache is never the source of truth ------------------------------------------------------


def test_cache_entry_of_the_wrong_shape_is_rebuilt(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """A cache of the right version with a malformed entry is rebuilt from the files."""
    write_account(repo, "good", "id: good\nname: Good\n")
    repo.state_dir.mkdir(parents=True, exist_ok=True)
    (repo.state_dir / CACHE_FILE).write_bytes(
        marshal.dumps({"version": CACHE_VERSION, "files": {"accounts/good.yaml": 0}})
    )
    result = kam("--repo", str(repo.root), "list", "--json")
    assert result.code == 0 and result.err == ""
    assert [row["id"] for row in json.loads(result.out)] == ["good"]


def test_corrupt_cache_cannot_demand_unbounded_memory(repo: Repository) -> None:
    """A corrupt cache is rebuilt: 5 bytes declaring a 2**31-item tuple do not make kam allocate 16 GiB."""
    write_account(repo, "good", "id: good\nname: Good\n")
    repo.state_dir.mkdir(parents=True, exist_ok=True)
    (repo.state_dir / CACHE_FILE).write_bytes(b"(" + (0x7FFFFFFF).to_bytes(4, "little"))
    result = _kam_subprocess(repo.root, "list", memory_bytes=1024**3)
    assert result.returncode == 0 and "good" in result.stdout
    assert result.stderr == ""


# --- Without libyaml ------------------------------------------------------------------------------

WITHOUT_LIBYAML = """
import json, sys
import yaml
del yaml.CSafeLoader  # PyYAML built without libyaml has no C loader
from kam_tui.store.repository import read_account
from kam_tui.cli import main
cases = json.loads(sys.stdin.read())
print(json.dumps([[p.render().split(" invalid YAML: ")[0] for p in read_account("accounts/bad.yaml",
                  raw.encode("latin-1")).problems] for raw in cases]))
sys.stdout.flush()
sys.exit(main(sys.argv[1:]))
"""


def test_without_libyaml_kam_reads_the_same_and_says_it_is_slow(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """PyYAML without libyaml is not an error: the pure-Python parser reads every file to the
    same data and problems at the same lines (a syntax error's wording is the parser's own), and
    every command warns once that reading is slow."""
    write_account(repo, "good", "id: good\nname: 华东汽车\nstage: active\nteam: [wang, li]\n")
    cases = [raw.decode("latin-1") for raw, _, _ in CASES.values()]
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_LIBYAML, "--repo", str(repo.root), "list", "--json"],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: PyYAML has no libyaml here, so kam reads YAML with its pure-Python")
    assert result.stderr.count("warning:") == 1
    problems_line, listed = result.stdout.split("\n", 1)
    with_libyaml = [
        [p.render().split(" invalid YAML: ")[0] for p in read_account("accounts/bad.yaml", raw).problems]
        for raw, _, _ in CASES.values()
    ]
    assert json.loads(problems_line) == with_libyaml
    assert json.loads(listed) == json.loads(kam("--repo", str(repo.root), "list", "--json").out)
