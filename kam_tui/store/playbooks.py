"""Playbook templates (`playbooks/NAME.md`) and attached checklists (`checklists/ID/NAME.md`) on disk.

Reading, attaching and ticking (each one commit through `Transaction`), the history of ticks
from `git log -p`, and the validators `kam validate` runs. The text work is pure and lives in
`kam_tui.model.playbook` / `kam_tui.model.checklist`; this module only adds disk and git.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kam_tui.model.account import Account
from kam_tui.model.checklist import (
    TICK_MARK,
    UNTICK_MARK,
    ChecklistError,
    Difference,
    blocking_stage,
    find_step,
    gate_message,
    header_line,
    one_line,
    render_checklist,
    set_step,
    summary_json,
    template_differences,
)
from kam_tui.model.playbook import Kind, Playbook, Tick, check_front_matter, parse_playbook
from kam_tui.model.problems import Problem
from kam_tui.model.schema import ID_PATTERN
from kam_tui.store import gitcmd
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.repository import CHECKLISTS, PLAYBOOKS, AccountNotFound, Repository, read_account
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.write import FileChange, Transaction, WriteRefused
from kam_tui.store.yamlread import MAX_BYTES, YamlProblem, decode, parse_text

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
EXIT_PLAYBOOK = "staged-exit"
EXIT_STAGES = ("exiting", "exited")


class PlaybookError(WriteRefused):
    """A playbook request that cannot be carried out; nothing was written (CLI exit 2)."""


class NetworkNotInHand(PlaybookError):
    """Staged exit refused: the account's downstream network is not in hand."""


class StageGated(PlaybookError):
    """A step of a later stage while an earlier stage is open."""


# --- names and paths -------------------------------------------------------------------------------


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise PlaybookError(
            f"'{name}' is not a playbook name: letters, digits, '-' and '_', "
            "the file name of playbooks/NAME.md without '.md'"
        )
    return name


def check_account_id(account_id: str) -> str:
    if not ID_PATTERN.fullmatch(account_id):
        raise AccountNotFound(
            f"'{account_id}' is not a valid account id "
            "(lowercase letters, digits and '-', starting with a letter or digit)"
        )
    return account_id


def template_rel(name: str) -> str:
    return f"{PLAYBOOKS}/{check_name(name)}.md"


def checklist_rel(account_id: str, name: str) -> str:
    return f"{CHECKLISTS}/{check_account_id(account_id)}/{check_name(name)}.md"


def is_exit_playbook(name: str, template: MarkdownFile | None = None) -> bool:
    """`staged-exit`, a copy of it in another language (`staged-exit-zh`), or any template whose
    front matter says it fits the `exiting` stage: the network rule goes with the content,
    not with the file's name."""
    if name == EXIT_PLAYBOOK or name.startswith(EXIT_PLAYBOOK + "-"):
        return True
    stages = template.front.get("stages") if template is not None else None
    return isinstance(stages, list) and "exiting" in stages


# --- reading ----------------------------------------------------------------------------------------


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
    def problems(self) -> list[Problem]:
        return list(self.playbook.problems)


def read_markdown(rel: str, raw: bytes, kind: Kind) -> MarkdownFile:
    """Parse a template (`kind="template"`) or checklist; never raises for bad content."""
    try:
        if len(raw) > MAX_BYTES:
            raise YamlProblem(1, 1, f"file is {len(raw):,} bytes; playbooks and checklists are limited to 1 MiB")
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
                Problem(rel, exc.line + pb.front_matter_line - 1, 0, "error", f"front matter: {exc.message}", exc.hint)
            )
            doc = None
        if doc is not None:
            lines = {
                str(path[0]): span.line + pb.front_matter_line - 1 for path, span in doc.keys.items() if len(path) == 1
            }
            extra += check_front_matter(doc.data, rel, lines, pb.front_matter_line)
            if isinstance(doc.data, dict):
                front = doc.data
        if extra:
            pb = Playbook(
                pb.path,
                pb.kind,
                pb.front_matter,
                pb.front_matter_line,
                pb.body_line,
                pb.stages,
                pb.header,
                tuple(sorted((*pb.problems, *extra), key=lambda p: p.line)),
            )
    return MarkdownFile(rel, raw, text, bom, pb, front)


def _read(repo: Repository, rel: str) -> bytes | None:
    try:
        return read_regular(repo.root / rel)
    except NotADirectoryError:
        return None
    except Unreadable as exc:
        raise PlaybookError(f"{rel} {exc}") from None


def template_names(repo: Repository) -> list[str]:
    folder = repo.root / PLAYBOOKS
    if not folder.is_dir():
        return []
    return sorted(
        p.stem for p in folder.glob("*.md") if NAME_PATTERN.fullmatch(p.stem) and p.is_file() and not p.is_symlink()
    )


def read_template(repo: Repository, name: str) -> MarkdownFile:
    rel = template_rel(name)
    raw = _read(repo, rel)
    if raw is None:
        raise PlaybookError(_missing_template(repo, name))
    return read_markdown(rel, raw, "template")


def _missing_template(repo: Repository, name: str) -> str:
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


def read_checklist(repo: Repository, account_id: str, name: str) -> MarkdownFile:
    rel = checklist_rel(account_id, name)
    raw = _read(repo, rel)
    if raw is None:
        attached = account_playbooks(repo, account_id)
        listed = ", ".join(attached) if attached else "none"
        raise PlaybookError(
            f"{account_id} has no checklist '{name}' (attached: {listed}); "
            f"attach it with `kam attach {account_id} {name}`"
        )
    return read_markdown(rel, raw, "checklist")


def account_playbooks(repo: Repository, account_id: str) -> list[str]:
    """Names of the playbooks attached to one account."""
    folder = repo.root / CHECKLISTS / check_account_id(account_id)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.md") if NAME_PATTERN.fullmatch(p.stem) and p.is_file())


def all_checklists(repo: Repository) -> list[tuple[str, str]]:
    """(account id, playbook) of every attached checklist, sorted."""
    folder = repo.root / CHECKLISTS
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*/*.md")):
        if (
            ID_PATTERN.fullmatch(path.parent.name)
            and NAME_PATTERN.fullmatch(path.stem)
            and path.is_file()
            and not path.is_symlink()
        ):
            out.append((path.parent.name, path.stem))
    return out


def accounts_running(repo: Repository, playbook: str) -> set[str]:
    """Ids of the accounts with `playbook` attached (finished checklists included): for
    `kam list --playbook NAME`."""
    check_name(playbook)
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
        data.update(summary_json(self.playbook))
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
        raw = _read(repo, template_rel(name))
        cache[name] = None if raw is None else read_markdown(template_rel(name), raw, "template")
    template = cache[name]
    differences = [] if template is None else template_differences(file.playbook, template.playbook)
    return ChecklistStatus(account_id, name, file, template is not None, differences)


def portfolio(repo: Repository) -> list[ChecklistStatus]:
    """Every attached checklist in the repository, each with its progress."""
    templates: dict[str, MarkdownFile | None] = {}
    return [checklist_status(repo, account, name, templates) for account, name in all_checklists(repo)]


# --- who and when -----------------------------------------------------------------------------------


def author_name(repo: Repository, author: str | None) -> str:
    """The name written beside a tick: from `--author`/$KAM_AUTHOR, else git's author identity."""
    if author:
        name = author.partition("<")[0].strip()
        if name:
            return _one_line(name, "the author's name")
    result = gitcmd.git(repo.root, "var", "GIT_AUTHOR_IDENT", check=False)
    ident = result.stdout.strip()
    if result.returncode != 0 or "<" not in ident:
        raise WriteRefused(gitcmd.identity_problem(repo.root) or "git does not know who you are")
    return _one_line(ident.partition("<")[0].strip() or "unknown", "the author's name")


def _one_line(text: str, what: str) -> str:
    try:
        return one_line(text, what)
    except ChecklistError as exc:
        raise PlaybookError(str(exc)) from None


def _language(repo: Repository) -> str:
    return repo.settings().language  # an invalid kam.yaml is refused, never read as defaults


def _clean_subject(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


# --- the network rule -------------------------------------------------------------------------------


def network_status(repo: Repository, account: Account) -> tuple[bool, str]:
    """Is the account's downstream network in hand by the scoring rules of kam.yaml, and why.
    An invalid kam.yaml raises SettingsInvalid: the rule is never guessed from defaults."""
    from kam_tui.model.risks import network_status as rule

    return rule(account, repo.settings().scoring)


# --- attach -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachResult:
    account: str
    playbook: str
    rel: str
    commit: str
    message: str
    stage_from: str | None = None  # set when attaching moved the account's stage
    stage_to: str | None = None
    forced: str | None = None  # the network rule's why, when --force overrode it


def attach(
    repo: Repository,
    account_id: str,
    name: str,
    *,
    force: bool = False,
    reason: str | None = None,
    author: str | None = None,
    today: dt.date | None = None,
    env: dict[str, str] | None = None,
) -> AttachResult:
    """Write `checklists/ID/NAME.md` from the template and commit it. The staged-exit playbook
    also moves the account to `exiting` in the same commit, and is refused while its downstream
    network is not in hand, unless forced with a reason (kept in the header line and the commit)."""
    from kam_tui.store.changes import InvalidChange, edit_text

    if force and not (reason and reason.strip()):
        raise PlaybookError("--force needs --reason TEXT: the reason is kept with the change")
    reason_text = _one_line(reason, "the reason") if force and reason else None
    day = (today or dt.date.today()).isoformat()
    account_rel = repo.account_rel(account_id)
    rel = checklist_rel(account_id, name)
    with Transaction(repo, author, env) as tx:
        who = author_name(repo, tx.author)
        account_raw = tx.read(account_rel)
        if account_raw is None:
            raise AccountNotFound(f"no account '{account_id}' ({account_rel} does not exist)")
        loaded = read_account(account_rel, account_raw)
        if loaded.account is None:
            raise InvalidChange(
                f"{account_rel} has errors; fix them before attaching a playbook",
                [p for p in loaded.problems if p.level == "error"],
            )
        template_raw = tx.read(template_rel(name))
        if template_raw is None:
            raise PlaybookError(_missing_template(repo, name))
        template = read_markdown(template_rel(name), template_raw, "template")
        if not template.playbook.ok:
            raise InvalidChange(
                f"{template.rel} has errors; fix the template first",
                [p for p in template.problems if p.level == "error"],
            )
        if tx.read(rel) is not None:
            raise PlaybookError(
                f"{name} is already attached to {account_id} ({rel}); see `kam checklist {account_id} {name}`"
            )
        account = loaded.account
        changes: list[FileChange] = []
        stage_from = stage_to = forced = None
        if is_exit_playbook(name, template):
            in_hand, why = network_status(repo, account)
            if not in_hand:
                if not force:
                    first = "" if "take hold" in why.lower() else " Take hold of its downstream network first."
                    raise NetworkNotInHand(
                        f"{account_id}: its downstream network is not in hand — {why}.{first} Reach its "
                        f"outlets directly and record the share we reach with `kam set {account_id} "
                        "network_held=…`; or start the exit anyway with --force --reason TEXT"
                    )
                forced = why
            if account.stage not in EXIT_STAGES:
                new_account, _doc = edit_text(account_rel, account_raw, [(("stage",), "exiting")])
                changes.append(FileChange(account_rel, new_account, account_raw))
                stage_from, stage_to = account.stage or "(none)", "exiting"
        text = render_checklist(
            template.text, header_line(name, day, who, reason_text if forced else None, _language(repo))
        )
        changes.insert(0, FileChange(rel, template.encode(text), None))
        subject = f"{account_id}: attach {name}"
        if stage_to:
            subject += f", stage {stage_from} → {stage_to}"
        body = f"\n\nForced: {forced}.\nReason: {reason_text}\n" if forced else "\n"
        new_folders = _missing_folders(repo, rel)
        try:
            sha = tx.commit(changes, _clean_subject(subject) + body)
        except BaseException:
            _remove_empty(new_folders)  # a refused attach leaves no empty checklists/ID/ behind
            raise
    return AttachResult(account_id, name, rel, sha, subject, stage_from, stage_to, forced)


def _missing_folders(repo: Repository, rel: str) -> list[Path]:
    """The folders a write of `rel` would create, deepest first."""
    out = []
    folder = (repo.root / rel).parent
    while folder != repo.root and not folder.exists():
        out.append(folder)
        folder = folder.parent
    return out


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


# --- check ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    account: str
    playbook: str
    number: int
    step: str
    done: bool  # the step's state after the change
    commit: str
    message: str
    forced: str | None = None  # the open stage it skipped, when --force was needed
    status: ChecklistStatus | None = None


def check(
    repo: Repository,
    account_id: str,
    name: str,
    item: str,
    *,
    undo: bool = False,
    note: str | None = None,
    force: bool = False,
    reason: str | None = None,
    author: str | None = None,
    today: dt.date | None = None,
    env: dict[str, str] | None = None,
) -> CheckResult:
    """Tick (or with `undo`, untick) one step: exactly one line of the checklist changes, one commit
    `ID: NAME ✓ step` (untick: `ID: NAME ✗ step`)."""
    from kam_tui.store.changes import InvalidChange

    if force and not (reason and reason.strip()):
        raise PlaybookError("--force needs --reason TEXT: the reason is written beside the tick")
    note_text = _one_line(note, "the note") if note else None
    reason_text = _one_line(reason, "the reason") if force and reason else None
    day = (today or dt.date.today()).isoformat()
    rel = checklist_rel(account_id, name)
    with Transaction(repo, author, env) as tx:
        raw = tx.read(rel)
        if raw is None:
            read_checklist(repo, account_id, name)  # raises with the list of attached playbooks
            raise PlaybookError(f"{rel} does not exist")
        file = read_markdown(rel, raw, "checklist")
        if not file.playbook.ok:
            raise InvalidChange(
                f"{rel} has errors; fix them before ticking", [p for p in file.problems if p.level == "error"]
            )
        try:
            step = find_step(file.playbook, item)
        except ChecklistError as exc:
            raise PlaybookError(f"{account_id} {name}: {exc}") from None
        forced = None
        if undo:
            if not step.done:
                raise PlaybookError(f"step {step.number} '{step.text}' is not ticked")
            new_text = set_step(file.text, step, None)
            mark = UNTICK_MARK
        else:
            if step.done:
                when = f" on {step.tick.date} by {step.tick.by}" if step.tick else ""
                raise PlaybookError(
                    f"step {step.number} '{step.text}' is already ticked{when}; untick it with --undo first"
                )
            blocker = blocking_stage(file.playbook, step)
            if blocker is not None:
                if not force:
                    raise StageGated(gate_message(step, blocker))
                forced = blocker.name
            tick = Tick(day, author_name(repo, tx.author), reason_text if forced else None, note_text)
            new_text = set_step(file.text, step, tick, _language(repo))
            mark = TICK_MARK
        subject = _clean_subject(f"{account_id}: {name} {mark} {step.text}")
        body = ""
        if forced:
            body += f"Ticked while stage '{forced}' was open. Reason: {reason_text}\n"
        if note_text:
            body += f"Note: {note_text}\n"
        sha = tx.commit([FileChange(rel, file.encode(new_text), raw)], subject + ("\n\n" + body if body else "\n"))
    status = checklist_status(repo, account_id, name)
    return CheckResult(account_id, name, step.number, step.text, not undo, sha, subject, forced, status)
