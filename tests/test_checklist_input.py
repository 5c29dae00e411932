"""Checklists under unusual input: the staged-exit network rule holds for copies of the template,
a tick keeps the step's text and changes one line, a note is stored as written, ITEM and notes
that kam cannot use are refused with a message and nothing written, history survives any commit
message, and every template kam will not read is reported by validate."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from conftest import Result, commit_all, git, write_account

from kam_tui.store.repository import Repository

Kam = Callable[..., Result]
HELD = "id: acme\nname: Acme\nstage: active\nnetwork_held: 0.8\n"
DEVELOPING = "id: acme\nname: Acme\nstage: developing\n"  # what the development playbook is for


def _run(kam: Kam, repo: Repository, *args: str) -> Result:
    return kam("--repo", str(repo.root), *args)


def _template(repo: Repository, name: str, text: str | bytes) -> None:
    path = repo.root / "playbooks" / f"{name}.md"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    commit_all(repo.root, f"template {name}")


# --- the staged-exit network rule ----------------------------------------------------------------


def test_staged_exit_copied_with_playbook_add_as_keeps_the_network_rule(repo: Repository, kam: Kam) -> None:
    """Never a staged exit before the network is in hand: a copy of the staged-exit template made
    with `kam playbook add staged-exit --as exit-plan` keeps the network rule on its 'during' stage."""
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: at-risk\nnetwork_held: 0.1\n")
    added = _run(kam, repo, "playbook", "add", "staged-exit", "--as", "exit-plan")
    assert added.code == 0, added.err
    assert _run(kam, repo, "attach", "acme", "exit-plan").code == 0
    during = _run(kam, repo, "check", "acme", "exit-plan", "9", "--force", "--reason", "x")
    assert during.code == 0 and "forced past the network rule (network_held 10% < 60%" in during.err


# --- one tick, one line, and the text kept -------------------------------------------------------


def test_tick_then_untick_keeps_a_step_text_that_contains_a_dated_dash(repo: Repository, kam: Kam) -> None:
    """A step's text survives a tick and an untick: a step whose text holds ' — YYYY-MM-DD' (which
    a tick record would swallow) is a template error, so such a template is never attached."""
    _template(repo, "t", "## One\n- [ ] Review the contract — 2024-01-01 version\n\n- [ ] Beta\n")
    write_account(repo, "acme", DEVELOPING)
    attached = _run(kam, repo, "attach", "acme", "t")
    assert attached.code == 2
    assert "playbooks/t.md:2: error: the step's text contains ' — YYYY-MM-DD'" in attached.err
    assert not (repo.root / "checklists/acme/t.md").exists()
    path = repo.root / "checklists/acme/development.md"
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    before = path.read_text(encoding="utf-8")
    assert _run(kam, repo, "check", "acme", "development", "1").code == 0
    assert _run(kam, repo, "check", "acme", "development", "1", "--undo").code == 0
    assert path.read_text(encoding="utf-8") == before


def test_a_note_starting_with_forced_is_not_read_back_as_a_force_reason(repo: Repository, kam: Kam) -> None:
    """The record says what happened: a note that would read back as a force reason
    (`forced: …`) is refused; any other note is stored as a note, with no reason."""
    write_account(repo, "acme", DEVELOPING)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    refused = _run(kam, repo, "check", "acme", "development", "1", "--note", "forced: nothing")
    assert refused.code == 2
    assert refused.err == "kam: the note may not start with 'forced:' (kam writes that before a --force reason)\n"
    assert _run(kam, repo, "check", "acme", "development", "1", "--note", "nothing forced").code == 0
    data = json.loads(_run(kam, repo, "checklist", "acme", "development", "--json").out)
    tick = data["stages"][0]["steps"][0]["tick"]
    assert tick["reason"] is None and tick["note"] == "nothing forced", tick


def test_a_tick_never_makes_the_checklist_unreadable(repo: Repository, kam: Kam) -> None:
    """A change kam accepts leaves files kam can read: ticks with 100 KB notes (each under the
    128 KiB argv limit) never push the checklist past the 1 MiB kam reads."""
    _template(repo, "t", "## One\n" + "".join(f"- [ ] Step {i}\n\n" for i in range(12)))
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "t").code == 0
    for number in range(1, 13):
        _run(kam, repo, "check", "acme", "t", str(number), "--note", "n" * 100_000)
    shown = _run(kam, repo, "checklist", "acme", "t")
    assert shown.code == 0, shown.err[-300:]


# --- ITEM and user text: clean errors, never internal ones ---------------------------------------


def test_item_that_is_digits_but_not_an_int_is_a_clean_error(repo: Repository, kam: Kam) -> None:
    """ITEM `²` ('²'.isdigit() but int() fails) is looked up as text, ITEM of 5,000 digits (past
    Python's int-string limit) as a number out of range: both refused with a message."""
    write_account(repo, "acme", DEVELOPING)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    result = _run(kam, repo, "check", "acme", "development", "²")
    assert (result.code, result.err) == (2, "kam: acme development: no step contains '²'\n")
    result = _run(kam, repo, "check", "acme", "development", "9" * 5000)
    assert result.code == 2
    assert result.err.startswith("kam: acme development: there is no step 999")
    assert result.err.endswith("…; the steps are numbered 1 to 30\n")


def test_a_note_that_is_not_utf8_is_a_clean_error(repo: Repository, kam: Kam) -> None:
    """A note from a Latin-1 terminal (`caf\\xe9`, a surrogate-escaped argv) is refused with a
    message, and nothing is written."""
    write_account(repo, "acme", DEVELOPING)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    result = _run(kam, repo, "check", "acme", "development", "1", "--note", os.fsdecode(b"caf\xe9"))
    assert result.code == 2
    assert result.err == "kam: the note is not valid UTF-8 text (check your terminal's encoding)\n"
    assert git(repo.root, "status", "--porcelain") == ""


# --- history ---------------------------------------------------------------------------------------


def test_history_survives_a_record_separator_in_git_output(repo: Repository, kam: Kam) -> None:
    """`kam checklist --history` reads any commit: a hand commit whose subject holds U+001E (the
    separator of kam's `git log` format) is still read, and the hand tick shown."""
    write_account(repo, "acme", DEVELOPING)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    path = repo.root / "checklists/acme/development.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- [ ] ", "- [x] ", 1), encoding="utf-8")
    git(repo.root, "commit", "-q", "-a", "-m", "ticked by hand \x1e on the phone")
    result = _run(kam, repo, "checklist", "acme", "--history")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].endswith(
        "Test User  development  ✓ tick  Check annual volume against the 5% rule"
    )


def test_history_of_an_account_that_does_not_exist_is_an_error(repo: Repository, kam: Kam) -> None:
    """The history of an account that does not exist (a typo'd id) is refused, never shown as empty."""
    result = _run(kam, repo, "checklist", "nosuch", "development", "--history")
    assert (result.code, result.err) == (2, "kam: no account 'nosuch' (accounts/nosuch.yaml does not exist)\n")


# --- templates and validation ------------------------------------------------------------------


def test_one_symlinked_template_does_not_take_down_validate_and_checklists(repo: Repository, kam: Kam) -> None:
    """Problems are reported all at once: a template symlinked as an alias is one problem among
    the others, and `kam checklists` still lists the accounts."""
    write_account(repo, "acme", DEVELOPING)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    (repo.root / "playbooks/broken.md").write_text("- [ ] a step before any stage\n", encoding="utf-8")
    (repo.root / "playbooks/dev.md").symlink_to("development.md")
    validated = _run(kam, repo, "validate")
    assert validated.code == 1, validated.err
    assert "playbooks/dev.md:1: error: playbooks/dev.md is a symbolic link" in validated.out
    assert "playbooks/broken.md:1: error: a step before the first stage heading" in validated.out
    listed = _run(kam, repo, "checklists")
    assert listed.code == 0 and "acme" in listed.out, listed.err


def test_validate_reports_templates_kam_will_never_read(repo: Repository, kam: Kam) -> None:
    """validate reports every template, even one kam will never attach: `playbooks/开发.md` is
    warned about for its name and its errors are listed."""
    (repo.root / "playbooks/开发.md").write_text("- [ ] 第一步\n", encoding="utf-8")
    commit_all(repo.root, "zh template")
    result = _run(kam, repo, "validate")
    assert result.code == 1
    assert "playbooks/开发.md:1: warning: kam does not use a template named '开发'" in result.out
    assert "playbooks/开发.md:1: error: a step before the first stage heading" in result.out


def test_template_with_cr_line_endings_is_not_attached_as_an_empty_checklist(repo: Repository, kam: Kam) -> None:
    """A template saved with CR line endings (classic Mac) is an error, and attaching it writes nothing."""
    _template(repo, "t", b"## One\r- [ ] Alpha\r\r- [ ] Beta\r")
    write_account(repo, "acme", HELD)
    attached = _run(kam, repo, "attach", "acme", "t")
    assert attached.code == 2 and "carriage return" in attached.err, attached.err
    assert not (repo.root / "checklists/acme/t.md").exists()


def test_attach_does_not_silently_use_defaults_for_an_invalid_kam_yaml(repo: Repository, kam: Kam) -> None:
    """An invalid kam.yaml is reported with its line and its defaults are never used in its place."""
    write_account(repo, "acme", HELD)
    (repo.root / "kam.yaml").write_text("language: cn\n", encoding="utf-8")
    commit_all(repo.root, "typo in language")
    result = _run(kam, repo, "attach", "acme", "development")
    assert result.code == 2  # refused: only `kam validate` exits 1
    assert "kam.yaml:1:11: error: language 'cn' is not one of en, zh" in result.err
    assert not (repo.root / "checklists/acme/development.md").exists()


# --- the overview skips what it cannot read ------------------------------------------------------


def test_checklists_skips_unreadable_checklists_with_a_note_and_shows_the_rest(repo: Repository, kam: Kam) -> None:
    """A checklist with conflict markers, one too big and a symlinked one are each named on stderr
    (`path:line`), never counted as progress; the others are still shown, exit 0."""
    for account_id in ("acme", "beta", "gamma", "delta"):
        write_account(repo, account_id, HELD.replace("acme", account_id))
        assert _run(kam, repo, "attach", account_id, "maintenance").code == 0
    folder = repo.root / "checklists"
    contested = folder / "beta/maintenance.md"
    lines = contested.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("- [ ] "))
    lines[first : first + 1] = [
        "<<<<<<< HEAD\n",
        "- [x] a — 2026-11-20 wang\n",
        "=======\n",
        lines[first],
        ">>>>>>> li\n",
    ]
    contested.write_text("".join(lines), encoding="utf-8")
    (folder / "gamma/maintenance.md").write_bytes(b"## One\n- [ ] step\n" + b"\n" * (1024 * 1024 + 1))
    (folder / "delta/maintenance.md").unlink()
    (folder / "delta/maintenance.md").symlink_to("../acme/maintenance.md")
    result = _run(kam, repo, "checklists")
    assert result.code == 0, result.err
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == ["acme"]
    assert f"checklists/beta/maintenance.md:{first + 1}: error: git conflict marker" in result.err
    assert "checklists/gamma/maintenance.md:1: error: checklists/gamma/maintenance.md is 1,0" in result.err
    assert "checklists/delta/maintenance.md:1: error: checklists/delta/maintenance.md is a symbolic link" in result.err
    rows = json.loads(_run(kam, repo, "checklists", "--json").out)
    assert [row["account"] for row in rows] == ["acme"]
