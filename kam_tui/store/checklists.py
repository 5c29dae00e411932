"""The checklists attached to accounts (`checklists/ID/NAME.md`): which there are, reading one,
its progress and how it differs from its template now, and the overview of all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.checklist import Difference, summary_json, template_differences
from kam_tui.model.checklist_plan import PlaybookError
from kam_tui.model.playbook import Playbook
from kam_tui.model.problems import Problem
from kam_tui.model.schema import ID_PATTERN
from kam_tui.store.playbook_files import (
    NAME_PATTERN,
    MarkdownFile,
    checklist_rel,
    read_markdown,
    read_playbook_file,
    require_name,
)
from kam_tui.store.playbook_templates import find_template
from kam_tui.store.repository import CHECKLISTS, PLAYBOOKS, Repository, require_account_id


def read_checklist(repo: Repository, account_id: str, name: str) -> MarkdownFile:
    """One attached checklist, or PlaybookError saying which the account has."""
    rel = checklist_rel(account_id, name)
    raw = read_playbook_file(repo, rel)
    if raw is None:
        attached = account_playbooks(repo, account_id)
        listed = ", ".join(attached) if attached else _("none")
        raise PlaybookError(
            _("{id} has no checklist '{name}' (attached: {listed}); attach it with `kam attach {id} {name}`").format(
                id=account_id, name=name, listed=listed
            )
        )
    return read_markdown(rel, raw, "checklist")


def attached_checklist(repo: Repository, account_id: str, name: str) -> Playbook | None:
    """One attached checklist read, or None when the account has none by that name."""
    rel = checklist_rel(account_id, name)
    raw = read_playbook_file(repo, rel)
    return None if raw is None else read_markdown(rel, raw, "checklist").playbook


def account_playbooks(repo: Repository, account_id: str) -> list[str]:
    """Names of the playbooks attached to one account."""
    folder = repo.inside(CHECKLISTS) / require_account_id(account_id)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.md") if NAME_PATTERN.fullmatch(p.stem) and p.is_file())


def all_checklists(repo: Repository, regular_only: bool = True) -> list[tuple[str, str]]:
    """(account id, playbook) of every attached checklist, sorted; with `regular_only=False` also
    the entries kam will not read (links, devices), so that they can be reported."""
    folder = repo.inside(CHECKLISTS)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*/*.md")):
        if not (ID_PATTERN.fullmatch(path.parent.name) and NAME_PATTERN.fullmatch(path.stem)):
            continue
        regular = path.is_file() and not path.is_symlink()
        if regular or not (regular_only or path.is_dir()):
            out.append((path.parent.name, path.stem))
    return out


def accounts_running(repo: Repository, playbook: str) -> set[str]:
    """Ids of the accounts with `playbook` attached (finished checklists included): for
    `kam list --playbook NAME`."""
    require_name(playbook)
    return {account for account, name in all_checklists(repo) if name == playbook}


# --- status -----------------------------------------------------------------------------------------


@dataclass
class ChecklistStatus:
    """One attached checklist with its progress and how it differs from its template now."""

    account: str
    name: str
    file: MarkdownFile
    template_exists: bool
    differences: list[Difference]

    @property
    def playbook(self) -> Playbook:
        return self.file.playbook

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "account": self.account,
            "playbook": self.name,
            "path": self.file.rel,
            "title": self.file.title,
        }
        data.update(summary_json(self.playbook, self.file.ordered))
        data["template"] = {
            "path": f"{PLAYBOOKS}/{self.name}.md",
            "exists": self.template_exists,
            "differences": [d.as_json() for d in self.differences],
        }
        data["problems"] = [p.as_json() for p in self.file.problems]
        return data


def checklist_status(
    repo: Repository, account_id: str, name: str, templates: dict[str, MarkdownFile | None] | None = None
) -> ChecklistStatus:
    """Read one checklist and compare it with its template (`templates` caches templates read)."""
    file = read_checklist(repo, account_id, name)
    cache = {} if templates is None else templates
    if name not in cache:
        cache[name] = find_template(repo, name)
    template = cache[name]
    differences = [] if template is None else template_differences(file.playbook, template.playbook)
    return ChecklistStatus(account_id, name, file, template is not None, differences)


@dataclass
class ChecklistOverview:
    """Every attached checklist that can be read, and why the others were skipped (one problem
    each, `path:line`): a file with errors (conflict markers, too big, a link) is never counted
    as progress, and never keeps the others from being shown."""

    statuses: list[ChecklistStatus] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def checklist_overview(repo: Repository) -> ChecklistOverview:
    """Every attached checklist in the repository, each with its progress."""
    templates: dict[str, MarkdownFile | None] = {}
    overview = ChecklistOverview()
    for account, name in all_checklists(repo, regular_only=False):
        rel = checklist_rel(account, name)
        try:
            status = checklist_status(repo, account, name, templates)
        except PlaybookError as exc:  # unreadable checklist or template: named, the rest still shown
            overview.skipped.append(Problem(rel, 1, 0, "error", exc.message))
            continue
        errors = [p for p in status.file.problems if p.level == "error"]
        if errors:
            overview.skipped.append(errors[0])
        else:
            overview.statuses.append(status)
    return overview
