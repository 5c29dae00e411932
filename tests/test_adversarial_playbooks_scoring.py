"""Adversarial review of issues 3 (scoring) and 4 (playbooks as checklists).

Each test pins one way kam breaks a promise: bad input gets a clear error with file and line
(never a traceback or "kam: internal error"), every tick changes exactly one line in one commit,
nothing is written when a change is refused, an invalid kam.yaml is never silently replaced by
defaults, and the staged-exit network rule is never skipped. All of them fail on the code as
reviewed; each docstring names the promise it breaks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest
from conftest import Result, git, write_account

from kam_tui.store.repository import Repository

Kam = Callable[..., Result]
HELD = "id: acme\nname: Acme\nstage: active\nnetwork_held: 0.8\n"


def _run(kam: Kam, repo: Repository, *args: str) -> Result:
    return kam("--repo", str(repo.root), *args)


def _commit_all(repo: Repository, message: str) -> None:
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", message)


def _template(repo: Repository, name: str, text: str | bytes) -> None:
    path = repo.root / "playbooks" / f"{name}.md"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    _commit_all(repo, f"template {name}")


def _no_crash(result: Result) -> None:
    assert "internal error" not in result.err, result.err


# --- the staged-exit network rule ----------------------------------------------------------------


def test_staged_exit_copied_with_playbook_add_as_keeps_the_network_rule(repo: Repository, kam: Kam) -> None:
    """Never a staged exit before the network is in hand: `kam playbook add staged-exit --as
    exit-plan` (kam's own command) yields a template that attaches with no network check and no
    move to `exiting`."""
    write_account(repo, "acme", "id: acme\nname: Acme\nstage: at-risk\nnetwork_held: 0.1\n")
    added = _run(kam, repo, "playbook", "add", "staged-exit", "--as", "exit-plan")
    if added.code != 0:
        return  # refusing the copy under a name the rule does not know is a fix too
    attached = _run(kam, repo, "attach", "acme", "exit-plan")
    assert attached.code == 2, "staged exit attached although network_held 0.1 < 0.6"
    assert not (repo.root / "checklists/acme/exit-plan.md").exists()


# --- one tick, one line, and the text kept -------------------------------------------------------


def test_tick_then_untick_keeps_a_step_text_that_contains_a_dated_dash(repo: Repository, kam: Kam) -> None:
    """Never rewrites a checklist silently: ticking and unticking `Review the contract — 2024-01-01
    version` (only a warning at attach) leaves `- [ ] Review the contract`, the rest of its text lost."""
    _template(repo, "t", "## One\n- [ ] Review the contract — 2024-01-01 version\n\n- [ ] Beta\n")
    write_account(repo, "acme", HELD)
    if _run(kam, repo, "attach", "acme", "t").code != 0:
        return  # refusing such a template at attach is a fix too
    path = repo.root / "checklists/acme/t.md"
    before = path.read_text(encoding="utf-8")
    assert _run(kam, repo, "check", "acme", "t", "1").code == 0
    assert _run(kam, repo, "check", "acme", "t", "1", "--undo").code == 0
    assert path.read_text(encoding="utf-8") == before


def test_a_note_starting_with_forced_is_not_read_back_as_a_force_reason(repo: Repository, kam: Kam) -> None:
    """The record says what happened: `--note "forced: nothing"` (no --force) is shown and
    exported as a forced tick with reason 'nothing', and the note is gone."""
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    refused = _run(kam, repo, "check", "acme", "development", "1", "--note", "forced: nothing")
    assert refused.code == 2 and "forced:" in refused.err  # refused rather than misread later
    assert _run(kam, repo, "check", "acme", "development", "1", "--note", "nothing forced").code == 0
    data = json.loads(_run(kam, repo, "checklist", "acme", "development", "--json").out)
    tick = data["stages"][0]["steps"][0]["tick"]
    assert tick["reason"] is None and tick["note"] == "nothing forced", tick


def test_a_tick_never_makes_the_checklist_unreadable(repo: Repository, kam: Kam) -> None:
    """A change kam accepts leaves files kam can read: eleven ticks with 100 KB notes (each under
    the 128 KiB argv limit) push the checklist past 1 MiB; then even `kam check --undo` refuses it."""
    _template(repo, "t", "## One\n" + "".join(f"- [ ] Step {i}\n\n" for i in range(12)))
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "t").code == 0
    for number in range(1, 13):
        _run(kam, repo, "check", "acme", "t", str(number), "--note", "n" * 100_000)
    shown = _run(kam, repo, "checklist", "acme", "t")
    assert shown.code == 0, shown.err[-300:]


# --- ITEM and user text: clean errors, never internal ones ---------------------------------------


def test_item_that_is_digits_but_not_an_int_is_a_clean_error(repo: Repository, kam: Kam) -> None:
    """Clean error, never an internal error: ITEM `²` ('²'.isdigit() but int() fails) and ITEM of
    5,000 digits (past Python's int-string limit) crash `kam check`."""
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    for item in ("²", "9" * 5000):
        result = _run(kam, repo, "check", "acme", "development", item)
        _no_crash(result)
        assert result.code == 2


def test_a_note_that_is_not_utf8_is_a_clean_error(repo: Repository, kam: Kam) -> None:
    """Clean error, never an internal error: `--note $'caf\\xe9'` from a Latin-1 terminal (a
    surrogate-escaped argv) passes the note check, then crashes encoding the file."""
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    result = _run(kam, repo, "check", "acme", "development", "1", "--note", os.fsdecode(b"caf\xe9"))
    _no_crash(result)
    assert result.code == 2
    assert git(repo.root, "status", "--porcelain") == ""


# --- history ---------------------------------------------------------------------------------------


def test_history_survives_a_record_separator_in_git_output(repo: Repository, kam: Kam) -> None:
    """Clean error, never an internal error: `kam checklist --history` splits `git log -p` on
    U+001E, so a hand commit whose subject (or a template line) holds one crashes it."""
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    path = repo.root / "checklists/acme/development.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- [ ] ", "- [x] ", 1), encoding="utf-8")
    git(repo.root, "commit", "-q", "-a", "-m", "ticked by hand \x1e on the phone")
    result = _run(kam, repo, "checklist", "acme", "--history")
    _no_crash(result)
    assert result.code == 0


def test_history_of_an_account_that_does_not_exist_is_an_error(repo: Repository, kam: Kam) -> None:
    """Bad input gets a clear error: `kam checklist nosuch development --history` (a typo'd id)
    exits 0 with 'no checklist history yet'."""
    result = _run(kam, repo, "checklist", "nosuch", "development", "--history")
    assert result.code == 2, (result.code, result.err)


# --- templates and validation ------------------------------------------------------------------


def test_one_symlinked_template_does_not_take_down_validate_and_checklists(repo: Repository, kam: Kam) -> None:
    """Problems reported all at once: a template symlinked as an alias aborts `kam validate`
    (exit 2, nothing else reported) and `kam checklists`, instead of being one problem."""
    write_account(repo, "acme", HELD)
    assert _run(kam, repo, "attach", "acme", "development").code == 0
    (repo.root / "playbooks/broken.md").write_text("- [ ] a step before any stage\n", encoding="utf-8")
    (repo.root / "playbooks/dev.md").symlink_to("development.md")
    validated = _run(kam, repo, "validate")
    assert validated.code == 1, validated.err
    assert "playbooks/dev.md" in validated.out and "playbooks/broken.md" in validated.out
    listed = _run(kam, repo, "checklists")
    assert listed.code == 0 and "acme" in listed.out, listed.err


def test_validate_reports_templates_kam_will_never_read(repo: Repository, kam: Kam) -> None:
    """validate reports every problem: `playbooks/开发.md` (a Chinese file name), with a step
    before any stage, is skipped in silence — 'no problems found', and it never shows in
    `kam playbook list`."""
    (repo.root / "playbooks/开发.md").write_text("- [ ] 第一步\n", encoding="utf-8")
    _commit_all(repo, "zh template")
    result = _run(kam, repo, "validate")
    assert "开发.md" in result.out + result.err, (result.out, result.err)


def test_template_with_cr_line_endings_is_not_attached_as_an_empty_checklist(repo: Repository, kam: Kam) -> None:
    """A malformed template is reported with its line: a template saved with CR line endings
    (classic Mac) is an error, and attaching it writes nothing (it once became a 0-step checklist)."""
    _template(repo, "t", b"## One\r- [ ] Alpha\r\r- [ ] Beta\r")
    write_account(repo, "acme", HELD)
    attached = _run(kam, repo, "attach", "acme", "t")
    assert attached.code == 2 and "carriage return" in attached.err, attached.err
    assert not (repo.root / "checklists/acme/t.md").exists()


def test_attach_does_not_silently_use_defaults_for_an_invalid_kam_yaml(repo: Repository, kam: Kam) -> None:
    """Invalid kam.yaml reported with its line, defaults never silently used: with `language: cn`,
    `kam attach` writes an English header and commits without a word."""
    write_account(repo, "acme", HELD)
    (repo.root / "kam.yaml").write_text("language: cn\n", encoding="utf-8")
    _commit_all(repo, "typo in language")
    result = _run(kam, repo, "attach", "acme", "development")
    assert "kam.yaml:1" in result.err, result.err


# --- scoring: untrusted accounts ----------------------------------------------------------------


def test_survey_on_the_first_possible_date_does_not_crash_validate(repo: Repository, kam: Kam) -> None:
    """Untrusted input is harmless: a survey dated 0001-01-01 (a valid date) makes
    `last_survey - 365 days` overflow, so validate, list and score all die with an internal error."""
    write_account(repo, "x", "id: x\nname: X\nsurveys: [{date: 0001-01-01, product: 3}]\n")
    for args in (("validate",), ("list",), ("score",)):
        result = _run(kam, repo, *args)
        _no_crash(result)


def test_period_1000_q1_does_not_crash_portfolio(repo: Repository, kam: Kam) -> None:
    """Untrusted input is harmless: `periods: {1000-Q1: …}` (the earliest key the schema accepts)
    makes the tier-move quarter '999-Q4', and `kam portfolio` crashes parsing it."""
    write_account(repo, "x", "id: x\nname: X\nperiods: {1000-Q1: {sales: 5}}\n")
    result = _run(kam, repo, "portfolio", "--today", "2026-07-01")
    _no_crash(result)
    assert result.code == 0


def test_score_of_an_account_with_errors_names_its_file_and_line(repo: Repository, kam: Kam) -> None:
    """Clear error with file and line: `kam score a` / `kam assess a` for an account whose file
    has an error say "no account 'a'" — untrue, and without the file or the line."""
    write_account(repo, "a", "id: a\nname: A\nperiods: {2025-Q1: {sales: -5}}\n")
    for args in (("score", "a"), ("assess", "a")):
        result = _run(kam, repo, *args)
        assert "accounts/a.yaml" in result.err, (args, result.err)


def test_overdue_with_zero_receivables_is_not_perfect_payment(repo: Repository, kam: Kam) -> None:
    """Explainable, honest scores: `receivables: 0, overdue: 500` passes validation and scores as
    '0% of receivables overdue' — full payment-behaviour points, no collection flag."""
    write_account(
        repo,
        "a",
        "id: a\nname: A\nratings: {credit: 1}\nperiods: {2025-Q1: {sales: 100, receivables: 0, overdue: 500}}\n",
    )
    validated = _run(kam, repo, "validate")
    if validated.code == 1 and "overdue" in validated.out:
        return  # reported as bad data: fixed
    data = json.loads(_run(kam, repo, "score", "a", "--json", "--today", "2025-06-01").out)
    credit = next(d for d in data["dimensions"] if d["name"] == "credit")
    assert credit["inputs"]["overdue_ratio"] != 0, credit


# --- scoring: kam.yaml ----------------------------------------------------------------------------


def test_huge_weights_never_give_a_score_outside_0_to_100(repo: Repository, kam: Kam) -> None:
    """A score is 0–100, or kam.yaml is refused with its line: `weight: 1e308` (finite, so
    accepted) overflows to a score of inf (tier A) — or NaN when two weights are that big."""
    write_account(
        repo, "x", "id: x\nname: X\nsince: 2020-01-01\nperiods: {2025-Q1: {sales: 5000000, gross_margin: 0.2}}\n"
    )
    (repo.root / "kam.yaml").write_text("scorecard: {sales: {weight: 1e308}}\n", encoding="utf-8")
    result = _run(kam, repo, "score", "x", "--json", "--today", "2025-06-01")
    assert result.code == 1 and "kam.yaml:1" in result.err and "outside 0–1000" in result.err, result.err


# --- time travel ----------------------------------------------------------------------------------


def test_since_names_the_data_change_that_moved_the_tier(repo: Repository, kam: Kam) -> None:
    """`--since` says whether data or rules changed, and which: four new quarters (stock figures
    only) push the sales out of the recent window, A → unscored, and kam says 'only the calendar
    moved' — on the very same --today."""
    quarters = "".join(f"  2024-Q{i}: {{sales: 3000000, gross_margin: 0.2, orders: 4}}\n" for i in range(1, 5))
    base = "id: a\nname: A\nsince: 2015-01-01\nratings: {credit: 3}\nperiods:\n" + quarters
    write_account(repo, "a", base)
    git(repo.root, "tag", "before")
    write_account(
        repo, "a", base + "".join(f"  2025-Q{i}: {{stock_in: 100, sell_through: 100}}\n" for i in range(1, 5))
    )
    result = _run(kam, repo, "score", "a", "--since", "before", "--today", "2025-12-31", "--json")
    change = json.loads(result.out)
    assert change["from"] != change["to"]
    assert change["cause"] == "data" and change["data_changes"], change


def test_an_invalid_kam_yaml_at_a_revision_is_named_with_that_revision(repo: Repository, kam: Kam) -> None:
    """Errors name their file: `kam score --since HEAD~1` prints 'kam.yaml:1:…: error' and 'fix them
    first' about the kam.yaml of HEAD~1, while today's kam.yaml validates clean."""
    write_account(repo, "a", "id: a\nname: A\n")
    (repo.root / "kam.yaml").write_text("tiers: {A: 10, B: 20}\n", encoding="utf-8")
    _commit_all(repo, "bad rules")
    (repo.root / "kam.yaml").write_text("tiers: {A: 30, B: 20}\n", encoding="utf-8")
    _commit_all(repo, "fixed rules")
    assert _run(kam, repo, "validate").code == 0
    sha = git(repo.root, "rev-parse", "HEAD~1").strip()
    result = _run(kam, repo, "score", "--since", "HEAD~1")
    assert result.code != 0
    assert "HEAD~1" in result.err or sha[:7] in result.err, result.err


def test_at_a_date_after_the_last_commit_is_scored_not_refused(repo: Repository, kam: Kam) -> None:
    """Clear, true errors: `kam score --at 2100-01-01` says 'no commit before 2100-01-01' (git's
    date parser gives up past 2099) although every commit is before it."""
    write_account(repo, "a", "id: a\nname: A\n")
    result = _run(kam, repo, "score", "--at", "2100-01-01")
    assert "no commit before" not in result.err, result.err
    if result.code != 0:
        pytest.fail(f"refused with: {result.err.strip()}")
