"""`kam validate` for playbook templates and attached checklists."""

from __future__ import annotations

from pathlib import Path

from kam_tui.i18n import _
from kam_tui.model.problems import Problem
from kam_tui.model.schema import ID_PATTERN
from kam_tui.model.checklist_plan import PlaybookError
from kam_tui.store.playbook_files import NAME_PATTERN, read_markdown, read_playbook_file
from kam_tui.store.repository import CHECKLISTS, PLAYBOOKS, Repository


def validate_playbook_files(repo: Repository, path: Path | None) -> list[Problem] | None:
    """Problems of `playbooks/*.md` and `checklists/*/*.md` (all of them when path is None);
    None when `path` is not one of ours."""
    if path is None:
        problems: list[Problem] = []
        folder = repo.inside(PLAYBOOKS)
        for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            problems += _validate_template(
                repo, repo.rel(file) if not file.is_symlink() else f"{PLAYBOOKS}/{file.name}"
            )
        folder = repo.inside(CHECKLISTS)
        if folder.is_dir():  # `*/*.md` too: rglob does not enter an account's folder that is a link
            for file in sorted({*folder.rglob("*.md"), *folder.glob("*/*.md")}):
                problems += _validate_checklist(repo, file.relative_to(repo.root).as_posix())
        return problems
    rel = repo.rel(path)
    if not rel.endswith(".md"):
        return None
    if rel.startswith(PLAYBOOKS + "/"):
        return _validate_template(repo, rel)
    if rel.startswith(CHECKLISTS + "/"):
        return _validate_checklist(repo, rel)
    return None


def _read_or_problem(repo: Repository, rel: str) -> bytes | Problem:
    try:
        raw = read_playbook_file(repo, rel)
    except PlaybookError as exc:  # a link, a device, a huge file: reported, the rest still checked
        return Problem(rel, 1, 0, "error", str(exc))
    return Problem(rel, 0, 0, "error", _("no such file")) if raw is None else raw


def _validate_template(repo: Repository, rel: str) -> list[Problem]:
    raw = _read_or_problem(repo, rel)
    if isinstance(raw, Problem):
        return [raw]
    problems = read_markdown(rel, raw, "template").problems
    stem = rel.rsplit("/", 1)[-1][:-3]
    if not NAME_PATTERN.fullmatch(stem):
        problems.insert(
            0,
            Problem(
                rel,
                1,
                0,
                "warning",
                _("kam does not use a template named '{name}'").format(name=stem),
                _("name it with letters, digits, '-' and '_' (e.g. development-zh.md)"),
            ),
        )
    return problems


def _validate_checklist(repo: Repository, rel: str) -> list[Problem]:
    raw = _read_or_problem(repo, rel)
    if isinstance(raw, Problem):
        return [raw]
    parts = rel.split("/")
    if len(parts) != 3:
        return [
            Problem(
                rel,
                0,
                0,
                "warning",
                _("not where kam looks for checklists"),
                _("checklists live in checklists/ACCOUNT-ID/PLAYBOOK.md"),
            )
        ]
    problems = read_markdown(rel, raw, "checklist").problems
    account_id = parts[1]
    if not ID_PATTERN.fullmatch(account_id) or not (repo.accounts_dir / f"{account_id}.yaml").exists():
        problems.append(
            Problem(
                rel,
                0,
                0,
                "warning",
                _("checklist of an account that does not exist ({file})").format(file=f"accounts/{account_id}.yaml"),
            )
        )
    return problems
