"""Playbook templates (`playbooks/NAME.md`) and attached checklists (`checklists/ID/NAME.md`) as
files: their names and paths, and reading one into a parsed `MarkdownFile` (problems included).

Shared by the template and checklist modules; the text rules live in `kam_tui.model.playbook`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from kam_tui.i18n import _
from kam_tui.model.checklist_plan import PlaybookError
from kam_tui.model.playbook import Kind, Playbook, parse_playbook, validate_front_matter
from kam_tui.model.problems import Problem
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.repository import CHECKLISTS, PLAYBOOKS, OutsideRepository, Repository, require_account_id
from kam_tui.store.yamlread import MAX_BYTES, YamlProblem, decode, parse_text

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def require_name(name: str) -> str:
    """A playbook name as given by a person, or PlaybookError (it becomes a path)."""
    if not NAME_PATTERN.fullmatch(name):
        raise PlaybookError(
            _(
                "'{name}' is not a playbook name: letters, digits, '-' and '_', "
                "the file name of playbooks/NAME.md without '.md'"
            ).format(name=name)
        )
    return name


def template_rel(name: str) -> str:
    return f"{PLAYBOOKS}/{require_name(name)}.md"


def checklist_rel(account_id: str, name: str) -> str:
    return f"{CHECKLISTS}/{require_account_id(account_id)}/{require_name(name)}.md"


@dataclass
class MarkdownFile:
    """A template or checklist read from disk: bytes, text and parse (problems included)."""

    rel: str
    raw: bytes
    text: str
    bom: bool
    playbook: Playbook
    front: dict[str, Any] = field(default_factory=dict)

    def encode(self, text: str) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")

    @property
    def title(self) -> str | None:
        title = self.front.get("title")
        return title if isinstance(title, str) else None

    @property
    def fits(self) -> list[str]:
        """The lifecycle stages the front matter says the playbook fits."""
        stages = self.front.get("stages")
        return [str(s) for s in stages] if isinstance(stages, list) else []

    @property
    def ordered(self) -> bool:
        """Its front matter says `ordered: true`: a stage opens when the ones before are done
        (development, staged exit). Otherwise its sections are parallel work (maintenance)."""
        return self.front.get("ordered") is True

    @property
    def problems(self) -> list[Problem]:
        return list(self.playbook.problems)


def read_markdown(rel: str, raw: bytes, kind: Kind) -> MarkdownFile:
    """Parse a template (`kind="template"`) or checklist; never raises for bad content."""
    try:
        if len(raw) > MAX_BYTES:
            raise YamlProblem(
                1, 1, _("file is {size:,} bytes; playbooks and checklists are limited to 1 MiB").format(size=len(raw))
            )
        text, bom = decode(raw)
    except YamlProblem as exc:
        pb = Playbook(rel, kind, None, 0, 1, (), None, (exc.problem(rel),))
        return MarkdownFile(rel, raw, "", False, pb)
    pb = parse_playbook(text, rel, kind)
    front: dict[str, Any] = {}
    if pb.front_matter is not None:
        extra: list[Problem] = []
        try:
            doc = parse_text(pb.front_matter + "\n") if pb.front_matter.strip() else None
        except YamlProblem as exc:
            extra.append(
                Problem(
                    rel,
                    exc.line + pb.front_matter_line - 1,
                    0,
                    "error",
                    _("front matter: {problem}").format(problem=exc.message),
                    exc.hint,
                )
            )
            doc = None
        if doc is not None:
            lines = {
                str(path[0]): span.line + pb.front_matter_line - 1 for path, span in doc.keys.items() if len(path) == 1
            }
            extra += validate_front_matter(doc.data, rel, lines, pb.front_matter_line)
            if isinstance(doc.data, dict):
                front = doc.data
        if extra:
            pb = replace(pb, problems=tuple(sorted((*pb.problems, *extra), key=lambda p: p.line)))
    return MarkdownFile(rel, raw, text, bom, pb, front)


def read_playbook_file(repo: Repository, rel: str) -> bytes | None:
    """A template's or checklist's bytes; None when it does not exist; PlaybookError when it is
    not a file kam reads (a link, a device, too big, in an account's folder that leaves the
    repository); OutsideRepository when `playbooks/` or `checklists/` itself does."""
    repo.inside(rel.split("/", 1)[0])
    try:
        return read_regular(repo.inside(rel))
    except OutsideRepository as exc:  # checklists/ID/ is a link out: that checklist's problem only
        raise PlaybookError(exc.message) from None
    except NotADirectoryError:
        return None
    except Unreadable as exc:
        raise PlaybookError(f"{rel} {exc}") from None
