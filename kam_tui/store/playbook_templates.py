"""The templates in a repository (`playbooks/NAME.md`): finding and reading them, listing them,
and adding kam's own in either language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kam_tui.i18n import _, writing_in
from kam_tui.model.checklist_plan import PlaybookError
from kam_tui.store.playbook_files import (
    NAME_PATTERN,
    MarkdownFile,
    read_markdown,
    read_playbook_file,
    template_rel,
)
from kam_tui.store.repository import PLAYBOOKS, Repository
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.transaction import FileChange, Transaction


def template_names(repo: Repository) -> list[str]:
    folder = repo.inside(PLAYBOOKS)
    if not folder.is_dir():
        return []
    return sorted(
        p.stem for p in folder.glob("*.md") if NAME_PATTERN.fullmatch(p.stem) and p.is_file() and not p.is_symlink()
    )


def read_template(repo: Repository, name: str) -> MarkdownFile:
    """The template NAME, or PlaybookError saying which templates there are."""
    template = find_template(repo, name)
    if template is None:
        raise PlaybookError(missing_template(repo, name))
    return template


def find_template(repo: Repository, name: str) -> MarkdownFile | None:
    """The template NAME, or None when there is no such file."""
    rel = template_rel(name)
    raw = read_playbook_file(repo, rel)
    return None if raw is None else read_markdown(rel, raw, "template")


def missing_template(repo: Repository, name: str) -> str:
    """What to say when playbooks/NAME.md does not exist: the templates there are, and the
    command that adds kam's own when NAME is one kam ships."""
    names = template_names(repo)
    listed = ", ".join(names) if names else "none"
    message = f"no playbook '{name}' (playbooks/{name}.md does not exist); playbooks here: {listed}"
    shipped = _shipped_names()
    base = name.rsplit("-", 1)[0] if name.rsplit("-", 1)[-1] in ("en", "zh") else name
    if base in shipped:
        lang = name.rsplit("-", 1)[-1] if base != name else None
        message += f". Add kam's template with `kam playbook add {base}" + (f" --lang {lang}`" if lang else "`")
    return message


def _shipped_names() -> set[str]:
    try:
        return set(shipped_playbooks("en")) | set(shipped_playbooks("zh"))
    except FileNotFoundError:
        return set()


@dataclass(frozen=True)
class AddResult:
    playbook: str
    rel: str
    commit: str
    message: str


def add_shipped(
    repo: Repository, name: str, lang: str | None = None, as_name: str | None = None, author: str | None = None
) -> AddResult:
    """Copy kam's template NAME in LANG into the repository and commit it. Without --as, the file
    is `playbooks/NAME.md` in the repository's language, `playbooks/NAME-LANG.md` in the other."""
    language = lang or repo.language()
    shipped = shipped_playbooks(language)
    if name not in shipped:
        known = ", ".join(sorted(shipped)) or _("none")
        raise PlaybookError(
            _("kam ships no playbook '{name}' in {language}; it ships: {known}").format(
                name=name, language=language, known=known
            )
        )
    target = as_name or (name if language == repo.language() else f"{name}-{language}")
    rel = template_rel(target)
    data = shipped[name].read_bytes()
    with Transaction(repo, author) as tx:
        if tx.read(rel) is not None:
            raise PlaybookError(_("{file} already exists; choose another file name with --as NAME").format(file=rel))
        with writing_in(repo.language()):
            message = _("playbooks: add {name} ({language} template of {source})").format(
                name=target, language=language, source=name
            )
        sha = tx.commit([FileChange(rel, data, None)], message + "\n")
    return AddResult(target, rel, sha, message)


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    rel: str
    title: str | None
    stages: list[str]
    steps: int
    fits: list[str]  # lifecycle stages from the front matter
    errors: int

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.rel,
            "title": self.title,
            "stages": self.stages,
            "steps": self.steps,
            "fits": self.fits,
            "errors": self.errors,
        }


def list_templates(repo: Repository) -> list[TemplateInfo]:
    out = []
    for name in template_names(repo):
        file = read_template(repo, name)
        out.append(
            TemplateInfo(
                name,
                file.rel,
                file.title,
                [s.name for s in file.playbook.stages],
                file.playbook.total,
                file.fits,
                sum(1 for p in file.problems if p.level == "error"),
            )
        )
    return out
