"""What the CLI prints: control characters from files and arguments are escaped, never sent to the
terminal; `--json` is always valid JSON, whatever the file names and values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from conftest import write_account
from kam_tui.store.repository import Repository


def test_problems_of_a_refused_change_cannot_drive_the_terminal(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """Problems printed for a refused change and for a bad kam.yaml show control characters escaped."""
    write_account(repo, "z", 'id: z\nname: Z\nstage: "\\e]0;pwned\\a\\e[2J"\n')
    refused = kam("--repo", str(repo.root), "set", "z", "stage=\x1b]0;pwned\x07\x1b[2J")
    assert refused.code == 2
    assert refused.err == (
        "kam: stage: cannot read '\\x1b]0;pwned\\x07\\x1b[2J' as a value: character U+001B is not allowed"
        " in YAML (a control character?)\n"
    )
    (repo.root / "kam.yaml").write_text('language: "\\e[2Jzz"\n')
    listed = kam("--repo", str(repo.root), "list")
    assert listed.code == 1
    assert "kam.yaml:1:11: error: language '\\x1b[2Jzz' is not one of en, zh" in listed.err
    assert "\x1b" not in listed.err


def test_show_json_is_valid_json_for_non_finite_numbers(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """`--json` prints strict JSON: `.inf` / `.nan` values never come out as bare Infinity/NaN tokens."""
    write_account(repo, "x", "id: x\nname: X\nowner: .nan\nnotes: .inf\n")
    result = kam("--repo", str(repo.root), "show", "x", "--json")

    def refuse(token: str) -> Any:
        raise ValueError(f"not JSON: {token}")

    assert result.code == 0
    assert json.loads(result.out, parse_constant=refuse) == {"id": "x", "name": "X", "owner": "nan", "notes": "inf"}


def test_invalid_utf8_file_name_does_not_break_json_output(repo: Repository) -> None:
    """A file name that is not UTF-8 is reported in valid JSON, even under a strict UTF-8 stdout."""
    (repo.accounts_dir / os.fsdecode(b"\xff\xfe.yaml")).write_bytes(b"id: x\nname: X\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    result = subprocess.run(
        [sys.executable, "-m", "kam_tui", "--repo", str(repo.root), "validate", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
        check=False,
    )
    assert result.returncode == 1 and result.stderr == ""
    [problem] = json.loads(result.stdout)
    assert problem["path"] == "accounts/\udcff\udcfe.yaml"
    assert problem["message"] == "file name '\udcff\udcfe.yaml' is not a valid account id"
