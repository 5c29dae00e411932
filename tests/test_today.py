"""One "today": every command takes `--today DATE` and reads $KAM_TODAY, so scripts, tests and
snapshots are reproducible whatever the calendar says."""

from __future__ import annotations


import pytest

from checklist_support import as_user, show
from conftest import copy_samples, write_account
from kam_tui.cli import build_parser
from kam_tui.cli.language import subcommand_parsers
from kam_tui.store.repository import Repository


def test_every_command_takes_today() -> None:
    parser = build_parser()
    children = list(subcommand_parsers(parser))
    assert len(children) > 20
    assert [c.prog for c in children if "--today" not in c._option_string_actions] == []


def test_today_and_kam_today_give_the_same_day_everywhere(
    repo: Repository, kam, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    copy_samples(repo)
    root = str(repo.root)
    for command in (["list"], ["show", "sanjiang-auto"], ["score"], ["risks"], ["portfolio"], ["checklists"]):
        given = kam("--repo", root, *command, "--today", "2026-12-01", "--json")
        assert given.code == 0, (command, given.err)
        monkeypatch.setenv("KAM_TODAY", "2026-12-01")
        from_env = kam("--repo", root, *command, "--json")
        monkeypatch.delenv("KAM_TODAY")
        assert from_env.out == given.out, command
    later = kam("--repo", root, "list", "--today", "2031-12-01", "--json")
    assert later.code == 0 and later.out != kam("--repo", root, "list", "--today", "2026-12-01", "--json").out
    bad = kam("--repo", root, "list", "--today", "someday")
    assert bad.code == 2 and "'someday' is not a date (YYYY-MM-DD)" in bad.err


def test_checklist_writes_date_the_given_day(repo: Repository, kam, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """attach, check and --new-cycle write `--today` (or $KAM_TODAY) beside the step, not the calendar's date."""
    as_user(monkeypatch, "wang")
    write_account(repo, "acme-motors", "id: acme-motors\nname: Acme Motors\nstage: active\nowner: wang\n")
    root = str(repo.root)
    checklist = repo.root / "checklists/acme-motors/maintenance.md"
    assert kam("--repo", root, "attach", "acme-motors", "maintenance", "--today", "2026-11-20").code == 0
    assert "> kam checklist: maintenance, attached 2026-11-20 by wang" in checklist.read_text(encoding="utf-8")
    assert kam("--repo", root, "check", "acme-motors", "maintenance", "1", "--today", "2026-11-20").code == 0
    assert " — 2026-11-20 wang" in show(repo.root)[2][0]
    monkeypatch.setenv("KAM_TODAY", "2027-01-05")
    assert kam("--repo", root, "attach", "acme-motors", "maintenance", "--new-cycle").code == 0
    assert "2027-01-05" in checklist.read_text(encoding="utf-8")
    assert kam("--repo", root, "check", "acme-motors", "maintenance", "1").code == 0
    assert " — 2027-01-05 wang" in show(repo.root)[2][0]
