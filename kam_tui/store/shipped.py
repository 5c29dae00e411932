"""Files kam ships: the sample accounts and the playbook templates in each language."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """`accounts` or `playbooks`: inside the installed wheel, else the source checkout's top level."""
    for candidate in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kam's shipped {name}/ folder is missing from this installation")


def shipped_playbooks(language: str) -> dict[str, Path]:
    """Template stem → path for one language (en, zh)."""
    folder = shipped_dir("playbooks") / language
    return {p.stem: p for p in sorted(folder.glob("*.md"))}
