"""`kam init`: a new repository with settings, the shipped playbooks and a first commit."""

from __future__ import annotations

from pathlib import Path

from kam_tui.model.scorecard import default_kam_yaml
from kam_tui.store import gitcmd
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_playbooks
from kam_tui.store.write import FileChange, Transaction, WriteRefused

SETTINGS_TEXT = {
    "en": """# kam settings. Every setting has a default; delete a line to use it.
language: en        # en | zh
currency: CNY
# Days between visits a key account may go without a visit, per tier.
visit_cadence: {A: 30, B: 90, C: 180}
""",
    "zh": """# kam 设置。每一项都有默认值，删除即恢复默认。
language: zh        # en | zh
currency: CNY
# 各级客户的拜访周期（天）
visit_cadence: {A: 30, B: 90, C: 180}
""",
}

GITATTRIBUTES = """# Account files are YAML; a field-level merge driver for them is on kam's roadmap.
accounts/*.yaml diff=kam-yaml
"""

GITIGNORE = """# Temporary files of an interrupted kam save (kam removes them on the next change).
.kam-tmp-*
"""


SCORING_HEADER = """
# The scorecard, tier thresholds, policy per tier, risk thresholds and the key-account
# matrix. These are kam's defaults, written out so the team can see and tune them; every
# change to them is a commit, and `kam score --since REF` tells rule changes from data changes.
"""


def starter_files(language: str) -> dict[str, bytes]:
    settings = SETTINGS_TEXT[language] + SCORING_HEADER + default_kam_yaml()
    files = {
        "kam.yaml": settings.encode("utf-8"),
        ".gitattributes": GITATTRIBUTES.encode(),
        ".gitignore": GITIGNORE.encode(),
        "accounts/.gitkeep": b"",
    }
    for stem, path in shipped_playbooks(language).items():
        files[f"playbooks/{stem}.md"] = path.read_bytes()
    return files


def init_repository(root: Path, language: str = "en", author: str | None = None) -> Path:
    root = root.expanduser().resolve()
    if (root / "kam.yaml").exists():
        raise WriteRefused(f"{root} is already a kam repository")
    if root.exists() and any(p.name != ".git" for p in root.iterdir()):
        raise WriteRefused(f"{root} is not empty; kam init wants a new or empty folder")
    root.mkdir(parents=True, exist_ok=True)
    if not (root / ".git").exists():
        gitcmd.git(root, "init", "-q")
    files = starter_files(language)
    repo = Repository(root)
    with Transaction(repo, author) as tx:
        tx.commit([FileChange(rel, data, None) for rel, data in files.items()], "Start the key-account repository\n")
    return root
