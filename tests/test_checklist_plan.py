"""The checklist workflow's rules, decided without disk or git: what attaching, ticking and
unticking would write and why — the staged-exit network rule, force and refuse, the stage move,
the rendered text, the commit message — and which facts each plan asks for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kam_tui.model.checklist import header_line, render_checklist
from kam_tui.model.checklist_plan import (
    NetworkNotInHand,
    PlaybookError,
    StageGated,
    is_exit_playbook,
    network_required,
    plan_attach,
    plan_tick,
    plan_untick,
)
from kam_tui.model.playbook import parse_playbook

TEMPLATE = "## Before\n- [ ] Take its network\n\n- [ ] Clear its inventory\n\n## During\n- [ ] Ease it out\n"
NOT_HELD = (False, "network_held 20% < 60%: take hold of its downstream network first")
HELD = (True, "network_held 80% ≥ 60%: its downstream network is in hand")


def never(what: str) -> Callable[[], Any]:
    def ask() -> Any:
        pytest.fail(f"the plan asked for {what}, which it does not need")

    return ask


def attach(name: str = "staged-exit", **changes: Any) -> Any:
    args: dict[str, Any] = {
        "account_id": "acme",
        "account_stage": "at-risk",
        "name": name,
        "template": TEMPLATE,
        "exit_playbook": is_exit_playbook(name),
        "day": "2026-11-20",
        "who": "wang",
        "language": lambda: "en",
    }
    return plan_attach(**{**args, **changes})


def test_the_network_rule_gates_entering_the_during_stage_not_attaching() -> None:
    assert not network_required(True, None) and not network_required(False, None)
    steps = parse_playbook(TEMPLATE).steps
    assert not network_required(True, steps[0])  # taking the network is itself a 'before' step
    assert network_required(True, steps[2]) and not network_required(False, steps[2])
    entered = parse_playbook(TEMPLATE.replace("- [ ] Ease", "- [x] Ease") + "- [ ] Pay\n")
    assert not network_required(True, entered.steps[3], entered)  # 'during' already entered
    assert is_exit_playbook("staged-exit") and is_exit_playbook("staged-exit-zh")
    assert is_exit_playbook("our-exit", ["exiting"]) and not is_exit_playbook("maintenance", ["active"])


def test_attach_staged_exit_moves_the_stage_in_the_same_plan() -> None:
    plan = attach()
    assert (plan.stage_from, plan.stage_to) == ("at-risk", "exiting")
    assert plan.text == render_checklist(TEMPLATE, header_line("staged-exit", "2026-11-20", "wang"))
    assert plan.subject == "acme: attach staged-exit, stage at-risk → exiting"
    assert plan.message == plan.subject + "\n"
    assert attach(account_stage="exited").stage_to is None


def test_attaching_never_asks_about_the_network() -> None:
    plan = attach("maintenance")
    assert (plan.stage_to, plan.subject) == (None, "acme: attach maintenance")


def tick(item: str, text: str | None = None, **changes: Any) -> Any:
    body = text if text is not None else render_checklist(TEMPLATE, header_line("staged-exit", "2026-11-20", "wang"))
    args: dict[str, Any] = {
        "account_id": "acme",
        "name": "staged-exit",
        "checklist": parse_playbook(body, kind="checklist"),
        "text": body,
        "item": item,
        "note": None,
        "force": False,
        "reason": None,
        "day": "2026-11-21",
        "who": lambda: "li",
        "language": lambda: "en",
        "exit_playbook": True,
        "network": never("the network"),
    }
    return plan_tick(**{**args, **changes})


def test_a_tick_changes_one_line_and_never_reads_the_network_it_does_not_need() -> None:
    plan = tick("inventory", note="half sold")
    assert plan.step.number == 2 and plan.done and plan.forced is None
    assert "- [x] Clear its inventory — 2026-11-21 li — half sold" in plan.text.splitlines()
    assert plan.message == "acme: staged-exit ✓ Clear its inventory\n\nNote: half sold\n"


def test_a_later_stage_waits_unless_forced_with_a_reason() -> None:
    with pytest.raises(StageGated, match="earlier stage 'Before' still has 2 open step"):
        tick("3")
    plan = tick("3", force=True, reason="board decided", language=lambda: "en", network=lambda: HELD)
    assert plan.forced == "Before"
    assert "- [x] Ease it out — 2026-11-21 li — forced: board decided" in plan.text.splitlines()
    assert "Ticked while stage 'Before' was open. Reason: board decided" in plan.message


def test_untick_and_the_nothing_to_do_cases() -> None:
    ticked = tick("1").text
    with pytest.raises(PlaybookError, match="already ticked on 2026-11-21 by li"):
        tick("1", ticked)
    plan = plan_untick(
        account_id="acme",
        name="staged-exit",
        checklist=parse_playbook(ticked, kind="checklist"),
        text=ticked,
        item="1",
        note=None,
        language=lambda: "en",
    )
    assert not plan.done and "- [ ] Take its network" in plan.text.splitlines()
    assert plan.message == "acme: staged-exit ✗ Take its network\n"
    with pytest.raises(PlaybookError, match="is not ticked"):
        plan_untick(
            account_id="acme",
            name="staged-exit",
            checklist=parse_playbook(plan.text, kind="checklist"),
            text=plan.text,
            item="1",
            note=None,
            language=lambda: "en",
        )


def test_entering_the_during_stage_waits_for_the_network_unless_forced() -> None:
    before_done = tick("2", tick("1").text).text
    assert not tick("1", exit_playbook=True).network_forced  # a 'before' step never asks
    with pytest.raises(NetworkNotInHand, match="'during' stage waits until its downstream network is in hand"):
        tick("3", before_done, network=lambda: NOT_HELD)
    plan = tick("3", before_done, network=lambda: NOT_HELD, force=True, reason="board decided", language=lambda: "en")
    assert plan.network_forced == NOT_HELD[1] and plan.forced is None
    assert "- [x] Ease it out — 2026-11-21 li — forced: board decided" in plan.text.splitlines()
    assert f"Ticked past the network rule: {NOT_HELD[1]}. Reason: board decided" in plan.message
    assert tick("3", before_done, network=lambda: HELD).network_forced is None
    assert not tick("3", before_done, exit_playbook=False).network_forced


def test_the_network_refusal_does_not_depend_on_the_wording_of_why() -> None:
    before_done = tick("2", tick("1").text).text
    for why in (NOT_HELD[1], "network_held 20% < 60%：先掌握其下线网络"):
        with pytest.raises(NetworkNotInHand) as refused:
            tick("3", before_done, network=lambda why=why: (False, why))
        assert refused.value.message == (
            f"acme: the 'during' stage waits until its downstream network is in hand — {why}. "
            "Reach its outlets directly and record the share we reach with `kam set acme network_held=…`"
        )
        assert refused.value.hint == "enter it anyway with --force --reason TEXT"


def test_marking_a_step_na_needs_a_reason_and_never_passes_the_network_rule() -> None:
    before_done = tick("2", tick("1").text).text
    with pytest.raises(PlaybookError, match="--na needs --reason TEXT"):
        tick("3", before_done, na=True, reason="  ")
    with pytest.raises(NetworkNotInHand, match="'during' stage waits"):
        tick("3", before_done, na=True, reason="no outlets left", network=lambda: NOT_HELD)
    plan = tick("3", before_done, na=True, reason="no outlets left", network=lambda: HELD)
    assert "- [-] Ease it out — 2026-11-21 li — no outlets left" in plan.text.splitlines()
    assert plan.message == "acme: staged-exit – Ease it out\n\nNot applicable: no outlets left\n"
    with pytest.raises(PlaybookError, match="already marked n/a on 2026-11-21 by li"):
        tick("3", plan.text, na=True, reason="again")
