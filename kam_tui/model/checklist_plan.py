"""What attaching a playbook, ticking a step or unticking it would write, and why — decided here.

Pure: the store reads the files (account, template, checklist) and the facts these rules need,
calls a `plan_*` function, and writes and commits exactly what the plan says. Every rule of
the checklist workflow lives in this module: the staged-exit network rule (`network_required`),
force and refuse, the stage move, the rendered text, the commit message.

Facts that cost IO or may fail (kam.yaml's language and network threshold) come in as
callables, asked only when a rule needs them: a refusal never reads kam.yaml. The commit
message is the team's text, written `writing_in` kam.yaml's language; refusals speak the reader's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kam_tui.i18n import _, writing_in
from kam_tui.model.checklist import (
    TICK_MARK,
    UNTICK_MARK,
    ChecklistError,
    blocking_stage,
    cycle_line,
    find_step,
    gate_hint,
    gate_message,
    header_line,
    one_line,
    render_checklist,
    reopen_all,
    set_step,
)
from kam_tui.model.errors import NothingToDo
from kam_tui.model.playbook import Playbook, Step, Tick

EXIT_PLAYBOOK = "staged-exit"
NA_MARK = "–"  # a step marked not applicable, in a commit subject (✓ ticked, ✗ unticked)
EXIT_STAGES = ("exiting", "exited")  # the account stages of an exit under way or done

NetworkStatus = tuple[bool, str]  # (in hand, why) — `kam_tui.model.risks.network_status`


class PlaybookError(ChecklistError):
    """A playbook request that cannot be carried out; nothing was written (CLI exit 2)."""


class AlreadyDone(PlaybookError, NothingToDo):
    """The step is already in the asked state; nothing to write (exit 0)."""


class NetworkNotInHand(PlaybookError):
    """Refused by the staged-exit network rule: the account's downstream network is not in hand."""


class StageGated(PlaybookError):
    """A step of a later stage while an earlier stage is open."""


class StageDoesNotFit(PlaybookError):
    """Attaching a playbook whose front matter's `stages:` leave out the account's stage."""


# --- the rules -----------------------------------------------------------------------------------


def is_exit_playbook(name: str, fits: Sequence[object] | None = None) -> bool:
    """`staged-exit`, a copy of it in another language (`staged-exit-zh`), or any template whose
    front matter says it fits the `exiting` stage: the network rule goes with the content,
    not with the file's name."""
    if name == EXIT_PLAYBOOK or name.startswith(EXIT_PLAYBOOK + "-"):
        return True
    return fits is not None and "exiting" in fits


DURING_STAGE = 1  # the index of an exit playbook's "during" stage (Before, During, After)


def network_required(exit_playbook: bool, step: Step | None, checklist: Playbook | None = None) -> bool:
    """Where the handbook's rule "never cut a harmful account before its downstream network is in
    hand" (L407) applies: entering the 'during' stage of an exit — ticking its first step.

    `step` is None for attaching, which is always allowed: taking the network is the first
    'before' step of the exit (L420), so attaching is how the exit starts."""
    if not exit_playbook or step is None or step.stage_index != DURING_STAGE:
        return False
    if checklist is None:
        return True
    return checklist.stages[step.stage_index].done == 0  # no step of it ticked yet: entering it


def forced_reason(force: bool, reason: str | None) -> str | None:
    """The `--reason` of a `--force`, as it goes on one line; refused without one."""
    if not force:
        return None
    return _required_reason(reason, "--force needs --reason TEXT: the reason is kept with the change")


def _required_reason(reason: str | None, refusal: str) -> str:
    """The reason a request must give (forcing, marking n/a, detaching), as it goes on one line;
    refused with `refusal` when it is missing or blank."""
    if not (reason and reason.strip()):
        raise PlaybookError(refusal)
    return one_line(reason, _("the reason"))


def _network_override(
    account_id: str,
    step: Step,
    checklist: Playbook,
    exit_playbook: bool,
    network: Callable[[], NetworkStatus],
    reason: str | None,
) -> str | None:
    """Where the network rule covers the step and the network is not in hand: its why when a
    `--force` reason overrides it, refused without one; None where the rule lets the step pass."""
    if not network_required(exit_playbook, step, checklist):
        return None
    in_hand, why = network()
    if in_hand:
        return None
    if reason is None:
        raise NetworkNotInHand(
            _(
                "{id}: the 'during' stage waits until its downstream network is in hand — {why}. "
                "Reach its outlets directly and record the share we reach with `kam set {id} network_held=…`"
            ).format(id=account_id, why=why),
            hint=_("enter it anyway with --force --reason TEXT"),
        )
    return why


def commit_subject(text: str) -> str:
    """A commit subject never carries a control character (it is replayed by every `git log`)."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


# --- attach --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachPlan:
    """The new checklist's text, the account's stage move if any, and the commit message."""

    text: str
    stage_from: str | None  # set when attaching moves the account's stage
    stage_to: str | None
    subject: str  # as shown to the person
    message: str  # the whole commit message
    forced: str | None = None  # why the stage did not fit, when --force attached it anyway


def plan_attach(
    *,
    account_id: str,
    account_stage: str | None,
    name: str,
    template: str,
    exit_playbook: bool,
    day: str,
    who: str,
    language: Callable[[], str],
    fits: Sequence[str] = (),
    force: str | None = None,
) -> AttachPlan:
    """Attach `name` (the template's text) to the account. A staged-exit playbook moves the account
    to `exiting` in the same commit; it is always allowed (the network rule gates its 'during'
    stage, see `network_required`). A playbook whose front matter names the stages it `fits` is
    refused for an account in another stage unless `force` gives the reason (kept in the commit)."""
    stage_from = stage_to = None
    if exit_playbook and account_stage not in EXIT_STAGES:
        stage_from, stage_to = account_stage or "(none)", "exiting"
    forced = stage_misfit(account_id, account_stage, name, fits) if not exit_playbook else None
    if forced and not force:
        raise StageDoesNotFit(
            forced,
            hint=_("to attach it anyway: kam attach {id} {name} --force --reason TEXT").format(
                id=account_id, name=name
            ),
        )
    text = render_checklist(template, header_line(name, day, who, None, language()))
    with writing_in(language()):
        subject = _("{id}: attach {name}").format(id=account_id, name=name)
        if stage_to:
            subject = _("{what}, stage {old} → {new}").format(what=subject, old=stage_from, new=stage_to)
        body = ""
        if forced:
            body = (
                "\n"
                + _("Forced: {why}. Reason: {reason}").format(
                    why=stage_misfit(account_id, account_stage, name, fits), reason=force
                )
                + "\n"
            )
    return AttachPlan(text, stage_from, stage_to, subject, commit_subject(subject) + "\n" + body, forced)


def stage_misfit(account_id: str, stage: str | None, name: str, fits: Sequence[str]) -> str | None:
    """Why `name` does not fit the account's stage (its front matter's `stages:`), or None. An
    account whose file records no stage is not judged: nothing says which stage it is in."""
    if not fits or stage is None or stage in fits:
        return None
    return _("{name} is for accounts that are {stages}; {id} is {stage}").format(
        name=name, stages=", ".join(fits), id=account_id, stage=stage
    )


# --- tick and untick -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TickPlan:
    """The checklist's new text (one line changed), the step, and the commit message."""

    text: str
    step: Step
    done: bool  # the step's state after the change
    forced: str | None  # the open stage a tick skipped, when --force was needed
    subject: str
    message: str
    network_forced: str | None = None  # the network rule's why, when --force overrode it


def _step(checklist: Playbook, account_id: str, name: str, item: str) -> Step:
    try:
        return find_step(checklist, item)
    except ChecklistError as exc:
        raise PlaybookError(f"{account_id} {name}: {exc}") from None


def _open_step(checklist: Playbook, account_id: str, name: str, item: str) -> Step:
    """The step to tick or mark n/a; one already ticked or marked is nothing to do."""
    step = _step(checklist, account_id, name, item)
    if not step.open:
        raise AlreadyDone(_already(step))
    return step


def plan_tick(
    *,
    account_id: str,
    name: str,
    checklist: Playbook,
    text: str,
    item: str,
    note: str | None,
    force: bool,
    reason: str | None,
    day: str,
    who: Callable[[], str],
    language: Callable[[], str],
    exit_playbook: bool,
    network: Callable[[], NetworkStatus],
    ordered: bool = True,
    na: bool = False,
) -> TickPlan:
    """Tick one step: its line gets the record (date, who, why if forced, note); in an `ordered`
    playbook a step of a later stage waits while an earlier stage is open, and a step the network
    rule covers (`network_required`) waits for the network, unless forced with a reason.
    With `na`, the step is marked not applicable (`- [-]`) with `reason` as the why."""
    if na:
        return _plan_na(account_id, name, checklist, text, item, reason, day, who, language, exit_playbook, network)
    note_text = one_line(note, _("the note")) if note else None
    reason_text = forced_reason(force, reason)
    step = _open_step(checklist, account_id, name, item)
    forced = None
    blocker = blocking_stage(checklist, step, ordered)
    if blocker is not None:
        if reason_text is None:
            raise StageGated(gate_message(step, blocker), hint=gate_hint())
        forced = blocker.name
    network_forced = _network_override(account_id, step, checklist, exit_playbook, network, reason_text)
    written = reason_text if forced or network_forced else None
    tick = Tick(day, who(), written, note_text)
    subject = commit_subject(f"{account_id}: {name} {TICK_MARK} {step.text}")
    with writing_in(language()):
        said = (
            forced
            and _("Ticked while stage '{stage}' was open. Reason: {reason}").format(stage=forced, reason=reason_text),
            network_forced
            and _("Ticked past the network rule: {why}. Reason: {reason}").format(
                why=network_forced, reason=reason_text
            ),
            _note(note_text),
        )
    body = "".join(line + "\n" for line in said if line)
    new_text = set_step(text, step, tick, language() if written else "en")
    message = subject + ("\n\n" + body if body else "\n")
    return TickPlan(new_text, step, True, forced, subject, message, network_forced)


def _already(step: Step) -> str:
    when = _(" on {date} by {who}").format(date=step.tick.date, who=step.tick.by) if step.tick else ""
    if step.na:
        return _("step {number} '{text}' is already marked n/a{when}; open it again with --undo first").format(
            number=step.number, text=step.text, when=when
        )
    return _("step {number} '{text}' is already ticked{when}; untick it with --undo first").format(
        number=step.number, text=step.text, when=when
    )


def _plan_na(
    account_id: str,
    name: str,
    checklist: Playbook,
    text: str,
    item: str,
    reason: str | None,
    day: str,
    who: Callable[[], str],
    language: Callable[[], str],
    exit_playbook: bool,
    network: Callable[[], NetworkStatus],
) -> TickPlan:
    """Mark a step not applicable: `- [-] Step — date who — why`. It needs a reason, and the
    network rule covers it as it covers a tick (an exit's 'during' stage is not skipped so)."""
    why = _required_reason(reason, _("--na needs --reason TEXT: why the step does not apply is kept beside it"))
    step = _open_step(checklist, account_id, name, item)
    _network_override(account_id, step, checklist, exit_playbook, network, None)  # n/a never forces past it
    subject = commit_subject(f"{account_id}: {name} {NA_MARK} {step.text}")
    new_text = set_step(text, step, Tick(day, who(), why, None), na=True)
    with writing_in(language()):
        body = _("Not applicable: {why}").format(why=why)
    return TickPlan(new_text, step, False, None, subject, f"{subject}\n\n{body}\n")


def _note(note: str | None) -> str:
    """The commit body's line for a tick's or untick's note (empty without one)."""
    return _("Note: {note}").format(note=note) if note else ""


def plan_untick(
    *,
    account_id: str,
    name: str,
    checklist: Playbook,
    text: str,
    item: str,
    note: str | None,
    language: Callable[[], str],
) -> TickPlan:
    """Untick one step, or open again a step marked n/a: its line goes back to `- [ ] text`."""
    note_text = one_line(note, _("the note")) if note else None
    step = _step(checklist, account_id, name, item)
    if step.open:
        raise AlreadyDone(
            _("step {number} '{text}' is not ticked; nothing to undo").format(number=step.number, text=step.text)
        )
    subject = commit_subject(f"{account_id}: {name} {UNTICK_MARK} {step.text}")
    with writing_in(language()):
        body = _note(note_text)
    message = f"{subject}\n\n{body}\n" if body else subject + "\n"
    return TickPlan(set_step(text, step, None), step, False, None, subject, message)


# --- a new cycle of a recurring playbook and detaching ------------------------------------------


@dataclass(frozen=True)
class CyclePlan:
    """The checklist opened again for a new cycle, and the commit message."""

    text: str
    label: str
    previous: str  # the cycle just closed
    subject: str
    message: str


def cycle_of(checklist: Playbook) -> str | None:
    """The cycle a checklist is in: its cycle line, else the quarter it was attached in."""
    if checklist.cycle is not None:
        return checklist.cycle.label
    return quarter_label(checklist.header.date) if checklist.header is not None else None


def quarter_label(day: str) -> str:
    """`2026-11-20` → `2026-Q4`."""
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def plan_new_cycle(
    *,
    account_id: str,
    name: str,
    checklist: Playbook,
    text: str,
    ordered: bool,
    label: str | None,
    day: str,
    who: str,
    language: Callable[[], str],
) -> CyclePlan:
    """Start a new cycle of a recurring checklist: the same file, every step open again and the
    cycle's label under the header, so `kam check` always addresses the current cycle and git
    keeps the past ones. A playbook that runs in order (`ordered: true`) has no cycles."""
    if ordered:
        raise PlaybookError(
            _(
                "{name} runs once, stage after stage (its front matter says ordered: true); only a recurring "
                "playbook starts new cycles. To run it again: `kam detach {id} {name} --reason TEXT`, then attach it"
            ).format(name=name, id=account_id)
        )
    new = (label or quarter_label(day)).strip()
    if not new or len(new) > 40 or any(ch in new for ch in ",，\n\r") or not new.isprintable():
        raise PlaybookError(
            _("'{label}' is not a cycle label: a short name such as 2026-Q4, without commas").format(label=label)
        )
    previous = cycle_of(checklist) or "(none)"
    if new == previous:
        raise PlaybookError(
            _(
                "{id} {name} is already in cycle {label}; name the new one with --cycle LABEL (e.g. the next quarter)"
            ).format(id=account_id, name=name, label=new)
        )
    new_text = reopen_all(text, checklist, cycle_line(new, day, who, language()))
    with writing_in(language()):
        subject = commit_subject(_("{id}: {name} new cycle {label}").format(id=account_id, name=name, label=new))
        closed = _("Cycle {label} closed with {progress}.").format(label=previous, progress=_counts(checklist))
    message = f"{subject}\n\n{closed}\n"
    return CyclePlan(new_text, new, previous, subject, message)


def plan_detach(
    *, account_id: str, name: str, checklist: Playbook, reason: str | None, language: Callable[[], str]
) -> tuple[str, str]:
    """(subject, message) of removing a checklist; the reason is required and kept in the commit."""
    why = _required_reason(reason, _("detach needs --reason TEXT: the commit keeps why the checklist was removed"))
    with writing_in(language()):
        subject = commit_subject(_("{id}: detach {name}").format(id=account_id, name=name))
        body = _("Reason: {why}").format(why=why) + "\n" + _("It had {progress}.").format(progress=_counts(checklist))
    return subject, f"{subject}\n\n{body}\n"


def _counts(checklist: Playbook) -> str:
    """`3 of 7 done, 1 n/a`, as a commit message records a checklist's progress."""
    done = _("{done} of {total} done").format(done=checklist.done, total=checklist.total)
    return _("{done}, {na} n/a").format(done=done, na=checklist.na) if checklist.na else done
