"""`kam setup`: what a clone needs that git does not clone — the drivers `.gitattributes`
names, defined in the clone's git config with the absolute path of this kam (GUI git
clients do not have the venv on PATH), and the pre-commit hook. Idempotent; says what it did.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from kam_tui.i18n import LANGUAGES, NP_, _, writing_in
from kam_tui.store import gitcmd
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import FileChange, Transaction

MERGE_DRIVER = "kam"
DIFF_DRIVER = "kam-yaml"
ATTRIBUTES_FILE = ".gitattributes"
RULES = f"""accounts/*.yaml merge={MERGE_DRIVER} diff={DIFF_DRIVER}
checklists/**/*.md merge={MERGE_DRIVER}
"""
_OLD_LINES = {  # what kam before 0.2 wrote in .gitattributes
    "# Account files are YAML; a field-level merge driver for them is on kam's roadmap.",
    "accounts/*.yaml diff=kam-yaml",
}
# A word is a key, a value or one punctuation mark, so `{capital: 3, network: 4}` → 5 shows
# as the one number that changed; hunk headers name the top-level key (ratings:, periods:).
WORD_REGEX = r"[^][{}:, \t]+|[][{}:,]"
FUNC_NAME = r"^[A-Za-z_][A-Za-z0-9_-]*:.*$"
HOOK_MARK = "# kam pre-commit hook"
CHAINED_SUFFIX = ".kam-chained"


def kam_command() -> str:
    """How git should run this kam: the absolute path of the `kam` script that is running, or
    this Python with `-m kam_tui` (e.g. when kam runs inside the tests)."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "kam" and script.is_file():
        return shlex.quote(str(script.resolve()))
    return f"{shlex.quote(sys.executable)} -m kam_tui"


def config_wanted() -> dict[str, str]:
    kam = kam_command()
    return {
        f"merge.{MERGE_DRIVER}.name": "kam field-level merge of account files and checklists",
        f"merge.{MERGE_DRIVER}.driver": f"{kam} merge-driver %O %A %B %P",
        f"diff.{DIFF_DRIVER}.wordRegex": WORD_REGEX,
        f"diff.{DIFF_DRIVER}.xfuncname": FUNC_NAME,
    }


def _config_get(root: Path, key: str) -> str | None:
    result = gitcmd.git(root, "config", "--get", key, check=False)
    return result.stdout.rstrip("\n") if result.returncode == 0 else None


def hook_path(root: Path) -> Path:
    out = gitcmd.git(root, "rev-parse", "--path-format=absolute", "--git-path", "hooks/pre-commit").stdout.strip()
    return Path(out)


def hook_text(repo: Repository) -> str:
    top = Path(gitcmd.git(repo.root, "rev-parse", "--show-toplevel").stdout.strip())
    rel = repo.root.relative_to(top.resolve()).as_posix() if repo.root != top.resolve() else ""
    where = f" --repo {shlex.quote(rel)}" if rel else ""  # git runs hooks at the top of the work tree
    return f"""#!/bin/sh
{HOOK_MARK} (installed by `kam setup`): staged account, checklist and playbook
# files must pass `kam validate`; errors a file already had at HEAD do not block.
if [ -z "$KAM_VALIDATED" ]; then {kam_command()}{where} validate --staged || exit 1; fi
if [ -x "$0{CHAINED_SUFFIX}" ]; then exec "$0{CHAINED_SUFFIX}" "$@"; fi
"""


def attributes_text() -> str:
    """kam's `.gitattributes` lines, the comment in the language `_()` speaks."""
    comment = _(
        "kam merges account files and checklists field by field; `kam setup` defines the drivers in each clone."
    )
    return f"# {comment}\n{RULES}"


def _rules(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def attributes_missing(repo: Repository) -> bool:
    """Does `.gitattributes` lack a rule of kam's (its comments may be in any language)?"""
    path = repo.root / ATTRIBUTES_FILE
    have = _rules(path.read_text(encoding="utf-8")) if path.is_file() else []
    return any(line not in have for line in _rules(RULES))


def missing_setup(repo: Repository) -> list[str]:
    """What this clone lacks for team work, for the warning every command gives. Cheap: the
    clone's own config file (where `kam setup` writes) is read first; git is asked only when a
    key is not found there (it may come from the global config or an included file)."""
    tree = repo.work_tree
    if tree is None:  # not in git: no clone, nothing git merges, nothing `kam setup` could set
        return []
    wanted = [_config_key(k) for k in config_wanted()]
    if set(wanted) <= _keys_in(tree.git_dir / "config"):
        return []
    result = gitcmd.git(repo.root, "config", "--get-regexp", r"^(merge\.kam|diff\.kam-yaml)\.", check=False)
    have = {_config_key(line.split(" ", 1)[0]) for line in result.stdout.splitlines()}
    return [k for k, key in zip(config_wanted(), wanted) if key not in have]


# git's own grammar, no looser: `[section]` or `[section "subsection"]` (a space before the quote,
# none inside the brackets otherwise); a header git refuses must not read as the keys being there
_SECTION = re.compile(r'\s*\[([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\]\s*(?:[#;].*)?$')
_KEY = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=|[#;]|$)")


def _config_key(name: str) -> str:
    """A config key as git compares it: section and key name in any case, the subsection exact."""
    section, _dot, rest = name.partition(".")
    subsection, _dot, key = rest.rpartition(".")
    return f"{section.lower()}.{subsection}.{key.lower()}" if subsection else f"{section.lower()}.{key.lower()}"


def _keys_in(config: Path) -> set[str]:
    """The keys one git config file sets, read without starting git. A line this small reader
    does not follow adds no key, so at worst git is asked."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    keys: set[str] = set()
    section: str | None = None
    continued = False  # the line before ended in a backslash: this one may be part of its value
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            match = None if continued else _SECTION.match(line)
            section = None if match is None else match[1] + ("" if match[2] is None else f".{match[2]}")
        elif not continued and section is not None and (match := _KEY.match(line)):
            keys.add(_config_key(f"{section}.{match[1]}"))
        continued = (len(line) - len(line.rstrip("\\"))) % 2 == 1
    return keys


@dataclass(frozen=True)
class SetupReport:
    done: list[str]  # what setup changed, one line each; empty when all was in place


def setup(repo: Repository, author: str | None = None) -> SetupReport:
    root = repo.root
    done: list[str] = []
    for key, value in config_wanted().items():
        if _config_get(root, key) != value:
            gitcmd.git(root, "config", "--local", key, value)
            done.append(f"git config {key} = {value}")
    done += install_hook(repo)
    if attributes_missing(repo):
        done.append(_update_attributes(repo, author))
    return SetupReport(done)


def install_hook(repo: Repository) -> list[str]:
    path = hook_path(repo.root)
    wanted = hook_text(repo)
    current = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    if current == wanted:
        return []
    done = []
    if current is not None and HOOK_MARK not in current:
        chained = path.with_name(path.name + CHAINED_SUFFIX)
        if chained.exists():
            raise gitcmd.GitError(
                _("{file} exists already; kam will not overwrite a hook. Move it away and rerun").format(file=chained)
            )
        os.replace(path, chained)
        done.append(_("kept the existing pre-commit hook, now run after kam's: {file}").format(file=chained))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    done.append(_("installed the pre-commit hook {file}").format(file=path))
    return done


def _update_attributes(repo: Repository, author: str | None) -> str:
    """The file's comment and the commit subject are the team's text, in kam.yaml's language."""
    with Transaction(repo, author) as tx, writing_in(repo.language()):
        old = tx.read(ATTRIBUTES_FILE)
        text = old.decode("utf-8") if old else ""
        lines = text.splitlines()
        comments = {_comment_in(lang) for lang in LANGUAGES}
        kept = [
            line
            for index, line in enumerate(lines)
            if line not in _OLD_LINES
            and line not in RULES.splitlines()
            and line not in comments
            # the old rule's comment, in whatever language kam wrote it
            and not (line.startswith("#") and index + 1 < len(lines) and lines[index + 1] in _OLD_LINES)
        ]
        new = "\n".join(kept).strip("\n")
        new = (new + "\n\n" if new else "") + attributes_text()
        sha = tx.commit(
            [FileChange(ATTRIBUTES_FILE, new.encode(), old)], _("kam setup: field-level merge and diff drivers") + "\n"
        )
    return _("updated {file} (commit {commit})").format(file=ATTRIBUTES_FILE, commit=sha[:10])


def _comment_in(lang: str) -> str:
    with writing_in(lang):
        return attributes_text().splitlines()[0]


@dataclass(frozen=True)
class CheckLine:
    what: str  # a code, marked for the catalogue where the line is made; shown with pgettext("setup check", …)
    ok: bool
    detail: str


def check(repo: Repository) -> list[CheckLine]:
    """What `kam setup --check` reports; changes nothing."""
    root = repo.root
    lines = []
    problem = gitcmd.identity_problem(root)
    name, email = _config_get(root, "user.name"), _config_get(root, "user.email")
    lines.append(
        CheckLine(NP_("setup check", "identity"), problem is None, f"{name} <{email}>" if problem is None else problem)
    )
    wanted = config_wanted()
    wrong = [k for k, v in wanted.items() if _config_get(root, k) != v]
    driver = _config_get(root, f"merge.{MERGE_DRIVER}.driver")
    lines.append(
        CheckLine(
            NP_("setup check", "drivers"),
            not wrong,
            _("{merge} and {diff} defined ({driver})").format(
                merge=f"merge.{MERGE_DRIVER}", diff=f"diff.{DIFF_DRIVER}", driver=driver
            )
            if not wrong
            else _("not defined or not this kam: {keys}; run `kam setup`").format(keys=", ".join(wrong)),
        )
    )
    lines.append(
        CheckLine(
            NP_("setup check", "attributes"),
            not attributes_missing(repo),
            _("{file} names the drivers").format(file=ATTRIBUTES_FILE)
            if not attributes_missing(repo)
            else _("{file} lacks kam's lines; run `kam setup`").format(file=ATTRIBUTES_FILE),
        )
    )
    hook = hook_path(root)
    current = hook.read_text(encoding="utf-8", errors="replace") if hook.is_file() else ""
    hook_ok = current == hook_text(repo)
    lines.append(
        CheckLine(
            NP_("setup check", "hook"),
            hook_ok,
            f"{hook}"
            if hook_ok
            else (
                _("kam's hook runs another kam; run `kam setup`")
                if HOOK_MARK in current
                else _("no kam pre-commit hook; run `kam setup`")
            ),
        )
    )
    from kam_tui.store.sync import remote_of  # here: `kam list` loads this module, sync the merge machinery

    remote = remote_of(root)
    url = _config_get(root, f"remote.{remote}.url") if remote else None
    lines.append(
        CheckLine(
            NP_("setup check", "remote"), url is not None, f"{remote} {url}" if url else _("no remote to sync with")
        )
    )
    shallow = gitcmd.git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"
    lines.append(
        CheckLine(
            NP_("setup check", "clone"),
            not shallow,
            _("full history")
            if not shallow
            else _("shallow clone: history, changes and merges need `git fetch --unshallow`"),
        )
    )
    fast = bool(getattr(yaml, "__with_libyaml__", False))
    lines.append(
        CheckLine(
            NP_("setup check", "libyaml"),
            fast,
            _("PyYAML uses libyaml") if fast else _("PyYAML without libyaml: reading is slow"),
        )
    )
    return lines
