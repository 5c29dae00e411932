"""The core CLI as a user drives it: exact outputs, JSON shapes and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commit_count, git, kam_process, write_account
from kam_tui.model.schema import schema_markdown
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("lang,title", [("en", "language: en"), ("zh", "language: zh")])
def test_init_makes_a_committed_repository(tmp_path: Path, kam, lang: str, title: str) -> None:  # type: ignore[no-untyped-def]
    result = kam("init", str(tmp_path / "team"), "--lang", lang)
    assert result.code == 0, result.err
    root = tmp_path / "team"
    assert title in (root / "kam.yaml").read_text()
    assert sorted(p.name for p in (root / "playbooks").glob("*.md")) == [
        "development.md",
        "maintenance.md",
        "staged-exit.md",
    ]
    assert (root / ".gitattributes").is_file() and (root / "accounts").is_dir()
    assert commit_count(root) == 1 and git(root, "status", "--porcelain") == ""
    assert kam("validate", cwd=root).code == 0
    again = kam("--lang", "en", "init", str(root))  # from inside it: a zh kam.yaml would speak Chinese
    assert again.code == 2 and "already a kam repository" in again.err


def test_repository_is_found_by_flag_environment_or_walking_up(repo: Repository, kam, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: ACME\n")
    deep = repo.root / "accounts"
    assert "acme" in kam("list", cwd=deep).out
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = kam("list", cwd=outside)
    assert result.code == 2
    assert "not inside a kam repository" in result.err and "kam init" in result.err and "kam demo" in result.err
    monkeypatch.setenv("KAM_REPO", str(repo.root))
    assert "acme" in kam("list", cwd=outside).out
    assert kam("--repo", str(outside), "list").code == 2


def test_new_set_show_list_and_history_round_trip(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    root = str(repo.root)
    created = kam(
        "--repo",
        root,
        "new",
        "acme-motors",
        "--name",
        "东方汽车",
        "owner=wang",
        "stage=active",
        "since=2014-03-01",
        "ratings.capital=4",
    )
    assert created.code == 0, created.err
    assert kam("--repo", root, "set", "acme-motors", "owner=li", "periods.2026-Q3.sales=1200000").code == 0

    shown = json.loads(kam("--repo", root, "show", "acme-motors", "--json").out)
    assert shown["id"] == "acme-motors" and shown["name"] == "东方汽车" and shown["owner"] == "li"
    assert shown["since"] == "2014-03-01"
    assert shown["periods"] == {"2026-Q3": {"sales": 1200000}}

    rows = json.loads(kam("--repo", root, "list", "--json").out)
    assert {"id", "name", "stage", "owner"} <= set(rows[0])
    assert rows[0]["id"] == "acme-motors"
    assert json.loads(kam("--repo", root, "list", "--owner", "wang", "--json").out) == []
    assert len(json.loads(kam("--repo", root, "list", "--stage", "active", "--json").out)) == 1

    history = json.loads(kam("--repo", root, "history", "acme-motors", "--json").out)
    assert [h["message"] for h in history] == [
        "acme-motors: owner wang → li, periods.2026-Q3.sales = 1200000",
        "acme-motors: new account 东方汽车",
    ]
    assert {"hash", "date", "author"} <= set(history[0]) and len(history[0]["hash"]) == 40
    text = kam("--repo", root, "history", "acme-motors").out
    assert "owner wang → li" in text and "Test User" in text


def test_show_text_lists_the_account(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: ACME\nowner: wang\nperiods:\n  2026-Q3: {sales: 1200000}\n")
    out = kam("--repo", str(repo.root), "show", "acme").out
    assert "ACME  (acme)" in out and "wang" in out and "1,200,000" in out


@pytest.mark.parametrize(
    "args,message",
    [
        (("show", "nope"), "kam: no account 'nope' (accounts/nope.yaml does not exist)"),
        (("set", "nope", "owner=x"), "kam: no account 'nope' (accounts/nope.yaml does not exist)"),
        (("history", "nope"), "kam: no account 'nope' (accounts/nope.yaml does not exist and never did)"),
        (
            ("show", "../kam"),
            "kam: '../kam' is not a valid account id: lowercase letters, digits and '-', starting with a letter or"
            " digit, at most 64 characters",
        ),
        (
            ("new", "Bad_Id", "--name", "X"),
            "kam: 'Bad_Id' is not a valid account id: lowercase letters, digits and '-', starting with a letter or"
            " digit, at most 64 characters",
        ),
        (("new", "-x", "--name", "X"), None),  # an option, not an id: a usage error
    ],
)
def test_unknown_account_and_bad_ids_are_refused_cleanly(repo: Repository, kam, args, message) -> None:  # type: ignore[no-untyped-def]
    """An unknown account or an id kam would not write is refused (exit 2) with one line saying which."""
    result = kam("--repo", str(repo.root), *args)
    assert result.code == 2
    if message is None:
        assert result.err.startswith("usage: kam new"), result.err
    else:
        assert result.err == message + "\n"


def test_new_refuses_an_existing_account(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "acme", "id: acme\nname: ACME\n")
    result = kam("--repo", str(repo.root), "new", "acme", "--name", "Again")
    assert result.code == 2 and "already exists" in result.err


def test_validate_reports_every_problem_with_file_line_and_column(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    write_account(repo, "good", "id: good\nname: Good\n")
    write_account(repo, "bad", "id: bad\nname: Bad\nstage: actve\nratings: {capital: 9}\nownr: x\n", commit=False)
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 1
    assert result.out.splitlines() == [
        "accounts/bad.yaml:3:8: error: stage: 'actve' is not one of prospect, developing, active, at-risk, "
        "exiting, exited; did you mean 'active'?",
        "accounts/bad.yaml:4:20: error: ratings.capital: 9 is outside 1–5",
        "accounts/bad.yaml:5:1: warning: unknown key 'ownr' (did you mean 'owner'?)",
    ]
    as_json = json.loads(kam("--repo", str(repo.root), "validate", "--json").out)
    assert as_json[0] == {
        "path": "accounts/bad.yaml",
        "line": 3,
        "col": 8,
        "level": "error",
        "message": "stage: 'actve' is not one of prospect, developing, active, at-risk, "
        "exiting, exited; did you mean 'active'?",
        "hint": None,
    }
    one = kam("--repo", str(repo.root), "validate", str(repo.accounts_dir / "good.yaml"))
    assert one.code == 0 and one.out == ""


def test_invalid_kam_yaml_is_reported_and_defaults_are_not_used(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    (repo.root / "kam.yaml").write_text("language: fr\nvisit_cadence: {A: -1}\n")
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 1
    assert "kam.yaml:1:11: error: language 'fr' is not one of en, zh" in result.out
    assert "kam.yaml:2:20: error" in result.out


def test_empty_kam_yaml_is_valid(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    (repo.root / "kam.yaml").write_text("")
    assert kam("--repo", str(repo.root), "validate").code == 0


def test_schema_docs_are_generated_from_the_schema() -> None:
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema_markdown(), (
        "docs/schema.md is stale: run `kam schema > docs/schema.md`"
    )


def test_real_process_exit_codes_and_no_traceback(repo: Repository, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = kam_process("--repo", str(repo.root), "list", env=env)
    assert ok.returncode == 0
    usage = kam_process("frobnicate", env=env)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr
    write_account(repo, "bad", b"id: bad\nname: \xff\n", commit=False)
    bad = kam_process("--repo", str(repo.root), "validate", env=env)
    assert bad.returncode == 1 and "accounts/bad.yaml:2:7: error: invalid UTF-8" in bad.stdout
    assert "Traceback" not in bad.stderr


def test_demo_builds_a_repository_with_history_by_several_authors(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("demo", "--path", str(tmp_path / "demo"), "--no-open")
    assert result.code == 0, result.err
    root = tmp_path / "demo"
    authors = set(git(root, "log", "--format=%an").splitlines())
    assert len(authors) >= 3
    dates = git(root, "log", "--format=%as").splitlines()
    assert dates[0] != dates[-1] and len(dates) > 20
    for shipped in sorted(shipped_dir("accounts").glob("*.yaml")):
        assert (root / "accounts" / shipped.name).read_bytes() == shipped.read_bytes(), shipped.name
    assert git(root, "status", "--porcelain") == ""
    assert kam("--repo", str(root), "validate").code == 0
    rows = json.loads(kam("--repo", str(root), "list", "--json").out)
    assert len(rows) >= 12
    assert kam("demo", "--path", str(root), "--no-open").code == 2


def test_sample_accounts_are_valid_and_varied() -> None:
    from kam_tui.store.repository import read_account

    loaded = [read_account(f"accounts/{p.name}", p.read_bytes()) for p in sorted((ROOT / "accounts").glob("*.yaml"))]
    assert len(loaded) >= 12
    assert [p.render() for item in loaded for p in item.problems] == []
    accounts = [item.account for item in loaded if item.account]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in a.name) for a in accounts)
    assert any(a.name.isascii() for a in accounts)
    assert sum(len(a.periods) >= 8 for a in accounts) >= 10
    assert {a.stage for a in accounts} >= {"active", "at-risk", "exiting"}


def test_read_only_commands_do_not_import_textual_or_ruamel(repo: Repository) -> None:
    """`kam list` and `kam validate` start fast: they never load Textual or ruamel.yaml (the
    import contracts in pyproject.toml guard the layers; this guards what a command loads)."""
    code = (
        "import sys\nfrom kam_tui.cli import main\n"
        f"main(['--repo', {str(repo.root)!r}, 'list'])\nmain(['--repo', {str(repo.root)!r}, 'validate'])\n"
        "print('LOADED', [n for n in ('textual', 'ruamel', 'git') if n in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "LOADED []" in out


def test_kam_list_loads_no_other_commands_modules(repo: Repository) -> None:
    """A command imports what it uses inside its own function (cli/*.py say why): `kam list`
    never pays for the demo builder, the importer, reviews or the checklist writes."""
    others = (
        "kam_tui.store.demo",
        "kam_tui.store.importing",
        "kam_tui.store.reviews",
        "kam_tui.store.checklist_writes",
    )
    code = (
        "import sys\nfrom kam_tui.cli import main\n"
        f"main(['--repo', {str(repo.root)!r}, 'list'])\n"
        f"print('LOADED', [n for n in {others!r} if n in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "LOADED []" in out
