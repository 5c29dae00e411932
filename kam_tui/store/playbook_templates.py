"""The templates in a repository: listing them, and adding kam's own in either language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kam_tui.store.playbooks import PlaybookError, _language, read_template, template_names, template_rel
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.write import FileChange, Transaction


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
    language = lang or _language(repo)
    shipped = shipped_playbooks(language)
    if name not in shipped:
        known = ", ".join(sorted(shipped)) or "none"
        raise PlaybookError(f"kam ships no playbook '{name}' in {language}; it ships: {known}")
    target = as_name or (name if language == _language(repo) else f"{name}-{language}")
    rel = template_rel(target)
    data = shipped[name].read_bytes()
    with Transaction(repo, author) as tx:
        if tx.read(rel) is not None:
            raise PlaybookError(f"{rel} already exists; choose another file name with --as NAME")
        message = f"playbooks: add {target} ({language} template of {name})"
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
        fits = file.front.get("stages")
        out.append(
            TemplateInfo(
                name,
                file.rel,
                file.title,
                [s.name for s in file.playbook.stages],
                file.playbook.total,
                [str(s) for s in fits] if isinstance(fits, list) else [],
                sum(1 for p in file.problems if p.level == "error"),
            )
        )
    return out
