"""What the CLI prints: control characters from files and arguments are escaped, never sent to the
terminal; `--json` is always valid JSON, whatever the file names and values."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import write_account

from kam_tui.cli.output import clean, fit, pad, width
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
    assert listed.code == 2
    assert "kam.yaml:1:11: error: language '\\x1b[2Jzz' is not one of en, zh" in listed.err
    assert "\x1b" not in listed.err


def test_show_json_is_valid_json_for_non_finite_numbers(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """`--json` prints strict JSON: `.inf` / `.nan` values never come out as bare Infinity/NaN tokens."""
    write_account(repo, "x", "id: x\nname: X\nowner: .nan\nnotes: .inf\n")
    result = kam("--repo", str(repo.root), "show", "x", "--json")

    def refuse(token: str) -> Any:
        raise ValueError(f"not JSON: {token}")

    assert result.code == 0
    shown = json.loads(result.out, parse_constant=refuse)
    assert shown.pop("computed")["tier"] is None
    assert shown == {"id": "x", "name": "X", "owner": "nan", "notes": "inf"}


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


# --- Tables: one cell width for CJK, emoji and combining marks ------------------------------------


@pytest.mark.parametrize(
    "text,cells",
    [
        ("abc", 3),
        ("华东汽车", 8),
        ("ｶﾀｶﾅ", 4),  # halfwidth katakana: one cell each
        ("한국", 4),
        ("😀", 2),
        ("👍🏽", 2),  # emoji with a skin-tone modifier
        ("❤️", 2),  # a text-style heart made an emoji by VS16
        ("👩\u200d💻", 2),  # a ZWJ sequence is one picture
        ("🇨🇳", 2),
        ("Cafe\u0301", 4),  # a combining accent takes no cell
        ("a\u0300\u0301", 1),
        ("\u3000", 2),  # the ideographic space
    ],
)
def test_width_counts_terminal_cells(text: str, cells: int) -> None:
    """Every table is measured by one function, in terminal cells, as the TUI draws them."""
    assert width(text) == cells


@pytest.mark.parametrize(
    "text,size,shown",
    [
        ("中文中文", 5, "中文…"),
        ("中文中文", 4, "中… "),  # a wide character never split: '…' then padding
        ("😀😀😀", 3, "😀…"),
        ("e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"),  # the accent stays with its letter
        ("ab", 4, "ab  "),
    ],
)
def test_fit_cuts_and_pads_to_whole_characters(text: str, size: int, shown: str) -> None:
    """A cell cut to its column keeps whole characters and ends in '…'; every cell is padded to
    exactly its column's width."""
    assert fit(text, size) == shown and width(shown) == size


def _wide_accounts(repo: Repository) -> None:
    """Three accounts whose names need each kind of width: CJK, emoji, combining marks; visited
    today, so no neglect flag depends on the day the test runs."""
    today = dt.date.today().isoformat()
    write_account(
        repo,
        "cjk",
        "id: cjk\nname: 华东汽车贸易有限公司\nstage: active\nowner: 王伟\nregion: 华东\n"
        f"visits: [{{date: {today}, by: 王伟, summary: 季度拜访}}]\n",
    )
    write_account(
        repo,
        "emoji",
        "id: emoji\nname: Café 😀 Shop\nstage: at-risk\nowner: li\nregion: north\n"
        f"visits: [{{date: {today}, by: li, summary: ok}}]\n",
    )
    write_account(
        repo,
        "marks",
        'id: marks\nname: "Cafe\\u0301 Ñandu\\u0300"\nstage: active\nowner: ana\nregion: south\n'
        f"visits: [{{date: {today}, by: ana, summary: ok}}]\n",
    )


def test_list_aligns_cjk_emoji_and_combining_marks(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """`kam list` pads each cell by its terminal width, so every column starts at the same cell."""
    _wide_accounts(repo)
    result = kam("--repo", str(repo.root), "list")
    assert result.code == 0, result.err
    assert result.out == (
        "ID     NAME                  STAGE    OWNER  REGION  SCORE  TIER  RISKS\n"
        "cjk    华东汽车贸易有限公司  active   王伟   华东    –      –\n"
        "emoji  Café 😀 Shop          at-risk  li     north   –      –\n"
        "marks  Cafe\u0301 Ñandu\u0300            active   ana    south   –      –\n"
    )


def test_show_aligns_its_tables_and_cuts_long_text_at_whole_characters(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    """`kam show` tables line up with wide and zero-width characters, an emoji sequence is shown
    whole (never as an escape), and a long visit summary is cut to 60 cells at a whole character."""
    summary = "谈了明年的返利政策" * 5
    write_account(
        repo,
        "cjk",
        "id: cjk\nname: 华东汽车贸易有限公司\nstage: active\ncontacts:\n"
        '  - {name: 王伟, role: 采购经理, phone: "138 0000 0000"}\n'
        '  - {name: "Zoë 👩\\u200d💻", role: buyer, email: zoe@example.com}\n'
        '  - {name: "Jose\\u0301", role: 财务}\n'
        f"visits:\n  - {{date: 2026-11-02, by: 王伟, summary: {summary}}}\n",
    )
    result = kam("--repo", str(repo.root), "show", "cjk")
    assert result.code == 0, result.err
    lines = result.out.split("\n")
    assert lines[0] == "华东汽车贸易有限公司  (cjk)"
    assert lines[1].startswith("tier          – · score – · as of ")
    visit = lines.index("VISIT     DATE        BY    SUMMARY" + " " * 55 + "NEXT")
    assert lines[visit + 1] == "visits.1  2026-11-02  王伟  " + summary[:29] + "…"
    contacts = lines.index("CONTACT     NAME    ROLE      PHONE          EMAIL")
    assert lines[contacts + 1 : contacts + 4] == [
        "contacts.1  王伟    采购经理  138 0000 0000",
        "contacts.2  Zoë 👩\u200d💻  buyer                    zoe@example.com",
        "contacts.3  Jose\u0301    财务",
    ]


def test_spaces_and_emoji_joiners_are_text_but_bidi_overrides_are_escaped() -> None:
    """What a person reads is their own text: the ideographic space of Chinese text, no-break
    spaces and the emoji joiner are shown as they are; a bidi override, which would reorder what
    is shown, is escaped like any control character."""
    assert clean("王伟\u3000经理\u00a0👩\u200d💻") == "王伟\u3000经理\u00a0👩\u200d💻"
    assert clean("abc\u202edef\x1b[2J") == "abc\\u202edef\\x1b[2J"


def test_pad_aligns_labels_in_any_language() -> None:
    """Labels padded by cells line up their values whatever the language."""
    assert [pad(label, 8) + "|" for label in ("stage", "阶段", "Zoë")] == ["stage   |", "阶段    |", "Zoë     |"]
