"""`kam validate`: every problem of every file, reported together."""

from __future__ import annotations

import os
from pathlib import Path

from kam_tui.model.problems import Problem
from kam_tui.store.catalog import load_catalog
from kam_tui.store.playbook_validation import validate_playbook_files
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.repository import SETTINGS_FILE, Repository, read_account_file, settings_from_bytes


def validate_repository(repo: Repository) -> list[Problem]:
    problems = repo.load_settings()[1]
    problems += load_catalog(repo).problems
    for leftover in repo.leftovers():
        problems.append(
            Problem(
                repo.rel(leftover),
                0,
                0,
                "warning",
                "temporary file left by an interrupted save; kam removes it on the next change",
            )
        )
    problems += validate_playbook_files(repo, None) or []
    problems += [
        Problem(path, 0, 0, "error", f"unmerged ({how}): a merge is unfinished", "resolve the file and commit it")
        for path, how in repo.unmerged()
    ]
    return problems


def validate_paths(repo: Repository | None, paths: list[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".md")) if path.is_dir() else [path]
        for file in files:
            problems += _validate_file(repo, file)
    return problems


def _validate_file(repo: Repository | None, path: Path) -> list[Problem]:
    shown = repo.rel(path) if repo else str(path)
    if not os.path.lexists(path):
        return [Problem(shown, 0, 0, "error", "no such file")]
    if path.name == SETTINGS_FILE:
        try:
            raw = read_regular(path) or b""
        except Unreadable as exc:
            return [Problem(shown, 1, 1, "error", f"{path.name} {exc}")]
        return [Problem(shown, p.line, p.col, p.level, p.message, p.hint) for p in settings_from_bytes(raw)[1]]
    if repo is not None:
        found = validate_playbook_files(repo, path)
        if found is not None:
            return found
    return read_account_file(shown, path).problems
