"""The KAM repository on disk: where it is, its settings, and reading its accounts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kam_tui.i18n import _, ngettext
from kam_tui.model.errors import KamError
from kam_tui.model.account import Account, account_from_data
from kam_tui.model.problems import Problem
from kam_tui.model.account_checks import validate_account
from kam_tui.model.schema import ID_PATTERN, Finding
from kam_tui.model.settings import Settings, settings_from_data
from kam_tui.store import gitcmd
from kam_tui.store.atomic import TMP_PREFIX
from kam_tui.store.cachefile import read_cache, write_cache
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.yamlread import Document, YamlProblem, parse_bytes

SETTINGS_FILE = "kam.yaml"
ACCOUNTS = "accounts"
PLAYBOOKS = "playbooks"
CHECKLISTS = "checklists"
REVIEW_TAG = "review/"  # `review/2026-Q4` marks a closed review (below git_prefix in a larger work tree)


class NotARepository(KamError):
    """No kam.yaml found where the user pointed or above the current folder."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint=_("run `kam init DIR` to start one, or `kam demo` to try kam on sample data"))


class SettingsInvalid(KamError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            "kam.yaml has errors; fix them first (defaults are not used in their place)",
            problems=problems,
        )  # a refusal (exit 2) like any other: only `kam validate` exits 1 for the problems it found


class OutsideRepository(KamError):
    """A folder of the repository is a symbolic link that leads out of it."""


def _links_out(root: Path, folder: Path) -> bool:
    """Does a link among `folder` and its parents below `root` lead outside `root`?"""
    for step in (folder, *folder.parents):
        if step == root:
            return False
        if step.is_symlink():
            return not step.resolve().is_relative_to(root.resolve())
    return False


class AccountNotFound(KamError):
    """No such account (the message names the file and may suggest one)."""


class NoSuchAccount(AccountNotFound):
    """A valid id with no file: the one way kam says so, naming the file it looked for (`never`:
    git has no such file either, so it is not a deleted account)."""

    def __init__(self, account_id: str, *, never: bool = False, hint: str | None = None) -> None:
        rel = account_rel(account_id)
        message = (
            _("no account '{id}' ({rel} does not exist and never did)")
            if never
            else _("no account '{id}' ({rel} does not exist)")
        )
        super().__init__(message.format(id=account_id, rel=rel), hint=hint)


class InvalidAccountId(AccountNotFound):
    """An id no account can have: it becomes a file name, so the rule is the file name's."""

    def __init__(self, account_id: str, *, hint: str | None = None) -> None:
        super().__init__(
            _(
                "'{id}' is not a valid account id: lowercase letters, digits and '-', "
                "starting with a letter or digit, at most 64 characters"
            ).format(id=account_id),
            hint=hint,
        )


def require_account_id(account_id: str) -> str:
    """An account id as given by a person, or InvalidAccountId (it becomes a path)."""
    if not ID_PATTERN.fullmatch(account_id):
        raise InvalidAccountId(account_id)
    return account_id


def account_rel(account_id: str) -> str:
    """`accounts/ID.yaml`, for a valid id only."""
    return f"{ACCOUNTS}/{require_account_id(account_id)}.yaml"


@dataclass(frozen=True)
class Repository:
    root: Path

    @classmethod
    def find(
        cls, explicit: str | None = None, env: Mapping[str, str] | None = None, cwd: Path | None = None
    ) -> Repository:
        """`--repo DIR`, else $KAM_REPO, else the first folder upwards that holds kam.yaml."""
        env = os.environ if env is None else env
        given = explicit or env.get("KAM_REPO")
        if given:
            root = Path(given).expanduser().resolve()
            if not (root / SETTINGS_FILE).is_file():
                raise NotARepository(
                    _("{folder} is not a kam repository (no {file} there)").format(folder=given, file=SETTINGS_FILE)
                )
            return cls(root)
        here = (cwd or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / SETTINGS_FILE).is_file():
                return cls(folder)
        raise NotARepository(_("not inside a kam repository (no kam.yaml here or above)"))

    # --- paths ---------------------------------------------------------------------------------

    @property
    def accounts_dir(self) -> Path:
        return self.inside(ACCOUNTS)

    def inside(self, rel: str) -> Path:
        """`root/rel`, or OutsideRepository when a folder on the way is a link that leaves the
        repository (kam would read or write someone else's files through it)."""
        path = self.root / rel
        folder = path.parent if rel.endswith((".yaml", ".md")) else path
        if folder != self.root and _links_out(self.root, folder):
            raise OutsideRepository(
                _(
                    "{folder} is a link to {target}, outside the repository; kam reads and writes only files inside it"
                ).format(folder=folder.relative_to(self.root).as_posix(), target=folder.resolve())
            )
        return path

    def account_rel(self, account_id: str) -> str:
        return account_rel(account_id)

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @cached_property
    def work_tree(self) -> gitcmd.WorkTree | None:
        """The git work tree the repository is in: its own (`.git` here) or a larger one, in which
        kam's folder is a subfolder; None when git does not know the folder."""
        dot_git = self.root / ".git"
        if dot_git.is_dir():  # the common cases, without starting git
            return gitcmd.WorkTree(dot_git, self.root, "")
        if dot_git.is_file():  # a linked worktree: `gitdir: PATH`
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return gitcmd.WorkTree((self.root / text.split(":", 1)[1].strip()).resolve(), self.root, "")
        return gitcmd.work_tree(self.root) if self.root.is_dir() else None

    @cached_property
    def state_dir(self) -> Path:
        """Per-clone state (cache, lock) under .git/kam/: never committed, never in git status.
        A kam folder inside a larger work tree keeps its own under .git/kam/folders/PATH/."""
        tree = self.work_tree
        if tree is None:
            return self.root / ".git" / "kam"
        state = tree.git_dir / "kam"
        return state / "folders" / tree.prefix.rstrip("/") if tree.prefix else state

    @property
    def git_prefix(self) -> str:
        """The kam folder's path in its git work tree: "" at the top, "sales/" in a subfolder.
        Git names files and tags from the top; kam names them from its folder."""
        return self.work_tree.prefix if self.work_tree is not None else ""

    @cached_property
    def cache_dir(self) -> Path | None:
        """Where caches may be kept: the state folder when git knows this folder (a fresh clone's
        too, before kam's first write); None outside git, where reading never creates a `.git`."""
        return self.state_dir if self.work_tree is not None and self.work_tree.git_dir.is_dir() else None

    @property
    def lock_path(self) -> Path:
        """One write lock per git work tree (shared by every kam folder in it): commits move one HEAD."""
        tree = self.work_tree
        return (tree.git_dir if tree else self.root / ".git") / "kam" / "lock"

    def unmerged(self) -> list[tuple[str, str]]:
        """Files of this repository a merge left unmerged (from git's index): (path, what happened).
        Every command asks, so an index unchanged since git last found none there is not asked again
        (the memo is keyed by the index's own checksum and its inode, size and times: `_index_key`)."""
        tree = self.work_tree
        if tree is None:
            return []
        memo = self.state_dir / "clean-index"
        index = None if "GIT_INDEX_FILE" in os.environ else _index_key(tree.git_dir / "index")
        if index is not None and read_cache(memo) == index:
            return []
        found = [(path, gitcmd.UNMERGED[code]) for path, code in gitcmd.unmerged(self.root)]
        if not found and index is not None and memo.parent.is_dir():  # a check never makes the folder
            write_cache(memo, index)
        return found

    def unfinished_merge(self) -> str | None:
        """What to tell whoever reads the repository while a merge is unfinished, or None."""
        paths = [path for path, _how in self.unmerged()]
        if not paths:
            return None
        shown = ", ".join(paths[:5]) + (_(" and {count} more").format(count=len(paths) - 5) if len(paths) > 5 else "")
        return ngettext(
            "a merge is unfinished: {count} file unmerged ({files}); what kam reads there may be either side. "
            "Resolve and commit them, or abort the merge",
            "a merge is unfinished: {count} files unmerged ({files}); what kam reads there may be either side. "
            "Resolve and commit them, or abort the merge",
            len(paths),
        ).format(count=len(paths), files=shown)

    # --- settings ------------------------------------------------------------------------------

    def load_settings(self) -> tuple[Settings, list[Problem]]:
        return settings_from_bytes(self._read(SETTINGS_FILE) or b"")

    def settings(self) -> Settings:
        """The settings, or SettingsInvalid: an invalid kam.yaml is never silently replaced by defaults."""
        settings, problems = self.load_settings()
        if any(p.level == "error" for p in problems):
            raise SettingsInvalid(problems)
        return settings

    def language(self) -> str:
        """kam.yaml's `language:`, the one language of everything kam writes into the repository
        (commit messages, generated text in files, committed reports) whoever types the command,
        so a team's history reads in one language; write that text inside
        `kam_tui.i18n.writing_in(repo.language())`. English when `language:` itself is invalid, which
        `kam validate` and every command that needs kam.yaml report: a write that needs nothing else
        of kam.yaml (`kam set`) still works with a broken one."""
        return self.load_settings()[0].language

    # --- accounts ------------------------------------------------------------------------------

    def _read(self, rel: str) -> bytes | None:
        """A repository file's bytes (None if missing); Unreadable for links, devices, huge files."""
        try:
            return read_regular(self.inside(rel))
        except Unreadable as exc:
            raise Unreadable(f"{rel} {exc}") from None

    def account_files(self) -> list[Path]:
        folder = self.accounts_dir
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix == ".yaml" and not p.name.startswith("."))

    def load_account(self, account_id: str) -> LoadedAccount:
        rel = self.account_rel(account_id)
        path = self.inside(rel)
        if not os.path.lexists(path):
            raise NoSuchAccount(account_id)
        return read_account_file(rel, path)

    def leftovers(self) -> list[Path]:
        folders = [self.accounts_dir, self.inside(CHECKLISTS), self.root, self.state_dir]
        found = []
        for folder in folders:
            if folder.is_dir():
                found += (
                    sorted(folder.rglob(TMP_PREFIX + "*"))
                    if folder != self.root
                    else sorted(folder.glob(TMP_PREFIX + "*"))
                )
        return found


@dataclass
class LoadedAccount:
    """One account file read for display or editing: its bytes, parse, problems and typed view."""

    rel: str
    raw: bytes
    doc: Document | None
    problems: list[Problem] = field(default_factory=list)
    account: Account | None = None

    @property
    def ok(self) -> bool:
        return self.account is not None


def read_account_file(rel: str, path: Path, positions: bool = True) -> LoadedAccount:
    """Read and check one account file from disk; a file kam will not read is a problem, not a crash."""
    try:
        raw = read_regular(path)
    except Unreadable as exc:
        return LoadedAccount(rel, b"", None, [Problem(rel, 1, 1, "error", f"{Path(rel).name} {exc}")])
    if raw is None:
        return LoadedAccount(rel, b"", None, [Problem(rel, 0, 0, "error", _("no such file"))])
    return read_account(rel, raw, positions)


def read_account(rel: str, raw: bytes, positions: bool = True) -> LoadedAccount:
    """Parse and validate one account file; never raises for bad content.

    Without `positions` the parse is quicker; a file with findings is re-read with them."""
    stem = Path(rel).stem
    if not ID_PATTERN.fullmatch(stem):
        return LoadedAccount(
            rel,
            raw,
            None,
            [
                Problem(
                    rel,
                    1,
                    1,
                    "error",
                    _("file name '{name}' is not a valid account id").format(name=Path(rel).name),
                    _("use lowercase letters, digits and '-'"),
                )
            ],
        )
    try:
        doc = parse_bytes(raw, positions)
    except YamlProblem as exc:
        return LoadedAccount(rel, raw, None, [exc.problem(rel)])
    findings = validate_account(doc.data, stem)
    if findings and not positions:
        doc = parse_bytes(raw)  # the same bytes parsed before, now noting where each value sits
    problems = locate(rel, doc, findings)
    account = None
    if not any(p.level == "error" for p in problems):
        account = account_from_data(doc.data)
    return LoadedAccount(rel, raw, doc, problems, account)


def locate(rel: str, doc: Document, findings: list[Finding]) -> list[Problem]:
    """Attach each finding to the line of its key or value (or the nearest existing parent)."""
    problems = []
    for finding in findings:
        path = finding.path
        span = None
        while span is None:
            first, second = (doc.keys, doc.values) if finding.at_key else (doc.values, doc.keys)
            span = first.get(path) or second.get(path)
            if span is None:
                if not path:
                    break
                path = path[:-1]
        line, col = (span.line, span.col) if span and path else (1, 1)
        problems.append(Problem(rel, line, col, finding.level, finding.message, finding.hint))  # type: ignore[arg-type]
    return sorted(problems, key=lambda p: (p.line, p.col))


def settings_from_bytes(raw: bytes) -> tuple[Settings, list[Problem]]:
    try:
        doc = parse_bytes(raw)
    except YamlProblem as exc:
        return Settings(), [exc.problem(SETTINGS_FILE)]
    settings, findings = settings_from_data(doc.data)
    return settings, locate(SETTINGS_FILE, doc, findings)


_INDEX_HEADER = 12  # "DIRC", version, entry count
_INDEX_CHECKSUM = 20  # SHA-1; of a SHA-256 checksum (32 bytes) its last 20 are read, enough to tell


def _index_key(path: Path) -> list[int | bytes] | None:
    """What tells one version of git's index from another, or None (no file, or one written without
    a checksum: index.skipHash): the checksum git keeps at its end (of the entries, so of every
    unmerged path), and its device, inode, size and times. A file rewritten in place with its old
    size and mtime put back still changes its ctime and checksum, which a stale memo must notice."""
    try:
        with path.open("rb") as index:
            st = os.fstat(index.fileno())
            if st.st_size < _INDEX_HEADER + _INDEX_CHECKSUM:
                return None
            index.seek(-_INDEX_CHECKSUM, os.SEEK_END)
            checksum = index.read(_INDEX_CHECKSUM)
    except OSError:
        return None
    if checksum == bytes(_INDEX_CHECKSUM):
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, checksum]
