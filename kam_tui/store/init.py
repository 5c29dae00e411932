"""`kam init`: a new repository with settings, the shipped playbooks and a first commit."""

from __future__ import annotations

from pathlib import Path

from kam_tui.i18n import _, writing_in
from kam_tui.model.scorecard import default_kam_yaml
from kam_tui.store import gitcmd
from kam_tui.store.repository import Repository
from kam_tui.store.setup import ATTRIBUTES_FILE, attributes_text, setup
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.transaction import FileChange, Transaction, WriteRefused


def settings_text(language: str) -> str:
    """kam.yaml as `kam init` writes it, its comments in the language `_()` speaks (`starter_files`
    makes that the repository's)."""
    head = [
        "# " + _("kam settings. Every setting has a default; delete a line to use it."),
        f"language: {language}        # en | zh",
        "currency: CNY",
        "# " + _("Days a key account may go without a visit, per tier."),
        "visit_cadence: {A: 30, B: 90, C: 180}",
        "# " + _("Days between satisfaction surveys per tier (null: none unless a review plan asks every account)."),
        "surveys: {every: {A: 365, B: 365, C: null}}",
        "",
        _comment(
            _(
                "The scorecard, tier thresholds, policy per tier, risk thresholds and the key-account\n"
                "matrix. These are kam's defaults, written out so the team can see and tune them; every\n"
                "change to them is a commit, and `kam score --since REF` tells rule changes from data changes."
            )
        ),
    ]
    return "\n".join(head) + "\n" + default_kam_yaml()


def _comment(text: str) -> str:
    return "\n".join("# " + line for line in text.splitlines())


def starter_files(language: str) -> dict[str, bytes]:
    """A new repository's files, every comment in its language (en, zh)."""
    with writing_in(language):
        gitignore = _("Temporary files of an interrupted kam save (kam removes them on the next change).")
        files = {
            "kam.yaml": settings_text(language).encode("utf-8"),
            ATTRIBUTES_FILE: attributes_text().encode(),
            ".gitignore": f"# {gitignore}\n.kam-tmp-*\n".encode(),
            "accounts/.gitkeep": b"",
        }
    for stem, path in shipped_playbooks(language).items():
        files[f"playbooks/{stem}.md"] = path.read_bytes()
    return files


def first_commit_message(language: str) -> str:
    with writing_in(language):
        return _("Start the key-account repository") + "\n"


def init_repository(root: Path, language: str = "en", author: str | None = None) -> Path:
    root = root.expanduser().resolve()
    if (root / "kam.yaml").exists():
        raise WriteRefused(_("{folder} is already a kam repository").format(folder=root))
    if root.exists() and any(p.name != ".git" for p in root.iterdir()):
        raise WriteRefused(_("{folder} is not empty; kam init wants a new or empty folder").format(folder=root))
    root.mkdir(parents=True, exist_ok=True)
    if gitcmd.work_tree(root) is None:  # inside a work tree already: use it, never nest a repository
        gitcmd.git(root, "init", "-q")
    files = starter_files(language)
    repo = Repository(root)
    with Transaction(repo, author) as tx:
        tx.commit([FileChange(rel, data, None) for rel, data in files.items()], first_commit_message(language))
    setup(repo, author)  # this clone's merge driver and pre-commit hook
    return root
