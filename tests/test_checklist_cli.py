"""Attaching a playbook and ticking its steps from the CLI: the template copy and its header,
one commit and one changed line per tick, the staged-exit stage move, gating of later stages and
the network rule, and every refusal leaving files and history as they were."""

from __future__ import annotations

import pytest

from checklist_support import EXIT, FAKE, HELD, TODAY, Kam, changed_files, show
from checklist_support import as_wang_fixture, exiting_fixture  # noqa: F401  (fixtures)
from conftest import commit_count, git, write_account
from kam_tui.model.checklist import header_line, render_checklist
from kam_tui.model.checklist_plan import NetworkNotInHand, PlaybookError, StageGated
from kam_tui.store.checklist_writes import tick_refusal
from kam_tui.store.repository import Repository


# --- attach ---------------------------------------------------------------------------------------


def test_attach_writes_template_copy_with_header_in_one_commit(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD.replace("at-risk", "active"))
    before = commit_count(repo.root)
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "maintenance")
    assert result.code == 0, result.err
    rel = "checklists/acme-motors/maintenance.md"
    template = (repo.root / "playbooks/maintenance.md").read_text(encoding="utf-8")
    expected = render_checklist(template, header_line("maintenance", TODAY, "wang"))
    assert (repo.root / rel).read_text(encoding="utf-8") == expected
    assert f"> kam checklist: maintenance, attached {TODAY} by wang" in expected
    assert commit_count(repo.root) == before + 1
    assert changed_files(repo.root) == [rel]
    assert show(repo.root)[0] == "acme-motors: attach maintenance"
    assert git(repo.root, "status", "--porcelain") == ""


def test_attach_staged_exit_moves_stage_in_the_same_commit(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit")
    assert result.code == 0, result.err
    subject, removed, added = show(repo.root)
    assert subject == "acme-motors: attach staged-exit, stage at-risk → exiting"
    assert sorted(changed_files(repo.root)) == ["accounts/acme-motors.yaml", EXIT]
    assert "stage: at-risk" in removed and "stage: exiting" in added
    assert (repo.root / "accounts/acme-motors.yaml").read_text() == HELD.replace("at-risk", "exiting")


def test_a_playbook_for_other_stages_is_refused_unless_forced_with_a_reason(
    repo: Repository, kam: Kam, as_wang: None
) -> None:
    """`stages:` in a playbook's front matter say which accounts it is for (development: prospect,
    developing); attaching it to an active account needs --force --reason, kept in the commit."""
    write_account(repo, "acme-motors", HELD.replace("at-risk", "active"))
    before = commit_count(repo.root)
    refused = kam("--repo", str(repo.root), "attach", "acme-motors", "development")
    assert refused.code == 2
    assert refused.err == (
        "kam: development is for accounts that are prospect, developing; acme-motors is active\n"
        "hint: to attach it anyway: kam attach acme-motors development --force --reason TEXT\n"
    )
    assert commit_count(repo.root) == before
    assert not (repo.root / "checklists").exists()
    forced = kam(
        "--repo", str(repo.root), "attach", "acme-motors", "development", "--force", "--reason", "a new product line"
    )
    assert forced.code == 0, forced.err
    assert "forced: development is for accounts that are prospect, developing; acme-motors is active" in forced.err
    assert "--force was not needed" not in forced.err
    assert git(repo.root, "log", "-1", "--format=%B") == (
        "acme-motors: attach development\n\n"
        "Forced: development is for accounts that are prospect, developing; acme-motors is active. "
        "Reason: a new product line\n\n"
    )
    assert changed_files(repo.root) == ["checklists/acme-motors/development.md"]


def test_force_on_a_playbook_that_fits_overrides_nothing(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD.replace("at-risk", "active"))
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "maintenance", "--force", "--reason", "x")
    assert result.code == 0 and "--force was not needed; nothing was overridden" in result.err
    assert git(repo.root, "log", "-1", "--format=%B") == "acme-motors: attach maintenance\n\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_staged_exit_does_not_ask_for_the_stage_move_attaching_made(lang: str) -> None:
    """Attaching the staged exit sets the stage to exiting (B3): its first step says so instead of
    asking the reader to do it again."""
    from kam_tui.store.shipped import shipped_playbooks

    text = shipped_playbooks(lang)["staged-exit"].read_text(encoding="utf-8")
    assert "set the stage to exiting." not in text and "把阶段改为 exiting。" not in text
    assert ("already set the stage to exiting" if lang == "en" else "启用本手册时阶段已改为 exiting") in text


def test_staged_exit_attaches_before_the_network_is_held_and_its_during_stage_waits(
    repo: Repository, kam: Kam, as_wang: None
) -> None:
    """Taking the network is the exit's first 'before' step (L420), so attaching is always allowed;
    entering 'during' — ticking its first step — waits for the network (L407) or --force --reason."""
    root = str(repo.root)
    write_account(repo, "acme-motors", FAKE)
    result = kam("--repo", root, "attach", "acme-motors", "staged-exit")
    assert result.code == 0, result.err
    assert show(repo.root)[0] == "acme-motors: attach staged-exit, stage at-risk → exiting"
    assert f"> kam checklist: staged-exit, attached {TODAY} by wang\n" in (repo.root / EXIT).read_text()
    for number in range(1, 9):  # the 'before' stage, the network step among them
        assert kam("--repo", root, "check", "acme-motors", "staged-exit", str(number)).code == 0
    before = commit_count(repo.root)
    refused = kam("--repo", root, "check", "acme-motors", "staged-exit", "9")
    assert refused.code == 2
    assert "'during' stage waits until its downstream network is in hand" in refused.err
    assert "20%" in refused.err and "--force --reason" in refused.err
    assert commit_count(repo.root) == before
    assert kam("--repo", root, "check", "acme-motors", "staged-exit", "9", "--force").code == 2
    forced = kam("--repo", root, "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "board decided")
    assert forced.code == 0, forced.err
    assert "forced past the network rule" in forced.err
    assert show(repo.root)[2][0].endswith(f"— {TODAY} wang — forced: board decided")
    assert "Ticked past the network rule: network_held 20%" in git(repo.root, "log", "-1", "--format=%b")
    # once 'during' is entered, its other steps are not asked again
    assert kam("--repo", root, "check", "acme-motors", "staged-exit", "10").code == 0


def test_tick_refusal_says_what_a_tick_would_meet_and_writes_nothing(repo: Repository, kam: Kam, as_wang: None) -> None:
    """What the TUI asks before the note: the network rule's refusal (and an earlier stage's)
    as the tick would raise it, None where the tick passes; no file or commit is made."""
    root = str(repo.root)
    write_account(repo, "acme-motors", FAKE)
    assert kam("--repo", root, "attach", "acme-motors", "staged-exit").code == 0
    assert isinstance(tick_refusal(repo, "acme-motors", "staged-exit", "9"), StageGated)  # 'before' still open
    assert tick_refusal(repo, "acme-motors", "staged-exit", "1") is None
    for number in range(1, 9):
        assert kam("--repo", root, "check", "acme-motors", "staged-exit", str(number)).code == 0
    before, text = commit_count(repo.root), (repo.root / EXIT).read_bytes()
    refusal = tick_refusal(repo, "acme-motors", "staged-exit", "9")
    assert isinstance(refusal, NetworkNotInHand) and "20%" in "\n".join(refusal.lines())
    assert commit_count(repo.root) == before and (repo.root / EXIT).read_bytes() == text
    assert git(repo.root, "status", "--porcelain") == ""
    with pytest.raises(PlaybookError, match="already ticked"):
        tick_refusal(repo, "acme-motors", "staged-exit", "8")
    write_account(repo, "acme-motors", HELD)
    assert tick_refusal(repo, "acme-motors", "staged-exit", "9") is None


def test_the_network_rule_speaks_the_readers_language(repo: Repository, kam: Kam, as_wang: None) -> None:
    root = str(repo.root)
    write_account(repo, "acme-motors", FAKE)
    assert kam("--repo", root, "attach", "acme-motors", "staged-exit").code == 0
    for number in range(1, 9):
        assert kam("--repo", root, "check", "acme-motors", "staged-exit", str(number)).code == 0
    refused = kam("--repo", root, "--lang", "zh", "check", "acme-motors", "staged-exit", "9")
    assert refused.code == 2
    assert refused.err.startswith("kam: acme-motors：“事中”阶段要等掌握其下线网络后才能开始"), refused.err
    assert "waits" not in refused.err and "--force --reason" in refused.err
    forced = kam("--repo", root, "--lang", "zh", "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "x")
    assert forced.code == 0 and "forced" not in forced.err, forced.err


def test_during_stage_waits_when_network_unknown(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", "id: acme-motors\nname: Acme Motors\nstage: at-risk\n")
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit").code == 0
    result = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "x")
    assert result.code == 0 and "not recorded" in result.err


def test_network_threshold_comes_from_kam_yaml(repo: Repository, kam: Kam, as_wang: None) -> None:
    (repo.root / "kam.yaml").write_text("risks:\n  control:\n    below: 0.1\n    in_hand: 0.15\n")
    git(repo.root, "commit", "-qam", "lower the bar")
    write_account(repo, "acme-motors", FAKE)
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit").code == 0
    result = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit", "9", "--force", "--reason", "x")
    assert result.code == 0 and "forced past the network rule" not in result.err


@pytest.mark.parametrize(
    "args, piece",
    [
        (("attach", "acme-motors", "nosuch"), "no playbook 'nosuch'"),
        (("attach", "ghost", "maintenance"), "no account 'ghost'"),
        (("attach", "acme-motors", "../kam"), "not a playbook name"),
        (("attach", "acme-motors", "staged-exit"), "already attached"),
    ],
)
def test_attach_refusals(exiting: Repository, kam: Kam, args: tuple[str, ...], piece: str | None) -> None:
    before = commit_count(exiting.root)
    result = kam("--repo", str(exiting.root), *args)
    assert result.code == 2 and piece in result.err
    assert commit_count(exiting.root) == before


# --- check ----------------------------------------------------------------------------------------


def test_tick_is_one_line_and_one_commit(exiting: Repository, kam: Kam) -> None:
    before = commit_count(exiting.root)
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "Clear its inventory")
    assert result.code == 0, result.err
    assert commit_count(exiting.root) == before + 1
    assert show(exiting.root) == (
        "acme-motors: staged-exit ✓ Clear its inventory of our goods",
        ["- [ ] Clear its inventory of our goods"],
        [f"- [x] Clear its inventory of our goods — {TODAY} wang"],
    )
    assert changed_files(exiting.root) == [EXIT]


def test_untick_restores_the_line(exiting: Repository, kam: Kam) -> None:
    attached = (exiting.root / EXIT).read_bytes()
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "6", "--note", "120 cases counted")
    assert show(exiting.root)[2] == [f"- [x] Clear its inventory of our goods — {TODAY} wang — 120 cases counted"]
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "6", "--undo")
    assert result.code == 0, result.err
    subject, removed, added = show(exiting.root)
    assert subject == "acme-motors: staged-exit ✗ Clear its inventory of our goods"
    assert added == ["- [ ] Clear its inventory of our goods"] and len(removed) == 1
    assert (exiting.root / EXIT).read_bytes() == attached


def test_later_stage_waits_unless_forced_with_reason(exiting: Repository, kam: Kam) -> None:
    before = commit_count(exiting.root)
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "Set rules of the game")
    assert result.code == 2
    assert "earlier stage 'Before' still has 8 open step(s)" in result.err and "--force --reason" in result.err
    assert commit_count(exiting.root) == before
    result = kam(
        "--repo",
        str(exiting.root),
        "check",
        "acme-motors",
        "staged-exit",
        "Set",
        "rules",
        "of",
        "the",
        "game",
        "--force",
        "--reason",
        "the board decided today",
    )
    assert result.code == 0, result.err
    subject, removed, added = show(exiting.root)
    assert subject == "acme-motors: staged-exit ✓ Set rules of the game that put it in the wrong"
    assert added == [
        f"- [x] Set rules of the game that put it in the wrong — {TODAY} wang — forced: the board decided today"
    ]
    assert "Reason: the board decided today" in git(exiting.root, "log", "-1", "--format=%b")


def test_stage_opens_when_the_earlier_one_is_done(exiting: Repository, kam: Kam) -> None:
    for number in range(1, 9):
        assert kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", str(number)).code == 0
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "9")
    assert result.code == 0, result.err
    assert "forced" not in (exiting.root / EXIT).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, piece",
    [
        (("6",), None),  # ticked below first, then again
        (("7", "--undo"), "is not ticked"),
        (("a",), "matches"),
        (("99",), "numbered 1 to 21"),
        (("no such step",), "no step contains"),
        (("6", "--note", "bell\x07"), "control character"),
    ],
)
def test_check_refusals_change_nothing(exiting: Repository, kam: Kam, args: tuple[str, ...], piece: str | None) -> None:
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "6")
    before = commit_count(exiting.root)
    content = (exiting.root / EXIT).read_bytes()
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", *args)
    assert result.code == (0 if piece in (None, "is not ticked") else 2)  # nothing to do is done
    assert (piece or "already ticked") in result.err
    assert commit_count(exiting.root) == before and (exiting.root / EXIT).read_bytes() == content


def test_check_refuses_uncommitted_edits(exiting: Repository, kam: Kam) -> None:
    path = exiting.root / EXIT
    path.write_text(path.read_text(encoding="utf-8") + "my own line\n", encoding="utf-8")
    result = kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "1")
    assert result.code == 2 and "not committed" in result.err
    assert path.read_text(encoding="utf-8").endswith("my own line\n")


def test_check_unknown_checklist(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    result = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit", "1")
    assert result.code == 2 and "kam attach acme-motors staged-exit" in result.err
