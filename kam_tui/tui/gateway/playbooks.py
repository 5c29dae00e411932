"""Checklists on an account: their progress, ticking a step, attaching a playbook."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kam_tui.i18n import LANGUAGES
from kam_tui.model.checklist_plan import NetworkNotInHand, StageDoesNotFit, StageGated
from kam_tui.store import checklist_writes
from kam_tui.store.checklist_writes import TickResult, attach, tick, untick
from kam_tui.store.playbook_templates import add_shipped, list_templates
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.checklists import ChecklistStatus, account_playbooks, checklist_status
from kam_tui.store.repository import Repository
from kam_tui.tui.gateway.own_writes import own_write


def load_checklists(repo: Repository, account_id: str) -> list[ChecklistStatus]:
    """Every checklist attached to the account, with its progress."""
    templates: dict[str, Any] = {}
    return [checklist_status(repo, account_id, name, templates) for name in account_playbooks(repo, account_id)]


def toggle_step(
    repo: Repository,
    account_id: str,
    name: str,
    number: int,
    done: bool,
    note: str | None = None,
    not_applicable: str | None = None,
    force_reason: str | None = None,
) -> TickResult:
    """Tick an open step or untick a ticked one, as `kam check [--undo] [--note]` does, or mark
    an open one not applicable for the reason given (`--na --reason`): one commit. Raises the
    playbook's refusal (e.g. a staged-exit cut before the network is in hand) unless
    `force_reason` overrides it, as `kam check --force --reason` does."""
    if done:
        return untick(repo, account_id, name, str(number), note=note)
    if not_applicable is not None:
        return tick(repo, account_id, name, str(number), na=True, reason=not_applicable)
    if force_reason is not None:
        return tick(repo, account_id, name, str(number), note=note, force=True, reason=force_reason)
    return tick(repo, account_id, name, str(number), note=note)


def forcible(exc: BaseException) -> str | None:
    """When a tick was refused by a rule `--force --reason` overrides (the staged exit's network
    rule, an ordered playbook's earlier stage): the refusal without its hint, the CLI's way past
    it (the TUI offers a dialog instead); else None."""
    if not isinstance(exc, (NetworkNotInHand, StageGated)):
        return None
    return "\n".join(exc.lines(hint=False))


def tick_refusal(repo: Repository, account_id: str, name: str, number: int) -> str | None:
    """Why a tick of this open step would be refused for a rule a reason overrides (`forcible`'s
    text), or None: asked before the note, so the one dialog takes the reason and the note."""
    refusal = checklist_writes.tick_refusal(repo, account_id, name, str(number))
    return None if refusal is None else forcible(refusal)


@dataclass(frozen=True)
class PlaybookChoice:
    """A playbook that can be attached: a template in playbooks/, or one kam ships that is
    added there first (`kam playbook add NAME --lang LANG`), under `name`."""

    name: str
    title: str | None = None
    steps: int = 0
    shipped: str | None = None  # kam's template name, when it is not in playbooks/ yet
    shipped_language: str | None = None


def playbook_choices(repo: Repository, account_id: str) -> list[PlaybookChoice]:
    """What `kam playbook list` offers, less what the account has attached: the repository's
    templates without errors, then kam's own in the repository's language and the other."""
    attached = set(account_playbooks(repo, account_id))
    templates = list_templates(repo)
    present = {t.name for t in templates}
    out = [PlaybookChoice(t.name, t.title, t.steps) for t in templates if t.name not in attached and not t.errors]
    language = repo.language()
    for lang in sorted(LANGUAGES, key=lambda lang: lang != language):
        for shipped in shipped_playbooks(lang):
            name = shipped if lang == language else f"{shipped}-{lang}"
            if name not in present and name not in attached:
                out.append(PlaybookChoice(name, None, 0, shipped, lang))
    return out


def attach_playbook(repo: Repository, account_id: str, choice: PlaybookChoice, force: str | None = None) -> str:
    """Attach as `kam attach ID NAME [--force --reason]` does (one commit), adding kam's template
    to playbooks/ first as `kam playbook add` does (its own commit) when it is not there; what was
    committed."""
    done = []
    if choice.shipped is not None:
        added = add_shipped(repo, choice.shipped, choice.shipped_language, choice.name)
        done.append(f"{added.commit[:10]} {added.message}")
    with own_write(repo, account_id):  # attaching a staged exit moves the stage
        try:
            result = attach(repo, account_id, choice.name, force=force)
        except StageDoesNotFit as exc:
            raise AttachMisfit(exc.message, replace(choice, shipped=None, shipped_language=None)) from None
    done.append(f"{result.commit[:10]} {result.message}")
    return "\n".join(done)


class AttachMisfit(StageDoesNotFit):
    """The playbook's stages leave out the account's: the TUI offers to attach it anyway with a
    reason (`choice` is what to attach then: a template of kam's was added to playbooks/ already)."""

    def __init__(self, message: str, choice: PlaybookChoice) -> None:
        super().__init__(message)
        self.choice = choice
